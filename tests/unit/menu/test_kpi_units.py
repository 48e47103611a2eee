"""A KPI's unit reads in the reader's language when it is one of the national menu's units (menu.rules.KPI_UNITS)."""

from __future__ import annotations

import csv
from pathlib import Path

from core.i18n import translations
from menu import rules

MENU_KPIS = Path(__file__).resolve().parents[3] / "menu" / "data" / "menu-kpis.csv"


def test_every_unit_of_the_national_menu_has_a_catalogue_entry():
    with MENU_KPIS.open(encoding="utf-8", newline="") as handle:
        units = {row["unit"] for row in csv.DictReader(handle)}
    assert units and all(rules.unit_label(unit) is not None for unit in units)


def test_every_unit_but_the_percent_sign_has_welsh_words_of_its_own():
    welsh = translations("cy")
    for unit, label in rules.KPI_UNITS.items():
        if unit != "%":
            assert welsh.gettext(label) not in ("", label), unit


def test_a_unit_an_administrator_typed_has_no_catalogue_entry_and_reads_as_typed():
    assert rules.unit_label("sessions per fortnight") is None
    assert rules.unit_label(" working days ") == "working days"
