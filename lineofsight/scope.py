"""Which places an actor may follow the line of sight in: the one place it is scoped. A national administrator any;
a finance director their health board and what is in it; a commissioner their PCPGs and their clusters (and a health
board as far as their PCPGs in it). The PCPGs are the finance domain's (finance.queries.pcpg_scope_condition), so
the money shown is the money the reader may see. A place out of sight answers as one that does not exist: a problem
naming the field (it is a filter, not an address)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.actor import Actor, Role
from core.errors import NotAllowed, RuleBroken
from core.i18n import N_, gettext, in_reading_language, order_in_reading_language
from finance.queries import pcpg_scope_condition
from lineofsight.schemas import PlaceLink, SightAsk
from organisations.tables import Cluster, HealthBoard, Pcpg

READERS = (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
CHOOSE_ONE_PLACE = N_("Choose one place: a PCPG, a cluster or a health board")
NOT_IN_SIGHT = N_("Choose a place you can see")
LEVEL_LABELS = {"health_board": N_("Health board"), "pcpg": N_("PCPG"), "cluster": N_("Cluster")}


@dataclass(frozen=True)
class Place:
    level: str
    place_id: int
    name: str
    pcpg_ids: list[int]  # the PCPGs in sight whose specifications and contracts are counted
    cluster_id: int | None  # a cluster's view counts only what covers it
    up: list[PlaceLink]
    down: list[PlaceLink]

    @property
    def level_label(self) -> str:
        return gettext(LEVEL_LABELS[self.level])


def _pcpgs(actor: Actor) -> Any:
    condition = pcpg_scope_condition(actor)
    query = Pcpg.select(Pcpg.id)
    return query if condition is None else query.where(condition)


def _shown(table: Any) -> Any:
    return in_reading_language(table.name, table.name_cy, alias="shown")


async def place_in_sight(actor: Actor, ask: SightAsk) -> Place:
    """The place asked for, if the actor may see it, with the places above and below it to go up and down."""
    if actor.role not in READERS:
        raise NotAllowed()
    given = [
        (name, value)
        for name, value in (
            ("pcpg_id", ask.pcpg_id),
            ("cluster_id", ask.cluster_id),
            ("health_board_id", ask.health_board_id),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise RuleBroken(CHOOSE_ONE_PLACE, field=given[1][0] if given else "pcpg_id")
    field, place_id = given[0]
    in_sight = _pcpgs(actor)
    if field == "cluster_id":
        c: Any = Cluster
        row = (
            await Cluster.select(
                Cluster.id,
                _shown(Cluster),
                Cluster.pcpg,
                in_reading_language(c.pcpg.name, c.pcpg.name_cy, alias="pcpg_shown"),
                Cluster.health_board,
                in_reading_language(c.health_board.name, c.health_board.name_cy, alias="board_shown"),
            )
            .where((Cluster.id == place_id) & Cluster.pcpg.is_in(in_sight))
            .first()
        )
        if row is None:
            raise RuleBroken(NOT_IN_SIGHT, field=field)
        return Place(
            level="cluster",
            place_id=row["id"],
            name=row["shown"],
            pcpg_ids=[row["pcpg"]],
            cluster_id=row["id"],
            up=[
                PlaceLink(level="health_board", place_id=row["health_board"], name=row["board_shown"]),
                PlaceLink(level="pcpg", place_id=row["pcpg"], name=row["pcpg_shown"]),
            ],
            down=[],
        )
    if field == "pcpg_id":
        p: Any = Pcpg
        row = (
            await Pcpg.select(
                Pcpg.id,
                _shown(Pcpg),
                Pcpg.health_board,
                in_reading_language(p.health_board.name, p.health_board.name_cy, alias="board_shown"),
            )
            .where((Pcpg.id == place_id) & Pcpg.id.is_in(in_sight))
            .first()
        )
        if row is None:
            raise RuleBroken(NOT_IN_SIGHT, field=field)
        clusters = (
            await Cluster.select(Cluster.id, _shown(Cluster))
            .where(Cluster.pcpg == place_id)
            .order_by(order_in_reading_language(Cluster.name, Cluster.name_cy))
        )
        return Place(
            level="pcpg",
            place_id=row["id"],
            name=row["shown"],
            pcpg_ids=[row["id"]],
            cluster_id=None,
            up=[PlaceLink(level="health_board", place_id=row["health_board"], name=row["board_shown"])],
            down=[PlaceLink(level="cluster", place_id=c["id"], name=c["shown"]) for c in clusters],
        )
    board = await HealthBoard.select(HealthBoard.id, _shown(HealthBoard)).where(HealthBoard.id == place_id).first()
    pcpgs = (
        await Pcpg.select(Pcpg.id, _shown(Pcpg))
        .where((Pcpg.health_board == place_id) & Pcpg.id.is_in(in_sight))
        .order_by(order_in_reading_language(Pcpg.name, Pcpg.name_cy))
    )
    if board is None or not pcpgs:
        raise RuleBroken(NOT_IN_SIGHT, field=field)
    return Place(
        level="health_board",
        place_id=board["id"],
        name=board["shown"],
        pcpg_ids=[row["id"] for row in pcpgs],
        cluster_id=None,
        up=[],
        down=[PlaceLink(level="pcpg", place_id=row["id"], name=row["shown"]) for row in pcpgs],
    )


async def places_to_choose(actor: Actor) -> list[PlaceLink]:
    """Where an actor starts when they name no place: the health boards (national administrators), their health
    board (finance directors) or their PCPGs (commissioners)."""
    if actor.role is Role.COMMISSIONER:
        rows = (
            await Pcpg.select(Pcpg.id, _shown(Pcpg))
            .where(Pcpg.id.is_in(_pcpgs(actor)))
            .order_by(order_in_reading_language(Pcpg.name, Pcpg.name_cy))
        )
        return [PlaceLink(level="pcpg", place_id=row["id"], name=row["shown"]) for row in rows]
    query = HealthBoard.select(HealthBoard.id, _shown(HealthBoard)).order_by(
        order_in_reading_language(HealthBoard.name, HealthBoard.name_cy)
    )
    if actor.role is Role.FINANCE_DIRECTOR:
        query = query.where(HealthBoard.id == (actor.health_board_id or -1))
    elif actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed()
    return [PlaceLink(level="health_board", place_id=row["id"], name=row["shown"]) for row in await query]
