"""Reads of the national maturity matrix: its domains in order, with each level's descriptor."""

from __future__ import annotations

from typing import Any

from core.errors import NotFound
from core.i18n import name_in_reading_language
from maturity.rules import LEVELS
from maturity.schemas import LevelDescriptorOut, MaturityDomainOut
from maturity.tables import MaturityDomain


def domain_out(row: dict[str, Any]) -> MaturityDomainOut:
    return MaturityDomainOut(
        id=row["id"],
        position=row["position"],
        name=row["name"],
        name_cy=row["name_cy"],
        name_shown=name_in_reading_language(row["name"], row["name_cy"]),
        levels=[
            LevelDescriptorOut(
                level=level,
                descriptor=row[f"level_{level}"],
                descriptor_cy=row[f"level_{level}_cy"],
                shown=name_in_reading_language(row[f"level_{level}"], row[f"level_{level}_cy"]),
            )
            for level in LEVELS
        ],
    )


async def list_domains() -> list[MaturityDomainOut]:
    rows = await MaturityDomain.select().order_by(MaturityDomain.position).order_by(MaturityDomain.id)
    return [domain_out(row) for row in rows]


async def get_domain(domain_id: int) -> MaturityDomainOut:
    row = await MaturityDomain.select().where(MaturityDomain.id == domain_id).first()
    if row is None:
        raise NotFound("No such domain")
    return domain_out(row)
