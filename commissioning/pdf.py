"""The specification as a PDF, in the reader's language. The same content is on its web page (PDFs
cannot be tagged for screen readers, so the page is the accessible version)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Spacer

from commissioning import rules
from commissioning.schemas import ClarificationOut, SpecificationOut
from core.i18n import current_language, gettext, time_in_words
from core.money import format_pounds
from core.pdf import build, para, table


def _pick(english: str, welsh: str | None, language: str) -> str:
    return (welsh or english) if language == "cy" else english


def specification_pdf(
    spec: SpecificationOut,
    *,
    route_label: str,
    status_label: str,
    deadline_text: str,
    clarifications: list[ClarificationOut] | None = None,
    address: str = "",
) -> bytes:
    """The specification as published, with the clarification answers published so far and the address of its web
    page (the HTML twin)."""
    language = current_language.get()
    title = _pick(spec.title, spec.title_cy, language)
    story: list[Any] = [
        para(gettext("Service specification %(reference)s", reference=spec.reference), "small"),
        para(title, "title"),
        para(gettext("Particulars"), "h2"),
        table(
            [
                [gettext("Reference"), spec.reference],
                [gettext("Status"), status_label],
                [
                    gettext("Commissioner"),
                    gettext("%(name)s Pan Cluster Planning Group", name=spec.pcpg_shown),
                ],
                [gettext("Contracting authority"), spec.health_board_shown],
                [
                    gettext("Service from the national menu"),
                    gettext(
                        "%(name)s (version %(version)s)",
                        name=_pick(spec.menu_service, spec.menu_service_cy, language),
                        version=spec.menu_service_version,
                    ),
                ],
                [gettext("Procurement route"), route_label],
                [
                    gettext("Term"),
                    gettext(
                        "%(years)s years from 1 April %(start)s", years=spec.term_years, start=spec.start_financial_year
                    ),
                ],
                [gettext("Bid deadline"), deadline_text or "–"],
                [gettext("Questions to"), spec.clarification_contact or "–"],
                [gettext("Plan priority"), spec.plan_priority or "–"],
            ],
            [55, 119],
            header=False,
        ),
        para(gettext("Maximum value by financial year"), "h2"),
        table(
            [[gettext("Financial year"), gettext("Maximum value")]]
            + [[year.label, format_pounds(year.max_value_pence, language)] for year in spec.years]
            + [[gettext("Total"), format_pounds(spec.total_max_value_pence, language)]],
            [87, 87],
        ),
        para(gettext("The service"), "h2"),
        para(_pick(spec.description, spec.description_cy, language)),
    ]
    if spec.plan_need:
        story += [para(gettext("The need it answers"), "h3"), para(spec.plan_need)]
    known = [c.population for c in spec.clusters if c.population is not None]
    story += [
        para(gettext("Clusters covered"), "h2"),
        table(
            [[gettext("Cluster"), gettext("Population"), gettext("Date of the figure")]]
            + [
                [
                    c.name_shown,
                    (f"{c.population:,}" + (f" ({gettext('estimate')})" if c.population_is_estimate else ""))
                    if c.population is not None
                    else gettext("Population not known"),
                    (c.population_as_of_shown or gettext("Not given by the source"))
                    if c.population is not None
                    else "–",
                ]
                for c in spec.clusters
            ],
            [90, 54, 30],
        ),
        para(gettext("Population of clusters with a published figure: %(total)s", total=f"{sum(known):,}"), "small"),
        para(gettext("Outcome measures (KPIs)"), "h2"),
        table(
            [[gettext("KPI"), gettext("Unit"), gettext("Better when"), gettext("Baseline"), gettext("Target")]]
            + [
                [
                    k.name_shown,
                    k.unit_shown,
                    gettext("Higher") if k.direction == "higher_is_better" else gettext("Lower"),
                    k.baseline or "–",
                    k.target or "–",
                ]
                for k in spec.kpis
            ],
            [70, 25, 25, 27, 27],
        ),
    ]
    if spec.criteria:
        story += [
            para(gettext("Evaluation criteria and weights"), "h2"),
            para(
                gettext(
                    "Quality criteria are scored 0 to 5 against the descriptors below. Price is scored pro rata "
                    "to the lowest compliant price."
                )
            ),
            table(
                [[gettext("Criterion"), gettext("Weight")]]
                + [[_pick(c.title, c.title_cy, language), f"{c.weight}%"] for c in spec.criteria]
                + [[gettext("Price"), f"{spec.price_weight}%"]],
                [140, 34],
            ),
        ]
        for criterion in spec.criteria:
            story.append(
                KeepTogether(
                    [
                        para(_pick(criterion.title, criterion.title_cy, language), "h3"),
                        table(
                            [[gettext("Score"), gettext("Descriptor")]]
                            + [
                                [str(score), _pick(d.en, d.cy, language)]
                                for score, d in enumerate(criterion.descriptors)
                            ],
                            [20, 154],
                        ),
                    ]
                )
            )
    answered = [c for c in clarifications or [] if c.answered_at is not None]
    if answered:
        story.append(para(gettext("Questions and answers"), "h2"))
        for c in answered:
            story.append(
                KeepTogether(
                    [
                        para(gettext("Question: %(question)s", question=c.question)),
                        para(gettext("Answer: %(answer)s", answer=c.answer)),
                        Spacer(1, 6),
                    ]
                )
            )
    story += [Spacer(1, 12), para(gettext("This document has a web page with the same content."), "small")]
    if address:
        story.append(para(address, "small"))
    return build(story, title=title, language=language, footer=f"{spec.reference} – {title}")


def deadline_text(spec: SpecificationOut) -> str:
    if spec.bid_deadline_at is None:
        return ""
    return time_in_words(spec.bid_deadline_at, current_language.get())


def labels(spec: SpecificationOut) -> tuple[str, str]:
    return gettext(rules.ProcurementRoute(spec.procurement_route).label), gettext(
        rules.SpecificationStatus(spec.status).label
    )


def evaluation_pdf(spec: SpecificationOut, evaluation: Any) -> bytes:
    """The evaluation report: panel, moderated scores, quality, price and total scores, ranking and tie rule."""
    language = current_language.get()
    title = _pick(spec.title, spec.title_cy, language)
    story: list[Any] = [
        para(gettext("Evaluation report %(reference)s", reference=spec.reference), "small"),
        para(title, "title"),
        para(gettext("Evaluation panel"), "h2"),
        table(
            [[gettext("Evaluator"), gettext("Declaration")]]
            + [
                [
                    m.name,
                    gettext("Conflict: recused")
                    if m.conflict
                    else (gettext("No conflict") if m.declared else gettext("Not declared yet")),
                ]
                for m in evaluation.panel
            ],
            [80, 94],
        ),
        para(gettext("Ranking"), "h2"),
        table(
            [
                [
                    gettext("Rank"),
                    gettext("Bidder"),
                    gettext("Total price"),
                    gettext("Quality"),
                    gettext("Price"),
                    gettext("Total"),
                ]
            ]
            + [
                [
                    str(b.rank or "–"),
                    b.delivery_vehicle,
                    format_pounds(b.total_price_pence, language),
                    f"{b.quality_score:.2f}",
                    f"{b.price_score:.2f}",
                    f"{b.total_score:.2f}",
                ]
                for b in evaluation.bids
            ],
            [14, 60, 30, 22, 22, 26],
        ),
        para(
            gettext(
                "Price score = price weight × lowest total price ÷ this bid's total price. Quality score = the sum "
                "of weight × moderated score ÷ 5. Equal totals are split by the higher quality score, then the "
                "lower total price, then the earlier submission."
            ),
            "small",
        ),
        para(gettext("Moderated scores"), "h2"),
        table(
            [
                [gettext("Bidder")]
                + [f"{_pick(c.title, c.title_cy, language)} ({c.weight}%)" for c in evaluation.criteria]
            ]
            + [
                [b.delivery_vehicle] + [str(b.moderated.get(n, "–")) for n in range(len(evaluation.criteria))]
                for b in evaluation.bids
            ],
            [50] + [124 / max(1, len(evaluation.criteria))] * len(evaluation.criteria),
        ),
    ]
    for b in evaluation.bids:
        if b.tie_note:
            story.append(para(f"{b.delivery_vehicle}: {gettext(b.tie_note)}", "small"))
    story += [Spacer(1, 12), para(gettext("This document has a web page with the same content."), "small")]
    return build(story, title=title, language=language, footer=f"{spec.reference} – {gettext('Evaluation report')}")
