"""A lifecycle value in a message shows as its translated label, never its stored code (issue 9)."""

from __future__ import annotations

from commissioning.rules import SpecificationStatus
from core.i18n import current_language, gettext, translate_in

MESSAGE = "A specification that is %(status)s cannot be cancelled"


def test_a_status_in_a_message_shows_its_label_not_its_code():
    shown = gettext(MESSAGE, status=SpecificationStatus.UNDER_EVALUATION)
    assert shown == "A specification that is Under evaluation cannot be cancelled"
    assert "under_evaluation" not in shown


def test_the_label_is_in_the_language_of_the_message():
    token = current_language.set("cy")
    try:
        shown = gettext(MESSAGE, status=SpecificationStatus.CANCELLED)
    finally:
        current_language.reset(token)
    assert shown == "Ni ellir canslo manyleb sydd â'r statws Canslwyd"
    assert translate_in("cy", MESSAGE, status=SpecificationStatus.CANCELLED) == shown


def test_other_values_are_shown_as_they_are():
    assert gettext("This award is already %(status)s", status="confirmed") == "This award is already confirmed"
