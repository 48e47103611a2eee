"""Pages: the national terms of earned autonomy (issue 15, item 5), for a national administrator: the form, check
your answers, then the new terms (as the viability thresholds)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts import autonomy_rules as rules
from contracts.autonomy_rules import TIERS, AutonomyTier, ReturnFrequency
from contracts.queries import autonomy as queries
from contracts.schemas.autonomy import AutonomySettingsIn
from contracts.services import autonomy as services
from core.clock import Clock
from core.errors import NotAllowed, RuleBroken
from core.i18n import N_, gettext
from core.money import pounds_input
from web.forms import Form, error_summary, read_form
from web.templating import page, with_flash

ADMIN = requires_role(Role.NATIONAL_ADMIN)
YES_NO = {"yes": True, "no": False}
POUNDS = {f"{tier}_variation_limit": f"{tier}_variation_limit_pence" for tier in AutonomyTier}
POUNDS_ID = {value: key for key, value in POUNDS.items()}
MESSAGES: dict[str, str] = {}
for _tier in AutonomyTier:
    MESSAGES |= {
        f"{_tier}_frequency": N_("Select how often returns are due"),
        f"{_tier}_light": N_("Select whether returns are light"),
        f"{_tier}_variation_limit_pence": N_("Enter an amount from £0 to £100,000,000"),
    }
for _tier in rules.EARNABLE:
    MESSAGES |= {
        f"{_tier}_min_level": N_("Enter a maturity level from 1 to 4"),
        f"{_tier}_domains": N_("Select at least one maturity domain"),
        f"{_tier}_red_free_quarters": N_("Enter a number of quarters from 0 to 20"),
    }
INPUTS = [
    *(f"{tier}_{part}" for tier in AutonomyTier for part in ("frequency", "light", "variation_limit")),
    *(f"{tier}_{part}" for tier in rules.EARNABLE for part in ("min_level", "red_free_quarters")),
]
LISTS = tuple(f"{tier}_domains" for tier in rules.EARNABLE)


def _values(settings: Any) -> dict[str, Any]:
    """The terms in force as the form's answers."""
    values: dict[str, Any] = {}
    for tier in TIERS:
        terms = settings[tier]
        values[f"{tier}_frequency"] = terms.frequency.value
        values[f"{tier}_light"] = "yes" if terms.light else "no"
        values[f"{tier}_variation_limit"] = pounds_input(terms.variation_limit_pence)
        if tier is not AutonomyTier.STANDARD:
            values[f"{tier}_min_level"] = str(terms.min_level)
            values[f"{tier}_red_free_quarters"] = str(terms.red_free_quarters)
            values[f"{tier}_domains"] = list(terms.domains)
    return values


def _sections(values: dict[str, Any]) -> list[dict[str, Any]]:
    """Each tier's part of the form, with its choices decided here (checked or not)."""
    sections = []
    for tier in TIERS:
        chosen = values.get(f"{tier}_domains") or []
        sections.append(
            {
                "tier": tier.value,
                "label": gettext(tier.label),
                "earnable": tier is not AutonomyTier.STANDARD,
                "frequencies": [
                    {
                        "value": f.value,
                        "text": gettext(f.label),
                        "checked": values.get(f"{tier}_frequency") == f.value,
                    }
                    for f in ReturnFrequency
                ],
                "light": [
                    {
                        "value": "yes",
                        "text": gettext("Light: activity, spend and KPIs only"),
                        "checked": values.get(f"{tier}_light") == "yes",
                    },
                    {"value": "no", "text": gettext("Full"), "checked": values.get(f"{tier}_light") == "no"},
                ],
                "domains": [
                    {"value": key, "text": gettext(label), "checked": key in chosen}
                    for key, label in rules.MATURITY_DOMAINS.items()
                ],
            }
        )
    return sections


class AutonomySettingsPages(Controller):
    path = "/autonomy/settings"
    include_in_schema = False
    guards = [ADMIN]

    async def _form(
        self, request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "contracts/autonomy_settings.html",
            {
                "title": gettext("Set the terms of earned autonomy"),
                "settings": await queries.settings_in_force(),
                "values": values,
                "sections": _sections(values),
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/")
    async def settings_form(self, request: Request) -> Template:
        return await self._form(request, _values(await queries.terms_in_force()), {})

    @post("/")
    async def set_settings(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        """The form, then check your answers, then the new terms once confirmed; nothing is written before."""
        posted = await request.form()
        form: Form[AutonomySettingsIn] = await read_form(
            request,
            AutonomySettingsIn,
            messages=MESSAGES,
            lists=LISTS,
            required=LISTS,
            pounds=POUNDS,
            ids={**POUNDS_ID, **{f"{tier}_domains": f"{tier}_domains" for tier in rules.EARNABLE}},
            choices={f"{tier}_light": YES_NO for tier in AutonomyTier},
        )
        if form.ok:
            assert form.data is not None
            try:
                checked: Any = services.check_settings(form.data)
            except RuleBroken as exc:  # shown on its field before the check page, as the service would refuse it
                form.refuse(exc, default_field="earned_min_level")
                checked = None
            if checked is not None and posted.get("confirm") != "yes":
                answers = {name: str(posted.get(name, "")) for name in INPUTS}
                return page(
                    request,
                    "contracts/autonomy_settings_check.html",
                    {
                        "title": gettext("Check the terms of earned autonomy before you set them"),
                        "tiers": [queries.terms_out(tier, checked[tier]) for tier in TIERS],
                        "answers": answers,
                        "lists": {name: posted.getall(name, []) for name in LISTS},
                    },
                )
        await form.run(
            lambda data: services.set_autonomy_settings(actor=actor, data=data, now=clock.now()),
            default_field="earned_min_level",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path="/autonomy/settings"), "autonomy_settings_set")
        values = dict(form.values)
        for name in LISTS:
            values[name] = posted.getall(name, [])
        return await self._form(request, values, form.errors, status_code=400)
