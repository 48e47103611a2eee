"""What each kind of event says and how each kind of record is named, as catalogue messages, so every reader sees
the trail in their own language (issue 10, item 11). audit/rules.py puts them together.

Each kind of event (its `action`, as `operation()` wrote it) has a label for the filter's list and a sentence; each
kind of record (its `entity_type`) a phrase naming it from its row's words (a specification's reference, a budget
line's PCPG, year and funding stream), loaded for a page of events in one statement per kind (audit/records.py).
A new `operation()` action adds its line to KINDS (tests/unit/audit/test_sentences.py finds any that has none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from contracts.autonomy_rules import AutonomyTier
from core.i18n import N_
from core.periods import FinancialYear

SYSTEM_NAME = N_("The service (automatic)")
NOT_SIGNED_IN = N_("Someone not signed in")
SOMEONE = N_("someone")
OTHER = "other"  # the filters' value for kinds of event, or of record, that have no words of their own
OTHER_KINDS = N_("Other changes")
OTHER_RECORDS = N_("Other records")
SOME_CHANGE = N_("%(who)s made a change to %(record)s")
SIGN_IN_ACTIONS = frozenset(
    {
        "user.signed_in",
        "user.signed_out",
        "user.sign_in_failed",
        "user.sign_in_throttled",
        "sign_in.failed_unknown_username",
        "sign_in.throttled_unknown_username",
        "user.locked_out",
        "api_token.issued",
    }
)


class Event(NamedTuple):
    """What a sentence is made from: the event's own columns."""

    action: str
    entity_type: str
    entity_id: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


class Said(NamedTuple):
    """What an event's own data adds to its sentence: values by name (`*_pence` are shown in pounds, `*_as_of` as a
    day, month or year in words), and the sentence itself where the data decides which one it is."""

    params: dict[str, Any]
    sentence: str | None = None


Facts = Callable[[Event], Said]


def _nothing(event: Event) -> Said:
    return Said({})


def _amount(key: str) -> Facts:
    def facts(event: Event) -> Said:
        return Said({"amount_pence": int(event.after[key])})

    return facts


def _increase(key: str) -> Facts:
    def facts(event: Event) -> Said:
        return Said({"amount_pence": int(event.after[key]) - int(event.before[key])})

    return facts


def _budget_set(event: Event) -> Said:
    return Said({"amount_pence": int(event.after["amount_pence"]), "was_pence": int(event.before["amount_pence"])})


def _imported(event: Event) -> Said:
    """A line set up from a file, or one whose amount the file changed (with what it was)."""
    amount = int(event.after["amount_pence"])
    if "amount_pence" not in event.before:
        return Said({"amount_pence": amount}, N_("%(who)s set up %(record)s with %(amount)s from an uploaded file"))
    return Said({"amount_pence": amount, "was_pence": int(event.before["amount_pence"])})


def _checked(event: Event) -> Said:
    return Said({key: int(event.after[key]) for key in ("lines", "new", "changed", "unchanged")})


def _contract_imported(event: Event) -> Said:
    """A contract made before this service brought in from a file, or one a later file changed."""
    amount = int(event.after["total_value_pence"])
    if "total_value_pence" not in event.before:
        return Said({"amount_pence": amount})
    return Said(
        {"amount_pence": amount, "was_pence": int(event.before["total_value_pence"])},
        N_(
            "%(who)s changed %(record)s, made before this service, from an uploaded file: now %(amount)s "
            "(it was %(was)s)"
        ),
    )


def _released(event: Event) -> Said:
    return Said({"amount_pence": int(event.before["amount_pence"])})


def _thresholds_set(event: Event) -> Said:
    """The viability thresholds as set and as they were (the defaults, until a first setting)."""
    return Said(
        {
            "services": int(event.after["min_live_services"]),
            "amount_pence": int(event.after["min_annual_value_pence"]),
            "was_services": int(event.before["min_live_services"]),
            "was_pence": int(event.before["min_annual_value_pence"]),
        }
    )


def _terminated(event: Event) -> Said:
    return Said(
        {
            "day": date.fromisoformat(str(event.after["terminated_on"])),
            "amount_pence": int(event.after["retained_value_pence"]),
        }
    )


def _clock_set(event: Event) -> Said:
    return Said({"when": datetime.fromisoformat(str(event.after["now"]))})


def _version(event: Event) -> Said:
    return Said({"version": int(event.after["version"])})


def _language(event: Event) -> Said:
    welsh = event.after["language"] == "cy"
    return Said({}, N_("%(who)s chose to read the service in Welsh") if welsh else None)


def _notices(event: Event) -> Said:
    """One notice opened (by its id), or every notice marked read at once."""
    return Said({}, N_("%(who)s marked all their notices as read") if event.entity_id == "all" else None)


def _declared(event: Event) -> Said:
    if event.after["conflict"]:
        return Said({}, N_("%(who)s declared a conflict of interest for %(reference)s, so takes no part in scoring"))
    return Said({})


def _maturity_year(event: Event) -> Said:
    """A maturity assessment's financial year, as its label ("2026-27")."""
    return Said({"year": FinancialYear(int(event.after["financial_year"])).label})


def _review_declared(event: Event) -> Said:
    said = _maturity_year(event)
    if event.after.get("conflict"):
        return Said(
            said.params,
            N_("%(who)s declared a conflict of interest for %(record)s for %(year)s, so cannot review it"),
        )
    return said


def _moderated(event: Event) -> Said:
    return Said({"score": int(event.after["moderated_score"]), "criterion": int(event.after["criterion"]) + 1})


def _by_owner(sentence: str) -> Facts:
    """The owner ending their own sign-ins reads differently from a national administrator ending someone's."""

    def facts(event: Event) -> Said:
        return Said({}, sentence if event.after.get("by_owner") else None)

    return facts


def _locked(event: Event) -> Said:
    return Said({"count": int(event.after["failed_sign_ins"])})


def _population(event: Event) -> Said:
    """A cluster's population set from a source (issue 12, item 2): the figure, the source and the date it gives
    (`*_as_of` reads as a day, month or year in words), or that it gives none."""
    facts = {"population": f"{int(event.after['population']):,}", "source": str(event.after["population_source"])}
    if not event.after.get("population_as_of"):
        return Said(facts, N_("%(who)s set the population of %(record)s to %(population)s (%(source)s, undated)"))
    return Said(facts | {"figure_as_of": str(event.after["population_as_of"])})


def _tier(event: Event) -> Said:
    """A vehicle's autonomy tier as decided, from which quarter, and as it was (issue 15, item 5)."""
    start = int(event.after["financial_year"])
    return Said(
        {
            "tier": AutonomyTier(event.after["tier"]),
            "was": AutonomyTier(event.before["tier"]),
            "quarter": int(event.after["quarter"]),
            "year": FinancialYear(start).label,
            "reason": str(event.after.get("reason", "")),
        }
    )


def _tiers_recomputed(event: Event) -> Said:
    return Said(
        {
            "quarter": int(event.after["quarter"]),
            "year": FinancialYear(int(event.after["financial_year"])).label,
            "changed": int(event.after["changed"]),
        }
    )


def _returns_scheduled(event: Event) -> Said:
    """How many quarterly returns a contract's schedule added and removed (made, varied or terminated)."""
    return Said({"added": int(event.after.get("added", 0)), "removed": int(event.after.get("removed", 0))})


def _reminded(event: Event) -> Said:
    """A run of `cdv remind`: how many reminders it sent, about how many delivery returns (issue 13, item 7)."""
    return Said({"notices": int(event.after["notices"]), "returns": int(event.after["returns"])})


def _rated(event: Event) -> Said:
    """A year's performance ratings of a contract's KPIs (issue 13, item 6), by the year's label."""
    start = int(event.after["financial_year"])
    return Said({"year": f"{start}-{(start + 1) % 100:02d}"})


def _return_quarter(event: Event) -> Said:
    """Which quarter's delivery return of a contract, and the version submitting it made."""
    facts: dict[str, Any] = {"quarter": int(event.after["quarter"]), "year": str(event.after["year"])}
    if "version" in event.after:
        facts["version"] = int(event.after["version"])
    return Said(facts)


def _variation(event: Event) -> Said:
    """A contract's variation by its number, and the version its approval made."""
    facts: dict[str, Any] = {"number": int(event.after["variation"])}
    if "version" in event.after:
        facts["version"] = int(event.after["version"])
    return Said(facts)


def _return_period(event: Event) -> Said:
    """A delivery return by its quarter and year ("Q2 2027-28"), the version it reached and how many comments a
    query made (issue 13, item 3: the return's events are recorded on its contract)."""
    return Said(
        {
            "quarter": int(event.after["quarter"]),
            "year": FinancialYear(int(event.after["financial_year"])).label,
            "version": int(event.after.get("version", 0)),
            "count": len(event.after.get("comments") or []),
        }
    )


def _payment(event: Event) -> Said:
    """A quarter's payment: its amount, quarter and financial year (returns/services/payments.py)."""
    year = int(event.after["financial_year"])
    return Said(
        {
            "amount_pence": int(event.after["amount_pence"]),
            "quarter": int(event.after["quarter"]),
            "year": FinancialYear(year).label,
        }
    )


def _export_file(event: Event) -> Said:
    """Which file was asked to be prepared in the background: the finance pack or the spend report's workbook."""
    if event.after.get("kind") == "spend_workbook":
        return Said({}, N_("%(who)s asked for the spend report as an Excel file to be prepared"))
    return Said({}, N_("%(who)s asked for the finance pack as a PDF file to be prepared"))


@dataclass(frozen=True)
class Kind:
    """A kind of event: its label in the filter's list and its sentence (`%(who)s`, `%(record)s` and the record's
    own words: `%(reference)s`, `%(vehicle)s`, `%(person)s`; `%(specification)s`, `%(contract)s` and `%(vehicle)s`
    for the records the event's data names)."""

    label: str
    sentence: str
    facts: Facts = _nothing


KINDS: dict[str, Kind] = {
    # Signing in and out: left out of the trail unless asked for.
    "user.signed_in": Kind(N_("Signed in"), N_("%(who)s signed in")),
    "user.signed_out": Kind(N_("Signed out"), N_("%(who)s signed out")),
    "user.sign_in_failed": Kind(N_("Sign-in refused"), N_("A sign-in to %(record)s was refused")),
    "user.sign_in_throttled": Kind(
        N_("Sign-in held back"),
        N_("A sign-in to %(record)s was turned away unchecked after too many failed attempts"),
    ),
    "sign_in.failed_unknown_username": Kind(
        N_("Sign-in with an unknown username"), N_("A sign-in with a username that names no account was refused")
    ),
    "sign_in.throttled_unknown_username": Kind(
        N_("Sign-in with an unknown username held back"),
        N_("A sign-in with a username that names no account was turned away unchecked after too many failed attempts"),
    ),
    # Accounts locked before sign-in throttling replaced the lock (issue 11): kept so their events still read.
    "user.locked_out": Kind(N_("Account locked"), N_("%(record)s was locked after %(count)s failed sign-ins"), _locked),
    "api_token.issued": Kind(N_("Signed in to the API"), N_("%(who)s signed in to the API")),
    # Ending sign-ins: shown, since someone may have ended another person's
    "web_session.revoked": Kind(
        N_("Browser signed out"),
        N_("%(who)s signed %(record)s out of one browser"),
        _by_owner(N_("%(who)s signed out of one of their browsers")),
    ),
    "api_token.revoked": Kind(
        N_("API token revoked"),
        N_("%(who)s revoked an API token of %(record)s"),
        _by_owner(N_("%(who)s revoked one of their API tokens")),
    ),
    "user.signed_out_everywhere": Kind(
        N_("Signed out everywhere"),
        N_("%(who)s signed %(record)s out everywhere"),
        _by_owner(N_("%(who)s signed out everywhere")),
    ),
    # Accounts
    "user.created": Kind(N_("Account created"), N_("%(who)s created %(record)s")),
    "user.scope_changed": Kind(
        N_("Account scope changed"), N_("%(who)s changed what %(person)s acts for (PCPGs, health board or vehicle)")
    ),
    "user.deactivated": Kind(N_("Account deactivated"), N_("%(who)s deactivated %(record)s")),
    "user.password_link_issued": Kind(
        N_("Password link issued"), N_("%(who)s issued a one-time link to set the password of %(record)s")
    ),
    "user.password_set": Kind(N_("Password set"), N_("%(who)s set a new password")),
    "user.language_set": Kind(N_("Language chosen"), N_("%(who)s chose to read the service in English"), _language),
    # The training clock
    "clock.set": Kind(N_("Training clock moved"), N_("%(who)s moved the training clock to %(when)s"), _clock_set),
    "clock.cleared": Kind(N_("Training clock reset"), N_("%(who)s set the training clock back to the real time")),
    "clock.advanced": Kind(
        N_("Training clock moved on"), N_("%(who)s moved the training clock on to %(when)s"), _clock_set
    ),
    # Budgets
    "budget_line.created": Kind(
        N_("Budget line set up"), N_("%(who)s set up %(record)s with %(amount)s"), _amount("amount_pence")
    ),
    "budget_line.changed": Kind(
        N_("Budget changed"), N_("%(who)s set %(record)s to %(amount)s (it was %(was)s)"), _budget_set
    ),
    "finance_export.requested": Kind(
        N_("File asked for"),
        N_("%(who)s asked for the finance pack as a PDF file to be prepared"),
        _export_file,
    ),
    "budget_lines.checked": Kind(
        N_("File of budget lines checked"),
        N_(
            "%(who)s checked a file of %(lines)s budget lines before applying it: %(new)s new, %(changed)s changed, "
            "%(unchanged)s unchanged"
        ),
        _checked,
    ),
    "budget_lines.imported": Kind(
        N_("Budget lines set from a file"),
        N_("%(who)s set %(record)s to %(amount)s from an uploaded file (it was %(was)s)"),
        _imported,
    ),
    "budget.earmarked": Kind(
        N_("Money earmarked"),
        N_("%(who)s earmarked %(amount)s on %(record)s for %(specification)s"),
        _increase("earmarked_pence"),
    ),
    "budget.released": Kind(N_("Earmark released"), N_("%(who)s released %(record)s (%(amount)s)"), _released),
    "budget.committed": Kind(
        N_("Money committed"),
        N_("%(who)s committed %(amount)s on %(record)s for %(contract)s"),
        _increase("committed_pence"),
    ),
    "budget.recommitted": Kind(
        N_("Commitment replaced"),
        N_("%(who)s released the %(amount)s committed for %(record)s, to commit its changed values"),
        _released,
    ),
    # Notices
    "notification.read": Kind(N_("Notice read"), N_("%(who)s read a notice"), _notices),
    "notifications.reminded": Kind(N_("Deadline reminders sent"), N_("%(who)s sent deadline reminders")),
    # The menu of cluster services
    "menu_service.added": Kind(N_("Menu service added"), N_("%(who)s added %(record)s to the menu")),
    "menu_service.edited": Kind(
        N_("Menu service edited"), N_("%(who)s edited %(record)s, making version %(version)s"), _version
    ),
    "menu_service.retired": Kind(N_("Menu service retired"), N_("%(who)s retired %(record)s")),
    "menu_service.sources_edited": Kind(
        N_("Menu service sources edited"),
        N_("%(who)s edited the sources of %(record)s, making version %(version)s"),
        _version,
    ),
    "menu_service.loaded": Kind(N_("Menu service loaded"), N_("%(who)s loaded %(record)s from the national menu")),
    # Reference data and delivery vehicles
    "reference.loaded": Kind(N_("Reference data loaded"), N_("%(who)s loaded the reference data")),
    "reference.created": Kind(N_("Reference data added"), N_("%(who)s added %(record)s to the reference data")),
    "reference.updated": Kind(N_("Reference data updated"), N_("%(who)s updated %(record)s in the reference data")),
    "cluster.population_set": Kind(
        N_("Cluster population set"),
        N_("%(who)s set the population of %(record)s to %(population)s (%(source)s, %(figure)s)"),
        _population,
    ),
    "delivery_vehicle.registered": Kind(N_("Delivery vehicle registered"), N_("%(who)s registered %(record)s")),
    "delivery_vehicle.approved": Kind(N_("Delivery vehicle approved"), N_("%(who)s approved %(record)s")),
    "delivery_vehicle.rejected": Kind(N_("Delivery vehicle rejected"), N_("%(who)s rejected %(record)s")),
    "delivery_vehicle.suspended": Kind(N_("Delivery vehicle suspended"), N_("%(who)s suspended %(record)s")),
    "delivery_vehicle.reinstated": Kind(N_("Delivery vehicle reinstated"), N_("%(who)s reinstated %(record)s")),
    # Plans and specifications
    "plan.created": Kind(N_("Plan created"), N_("%(who)s created %(record)s")),
    "plan_priority.added": Kind(N_("Plan priority added"), N_("%(who)s added %(record)s")),
    # Needs and engagement
    "need.recorded": Kind(N_("Need recorded"), N_("%(who)s recorded %(record)s")),
    "need.changed": Kind(N_("Need changed"), N_("%(who)s changed the details of %(record)s")),
    "need.priorities_linked": Kind(
        N_("Plan priorities linked to a need"), N_("%(who)s set the plan priorities answering %(record)s")
    ),
    "engagement.recorded": Kind(N_("Engagement recorded"), N_("%(who)s recorded %(record)s")),
    "engagement.changed": Kind(N_("Engagement changed"), N_("%(who)s changed the details of %(record)s")),
    "specification.created": Kind(N_("Specification started"), N_("%(who)s started drafting %(record)s")),
    "specification.changed": Kind(N_("Specification draft changed"), N_("%(who)s changed the draft of %(record)s")),
    "specification.published": Kind(N_("Specification published"), N_("%(who)s published %(record)s")),
    "specification.cancelled": Kind(N_("Specification cancelled"), N_("%(who)s cancelled %(record)s")),
    "specification.evaluation_begun": Kind(N_("Evaluation begun"), N_("%(who)s began the evaluation of %(record)s")),
    "specification.awarded": Kind(
        N_("Specification awarded"), N_("%(who)s confirmed the award, so %(record)s is awarded")
    ),
    "clarification.asked": Kind(N_("Clarification question asked"), N_("%(who)s asked %(record)s")),
    "clarification.answered": Kind(N_("Clarification question answered"), N_("%(who)s answered %(record)s")),
    # Bids, evaluation and award
    "bid.saved": Kind(N_("Bid saved as a draft"), N_("%(who)s saved %(record)s as a draft")),
    "bid.submitted": Kind(N_("Bid submitted"), N_("%(who)s submitted %(record)s")),
    "bid.withdrawn": Kind(N_("Bid withdrawn"), N_("%(who)s withdrew %(record)s")),
    "bid.attachment_added": Kind(N_("Document attached to a bid"), N_("%(who)s attached %(record)s")),
    "panel.member_named": Kind(N_("Evaluator named"), N_("%(who)s named %(person)s to %(record)s")),
    "panel.member_removed": Kind(N_("Evaluator removed from a panel"), N_("%(who)s removed an evaluator from a panel")),
    "panel.interests_declared": Kind(
        N_("Interests declared"), N_("%(who)s declared no conflict of interest for %(reference)s"), _declared
    ),
    "bid.scored": Kind(N_("Bid scored"), N_("%(who)s scored %(record)s")),
    "bid.moderated": Kind(
        N_("Score moderated"),
        N_("%(who)s moderated the score for criterion %(criterion)s of %(record)s to %(score)s out of 5"),
        _moderated,
    ),
    "award.intended": Kind(
        N_("Intention to award"), N_("%(who)s gave notice of the intention to award %(reference)s to %(vehicle)s")
    ),
    "award.representation_lodged": Kind(N_("Representation made"), N_("%(who)s made %(record)s")),
    "award.representation_answered": Kind(N_("Representation answered"), N_("%(who)s answered %(record)s")),
    "award.confirmed": Kind(N_("Award confirmed"), N_("%(who)s confirmed %(record)s")),
    "contract.made": Kind(
        N_("Contract made"), N_("%(who)s made %(record)s with %(vehicle)s for %(amount)s"), _amount("total_value_pence")
    ),
    "contracts.checked": Kind(
        N_("File of contracts checked"),
        N_(
            "%(who)s checked a file of %(lines)s contracts made before this service before applying it: %(new)s new, "
            "%(changed)s changed, %(unchanged)s unchanged"
        ),
        _checked,
    ),
    "contract.imported": Kind(
        N_("Contract brought in from a file"),
        N_("%(who)s brought in %(record)s, made before this service, with %(vehicle)s for %(amount)s from a file"),
        _contract_imported,
    ),
    "delivery_returns.scheduled": Kind(
        N_("Delivery returns scheduled"),
        N_("%(who)s brought the delivery returns of %(record)s in step with it: %(added)s added, %(removed)s removed"),
        _returns_scheduled,
    ),
    # Delivery returns filled in and submitted (returns/services/submission.py)
    "delivery_return.saved": Kind(
        N_("Delivery return saved"),
        N_("%(who)s saved the delivery return for quarter %(quarter)s of %(year)s of %(record)s"),
        _return_quarter,
    ),
    "delivery_return.uploaded": Kind(
        N_("Delivery return uploaded"),
        N_("%(who)s uploaded the figures of the delivery return for quarter %(quarter)s of %(year)s of %(record)s"),
        _return_quarter,
    ),
    "delivery_return.submitted": Kind(
        N_("Delivery return submitted"),
        N_(
            "%(who)s submitted version %(version)s of the delivery return for quarter %(quarter)s of %(year)s "
            "of %(record)s"
        ),
        _return_quarter,
    ),
    # Contract variations
    "delivery_returns.reminded": Kind(
        N_("Delivery return reminders sent"),
        N_("%(who)s sent %(notices)s reminders about %(returns)s delivery returns"),
        _reminded,
    ),
    "performance_rating.recorded": Kind(
        N_("Performance rated"), N_("%(who)s rated the performance of %(record)s in %(year)s"), _rated
    ),
    "performance_rating.changed": Kind(
        N_("Performance rating changed"),
        N_("%(who)s changed the performance ratings of %(record)s in %(year)s"),
        _rated,
    ),
    "contract_variation.proposed": Kind(
        N_("Contract variation proposed"), N_("%(who)s proposed variation %(number)s to %(record)s"), _variation
    ),
    "contract_variation.approved": Kind(
        N_("Contract variation approved"),
        N_("%(who)s approved variation %(number)s to %(record)s, making version %(version)s"),
        _variation,
    ),
    "contract_variation.agreed": Kind(
        N_("Contract variation agreed by the delivery vehicle"),
        N_(
            "%(who)s agreed variation %(number)s to %(record)s within the delivery vehicle's earned autonomy, making "
            "version %(version)s"
        ),
        _variation,
    ),
    "contract_variation.rejected": Kind(
        N_("Contract variation rejected"), N_("%(who)s rejected variation %(number)s to %(record)s"), _variation
    ),
    # Earned autonomy (contracts/services/autonomy.py, returns/autonomy/services.py)
    "autonomy.settings_set": Kind(N_("Terms of earned autonomy set"), N_("%(who)s set %(record)s")),
    "autonomy.tiers_recomputed": Kind(
        N_("Autonomy tiers worked out"),
        N_("%(who)s worked out the delivery vehicles' autonomy tiers in Q%(quarter)s %(year)s: %(changed)s changed"),
        _tiers_recomputed,
    ),
    "autonomy.tier_recomputed": Kind(
        N_("Autonomy tier worked out"),
        N_(
            "%(who)s gave %(record)s the autonomy tier %(tier)s from Q%(quarter)s %(year)s (it was %(was)s), "
            "worked out from its maturity and its KPI results"
        ),
        _tier,
    ),
    "autonomy.tier_overridden": Kind(
        N_("Autonomy tier set by a commissioner"),
        N_(
            "%(who)s set the autonomy tier of %(record)s to %(tier)s from Q%(quarter)s %(year)s (it was %(was)s). "
            "The reason given: %(reason)s"
        ),
        _tier,
    ),
    "autonomy.override_lifted": Kind(
        N_("Autonomy tier override lifted"),
        N_(
            "%(who)s lifted the override on the autonomy tier of %(record)s: %(tier)s from Q%(quarter)s %(year)s, "
            "as it earns. The reason given: %(reason)s"
        ),
        _tier,
    ),
    # Viability of delivery vehicles
    "viability.thresholds_set": Kind(
        N_("Viability thresholds set"),
        N_(
            "%(who)s set %(record)s to at least %(services)s services and %(amount)s a year "
            "(they were %(was_services)s services and %(was)s)"
        ),
        _thresholds_set,
    ),
    # A contract's lifecycle (contracts/services/lifecycle.py)
    "contract.mobilised": Kind(N_("Contract live"), N_("%(who)s confirmed mobilisation, so %(record)s is live")),
    "contract.suspended": Kind(N_("Contract suspended"), N_("%(who)s suspended %(record)s")),
    "contract.resumed": Kind(N_("Contract resumed"), N_("%(who)s resumed %(record)s")),
    "contract.terminated": Kind(
        N_("Contract terminated"),
        N_("%(who)s terminated %(record)s with its last day of service on %(day)s, keeping %(amount)s committed"),
        _terminated,
    ),
    "contract.expired": Kind(
        N_("Contract expired"), N_("%(who)s recorded that %(record)s expired at the end of its term")
    ),
    "contract.kpis_set": Kind(
        N_("KPI thresholds set"), N_("%(who)s set the KPI thresholds and the activity plan of %(record)s")
    ),
    "contract.allocated": Kind(
        N_("Split by cluster entered"), N_("%(who)s entered the split by cluster of %(record)s")
    ),
    # Reviewing delivery returns (returns/services/review.py)
    "delivery_return.accepted": Kind(
        N_("Delivery return accepted"),
        N_("%(who)s accepted the delivery return for Q%(quarter)s %(year)s of %(record)s"),
        _return_period,
    ),
    "delivery_return.queried": Kind(
        N_("Delivery return queried"),
        N_("%(who)s queried the delivery return for Q%(quarter)s %(year)s of %(record)s, with %(count)s comments"),
        _return_period,
    ),
    "delivery_return.corrected": Kind(
        N_("Accepted delivery return corrected"),
        N_(
            "%(who)s corrected the accepted delivery return for Q%(quarter)s %(year)s of %(record)s, making "
            "version %(version)s"
        ),
        _return_period,
    ),
    # Quarterly payments (returns/services/payments.py)
    "payment.approved": Kind(
        N_("Payment approved"),
        N_("%(who)s approved the payment of %(amount)s for quarter %(quarter)s of %(year)s of %(record)s"),
        _payment,
    ),
    "payment.withheld": Kind(
        N_("Payment withheld"),
        N_("%(who)s withheld the payment of %(amount)s for quarter %(quarter)s of %(year)s of %(record)s"),
        _payment,
    ),
    "payment.released": Kind(
        N_("Withheld payment released"),
        N_("%(who)s released the withheld payment of %(amount)s for quarter %(quarter)s of %(year)s of %(record)s"),
        _payment,
    ),
    # Maturity matrix and assessments (issue 15, item 4)
    "maturity_domain.seeded": Kind(N_("Maturity domain added"), N_("%(who)s added %(record)s to the maturity matrix")),
    "maturity_domain.changed": Kind(N_("Maturity domain changed"), N_("%(who)s changed the words of %(record)s")),
    "maturity_assessment.started": Kind(
        N_("Maturity self-assessment started"), N_("%(who)s started %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.saved": Kind(
        N_("Maturity self-assessment saved"), N_("%(who)s saved answers in %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.submitted": Kind(
        N_("Maturity self-assessment submitted"), N_("%(who)s submitted %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.reviewer_named": Kind(
        N_("Peer reviewer named"), N_("%(who)s named the peer reviewer of %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.interests_declared": Kind(
        N_("Peer reviewer's interests declared"),
        N_("%(who)s declared no conflict of interest for %(record)s for %(year)s"),
        _review_declared,
    ),
    "maturity_assessment.review_saved": Kind(
        N_("Peer review saved"), N_("%(who)s saved a peer review of %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.reviewed": Kind(
        N_("Peer review submitted"), N_("%(who)s submitted the peer review of %(record)s for %(year)s"), _maturity_year
    ),
    "maturity_assessment.confirmed": Kind(
        N_("Maturity levels confirmed"), N_("%(who)s confirmed the levels of %(record)s for %(year)s"), _maturity_year
    ),
}


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: its label in the filter's list, the words for one when its row is not found, and the phrase
    naming it from its row's words (`needs`)."""

    label: str
    unnamed: str
    phrase: str
    needs: tuple[str, ...] = ()


RECORDS: dict[str, RecordKind] = {
    "Specification": RecordKind(
        N_("Specification"), N_("a specification"), N_("specification %(reference)s"), ("reference",)
    ),
    "Bid": RecordKind(
        N_("Bid"), N_("a bid"), N_("the bid from %(vehicle)s for %(reference)s"), ("vehicle", "reference")
    ),
    "BidAttachment": RecordKind(
        N_("Document attached to a bid"),
        N_("a document attached to a bid"),
        N_("the document %(filename)s in the bid from %(vehicle)s for %(reference)s"),
        ("filename", "vehicle", "reference"),
    ),
    "PanelMember": RecordKind(
        N_("Evaluation panel"), N_("an evaluation panel"), N_("the evaluation panel for %(reference)s"), ("reference",)
    ),
    "Declaration": RecordKind(
        N_("Declaration of interests"),
        N_("a declaration of interests"),
        N_("the declaration of interests of %(person)s for %(reference)s"),
        ("person", "reference"),
    ),
    "Award": RecordKind(
        N_("Award"), N_("an award"), N_("the award of %(reference)s to %(vehicle)s"), ("reference", "vehicle")
    ),
    "Representation": RecordKind(
        N_("Representation"),
        N_("a representation"),
        N_("the representation by %(vehicle)s on the award of %(reference)s"),
        ("vehicle", "reference"),
    ),
    "Clarification": RecordKind(
        N_("Clarification question"),
        N_("a clarification question"),
        N_("a clarification question on %(reference)s"),
        ("reference",),
    ),
    "Contract": RecordKind(N_("Contract"), N_("a contract"), N_("contract %(reference)s"), ("reference",)),
    "BudgetLine": RecordKind(N_("Budget line"), N_("a budget line"), N_("the budget line %(line)s"), ("line",)),
    "ExportJob": RecordKind(
        N_("File prepared in the background"),
        N_("a file prepared in the background"),
        N_("a file prepared in the background"),
    ),
    "BudgetImport": RecordKind(N_("File of budget lines"), N_("a file of budget lines"), N_("a file of budget lines")),
    "ContractImport": RecordKind(
        N_("File of contracts"), N_("a file of contracts"), N_("a file of contracts made before this service")
    ),
    "BudgetEarmark": RecordKind(
        N_("Earmark"),
        N_("an earmark"),
        N_("the earmark for %(reference)s on the budget line %(line)s"),
        ("reference", "line"),
    ),
    "BudgetCommitment": RecordKind(
        N_("Commitment"),
        N_("a commitment"),
        N_("the commitment for contract %(reference)s on the budget line %(line)s"),
        ("reference", "line"),
    ),
    "DeliveryVehicle": RecordKind(
        N_("Delivery vehicle"), N_("a delivery vehicle"), N_("the delivery vehicle %(name)s"), ("name",)
    ),
    "MenuService": RecordKind(N_("Menu service"), N_("a menu service"), N_("the menu service %(name)s"), ("name",)),
    "Plan": RecordKind(N_("Plan"), N_("a plan"), N_("the plan %(title)s"), ("title",)),
    "PlanPriority": RecordKind(
        N_("Plan priority"), N_("a plan priority"), N_("the priority %(title)s in the plan %(plan)s"), ("title", "plan")
    ),
    "Need": RecordKind(N_("Need"), N_("a need"), N_("the need %(title)s"), ("title",)),
    "Engagement": RecordKind(
        N_("Engagement activity"), N_("an engagement activity"), N_("the engagement about %(title)s"), ("title",)
    ),
    "User": RecordKind(N_("Account"), N_("an account"), N_("the account of %(person)s"), ("person",)),
    "HealthBoard": RecordKind(N_("Health board"), N_("a health board"), N_("the health board %(name)s"), ("name",)),
    "RegionalPartnershipBoard": RecordKind(
        N_("Regional partnership board"),
        N_("a regional partnership board"),
        N_("the regional partnership board %(name)s"),
        ("name",),
    ),
    "Pcpg": RecordKind(N_("PCPG"), N_("a PCPG"), N_("the PCPG %(name)s"), ("name",)),
    "LocalAuthority": RecordKind(
        N_("Local authority"), N_("a local authority"), N_("the local authority %(name)s"), ("name",)
    ),
    "Cluster": RecordKind(N_("Cluster"), N_("a cluster"), N_("the cluster %(name)s"), ("name",)),
    "ViabilitySetting": RecordKind(
        N_("Viability thresholds"), N_("the viability thresholds"), N_("the viability thresholds")
    ),
    "AutonomySetting": RecordKind(
        N_("Terms of earned autonomy"), N_("the terms of earned autonomy"), N_("the terms of earned autonomy")
    ),
    "TierRecompute": RecordKind(N_("Autonomy tiers"), N_("the autonomy tiers"), N_("the autonomy tiers")),
    "ClockSetting": RecordKind(N_("Training clock"), N_("the training clock"), N_("the training clock")),
    "Notification": RecordKind(N_("Notices"), N_("notices"), N_("notices")),
    "SignIn": RecordKind(N_("Sign-in"), N_("a sign-in"), N_("a sign-in")),
    "MaturityDomain": RecordKind(
        N_("Maturity domain"), N_("a maturity domain"), N_("the maturity domain %(name)s"), ("name",)
    ),
    "MaturityAssessment": RecordKind(
        N_("Maturity assessment"),
        N_("a maturity assessment"),
        N_("the maturity assessment of %(vehicle)s"),
        ("vehicle",),
    ),
}
A_RECORD = N_("a record")
RELATED = {  # what an event's data may name besides its own record, as the sentence's words for it
    "specification_id": ("Specification", "specification"),
    "contract_id": ("Contract", "contract"),
    "delivery_vehicle_id": ("DeliveryVehicle", "vehicle"),
}
