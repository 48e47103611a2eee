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


def test_a_moment_reads_in_uk_time_in_words_summer_and_winter_in_each_language():
    """Issue 10 bug 5: notices showed UTC while pages said BST."""
    from datetime import UTC, date, datetime

    from core.i18n import day_in_words, time_in_words

    summer = datetime(2027, 6, 14, 11, 0, tzinfo=UTC)  # 12:00 BST
    winter = datetime(2026, 12, 22, 19, 23, tzinfo=UTC)  # 19:23 GMT
    assert time_in_words(summer, "en") == "14 June 2027 at 12:00"
    assert time_in_words(winter, "en") == "22 December 2026 at 19:23"
    assert time_in_words(summer, "cy") == "14 Mehefin 2027 am 12:00"
    late = datetime(2027, 7, 31, 23, 30, tzinfo=UTC)  # already 1 August in Wales
    assert day_in_words(late, "en") == "1 August 2027"
    assert day_in_words(date(2027, 1, 4), "cy") == "4 Ionawr 2027"
    assert translate_in("en", "Bids close %(deadline)s.", deadline=summer) == "Bids close 14 June 2027 at 12:00."
