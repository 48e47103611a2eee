"""Types in and out of contracts: what another domain hands over to have a contract made."""

from __future__ import annotations

from typing import Annotated

import msgspec

Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class ContractYearIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One financial year's value; the budget line it is committed on, where the specification named one."""

    financial_year: Year
    value_pence: Annotated[int, msgspec.Meta(ge=0)]
    budget_line_id: int | None = None


class ContractIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The particulars of a contract made from a confirmed award: the health board is the party, the PCPG manages
    it, the delivery vehicle delivers it."""

    specification_id: int
    award_id: int
    pcpg_id: int
    health_board_id: int
    delivery_vehicle_id: int
    title: Annotated[str, msgspec.Meta(max_length=200)]
    title_cy: Annotated[str, msgspec.Meta(max_length=200)]
    years: Annotated[list[ContractYearIn], msgspec.Meta(min_length=1)]
