"""The form kit reads a post into the API's Struct, names every field in error, and keeps pence exact."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
import pytest

from core.errors import NotAllowed, NotFound, RuleBroken
from core.money import pounds_input
from web.forms import parse_form


class ThingIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    year: Annotated[int, msgspec.Meta(ge=2020, le=2100)]
    cluster_ids: list[int]
    amount_pence: Annotated[int, msgspec.Meta(ge=0)]
    note: str = ""


MESSAGES = {"name": "Enter a name", "year": "Select a year", "cluster_ids": "Select the clusters"}


def _form(**posted):
    return parse_form(
        posted,
        ThingIn,
        messages=MESSAGES,
        lists=("cluster_ids",),
        pounds={"amount": "amount_pence"},
        required=("cluster_ids",),
    )


def test_a_good_post_becomes_the_same_struct_the_api_takes():
    form = _form(name=" Thing ", year="2027", cluster_ids=["3", "4"], amount="1,250.50")
    assert form.ok
    assert form.data == ThingIn(name="Thing", year=2027, cluster_ids=[3, 4], amount_pence=125050)


def test_a_pence_value_past_a_billion_round_trips_through_a_form_exactly():
    pence = 1_234_567_891
    assert pounds_input(pence) == "12345678.91"
    form = _form(name="x", year="2027", cluster_ids=["1"], amount=pounds_input(pence))
    assert form.data is not None and form.data.amount_pence == pence


@pytest.mark.parametrize("pence", [0, 1, 99, 100, 101, 10_000_000_000_00, -5])
def test_pounds_for_a_form_are_written_without_float(pence):
    text = pounds_input(pence)
    whole, _, part = text.lstrip("-").partition(".")
    assert len(part) == 2
    assert (int(whole) * 100 + int(part)) * (-1 if pence < 0 else 1) == pence


def test_every_field_in_error_is_named_at_once_in_the_order_of_the_form():
    form = _form(name="", year="twenty", amount="1,50")
    assert not form.ok
    assert form.errors == {
        "name": "Enter a name",
        "year": "Select a year",
        "cluster_ids": "Select the clusters",
        "amount": "Enter an amount in pounds, like 1250.00",
    }
    assert [link["href"] for link in form.context()["error_list"]] == ["#name", "#year", "#cluster_ids", "#amount"]


def test_the_answers_come_back_as_typed_so_the_form_can_be_shown_again():
    form = _form(name="", year="twenty", cluster_ids=["2"], amount="12")
    assert form.values == {"name": "", "year": "twenty", "cluster_ids": ["2"], "amount": "12"}


def test_a_field_the_page_fixes_is_never_taken_from_the_post():
    form = parse_form(
        {"name": "x", "year": "1999", "cluster_ids": ["1"], "amount": "1"},
        ThingIn,
        lists=("cluster_ids",),
        pounds={"amount": "amount_pence"},
        fixed={"year": 2030},
    )
    assert form.data is not None and form.data.year == 2030


def test_a_field_the_page_requires_is_refused_blank_though_the_api_allows_it():
    form = parse_form(
        {"name": "x", "year": "2027", "cluster_ids": ["1"], "amount": "1", "note": " "},
        ThingIn,
        messages={"note": "Add a note"},
        lists=("cluster_ids",),
        pounds={"amount": "amount_pence"},
        required=("note",),
    )
    assert form.errors == {"note": "Add a note"}
    assert not form.ok


async def test_a_rule_the_service_breaks_lands_on_its_field_and_every_listed_problem_is_shown():
    form = _form(name="x", year="2027", cluster_ids=["1"], amount="1")

    async def refuse(data):
        raise RuleBroken("Too many", field="cluster_ids")

    assert await form.run(refuse, default_field="name") is None
    assert form.errors == {"cluster_ids": "Too many"}

    listing = _form(name="x", year="2027", cluster_ids=["1"], amount="1")

    async def refuse_many(data):
        raise RuleBroken("Not ready", problems={"name": "Name clash", "year": "Year closed"})

    await listing.run(refuse_many, default_field="name")
    assert listing.errors == {"name": "Name clash", "year": "Year closed"}


async def test_a_service_that_finds_nothing_still_answers_not_found():
    form = _form(name="x", year="2027", cluster_ids=["1"], amount="1")

    async def missing(data):
        raise NotFound()

    with pytest.raises(NotFound):
        await form.run(missing, default_field="name")


async def test_the_service_is_not_called_when_the_form_has_errors():
    form = _form(name="")
    called = []

    async def act(data):
        called.append(data)

    await form.run(act, default_field="name")
    assert called == []


async def test_a_refusal_the_page_passes_on_is_answered_as_itself_not_shown_on_a_field():
    form = _form(name="x", year="2027", cluster_ids=["1"], amount="1")

    async def refuse(data):
        raise NotAllowed("Only for your own health board")

    with pytest.raises(NotAllowed):
        await form.run(refuse, default_field="name", passes=(NotAllowed,))
    assert form.errors == {}

    shown = _form(name="x", year="2027", cluster_ids=["1"], amount="1")
    await shown.run(refuse, default_field="name")
    assert shown.errors == {"name": "Only for your own health board"}, "without passes it lands on a field"


class RowIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    direction: Literal["up", "down"]
    code: str = ""


class WithRowsIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1)]
    rows: list[RowIn]


def _rows_form(**posted):
    return parse_form(
        posted,
        WithRowsIn,
        messages={"rows": "Add at least one row", "rows.name": "Name the row", "rows.direction": "Pick a direction"},
        rows={"rows": ("name",)},
        required=("rows",),
        ids={"rows": "rows-0-name"},
    )


def test_repeated_rows_become_a_list_of_structs_and_blank_rows_are_left_out():
    form = _rows_form(
        **{
            "title": "T",
            "rows-0-name": "First",
            "rows-0-direction": "up",
            "rows-0-code": "a",
            "rows-1-name": "",
            "rows-1-code": "",
            "rows-2-name": "Third",
            "rows-2-direction": "down",
        }
    )
    assert form.ok, form.errors
    assert form.data == WithRowsIn(title="T", rows=[RowIn("First", "up", "a"), RowIn("Third", "down", "")])
    assert [row["name"] for row in form.values["rows"]] == ["First", "Third"]


def test_a_row_s_problem_is_shown_on_its_own_input_numbered_as_the_form_is_shown_again():
    form = _rows_form(**{"title": "", "rows-0-name": "", "rows-1-name": "Second", "rows-1-direction": "sideways"})
    assert form.errors == {"title": "Check this answer", "rows-0-direction": "Pick a direction"}
    assert not form.ok


def test_no_answered_row_is_refused_on_the_first_row_s_input():
    form = _rows_form(**{"title": "T", "rows-0-name": "", "rows-0-direction": ""})
    assert form.errors == {"rows-0-name": "Add at least one row"}
