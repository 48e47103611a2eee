"""Reads for submitting a return: the return with the spend warning its check page and the API show."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from core.i18n import N_, current_language, gettext
from core.money import format_pounds
from returns import rules
from returns.queries.returns import get_return
from returns.schemas.returns import ReturnOut
from returns.schemas.submission import SpendWarningOut, SubmissionOut

SPEND_ABOVE = N_(
    "The spend, %(spend)s, is %(difference)s more than the quarter's share of the contract's value, %(share)s: "
    "more than 10%% above it. Check it is right; you can still submit it"
)
SPEND_BELOW = N_(
    "The spend, %(spend)s, is %(difference)s less than the quarter's share of the contract's value, %(share)s: "
    "more than 10%% below it. Check it is right; you can still submit it"
)


def spend_warning_of(delivery_return: ReturnOut) -> SpendWarningOut | None:
    """The rule's warning (returns.rules.spend_warning) for the return's saved spend, said in the reader's words."""
    warning = rules.spend_warning(delivery_return.spend_pence, delivery_return.quarter_share_pence)
    if warning is None:
        return None
    language = current_language.get()
    return SpendWarningOut(
        spend_pence=warning.spend_pence,
        quarter_share_pence=warning.quarter_share_pence,
        difference_pence=warning.difference_pence,
        message=gettext(
            SPEND_ABOVE if warning.difference_pence > 0 else SPEND_BELOW,
            spend=format_pounds(warning.spend_pence, language),
            difference=format_pounds(abs(warning.difference_pence), language),
            share=format_pounds(warning.quarter_share_pence, language),
        ),
    )


async def get_submission(*, actor: Actor, return_id: int, now: datetime) -> SubmissionOut:
    delivery_return = await get_return(actor=actor, return_id=return_id, now=now)
    return SubmissionOut(delivery_return=delivery_return, spend_warning=spend_warning_of(delivery_return))
