"""Reads of reference data and delivery vehicles; delivery vehicles are scoped to the actor."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count, Sum
from piccolo.querystring import QueryString

from accounts.actor import Actor
from core.cache import cached_read
from core.errors import NotFound
from core.i18n import current_language, in_reading_language, order_in_reading_language, period_in_words
from core.pagination import Page, check_window
from organisations import rules
from organisations.schemas import (
    ClusterOut,
    ClusterSummary,
    DeliveryVehicleOut,
    DeliveryVehicleSummary,
    HealthBoardOut,
    HealthBoardSummary,
    LocalAuthorityOut,
    PcpgOut,
)
from organisations.tables import (
    Cluster,
    DeliveryVehicle,
    DeliveryVehicleCluster,
    HealthBoard,
    LocalAuthority,
    Pcpg,
    RegionalPartnershipBoard,
)

# Reference data changes only through `cdv load-reference`: kept in the process, dropped when written (core/cache.py).
REFERENCE_TABLES = ("health_board", "regional_partnership_board", "local_authority", "pcpg", "cluster")

CLUSTER_SORTS = {
    "name": (Cluster.name, True),  # by the name the reader reads (order_in_reading_language)
    "-name": (Cluster.name, False),
    "population": (Cluster.population, True),
    "-population": (Cluster.population, False),
    "number": (Cluster.seed_number, True),
}


@cached_read(*REFERENCE_TABLES)
async def list_health_boards(*, limit: int = 50, offset: int = 0) -> Page[HealthBoardOut]:
    check_window(limit, offset)
    rpbs = {
        row["health_board"]: row
        for row in await RegionalPartnershipBoard.select(
            *RegionalPartnershipBoard.all_columns(),
            in_reading_language(RegionalPartnershipBoard.name, RegionalPartnershipBoard.name_cy, alias="name_shown"),
        )
    }
    rows = (
        await HealthBoard.select(
            *HealthBoard.all_columns(), in_reading_language(HealthBoard.name, HealthBoard.name_cy, alias="name_shown")
        )
        .order_by(order_in_reading_language(HealthBoard.name, HealthBoard.name_cy))
        .limit(limit)
        .offset(min(offset, rules.MAX_OFFSET))
    )
    items = [
        HealthBoardOut(
            id=row["id"],
            name=row["name"],
            name_cy=row["name_cy"],
            short_name=row["short_name"],
            regional_partnership_board=rpbs[row["id"]]["name"] if row["id"] in rpbs else "",
            regional_partnership_board_cy=rpbs[row["id"]]["name_cy"] if row["id"] in rpbs else "",
            name_shown=row["name_shown"],
            regional_partnership_board_shown=rpbs[row["id"]]["name_shown"] if row["id"] in rpbs else "",
        )
        for row in rows
    ]
    return Page(items=items, total=await HealthBoard.count(), limit=limit, offset=offset)


@cached_read(*REFERENCE_TABLES)
async def get_health_board(health_board_id: int) -> HealthBoardOut:
    page = await list_health_boards(limit=200)
    for board in page.items:
        if board.id == health_board_id:
            return board
    raise NotFound("No such health board")


@cached_read(*REFERENCE_TABLES)
async def list_local_authorities(
    *, health_board_id: int | None = None, limit: int = 50, offset: int = 0
) -> Page[LocalAuthorityOut]:
    check_window(limit, offset)
    if not rules.is_possible_id(health_board_id):
        return Page(items=[], total=0, limit=limit, offset=offset)
    where = LocalAuthority.health_board == health_board_id if health_board_id is not None else None
    query = LocalAuthority.select(
        *LocalAuthority.all_columns(),
        LocalAuthority.regional_partnership_board.name.as_alias("rpb_name"),
        in_reading_language(LocalAuthority.name, LocalAuthority.name_cy, alias="name_shown"),
    ).order_by(order_in_reading_language(LocalAuthority.name, LocalAuthority.name_cy))
    count = LocalAuthority.count()
    if where is not None:
        query, count = query.where(where), count.where(where)
    rows = await query.limit(limit).offset(min(offset, rules.MAX_OFFSET))
    items = [
        LocalAuthorityOut(
            id=row["id"],
            name=row["name"],
            name_cy=row["name_cy"],
            health_board_id=row["health_board"],
            regional_partnership_board=row["rpb_name"],
            pcpg_id=row["pcpg"],
            name_shown=row["name_shown"],
        )
        for row in rows
    ]
    return Page(items=items, total=await count, limit=limit, offset=offset)


@cached_read(*REFERENCE_TABLES)
async def list_pcpgs(*, health_board_id: int | None = None, limit: int = 50, offset: int = 0) -> Page[PcpgOut]:
    check_window(limit, offset)
    if not rules.is_possible_id(health_board_id):
        return Page(items=[], total=0, limit=limit, offset=offset)
    query = Pcpg.select(
        *Pcpg.all_columns(),
        Pcpg.health_board.name.as_alias("health_board_name"),
        in_reading_language(Pcpg.name, Pcpg.name_cy, alias="name_shown"),
        in_reading_language(Pcpg.health_board.name, Pcpg.health_board.name_cy, alias="health_board_shown"),
    ).order_by(order_in_reading_language(Pcpg.name, Pcpg.name_cy))
    count = Pcpg.count()
    if health_board_id is not None:
        query, count = (
            query.where(Pcpg.health_board == health_board_id),
            count.where(Pcpg.health_board == health_board_id),
        )
    rows = await query.limit(limit).offset(min(offset, rules.MAX_OFFSET))
    authorities: dict[int, list[str]] = {}
    authorities_shown: dict[int, list[str]] = {}
    for row in await LocalAuthority.select(
        LocalAuthority.name,
        LocalAuthority.pcpg,
        in_reading_language(LocalAuthority.name, LocalAuthority.name_cy, alias="name_shown"),
    ).order_by(order_in_reading_language(LocalAuthority.name, LocalAuthority.name_cy)):
        authorities.setdefault(row["pcpg"], []).append(row["name"])
        authorities_shown.setdefault(row["pcpg"], []).append(row["name_shown"])
    clusters: dict[int, int] = {}
    for row in await Cluster.select(Cluster.pcpg):
        clusters[row["pcpg"]] = clusters.get(row["pcpg"], 0) + 1
    items = [
        PcpgOut(
            id=row["id"],
            name=row["name"],
            name_cy=row["name_cy"],
            health_board_id=row["health_board"],
            health_board=row["health_board_name"],
            effective_from_on=row["effective_from_on"],
            effective_to_on=row["effective_to_on"],
            local_authorities=authorities.get(row["id"], []),
            cluster_count=clusters.get(row["id"], 0),
            name_shown=row["name_shown"],
            health_board_shown=row["health_board_shown"],
            local_authorities_shown=authorities_shown.get(row["id"], []),
        )
        for row in rows
    ]
    return Page(items=items, total=await count, limit=limit, offset=offset)


@cached_read(*REFERENCE_TABLES)
async def get_pcpg(pcpg_id: int) -> PcpgOut:
    for pcpg in (await list_pcpgs(limit=200)).items:
        if pcpg.id == pcpg_id:
            return pcpg
    raise NotFound("No such PCPG")


def _cluster_out(row: dict[str, Any]) -> ClusterOut:
    return ClusterOut(
        id=row["id"],
        name=row["name"],
        name_cy=row["name_cy"],
        seed_number=row["seed_number"],
        local_authority_id=row["local_authority"],
        local_authority=row["local_authority_name"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_name"],
        pcpg_cy=row["pcpg_name_cy"],
        health_board_id=row["health_board"],
        population=row["population"],
        population_is_estimate=row["population_is_estimate"],
        population_source=row["population_source"],
        effective_from_on=row["effective_from_on"],
        effective_to_on=row["effective_to_on"],
        name_shown=row["name_shown"],
        local_authority_shown=row["local_authority_shown"],
        pcpg_shown=row["pcpg_shown"],
        population_as_of=row["population_as_of"],
        population_source_url=row["population_source_url"],
        population_as_of_shown=period_in_words(row["population_as_of"], current_language.get())
        if row["population_as_of"]
        else "",
    )


def _cluster_select() -> Any:
    return Cluster.select(
        *Cluster.all_columns(),
        Cluster.local_authority.name.as_alias("local_authority_name"),
        Cluster.pcpg.name.as_alias("pcpg_name"),
        Cluster.pcpg.name_cy.as_alias("pcpg_name_cy"),
        in_reading_language(Cluster.name, Cluster.name_cy, alias="name_shown"),
        in_reading_language(
            Cluster.local_authority.name, Cluster.local_authority.name_cy, alias="local_authority_shown"
        ),
        in_reading_language(Cluster.pcpg.name, Cluster.pcpg.name_cy, alias="pcpg_shown"),
    )


@cached_read(*REFERENCE_TABLES)
async def list_clusters(
    *,
    health_board_id: int | None = None,
    pcpg_id: int | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> Page[ClusterOut]:
    check_window(limit, offset)
    if not (rules.is_possible_id(health_board_id) and rules.is_possible_id(pcpg_id)):
        return Page(items=[], total=0, limit=limit, offset=offset)
    column, ascending = CLUSTER_SORTS.get(sort, CLUSTER_SORTS["name"])
    query = _cluster_select()
    by_name = order_in_reading_language(Cluster.name, Cluster.name_cy)
    if column is Cluster.population:
        # Unknown populations last either way: PostgreSQL sorts NULL as largest, SQLite as smallest.
        query = query.order_by(QueryString(f'"{Cluster._meta.tablename}"."population" IS NULL'))
    query = query.order_by(by_name if column is Cluster.name else column, ascending=ascending)
    if column is not Cluster.name:
        query = query.order_by(by_name)
    count = Cluster.count()
    conditions = []
    if health_board_id is not None:
        conditions.append(Cluster.health_board == health_board_id)
    if pcpg_id is not None:
        conditions.append(Cluster.pcpg == pcpg_id)
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    rows = await query.limit(limit).offset(min(offset, rules.MAX_OFFSET))
    return Page(items=[_cluster_out(row) for row in rows], total=await count, limit=limit, offset=offset)


@cached_read(*REFERENCE_TABLES)
async def get_cluster(cluster_id: int) -> ClusterOut:
    if not rules.is_possible_id(cluster_id):
        raise NotFound("No such cluster")
    row = await _cluster_select().where(Cluster.id == cluster_id).first()
    if row is None:
        raise NotFound("No such cluster")
    return _cluster_out(row)


async def _clusters_by_vehicle(vehicle_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not vehicle_ids:
        return {}
    rows = (
        await DeliveryVehicleCluster.select(
            DeliveryVehicleCluster.delivery_vehicle,
            DeliveryVehicleCluster.cluster.id.as_alias("cluster_id"),
            DeliveryVehicleCluster.cluster.name.as_alias("cluster_name"),
            DeliveryVehicleCluster.cluster.name_cy.as_alias("cluster_name_cy"),
            DeliveryVehicleCluster.cluster.pcpg.as_alias("pcpg_id"),
            DeliveryVehicleCluster.cluster.health_board.as_alias("health_board_id"),
            in_reading_language(
                DeliveryVehicleCluster.cluster.name, DeliveryVehicleCluster.cluster.name_cy, alias="cluster_name_shown"
            ),
        )
        .where(DeliveryVehicleCluster.delivery_vehicle.is_in(vehicle_ids))
        .order_by(
            order_in_reading_language(DeliveryVehicleCluster.cluster.name, DeliveryVehicleCluster.cluster.name_cy)
        )
    )
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["delivery_vehicle"], []).append(row)
    return grouped


def _vehicle_out(actor: Actor, row: dict[str, Any], clusters: list[dict[str, Any]]) -> DeliveryVehicleOut:
    status = rules.DeliveryVehicleStatus(row["status"])
    return DeliveryVehicleOut(
        id=row["id"],
        name=row["name"],
        legal_form=row["legal_form"],
        companies_house_number=row["companies_house_number"],
        status=status,
        clusters=[
            ClusterSummary(
                id=c["cluster_id"],
                name=c["cluster_name"],
                name_cy=c["cluster_name_cy"],
                pcpg_id=c["pcpg_id"],
                name_shown=c["cluster_name_shown"],
            )
            for c in clusters
        ],
        contact_name=row["contact_name"],
        contact_email=row["contact_email"],
        contact_phone=row["contact_phone"],
        registered_at=row["registered_at"],
        registered_by=row["registered_by_username"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by_username"],
        decision_reason=row["decision_reason"],
        registered_by_name=row["registered_by_name"],
        decided_by_name=row["decided_by_name"],
        status_label=status.label,
        status_colour=status.colour,
        legal_form_label=rules.LEGAL_FORM_LABELS.get(row["legal_form"], row["legal_form"]),
        can_decide=rules.can_decide_now(actor, status=status, pcpg_ids=[c["pcpg_id"] for c in clusters]),
        waiting_for_own_review=rules.is_waiting_for_own_review(actor, status=status, delivery_vehicle_id=row["id"]),
        suspended_at=row["suspended_at"],
        suspended_by_name=row["suspended_by_name"],
        suspension_reason=row["suspension_reason"],
        can_suspend=rules.can_suspend_now(actor, status=status),
        can_reinstate=rules.can_reinstate_now(actor, status=status),
    )


def _name_of(column: str) -> QueryString:
    """Who a vehicle's record names by username, by their full name instead, in the same statement (a person's name
    is shown, never their username; the username itself where no user has it)."""
    table = DeliveryVehicle._meta.tablename
    return QueryString(
        f'COALESCE((SELECT "person"."full_name" FROM "app_user" AS "person" '
        f'WHERE "person"."username" = "{table}"."{column}"), "{table}"."{column}")'
    )


def _vehicle_select() -> Any:
    return DeliveryVehicle.select(
        *DeliveryVehicle.all_columns(),
        _name_of("registered_by_username").as_alias("registered_by_name"),
        _name_of("decided_by_username").as_alias("decided_by_name"),
        _name_of("suspended_by_username").as_alias("suspended_by_name"),
    )


def scope_condition(actor: Actor) -> Any:
    """The delivery vehicles an actor may see (organisations.rules.vehicle_scope), as SQL; None for all of them."""
    scope = rules.vehicle_scope(actor)
    if scope.every:
        return None
    ids = list(scope.ids) or [-1]
    if scope.by == "vehicle":
        return DeliveryVehicle.id.is_in(ids)
    serving = DeliveryVehicleCluster.select(DeliveryVehicleCluster.delivery_vehicle)
    if scope.by == "pcpg":
        return DeliveryVehicle.id.is_in(serving.where(DeliveryVehicleCluster.cluster.pcpg.is_in(ids)))
    return DeliveryVehicle.id.is_in(serving.where(DeliveryVehicleCluster.cluster.health_board.is_in(ids)))


def scoped(query: Any, actor: Actor) -> Any:
    condition = scope_condition(actor)
    return query if condition is None else query.where(condition)


async def list_delivery_vehicles(
    *, actor: Actor, status: str | None = None, limit: int = 50, offset: int = 0
) -> Page[DeliveryVehicleOut]:
    """Scope, filter, order and window in SQL; then the window's clusters in one more read."""
    check_window(limit, offset)
    query = scoped(_vehicle_select().order_by(DeliveryVehicle.name).order_by(DeliveryVehicle.id), actor)
    count = scoped(DeliveryVehicle.count(), actor)
    if status:
        query, count = query.where(DeliveryVehicle.status == status), count.where(DeliveryVehicle.status == status)
    rows = await query.limit(limit).offset(min(offset, rules.MAX_OFFSET))
    clusters = await _clusters_by_vehicle([row["id"] for row in rows])
    return Page(
        items=[_vehicle_out(actor, row, clusters.get(row["id"], [])) for row in rows],
        total=await count,
        limit=limit,
        offset=offset,
    )


async def list_approved_vehicles(*, actor: Actor) -> list[DeliveryVehicleSummary]:
    """Every approved vehicle the actor may see, by name: the choice of provider for a direct award, so none is
    left out by a window."""
    query = DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
        DeliveryVehicle.status == rules.DeliveryVehicleStatus.APPROVED.value
    )
    rows = await scoped(query.order_by(DeliveryVehicle.name).order_by(DeliveryVehicle.id), actor)
    return [DeliveryVehicleSummary(id=row["id"], name=row["name"]) for row in rows]


async def get_delivery_vehicle(*, actor: Actor, delivery_vehicle_id: int) -> DeliveryVehicleOut:
    if not rules.is_possible_id(delivery_vehicle_id):
        raise NotFound("No such delivery vehicle")
    row = await scoped(_vehicle_select().where(DeliveryVehicle.id == delivery_vehicle_id), actor).first()
    if row is None:
        raise NotFound("No such delivery vehicle")
    clusters = (await _clusters_by_vehicle([delivery_vehicle_id])).get(delivery_vehicle_id, [])
    return _vehicle_out(actor, row, clusters)


async def vehicle_pcpg_ids(delivery_vehicle_id: int) -> list[int]:
    clusters = (await _clusters_by_vehicle([delivery_vehicle_id])).get(delivery_vehicle_id, [])
    return sorted({c["pcpg_id"] for c in clusters})


@cached_read(*REFERENCE_TABLES)
async def health_board_summary(health_board_id: int) -> HealthBoardSummary:
    """PCPGs, clusters and the population of those with a published figure, counted and summed in SQL."""
    in_board = Cluster.health_board == health_board_id
    row = await Cluster.select(
        Count(alias="clusters"),
        Count(Cluster.population, alias="known"),
        Sum(Cluster.population, alias="population"),
    ).where(in_board)
    clusters, known = int(row[0]["clusters"] or 0), int(row[0]["known"] or 0)
    return HealthBoardSummary(
        health_board_id=health_board_id,
        pcpg_count=await Pcpg.count().where(Pcpg.health_board == health_board_id),
        cluster_count=clusters,
        population_known=int(row[0]["population"] or 0),
        clusters_without_population=clusters - known,
    )


@cached_read(*REFERENCE_TABLES)
async def counts_by_health_board() -> dict[int, HealthBoardSummary]:
    """Every health board's PCPGs, clusters and known population, counted by the database (the health boards page)."""
    clusters = await Cluster.select(
        Cluster.health_board,
        Count(alias="clusters"),
        Count(Cluster.population, alias="known"),
        Sum(Cluster.population, alias="population"),
    ).group_by(Cluster.health_board)
    pcpgs = {
        row["health_board"]: int(row["count"])
        for row in await Pcpg.select(Pcpg.health_board, Count(alias="count")).group_by(Pcpg.health_board)
    }
    found = {}
    for row in clusters:
        board, total, known = row["health_board"], int(row["clusters"] or 0), int(row["known"] or 0)
        found[board] = HealthBoardSummary(
            health_board_id=board,
            pcpg_count=pcpgs.get(board, 0),
            cluster_count=total,
            population_known=int(row["population"] or 0),
            clusters_without_population=total - known,
        )
    for board, count in pcpgs.items():
        found.setdefault(board, HealthBoardSummary(board, count, 0, 0, 0))
    return found
