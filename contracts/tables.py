"""Contracts made by the health board after an award, and their annual values (NHS Standard Contract particulars)."""

from piccolo.columns import BigInt, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from finance.tables import BudgetLine
from organisations.tables import DeliveryVehicle, HealthBoard, Pcpg


class Contract(Table):
    reference = Varchar(length=40, unique=True, help_text="e.g. CON-2027-0003")
    specification_id = Integer(help_text="commissioning.Specification it came from (the line of sight)")
    award_id = Integer()
    health_board = ForeignKey(references=HealthBoard, null=False, help_text="The contracting authority")
    pcpg = ForeignKey(references=Pcpg, null=False, help_text="Manages the contract on the health board's behalf")
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, null=False)
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
    budget_line = ForeignKey(references=BudgetLine, null=True)
