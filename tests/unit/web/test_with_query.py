"""Links built from a page's query keep a repeated parameter whole (the language link of a spend report grouped two
ways led to a different report: `group_by=pcpg&group_by=cluster` became `group_by=cluster`)."""

from web.templating import with_query


def test_a_repeated_parameter_is_kept_whole_and_a_change_replaces_its_key():
    pairs = [("group_by", "pcpg"), ("group_by", "cluster"), ("year", "2026")]
    assert with_query("/finance/spend", pairs, lang="cy") == (
        "/finance/spend?group_by=pcpg&group_by=cluster&year=2026&lang=cy"
    )
    assert with_query("/x", {"offset": "50", "status": ""}, offset=None) == "/x"
    assert with_query("/x", [("offset", "50")], offset=100) == "/x?offset=100"
