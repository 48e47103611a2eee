"""Stored codes and internal ids in what a person reads (issue 10, bullet 10): a page, a notice or a PDF shows
"Cardiff, 2027-28, Cluster funding" and "Under evaluation", never `cluster_funding`, `under_evaluation`,
`user.signed_in`, "Budget line 2" or "(#2)"."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from accounts.actor import Role
from commissioning.rules import AwardStatus, BidStatus, ProcurementRoute, SpecificationStatus
from contracts.rules import ContractStatus
from finance.rules import FUNDING_STREAMS
from organisations.rules import DeliveryVehicleStatus

LIFECYCLES: tuple[type[StrEnum], ...] = (
    Role,
    ProcurementRoute,
    SpecificationStatus,
    BidStatus,
    AwardStatus,
    ContractStatus,
    DeliveryVehicleStatus,
)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # cluster_funding, direct_award_1
ACTION = re.compile(r"\b[a-z]+\.[a-z]+(?:_[a-z]+)*\b")  # user.signed_in, specification.published
NUMBERED = re.compile(
    r"#\d+|\b(?<!Direct )(?:Budget line|Specification|Bid|Award|Contract|User|Delivery vehicle|DeliveryVehicle|"
    r"BudgetLine|ClockSetting|Notification)\s+\d+\b"
)
ADDRESSES = re.compile(
    r"\S+@\S+|https?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*|\b[\w.-]+\.(?:pdf|csv|xlsx|docx|json|org|uk|com|cymru|wales)\b"
)  # a source cited by its address without https:// ("primarycareone.nhs.wales/cluster-area/...") is an address too


@lru_cache(maxsize=1)
def stored_codes() -> frozenset[str]:
    """Every lifecycle value and funding stream as it is stored (single words like `published` too). A role's
    one-word code is left out: the demo's usernames are `commissioner`, `provider`... and a username is shown as
    itself (a two-word role code such as `national_admin` is still caught as snake_case)."""
    values = {member.value for lifecycle in LIFECYCLES if lifecycle is not Role for member in lifecycle}
    return frozenset(values | set(FUNDING_STREAMS))


def codes_in_text(text: str) -> list[str]:
    """Codes and ids anywhere in visible text: snake_case words, action names and numbered records. Addresses
    (emails, links, file names) are not text a person reads as words and are left out."""
    text = ADDRESSES.sub(" ", text)
    actions = ACTION.findall(text)
    found = actions + SNAKE.findall(ACTION.sub(" ", text)) + NUMBERED.findall(text)
    return sorted(set(found))


def codes_as_labels(labels: list[str]) -> list[str]:
    """A status tag, a table cell or a definition that is exactly a stored code (`published` where "Open for bids"
    should be). Single words can be prose elsewhere, so only whole labels are checked."""
    return sorted({label.strip() for label in labels if label.strip() in stored_codes()})


def plain_words_problems(texts: list[dict[str, str]]) -> list[str]:
    """The crawl's check: each text a reader meets (a text node, a label read out, the title) holds no stored code
    and no internal id."""
    problems = []
    for item in texts:
        for found in codes_in_text(item["text"]) + codes_as_labels([item["text"]]):
            problems.append(f"stored code or internal id {found!r} in {item['where']}: {item['text'][:80]!r}")
    return problems


_MARKUP = re.compile(r"</?(span|a|p|strong|em|br|ul|li|abbr|div)(\s[^<>]*)?/?>", re.IGNORECASE)


def markup_as_text(text: str) -> list[str]:
    """HTML tags a reader sees as text: markup escaped twice (a label built from '<span lang="en">' and a name)."""
    return [found.group(0) for found in _MARKUP.finditer(text)]


def markup_problems(texts: list[dict[str, str]]) -> list[str]:
    """The crawl's check: no text a reader meets shows an HTML tag."""
    return [
        f"markup shown as text {found!r} in {item['where']}: {item['text'][:80]!r}"
        for item in texts
        for found in markup_as_text(item["text"])
    ]
