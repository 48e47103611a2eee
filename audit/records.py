"""The words for the records a page of events names, read in one statement per kind of record (never one per event),
and the person a user is shown as. audit/rules.py makes the phrases from them.

Also the SQL that finds the events about a record named in words (part of a reference or a name), for the filter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from piccolo.columns import Varchar
from piccolo.columns.combination import WhereRaw

from accounts.tables import User
from audit.messages import OTHER, RECORDS
from audit.rules import RecordKey
from audit.tables import AuditEvent
from commissioning.tables import (
    Award,
    Bid,
    BidAttachment,
    Clarification,
    Declaration,
    PanelMember,
    Plan,
    PlanPriority,
    Representation,
    Specification,
)
from contracts.tables import Contract
from core.public_ids import is_public_id
from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine
from maturity.tables import MaturityAssessment, MaturityDomain
from menu.tables import MenuService, MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, HealthBoard, LocalAuthority, Pcpg, RegionalPartnershipBoard

Facts = dict[str, Any]
Loader = Callable[[list[Any]], Awaitable[list[Facts]]]


def person_name() -> Varchar:
    """The column a person is shown by, in the trail, its list of people and its search (issue 10, item 12: names,
    not usernames). The one line to change when accounts' name for a person changes."""
    return User.full_name


async def people_names(user_ids: Iterable[int]) -> dict[int, str]:
    """Names by user id, in one statement; a user without one is shown by their username."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = await User.select(User.id, User.username, person_name().as_alias("name")).where(User.id.is_in(wanted))
    return {row["id"]: row["name"] or row["username"] for row in rows}


async def _specifications(ids: list[int]) -> list[Facts]:
    return await Specification.select(Specification.id, Specification.reference).where(Specification.id.is_in(ids))


async def _bids(ids: list[str]) -> list[Facts]:
    """A bid is named in the trail by its public id (core.public_ids), never its row's number (issue 11, item 3)."""
    return await Bid.select(
        Bid.public_id.as_alias("id"),
        Bid.specification.reference.as_alias("reference"),
        Bid.delivery_vehicle.name.as_alias("vehicle"),
    ).where(Bid.public_id.is_in(ids))


async def _attachments(ids: list[int]) -> list[Facts]:
    return await BidAttachment.select(
        BidAttachment.id,
        BidAttachment.filename,
        BidAttachment.bid._.specification._.reference.as_alias("reference"),
        BidAttachment.bid._.delivery_vehicle._.name.as_alias("vehicle"),
    ).where(BidAttachment.id.is_in(ids))


async def _panel_members(ids: list[int]) -> list[Facts]:
    return await PanelMember.select(
        PanelMember.id,
        PanelMember.specification.reference.as_alias("reference"),
        PanelMember.user.as_alias("person_id"),
    ).where(PanelMember.id.is_in(ids))


async def _declarations(ids: list[int]) -> list[Facts]:
    return await Declaration.select(
        Declaration.id,
        Declaration.specification.reference.as_alias("reference"),
        Declaration.user.as_alias("person_id"),
    ).where(Declaration.id.is_in(ids))


async def _awards(ids: list[int]) -> list[Facts]:
    return await Award.select(
        Award.id, Award.specification.reference.as_alias("reference"), Award.delivery_vehicle.name.as_alias("vehicle")
    ).where(Award.id.is_in(ids))


async def _representations(ids: list[int]) -> list[Facts]:
    return await Representation.select(
        Representation.id,
        Representation.award._.specification._.reference.as_alias("reference"),
        Representation.delivery_vehicle.name.as_alias("vehicle"),
    ).where(Representation.id.is_in(ids))


async def _clarifications(ids: list[int]) -> list[Facts]:
    return await Clarification.select(
        Clarification.id, Clarification.specification.reference.as_alias("reference")
    ).where(Clarification.id.is_in(ids))


async def _contracts(ids: list[int]) -> list[Facts]:
    return await Contract.select(Contract.id, Contract.reference).where(Contract.id.is_in(ids))


async def _budget_lines(ids: list[int]) -> list[Facts]:
    return await BudgetLine.select(
        BudgetLine.id,
        BudgetLine.pcpg.name.as_alias("pcpg"),
        BudgetLine.pcpg.name_cy.as_alias("pcpg_cy"),
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
    ).where(BudgetLine.id.is_in(ids))


async def _earmarks(ids: list[int]) -> list[Facts]:
    line = BudgetEarmark.budget_line
    return await BudgetEarmark.select(
        BudgetEarmark.id,
        BudgetEarmark.specification.reference.as_alias("reference"),
        line._.pcpg._.name.as_alias("pcpg"),
        line._.pcpg._.name_cy.as_alias("pcpg_cy"),
        line._.financial_year.as_alias("financial_year"),
        line._.funding_stream.as_alias("funding_stream"),
    ).where(BudgetEarmark.id.is_in(ids))


async def _commitments(ids: list[int]) -> list[Facts]:
    line = BudgetCommitment.budget_line
    return await BudgetCommitment.select(
        BudgetCommitment.id,
        BudgetCommitment.contract.reference.as_alias("reference"),
        line._.pcpg._.name.as_alias("pcpg"),
        line._.pcpg._.name_cy.as_alias("pcpg_cy"),
        line._.financial_year.as_alias("financial_year"),
        line._.funding_stream.as_alias("funding_stream"),
    ).where(BudgetCommitment.id.is_in(ids))


async def _vehicles(ids: list[int]) -> list[Facts]:
    return await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(DeliveryVehicle.id.is_in(ids))


async def _menu_services(ids: list[int]) -> list[Facts]:
    """A service by the name of its latest version (every version of these few services, oldest first)."""
    rows = (
        await MenuServiceVersion.select(
            MenuServiceVersion.menu_service.as_alias("id"), MenuServiceVersion.name, MenuServiceVersion.name_cy
        )
        .where(MenuServiceVersion.menu_service.is_in(ids))
        .order_by(MenuServiceVersion.version)
    )
    return list({row["id"]: row for row in rows}.values())


async def _plans(ids: list[int]) -> list[Facts]:
    return await Plan.select(Plan.id, Plan.title, Plan.title_cy).where(Plan.id.is_in(ids))


async def _priorities(ids: list[int]) -> list[Facts]:
    return await PlanPriority.select(
        PlanPriority.id,
        PlanPriority.title,
        PlanPriority.title_cy,
        PlanPriority.plan.title.as_alias("plan"),
        PlanPriority.plan.title_cy.as_alias("plan_cy"),
    ).where(PlanPriority.id.is_in(ids))


async def _users(ids: list[int]) -> list[Facts]:
    """A user's words are their name, read with every other name (people_names): nothing to read here."""
    return [{"id": user_id, "person_id": user_id} for user_id in ids]


async def _maturity_domains(ids: list[int]) -> list[Facts]:
    return await MaturityDomain.select(MaturityDomain.id, MaturityDomain.name, MaturityDomain.name_cy).where(
        MaturityDomain.id.is_in(ids)
    )


async def _maturity_assessments(ids: list[int]) -> list[Facts]:
    return await MaturityAssessment.select(
        MaturityAssessment.id, MaturityAssessment.delivery_vehicle.name.as_alias("vehicle")
    ).where(MaturityAssessment.id.is_in(ids))


def _places(table: Any) -> Loader:
    async def load(ids: list[int]) -> list[Facts]:
        rows: list[Facts] = await table.select(table.id, table.name, table.name_cy).where(table.id.is_in(ids))
        return rows

    return load


PUBLIC_ID_NAMED = frozenset({"Bid"})  # kinds of record named in the trail by their public id, not their number

LOADERS: dict[str, Loader] = {
    "Specification": _specifications,
    "Bid": _bids,
    "BidAttachment": _attachments,
    "PanelMember": _panel_members,
    "Declaration": _declarations,
    "Award": _awards,
    "Representation": _representations,
    "Clarification": _clarifications,
    "Contract": _contracts,
    "BudgetLine": _budget_lines,
    "BudgetEarmark": _earmarks,
    "BudgetCommitment": _commitments,
    "DeliveryVehicle": _vehicles,
    "MenuService": _menu_services,
    "Plan": _plans,
    "PlanPriority": _priorities,
    "User": _users,
    "HealthBoard": _places(HealthBoard),
    "RegionalPartnershipBoard": _places(RegionalPartnershipBoard),
    "Pcpg": _places(Pcpg),
    "LocalAuthority": _places(LocalAuthority),
    "Cluster": _places(Cluster),
    "MaturityDomain": _maturity_domains,
    "MaturityAssessment": _maturity_assessments,
}


async def record_facts(keys: Iterable[RecordKey]) -> dict[RecordKey, Facts]:
    """The words of every record named, in one statement per kind of record."""
    wanted: dict[str, set[Any]] = {}
    for entity_type, entity_id in keys:
        if entity_type in PUBLIC_ID_NAMED:
            if is_public_id(entity_id):
                wanted.setdefault(entity_type, set()).add(entity_id)
        elif entity_type in LOADERS and entity_id.isdigit() and len(entity_id) <= 18:
            wanted.setdefault(entity_type, set()).add(int(entity_id))
    found: dict[RecordKey, Facts] = {}
    for entity_type, ids in sorted(wanted.items()):
        for row in await LOADERS[entity_type](sorted(ids)):
            facts = dict(row)
            found[(entity_type, str(facts.pop("id")))] = facts
    return found


# Finding events by a record's words: each kind of record, the tables its words come from, and those words.
_SPEC = Specification._meta.tablename
_VEHICLE = DeliveryVehicle._meta.tablename
_SPEC_WORDS = ('"s"."reference"', '"s"."title"', '"s"."title_cy"')


def _sql(table: Any, alias: str = "x") -> str:
    return f'"{table._meta.tablename}" AS "{alias}"'


def _searched() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each kind of record: FROM (its table as "x", with what names it), and the columns holding its words."""
    of_spec = f'JOIN "{_SPEC}" AS "s" ON "s"."id" = "x"."specification"'
    of_vehicle = f'JOIN "{_VEHICLE}" AS "v" ON "v"."id" = "x"."delivery_vehicle"'
    place = ('"x"."name"', '"x"."name_cy"')
    pcpg = f'JOIN "{Pcpg._meta.tablename}" AS "p" ON "p"."id" = "l"."pcpg"'
    return {
        "Specification": (f'"{_SPEC}" AS "x" JOIN "{_SPEC}" AS "s" ON "s"."id" = "x"."id"', _SPEC_WORDS),
        "Bid": (f"{_sql(Bid)} {of_spec} {of_vehicle}", (*_SPEC_WORDS, '"v"."name"')),
        "BidAttachment": (
            f'{_sql(BidAttachment)} JOIN "{Bid._meta.tablename}" AS "b" ON "b"."id" = "x"."bid" '
            f'JOIN "{_SPEC}" AS "s" ON "s"."id" = "b"."specification" '
            f'JOIN "{_VEHICLE}" AS "v" ON "v"."id" = "b"."delivery_vehicle"',
            (*_SPEC_WORDS, '"v"."name"', '"x"."filename"'),
        ),
        "PanelMember": (f"{_sql(PanelMember)} {of_spec}", _SPEC_WORDS),
        "Declaration": (f"{_sql(Declaration)} {of_spec}", _SPEC_WORDS),
        "Award": (f"{_sql(Award)} {of_spec} {of_vehicle}", (*_SPEC_WORDS, '"v"."name"')),
        "Representation": (
            f'{_sql(Representation)} JOIN "{Award._meta.tablename}" AS "a" ON "a"."id" = "x"."award" '
            f'JOIN "{_SPEC}" AS "s" ON "s"."id" = "a"."specification" {of_vehicle}',
            (*_SPEC_WORDS, '"v"."name"'),
        ),
        "Clarification": (f"{_sql(Clarification)} {of_spec}", _SPEC_WORDS),
        "Contract": (
            f"{_sql(Contract)} {of_vehicle}",
            ('"x"."reference"', '"x"."title"', '"x"."title_cy"', '"v"."name"'),
        ),
        "BudgetLine": (
            f'{_sql(BudgetLine)} JOIN "{Pcpg._meta.tablename}" AS "p" ON "p"."id" = "x"."pcpg"',
            ('"p"."name"', '"p"."name_cy"'),
        ),
        "BudgetEarmark": (
            f'{_sql(BudgetEarmark)} JOIN "{BudgetLine._meta.tablename}" AS "l" ON "l"."id" = "x"."budget_line" '
            f"{pcpg} {of_spec}",
            ('"p"."name"', '"p"."name_cy"', *_SPEC_WORDS),
        ),
        "DeliveryVehicle": (_sql(DeliveryVehicle), ('"x"."name"',)),
        "MenuService": (
            f'{_sql(MenuService)} JOIN "{MenuServiceVersion._meta.tablename}" AS "m" ON "m"."menu_service" = "x"."id"',
            ('"m"."name"', '"m"."name_cy"', '"x"."code"'),
        ),
        "Plan": (_sql(Plan), ('"x"."title"', '"x"."title_cy"')),
        "PlanPriority": (_sql(PlanPriority), ('"x"."title"', '"x"."title_cy"')),
        "User": (_sql(User), (f'"x"."{person_name()._meta.db_column_name}"', '"x"."username"')),
        "HealthBoard": (_sql(HealthBoard), place),
        "RegionalPartnershipBoard": (_sql(RegionalPartnershipBoard), place),
        "Pcpg": (_sql(Pcpg), place),
        "LocalAuthority": (_sql(LocalAuthority), place),
        "Cluster": (_sql(Cluster), place),
        "MaturityDomain": (_sql(MaturityDomain), place),
        "MaturityAssessment": (f"{_sql(MaturityAssessment)} {of_vehicle}", ('"v"."name"',)),
    }


def _like_pattern(text: str) -> str:
    """Part of a word, matched anywhere and in any case; the user's % and _ are plain characters."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def record_condition(text: str) -> WhereRaw:
    """Events about a record whose words hold `text`: a specification's reference or title (and every record of it:
    its bids, panel, award, clarifications), a contract's, a vehicle's, service's, plan's or place's name, a
    person's name, a budget line's PCPG."""
    pattern = _like_pattern(text)
    clauses, args = [], []
    for entity_type, (tables, words) in _searched().items():
        matches = " OR ".join(f"LOWER({column}) LIKE {{}} ESCAPE '\\'" for column in words)
        named = '"x"."public_id"' if entity_type in PUBLIC_ID_NAMED else 'CAST("x"."id" AS VARCHAR(20))'
        clauses.append(f'("entity_type" = {{}} AND "entity_id" IN (SELECT {named} FROM {tables} WHERE {matches}))')
        args += [entity_type, *[pattern] * len(words)]
    return WhereRaw("(" + " OR ".join(clauses) + ")", *args)


def record_type_condition(record_type: str) -> Any:
    """One kind of record, or `other`: every kind the catalogue has no words for."""
    if record_type == OTHER:
        return AuditEvent.entity_type.not_in(sorted(RECORDS))
    return AuditEvent.entity_type == record_type
