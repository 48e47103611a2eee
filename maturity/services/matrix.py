"""The national administrator rewords a domain of the maturity matrix: its names and level descriptors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from audit.operation import operation
from core.db import for_update
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext
from maturity.rules import refuse_if_any
from maturity.schemas import MaturityDomainIn
from maturity.tables import MaturityDomain

FIELD_WORDS = {
    "name": N_("Enter the domain's name in English"),
    "name_cy": N_("Enter the domain's name in Welsh"),
    "level_1": N_("Describe level 1 in English"),
    "level_1_cy": N_("Describe level 1 in Welsh"),
    "level_2": N_("Describe level 2 in English"),
    "level_2_cy": N_("Describe level 2 in Welsh"),
    "level_3": N_("Describe level 3 in English"),
    "level_3_cy": N_("Describe level 3 in Welsh"),
    "level_4": N_("Describe level 4 in English"),
    "level_4_cy": N_("Describe level 4 in Welsh"),
}


async def change_domain(*, actor: Actor, domain_id: int, data: MaturityDomainIn, now: datetime) -> None:
    """Only a national administrator; every field given must say something (a domain never loses its words)."""
    if actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed("Only a national administrator changes the maturity matrix")
    async with operation("maturity_domain.changed", actor=actor, now=now) as op:
        row = await for_update(MaturityDomain.select().where(MaturityDomain.id == domain_id)).first()
        if row is None:
            raise NotFound("No such domain")
        given = {name: value.strip() for name, value in (("name", data.name), ("name_cy", data.name_cy)) if value}
        given |= {name: "" for name in ("name", "name_cy") if getattr(data, name) == ""}
        for level in data.levels:
            for suffix, value in (("", level.descriptor), ("_cy", level.descriptor_cy)):
                if isinstance(value, str):
                    given[f"level_{level.level}{suffix}"] = value.strip()
        refuse_if_any(
            {name: gettext(FIELD_WORDS[name]) for name, value in given.items() if not value},
            N_("Give every name and descriptor"),
        )
        changed: dict[Any, Any] = {name: value for name, value in given.items() if value != row[name]}
        if not changed:
            return
        await MaturityDomain.update(changed).where(MaturityDomain.id == domain_id)
        op.record(
            "MaturityDomain",
            domain_id,
            before={name: row[name] for name in changed},
            after=changed,
        )
