"""The plain-words check of the browser crawl finds what it is meant to find, and leaves prose alone."""

from tests.browser.plain_words import codes_as_labels, codes_in_text


def test_stored_codes_and_internal_ids_are_found():
    text = "Budget line 2 for cluster_funding (#2): user.signed_in by DeliveryVehicle 3, route direct_award_1"
    assert codes_in_text(text) == sorted(
        {"Budget line 2", "cluster_funding", "#2", "user.signed_in", "DeliveryVehicle 3", "direct_award_1"}
    )
    assert codes_as_labels(["Open for bids", " published ", "under_evaluation", "Draft"]) == [
        "published",
        "under_evaluation",
    ]


def test_plain_words_pass():
    text = (
        "Anna Price published specification CDV-2027-0002 on 22 December 2026 at 19:23. Cardiff, 2027-28, Cluster "
        "funding: £1,234.56. Write to anna.price@wales.nhs.uk or see https://example.org/a_b and report_q1.pdf. "
        "Source: primarycareone.nhs.wales/cluster-area/aneurin-bevan-uhb/monmouthshire-north/ (2020)."
    )
    assert codes_in_text(text) == []
    assert codes_as_labels(["Open for bids", "Cluster funding", "Under evaluation"]) == []


def test_markup_a_reader_would_see_as_text_is_found_and_plain_text_is_not():
    from tests.browser.plain_words import markup_as_text

    assert markup_as_text('<span lang="en">Cardiff South East</span>') == ['<span lang="en">', "</span>"]
    assert markup_as_text("Spend < £5 and > £1; a <b>-free</b> line; 3 <4") == []
