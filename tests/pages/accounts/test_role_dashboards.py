"""The evaluator's and the provider's dashboards show their own work (issue 10, bug 3 and bullet 14): an evaluator's
panels with what each needs from them; a provider's open opportunities in its clusters and its bids with their
outcome and the award notice."""

from __future__ import annotations

import pytest

from accounts.actor import Role
from commissioning.services import evaluation
from tests import bidding_support as b
from tests import commissioning_support as support
from tests.bidding_support import as_user  # noqa: F401 - the fixture
from tests.conftest import make_actor
from tests.pages.markup import text_of

pytestmark = pytest.mark.usefixtures("menu")


async def _dashboard(as_user, actor) -> str:  # noqa: F811 - the fixture, passed on
    return text_of((await (await as_user(actor)).get("/dashboard?lang=en")).text)


async def test_an_evaluator_sees_each_panel_and_what_it_needs_from_them(as_user):  # noqa: F811
    deal = await b.tender()
    alpha_bid = await b.bid(await b.provider("Alpha Care CIC", "Cardiff North"), deal)
    await b.move_clock(b.AFTER)
    [scorer] = await b.panel(deal, cleared=1)
    named = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=named.username, now=b.AFTER
    )

    text = await _dashboard(as_user, scorer)
    assert "You have not been named on an evaluation panel yet" not in text
    assert deal.spec.reference in text and "Score the bids" in text and "0 of 3 scores given" in text
    await b.score(scorer, alpha_bid, (4, 4, 3))
    text = await _dashboard(as_user, scorer)
    assert "Scored" in text and "3 of 3 scores given" in text
    assert "Declare your interests" in await _dashboard(as_user, named)
    # Negative control: an evaluator on no panel is told so.
    assert "You have not been named on an evaluation panel yet" in await _dashboard(
        as_user, await make_actor(Role.EVALUATOR)
    )


async def test_a_provider_sees_open_opportunities_in_its_clusters_and_how_its_bids_turned_out(as_user):  # noqa: F811
    done = await b.evaluated()
    still_open = await support.published(
        done.deal.commissioner, done.deal.lines, at=b.PUBLISHED, value_pence=80_000_00, bid_deadline_at=b.DEADLINE
    )
    await b.move_clock(b.BEFORE)
    page = (await (await as_user(done.beta)).get("/dashboard?lang=en")).text
    assert f'href="/specifications/{still_open.id}"' in page, "open, in a cluster Beta serves"
    assert "Bids close 14 December 2026 at 12:00" in text_of(page)
    elsewhere = await b.provider("Vale Only CIC", "Central Vale")
    text = await _dashboard(as_user, elsewhere)
    assert "No specification is open for bids in the clusters your delivery vehicle serves." in text
    intention = await b.intend(done)
    await b.move_clock(b.AWARDED)
    beta = await _dashboard(as_user, done.beta)
    assert "Unsuccessful" in beta and "Read the award notice" in beta
    assert "Awarded to you" in await _dashboard(as_user, done.alpha)
    page = (await (await as_user(done.beta)).get("/dashboard?lang=en")).text
    assert f'href="/awards/{intention.id}"' in page
