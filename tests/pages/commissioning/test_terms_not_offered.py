"""A term or first year the money form does not offer gets the form again with an error, never a 500 (issue 11,
item 5: a term outside the list broke the template)."""

from __future__ import annotations

import pytest

from commissioning.tables import Specification
from tests.pages.commissioning.test_specification_pages import _new_draft, _post_form
from tests.pages.markup import error_summary_links


@pytest.mark.parametrize(
    ("start", "term"),
    [
        ("2027", "9"),
        ("2027", "0"),
        ("2027", "-1"),
        ("2027", "two"),
        ("2027", ""),
        ("1999", "2"),
        ("9999", "2"),
        ("abc", "2"),
        ("", ""),
        ("2027", "2.5"),
        ("2027", str(2**70)),
    ],
)
async def test_a_term_the_form_does_not_offer_gets_the_form_again_with_an_error(client_as, menu, start, term):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    response = await _post_form(
        http, f"/specifications/{spec_id}/edit/money", {"start_financial_year": start, "term_years": term}
    )
    assert response.status_code == 400, response.text[:2000]
    assert error_summary_links(response.text) == ["#term_years"]
    row = await Specification.select(Specification.start_financial_year, Specification.term_years).first()
    assert (row["start_financial_year"], row["term_years"]) == (2027, 2)


async def test_a_term_the_form_offers_is_saved(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    response = await _post_form(
        http, f"/specifications/{spec_id}/edit/money", {"start_financial_year": "2028", "term_years": "3"}
    )
    assert response.status_code in (302, 303), response.text[:2000]
    row = await Specification.select(Specification.start_financial_year, Specification.term_years).first()
    assert (row["start_financial_year"], row["term_years"]) == (2028, 3)
