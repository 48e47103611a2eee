"""The form kit reads a post into the API's Struct, names every field in error, and keeps pence exact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

import msgspec
import pytest
from msgspec import UNSET, UnsetType

from core.clock import LONDON
from core.errors import NotAllowed, NotFound, RuleBroken
from core.money import pounds_input
from web.forms import KeyedRows, button_form, datetime_inputs, parse_form


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


class ChangeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    title: Annotated[str, msgspec.Meta(max_length=20)] | UnsetType = UNSET
    priority_id: int | UnsetType | None = UNSET
    starts_at: datetime | UnsetType | None = UNSET
    weight: Annotated[int, msgspec.Meta(ge=0, le=100)] | UnsetType = UNSET


def test_a_change_form_reads_only_the_fields_it_answers_and_leaves_the_others_unset():
    form = parse_form({"title": "New", "weight": "30"}, ChangeIn, only=("title",))
    assert form.data == ChangeIn(title="New")
    assert form.values == {"title": "New"}


def test_emptied_text_in_a_change_is_an_answer_and_an_emptied_number_is_not():
    form = parse_form({"title": " ", "weight": ""}, ChangeIn)
    assert form.data == ChangeIn(title="")


def test_a_blank_answer_to_a_field_the_page_clears_is_none():
    form = parse_form({"title": "x", "priority_id": ""}, ChangeIn, clear=("priority_id",))
    assert form.data == ChangeIn(title="x", priority_id=None)
    kept = parse_form({"title": "x", "priority_id": ""}, ChangeIn)
    assert kept.data == ChangeIn(title="x"), "without clear, a blank number is no answer"


DATE_OPTIONS = {
    "datetimes": {"starts_at": ""},
    "clear": ("starts_at",),
    "ids": {"starts_at": "starts_at-day"},
    "messages": {"starts_at": "Enter a real date"},
}


def test_a_date_and_time_typed_on_the_form_are_read_in_uk_time():
    summer = parse_form({"day": "1", "month": "7", "year": "2027", "time": "17:00"}, ChangeIn, **DATE_OPTIONS)
    assert summer.data is not None and summer.data.starts_at == datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    winter = parse_form({"day": "1", "month": "12", "year": "2027", "time": "9:05"}, ChangeIn, **DATE_OPTIONS)
    assert winter.data is not None and winter.data.starts_at == datetime(2027, 12, 1, 9, 5, tzinfo=UTC)
    assert winter.values == {"day": "1", "month": "12", "year": "2027", "time": "9:05"}


def test_a_blank_time_is_noon_the_time_the_form_offers():
    form = parse_form({"day": "1", "month": "12", "year": "2027", "time": ""}, ChangeIn, **DATE_OPTIONS)
    assert form.data is not None and form.data.starts_at == datetime(2027, 12, 1, 12, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    "typed",
    [
        {"day": "31", "month": "2", "year": "2027", "time": "17:00"},
        {"day": "1", "month": "", "year": "2027", "time": "17:00"},
        {"day": "1", "month": "2", "year": "2027", "time": "25:00"},
        {"day": "1", "month": "2", "year": "2027", "time": "noon"},
    ],
)
def test_a_date_or_time_that_does_not_exist_is_shown_on_the_date_input(typed):
    form = parse_form(typed, ChangeIn, **DATE_OPTIONS)
    assert form.errors == {"starts_at-day": "Enter a real date"}
    assert not form.ok


def test_an_emptied_date_is_none_when_cleared_and_no_answer_otherwise():
    blank = {"day": "", "month": "", "year": "", "time": "17:00"}
    assert parse_form(blank, ChangeIn, **DATE_OPTIONS).data == ChangeIn(starts_at=None)
    assert parse_form(blank, ChangeIn, datetimes={"starts_at": ""}).data == ChangeIn()
    assert parse_form({"title": "x"}, ChangeIn, **DATE_OPTIONS).data == ChangeIn(title="x"), "not on the form"


@pytest.mark.parametrize("moment", [datetime(2027, 7, 1, 16, 0, tzinfo=UTC), datetime(2027, 12, 1, 9, 5, tzinfo=UTC)])
def test_a_stored_moment_fills_the_inputs_it_is_read_back_from(moment):
    typed = datetime_inputs(moment)
    assert parse_form(typed, ChangeIn, datetimes={"starts_at": ""}).data == ChangeIn(starts_at=moment)
    assert datetime_inputs(None, "starts") == {
        "starts-day": "",
        "starts-month": "",
        "starts-year": "",
        "starts-time": "",
    }


def test_a_date_input_with_a_prefix_reads_its_prefixed_inputs():
    form = parse_form(
        {"starts-day": "2", "starts-month": "3", "starts-year": "2028", "starts-time": "08:30"},
        ChangeIn,
        datetimes={"starts_at": "starts"},
    )
    assert form.data is not None and form.data.starts_at == datetime(2028, 3, 2, 8, 30, tzinfo=UTC)


class YearRowIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: int
    max_value_pence: Annotated[int, msgspec.Meta(ge=0)]
    line_id: int | None = None


class TermIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    years: list[YearRowIn] | UnsetType = UNSET


def _term_form(**posted):
    return parse_form(
        posted,
        TermIn,
        keyed_rows={"years": KeyedRows(prefix="year", keys=(2027, 2028), field="financial_year")},
        pounds={"years.max_value": "years.max_value_pence"},
        required=("years.line_id",),
        messages={"years.max_value_pence": "Enter an amount", "years.line_id": "Choose a line for %(year)s"},
        above_zero={"years.max_value_pence": "More than £0, please"},
    )


def test_rows_laid_out_one_per_key_become_structs_with_their_key_and_pounds_become_exact_pence():
    form = _term_form(
        **{
            "year-2027-max_value": "£1,234,567,891.23",
            "year-2027-line_id": "7",
            "year-2028-max_value": "0.10",
            "year-2028-line_id": "8",
        }
    )
    assert form.ok, form.errors
    assert form.data == TermIn(years=[YearRowIn(2027, 123_456_789_123, 7), YearRowIn(2028, 10, 8)])
    assert form.values["years"][2027] == {"max_value": "£1,234,567,891.23", "line_id": "7"}


def test_every_keyed_row_is_answered_and_its_problems_are_shown_on_its_inputs_in_order():
    form = _term_form(**{"year-2027-max_value": "lots", "year-2027-line_id": "7", "year-2028-max_value": ""})
    assert form.errors == {
        "year-2027-max_value": "Enter an amount in pounds, like 1250.00",
        "year-2028-max_value": "Enter an amount",
        "year-2028-line_id": "Choose a line for 2028",
    }
    assert [link["href"] for link in form.context()["error_list"]] == [
        "#year-2027-max_value",
        "#year-2028-max_value",
        "#year-2028-line_id",
    ]
    assert not form.ok


@pytest.mark.parametrize("typed", ["0", "0.00", "-1", "-0.01"])
def test_pounds_the_page_asks_to_be_more_than_nothing_are_refused_at_or_below_zero(typed):
    rows = _term_form(**{"year-2027-max_value": typed, "year-2027-line_id": "7"})
    assert rows.errors["year-2027-max_value"] == "More than £0, please"
    top = parse_form(
        {"name": "x", "year": "2027", "cluster_ids": ["1"], "amount": typed},
        ThingIn,
        lists=("cluster_ids",),
        pounds={"amount": "amount_pence"},
        above_zero={"amount_pence": "More than £0, please"},
    )
    assert top.errors == {"amount": "More than £0, please"}
    assert (
        _term_form(**{"year-2027-max_value": "0.01", "year-2027-line_id": "7"}).errors.get("year-2027-max_value")
        is None
    )


class ScoredRowIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1)]
    notes: list[str]


class ScoredIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    rows: list[ScoredRowIn] | UnsetType = UNSET


def test_what_the_page_keeps_for_a_row_follows_the_number_it_was_posted_with():
    kept = {0: ["first's notes"], 1: ["second's notes"]}
    form = parse_form(
        {"rows-0-title": "", "rows-1-title": "Second", "rows-2-title": "New", "rows-0-notes": "posted"},
        ScoredIn,
        rows={"rows": ("title",)},
        fixed_in_rows={"rows": lambda number: {"notes": kept.get(number, [])}},
    )
    assert form.data == ScoredIn(rows=[ScoredRowIn("Second", ["second's notes"]), ScoredRowIn("New", [])])


async def test_a_button_shows_any_refusal_on_itself_even_one_listing_problems_by_field():
    form = button_form(ids={"publish": "publish-button"})

    async def refuse(data):
        raise RuleBroken("Select the clusters", field="clusters", problems={"clusters": "Select the clusters"})

    assert await form.run(refuse, default_field="publish") is None
    assert form.errors == {"publish-button": "Select the clusters"}

    async def missing(data):
        raise NotFound()

    with pytest.raises(NotFound):
        await button_form().run(missing, default_field="publish")

    async def publish(data):
        return "published"

    assert await button_form().run(publish, default_field="publish") == "published"


# Inputs the page names otherwise: keyed rows under their own names, optional, with refusals by key; a date in three
# boxes; a field posted under another name; radios answered with words.


class PriceIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: Annotated[int, msgspec.Meta(ge=2020, le=2100)]
    price_pence: Annotated[int, msgspec.Meta(ge=0)]


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    criterion: int
    answer: str


class MarkIn(msgspec.Struct, forbid_unknown_fields=True):
    criterion: int
    score: Annotated[int, msgspec.Meta(ge=0, le=5)]
    why: Annotated[str, msgspec.Meta(min_length=1)]


class OfferIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    prices: list[PriceIn]
    answers: list[AnswerIn] = []
    starts_on: date | None = None
    agreed: bool = False
    text: str = ""
    known_ids: list[int] = []


class MarksIn(msgspec.Struct, forbid_unknown_fields=True):
    marks: list[MarkIn]


YEARS = (2027, 2028)
OFFER_MESSAGES = {
    "prices.price_pence": "Enter an amount in pounds, like 1250.00",
    "starts_on": "Enter a real date",
    "agreed": "Say whether you agree",
}


def _offer(*, optional_prices: bool = False, required: tuple[str, ...] = (), **posted):
    return parse_form(
        posted,
        OfferIn,
        messages=OFFER_MESSAGES,
        keyed_rows={
            "prices": KeyedRows(
                "price",
                YEARS,
                field="financial_year",
                names={"price": "price-{key}"},
                optional=optional_prices,
                refused_on="price",
            ),
            "answers": KeyedRows(
                "answer",
                range(3),
                field="criterion",
                names={"answer": "answer-{key}"},
                optional=True,
                refused_on="answer",
            ),
        },
        pounds={"prices.price": "prices.price_pence"},
        above_zero={"prices.price_pence": "The price must be more than £0"},
        dates={"starts_on": ""},
        choices={"agreed": {"yes": True, "no": False}},
        inputs={"text": "note", "known_ids": "known"},
        lists=("known_ids",),
        ids={"starts_on": "day"},
        required=required,
    )


def test_keyed_rows_may_be_posted_under_names_of_the_page_s_own_and_blank_optional_rows_are_left_out():
    form = _offer(**{"price-2027": "1,250.50", "price-2028": "99", "answer-0": "First", "answer-2": " Third "})
    assert form.ok, form.errors
    assert form.data is not None
    assert form.data.prices == [PriceIn(2027, 125050), PriceIn(2028, 9900)]
    assert form.data.answers == [AnswerIn(0, "First"), AnswerIn(2, "Third")]
    assert form.values["prices"] == {2027: {"price": "1,250.50"}, 2028: {"price": "99"}}
    assert form.values["answers"][1] == {"answer": ""}
    drafted = _offer(optional_prices=True, **{"price-2027": "", "price-2028": "5"})
    assert drafted.data is not None and drafted.data.prices == [PriceIn(2028, 500)]


def test_a_keyed_row_s_problem_is_shown_on_the_input_of_its_own_name():
    form = _offer(**{"price-2027": "", "price-2028": "0", "answer-1": "x" * 3})
    assert form.errors == {
        "price-2027": "Enter an amount in pounds, like 1250.00",
        "price-2028": "The price must be more than £0",
    }
    assert not form.ok


def test_two_inputs_of_a_keyed_row_may_have_names_of_their_own_and_are_checked_row_by_row():
    form = parse_form(
        {"score-0": "6", "why-0": "", "score-1": "3", "why-1": "Fine", "score-2": "", "why-2": "Thin"},
        MarksIn,
        messages={"marks.score": "Choose a score from 0 to 5", "marks.why": "Give the reason"},
        keyed_rows={
            "marks": KeyedRows("mark", range(3), field="criterion", names={"score": "score-{key}", "why": "why-{key}"})
        },
    )
    assert list(form.errors.items()) == [
        ("score-0", "Choose a score from 0 to 5"),
        ("why-0", "Give the reason"),
        ("score-2", "Choose a score from 0 to 5"),
    ]


async def test_a_refusal_naming_a_keyed_list_is_shown_in_the_row_of_the_key_it_gives_else_the_first():
    async def too_high(data):
        raise RuleBroken("The price for %(year)s is too high", field="prices", year="2028-29", financial_year=2028)

    form = _offer(**{"price-2027": "1", "price-2028": "2"})
    await form.run(too_high, default_field="text")
    assert form.errors == {"price-2028": "The price for 2028-29 is too high"}

    async def unanswered(data):
        raise RuleBroken("Answer every criterion", field="answers")

    other = _offer(**{"price-2027": "1", "price-2028": "2"})
    await other.run(unanswered, default_field="text")
    assert other.errors == {"answer-0": "Answer every criterion"}

    async def closed(data):
        raise RuleBroken("Bids are closed")

    fieldless = _offer(**{"price-2027": "1", "price-2028": "2"})
    await fieldless.run(closed, default_field="prices")
    assert fieldless.errors == {"price-2027": "Bids are closed"}, "the default field is a keyed list: its first row"


def test_a_date_in_three_boxes_is_read_whole_or_refused_on_its_element():
    form = _offer(**{"price-2027": "1", "price-2028": "2", "day": "1", "month": "4", "year": "2027"})
    assert form.data is not None and form.data.starts_on == date(2027, 4, 1)
    assert (form.values["day"], form.values["month"], form.values["year"]) == ("1", "4", "2027")
    unanswered = _offer(**{"price-2027": "1", "price-2028": "2", "day": "", "month": "", "year": ""})
    assert unanswered.data is not None and unanswered.data.starts_on is None
    wrong = _offer(**{"price-2027": "1", "price-2028": "2", "day": "31", "month": "2", "year": "2027"})
    assert wrong.errors == {"day": "Enter a real date"}
    assert _offer(**{"price-2027": "1", "price-2028": "2", "starts_on": "2027-04-01"}).data.starts_on is None


def test_radios_answered_with_words_give_their_value_and_another_word_is_refused():
    base = {"price-2027": "1", "price-2028": "2"}
    assert _offer(**base, agreed="yes").data.agreed is True
    assert _offer(**base, agreed="no").data.agreed is False
    assert _offer(**base, agreed="true").errors == {"agreed": "Say whether you agree"}
    assert _offer(**base, required=("agreed",)).errors == {"agreed": "Say whether you agree"}
    assert _offer(**base, agreed="no").values["agreed"] == "no"


def test_a_field_posted_under_another_name_is_read_from_it_and_its_problem_shown_there():
    form = _offer(**{"price-2027": "1", "price-2028": "2", "note": " Hello ", "text": "ignored", "known": ["4", "5"]})
    assert form.data is not None and (form.data.text, form.data.known_ids) == ("Hello", [4, 5])
    assert form.values["note"] == "Hello" and form.values["known"] == ["4", "5"]
    assert _offer(**{"price-2027": "1", "price-2028": "2", "known": ["x"]}).errors == {"known": "Check this answer"}


def test_problems_of_rows_dates_and_renamed_inputs_come_in_the_order_of_the_struct_s_fields():
    form = _offer(**{"known": ["x"], "day": "99", "month": "1", "year": "2027", "price-2027": "x", "price-2028": "2"})
    assert list(form.errors) == ["price-2027", "day", "known"]


@pytest.mark.parametrize(
    ("posted", "element"),
    [
        ({"name": "A\x00B"}, "name"),
        ({"note": "\x00"}, "note"),
        ({"cluster_ids": ["1", "2\x00"]}, "cluster_ids"),
        ({"amount": "12\x00"}, "amount"),
    ],
)
def test_text_holding_nul_is_refused_on_its_field_whatever_the_field(posted, element):
    """Issue 11, item 7: PostgreSQL text cannot hold NUL, and SQLite would keep it: both refuse it here."""
    form = _form(**{"name": "Thing", "year": "2027", "cluster_ids": ["3"], "amount": "1.00", **posted})
    assert not form.ok and form.data is None
    assert form.errors[element] == "Text cannot contain the NUL character"


class NamedRowIn(msgspec.Struct):
    name: str


class NamedRowsIn(msgspec.Struct):
    kpis: list[NamedRowIn]


def test_nul_in_a_rows_input_is_refused_on_that_input():
    form = parse_form({"kpis-0-name": "ok", "kpis-1-name": "b\x00d"}, NamedRowsIn, rows={"kpis": ("name",)})
    assert form.data is None
    assert form.errors == {"kpis-1-name": "Text cannot contain the NUL character"}
