"""Contracts made by the health board after an award, and their annual values (NHS Standard Contract particulars)."""

from piccolo.columns import BigInt, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from commissioning.tables import Award, Specification
from finance.tables import BudgetLine
from organisations.tables import DeliveryVehicle, HealthBoard, Pcpg


class Contract(Table):
    reference = Varchar(length=40, unique=True, help_text="e.g. CON-2027-0003")
    specification = ForeignKey(
        references=Specification,
        on_delete=OnDelete.restrict,
        null=False,
        help_text="The specification it came from (the line of sight)",
    )
    award = ForeignKey(references=Award, on_delete=OnDelete.restrict, null=False, help_text="The award that made it")
    health_board = ForeignKey(
        references=HealthBoard, on_delete=OnDelete.restrict, null=False, help_text="The contracting authority"
    )
    pcpg = ForeignKey(
        references=Pcpg,
        on_delete=OnDelete.restrict,
        null=False,
        help_text="Manages the contract on the health board's behalf",
    )
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    title = Varchar(length=200)
    title_cy = Varchar(length=200)
    start_on = Date()
    end_on = Date()
    status = Varchar(length=20, default="mobilising", help_text="mobilising, live, suspended, terminated, expired")
    total_value_pence = BigInt()
    made_at = Timestamptz()
    made_by_username = Varchar(length=80)
    award_notice = Text(default="", help_text="The published award notice")


class ContractYear(Table):
    """The contract's value for one financial year, paid quarterly, and the budget line it is committed on."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    value_pence = BigInt()
    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=True)
