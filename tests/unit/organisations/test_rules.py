import pytest

from accounts.actor import SYSTEM, Actor, Role
from organisations.rules import (
    MAX_ID,
    can_decide_delivery_vehicle,
    can_register_delivery_vehicle,
    can_see_delivery_vehicle,
    is_company_number,
    is_email,
    is_possible_id,
    normalise_company_number,
)


def _actor(role: Role | None, **scope) -> Actor:
    return Actor(user_id=1, username="someone", role=role, **scope)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("01234567", "01234567"),
        ("1234567", "01234567"),
        ("1", "00000001"),
        (" 01 234 567 ", "01234567"),
        ("sc123456", "SC123456"),
        ("NI 123456", "NI123456"),
        ("oc301234", "OC301234"),
    ],
)
def test_a_company_number_is_tidied_into_companies_house_form(typed, number):
    tidied = normalise_company_number(typed)
    assert tidied == number
    assert is_company_number(tidied)


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_a_blank_company_number_means_none_was_given(typed):
    assert normalise_company_number(typed) is None


@pytest.mark.parametrize("typed", ["123456789", "SC12345", "SC1234567", "S1234567", "ABCDEFGH", "12-34567", "SC12345X"])
def test_a_company_number_of_the_wrong_shape_is_refused(typed):
    assert not is_company_number(normalise_company_number(typed) or "")


@pytest.mark.parametrize("text", ["name@example.org", "first.last@nhs.wales", " padded@example.org "])
def test_an_email_address_in_the_usual_form_is_accepted(text):
    assert is_email(text)


@pytest.mark.parametrize(
    "text", ["", "name", "name@example", "@example.org", "name@.org@x", "a b@example.org", "a@b@c.org"]
)
def test_an_email_address_in_the_wrong_form_is_refused(text):
    assert not is_email(text)


def test_only_a_provider_without_a_vehicle_may_register_one():
    assert can_register_delivery_vehicle(_actor(Role.PROVIDER))
    assert not can_register_delivery_vehicle(_actor(Role.PROVIDER, delivery_vehicle_id=4))
    for role in [Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.FINANCE_DIRECTOR, None]:
        assert not can_register_delivery_vehicle(_actor(role)), role


def _sees(actor: Actor) -> bool:
    """A vehicle with id 4 serving clusters in PCPGs 10 and 11, both in health board 2."""
    return can_see_delivery_vehicle(actor, delivery_vehicle_id=4, pcpg_ids=[10, 11], health_board_ids=[2])


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        (_actor(Role.NATIONAL_ADMIN), True),
        (_actor(Role.PROVIDER, delivery_vehicle_id=4), True),
        (_actor(Role.PROVIDER, delivery_vehicle_id=5), False),
        (_actor(Role.PROVIDER), False),
        (_actor(Role.COMMISSIONER, pcpg_ids=(11,)), True),
        (_actor(Role.COMMISSIONER, pcpg_ids=(12, 10)), True),
        (_actor(Role.COMMISSIONER, pcpg_ids=(12,)), False),
        (_actor(Role.COMMISSIONER), False),
        (_actor(Role.FINANCE_DIRECTOR, health_board_id=2), True),
        (_actor(Role.FINANCE_DIRECTOR, health_board_id=3), False),
        (_actor(Role.FINANCE_DIRECTOR), False),
        (_actor(Role.EVALUATOR), False),
        (SYSTEM, False),
    ],
    ids=lambda value: "" if isinstance(value, bool) else f"{value.role}-{value.pcpg_ids}-{value.delivery_vehicle_id}",
)
def test_who_sees_a_delivery_vehicle_depends_on_role_and_scope(actor, sees):
    assert _sees(actor) is sees


@pytest.mark.parametrize(
    ("actor", "decides"),
    [
        (_actor(Role.NATIONAL_ADMIN), True),
        (_actor(Role.COMMISSIONER, pcpg_ids=(10,)), True),
        (_actor(Role.COMMISSIONER, pcpg_ids=(12,)), False),
        (_actor(Role.PROVIDER, delivery_vehicle_id=4), False),
        (_actor(Role.FINANCE_DIRECTOR, health_board_id=2), False),
        (_actor(Role.EVALUATOR), False),
        (SYSTEM, False),
    ],
    ids=lambda value: "" if isinstance(value, bool) else f"{value.role}-{value.pcpg_ids}",
)
def test_only_an_admin_or_a_commissioner_of_a_served_pcpg_decides_on_a_registration(actor, decides):
    assert can_decide_delivery_vehicle(actor, pcpg_ids=[10, 11]) is decides


def test_a_commissioner_cannot_decide_on_a_vehicle_that_serves_no_cluster_yet():
    assert not can_decide_delivery_vehicle(_actor(Role.COMMISSIONER, pcpg_ids=(10,)), pcpg_ids=[])


@pytest.mark.parametrize("number", ["01234567", "12345678", "SC123456", "NI123456", "OC301234", "R0123456"])
def test_a_companies_house_number_of_8_digits_or_2_letters_and_6_digits_or_r0_and_6_digits_is_accepted(number):
    assert is_company_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "1234567",
        "123456789",
        "sc123456",
        "SC 123456",
        "SC1234567",
        "S1234567",
        "R01234567",
        "R1234567",
        "",
        "12345678\n",
    ],
)
def test_a_company_number_not_in_companies_house_form_is_refused_as_typed(number):
    assert not is_company_number(number)


def test_a_company_number_with_a_line_break_is_tidied_before_it_is_checked():
    assert normalise_company_number("12345678\n") == "12345678"


def test_an_eight_digit_or_lettered_company_number_keeps_its_length():
    assert normalise_company_number("12345678") == "12345678"
    assert normalise_company_number("SC12345") == "SC12345"


@pytest.mark.parametrize(("value", "possible"), [(None, True), (1, True), (MAX_ID, True), (0, False), (-1, False)])
def test_an_id_is_possible_from_1_to_the_largest_postgresql_integer(value, possible):
    assert is_possible_id(value) is possible


def test_an_id_past_the_largest_postgresql_integer_names_nothing():
    assert MAX_ID == 2**31 - 1
    assert not is_possible_id(MAX_ID + 1)


def test_a_commissioner_with_no_pcpg_in_common_does_not_decide_and_an_admin_decides_any():
    assert not can_decide_delivery_vehicle(_actor(Role.COMMISSIONER, pcpg_ids=(12, 13)), pcpg_ids=[10, 11])
    assert can_decide_delivery_vehicle(_actor(Role.NATIONAL_ADMIN), pcpg_ids=[])


def test_an_admin_sees_any_vehicle_and_a_finance_director_one_serving_any_of_their_boards():
    assert can_see_delivery_vehicle(
        _actor(Role.NATIONAL_ADMIN), delivery_vehicle_id=9, pcpg_ids=[], health_board_ids=[]
    )
    finance = _actor(Role.FINANCE_DIRECTOR, health_board_id=3)
    assert can_see_delivery_vehicle(finance, delivery_vehicle_id=4, pcpg_ids=[], health_board_ids=[2, 3])


def test_a_provider_sees_their_vehicle_by_id_value_as_read_from_separate_rows():
    provider = _actor(Role.PROVIDER, delivery_vehicle_id=int("40000"))
    assert can_see_delivery_vehicle(provider, delivery_vehicle_id=int("40000"), pcpg_ids=[], health_board_ids=[])
