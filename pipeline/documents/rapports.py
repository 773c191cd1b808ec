"""Activity reports: one quarterly report per period started by the build date, the
annual review of the mandate, and the minutes of every meeting.

Every figure comes from :mod:`pipeline.documents.figures`; this module only gathers them into
the context each template places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..formats import period as period_text
from ..formats import short_date
from ..model import (
    Axis,
    Meeting,
    Period,
    Plan,
    Product,
    Reporting,
    Workbook,
    predictability_table,
)
from ..workbook import schema
from ..workbook.values import slug
from . import DRAFT_MARK, Options, Output, event_dating, figures, register, unique_name
from .charts import rate_chart


@dataclass(frozen=True)
class ProductGroup:
    product: Product
    statuses: list[figures.ActivityStatus]
    execution: figures.Execution

    @property
    def expected(self) -> str:
        """The expected result as a sentence: the PTA lists them ending with " ;"."""
        text = self.product.result.strip().rstrip(" ;.,")
        return text[:1].upper() + text[1:] + "." if text else ""


@dataclass(frozen=True)
class AxisGroup:
    axis: Axis
    execution: figures.Execution
    products: list[ProductGroup]

    @property
    def statuses(self) -> list[figures.ActivityStatus]:
        return [s for p in self.products for s in p.statuses]


@dataclass(frozen=True)
class Difficulty:
    code: str
    title: str
    text: str


def _groups(plan: Plan, statuses: list[figures.ActivityStatus]) -> list[AxisGroup]:
    """Scheduled activities by axis and product (axes and products without any left out)."""
    groups = []
    for axis in plan.axes:
        products = []
        for product in axis.products:
            rows = [s for s in statuses if s.scheduled and s.activity.product is product]
            if rows:
                products.append(
                    ProductGroup(product, rows, figures.execution(s.status for s in rows))
                )
        if products:
            axis_rows = [s for p in products for s in p.statuses]
            groups.append(AxisGroup(axis, figures.execution(s.status for s in axis_rows), products))
    return groups


def _chart(axes: list[figures.AxisExecution], total: figures.Execution):
    return rate_chart(
        [f"Axe {a.axis.number}" for a in axes],
        [a.execution.rate for a in axes],
        "Ensemble",
        total.rate,
    )


def _difficulties(statuses: list[figures.ActivityStatus]) -> list[Difficulty]:
    return [
        Difficulty(s.activity.code, s.activity.title, s.difficulties)
        for s in statuses
        if s.difficulties
    ]


def _common(plan: Plan, reporting: Reporting, statuses, as_of: dt.date) -> dict:
    total = figures.overall(statuses)
    axes = figures.by_axis(plan, statuses)
    return {
        "plan": plan,
        "as_of": as_of,
        "execution": total,
        "axes": axes,
        "chart": _chart(axes, total),
        "groups": _groups(plan, statuses),
        "unscheduled": [s for s in statuses if not s.scheduled],
        "difficulties": _difficulties(statuses),
    }


def quarterly_context(workbook: Workbook, period: Period, today: dt.date) -> dict:
    plan, reporting = workbook.plan, workbook.reporting
    as_of = min(period.end, today)
    statuses = figures.period_statuses(plan, reporting, period, as_of)
    # A provisional report stops at the build date: later meetings have not taken place.
    meetings = figures.meetings_between(reporting.meetings, period.start, as_of)
    later = [p for p in reporting.periods if p.start > period.end]
    next_period = later[0] if later else None
    open_decisions = figures.open_decisions(reporting.decisions, as_of)
    context = _common(plan, reporting, statuses, as_of)
    context.update(
        {
            "period": period,
            "period_text": period_text(period.start, period.end),
            "ongoing": today < period.end,
            "meetings": meetings,
            "meeting_counts": [
                c
                for c in figures.meeting_counts(reporting, period.start, period.end, as_of=as_of)
                if c.held or c.planned
            ],
            "open_decisions": open_decisions,
            "overdue": [d for d in open_decisions if d.overdue],
            "period_decisions": [d for m in meetings for d in m.decisions],
            "next_period": next_period,
            "next_period_text": period_text(next_period.start, next_period.end)
            if next_period
            else "",
            "next_activities": (
                [a for a in plan.activities if figures.is_scheduled_in(a, next_period)]
                if next_period
                else []
            ),
            "texts": {key: reporting.text(key, period) for key in schema.REPORT_TEXT_HEADINGS},
        }
    )
    return context


@dataclass(frozen=True)
class PeriodLine:
    period: Period
    text: str
    execution: figures.Execution
    meetings: int


# The group of the items carried over from the previous mandate in the bilan.
CARRIED_LABEL = "Reprises du mandat précédent"


@dataclass(frozen=True)
class RegisterRow:
    """A line of the bilan's implementation table: one source of the register, or the
    items carried over from the previous mandate (whatever their source)."""

    label: str
    detail: str  # the source's date, or the mandates the items were carried from
    implementation: figures.Implementation


def register_rows(lines: list[figures.ItemLine]) -> list[RegisterRow]:
    """The carried items first, as one group, then the mandate's own items by source
    (figures.by_source); every line counted once."""
    carried = [line for line in lines if line.carried]
    rows = []
    if carried:
        mandates = sorted({line.item.carried_from for line in carried})
        rows.append(
            RegisterRow(
                CARRIED_LABEL,
                "mandat " + ", ".join(mandates),
                figures.implementation(CARRIED_LABEL, carried),
            )
        )
    for group in figures.by_source(line for line in lines if not line.carried):
        rows.append(
            RegisterRow(group.source.title, short_date(group.source.date), group.implementation)
        )
    return rows


def annual_context(workbook: Workbook, today: dt.date) -> dict:
    plan, reporting = workbook.plan, workbook.reporting
    mandate = plan.mandate
    as_of = max(min(mandate.end, today), mandate.start)
    statuses = figures.mandate_statuses(plan, reporting, as_of)
    # The review is true as of its own date: the decisions as they stood that day.
    decisions = figures.decisions_on(reporting.decisions, as_of)
    open_decisions = figures.open_decisions(reporting.decisions, as_of)
    complete = today >= mandate.end
    register = figures.register_on(reporting.recommendations, as_of)
    held = figures.meetings_between(reporting.meetings, mandate.start, as_of)
    lines = []
    for p in reporting.periods:
        if p.start <= as_of:
            lines.append(
                PeriodLine(
                    p,
                    period_text(p.start, p.end),
                    figures.overall(figures.period_statuses(plan, reporting, p, as_of)),
                    len(figures.meetings_between(held, p.start, p.end)),
                )
            )
    context = _common(plan, reporting, statuses, as_of)
    context.update(
        {
            "mandate_text": period_text(mandate.start, mandate.end),
            "complete": complete,
            "period_lines": lines,
            "meetings": held,
            "meeting_counts": figures.meeting_counts(
                reporting, mandate.start, mandate.end, whole_mandate=True, as_of=as_of
            ),
            "decision_counts": figures.decisions_by_status(decisions, schema.DECISION_STATUSES),
            "decision_total": len(decisions),
            "decisions": decisions,
            "open_decisions": open_decisions,
            "overdue": [d for d in open_decisions if d.overdue],
            "pending": [d for d in open_decisions if not d.overdue],
            "texts": {key: reporting.text(key, None) for key in schema.REPORT_TEXT_HEADINGS},
            # The register of recommendations and commitments as it stood that day.
            "register_rows": register_rows(register),
            "register_total": figures.implementation("Ensemble", register),
            # Product 6 of the plan: scheduled against disbursed budget support.
            "predictability": (
                predictability_table(workbook.partners) if workbook.partners else None
            ),
        }
    )
    return context


def minutes_context(workbook: Workbook, meeting: Meeting, today: dt.date) -> dict:
    """The minutes of a meeting; a draft « Projet » while the meeting is ahead of the
    build date ``today``."""
    return {
        "plan": workbook.plan,
        "meeting": meeting,
        "decisions": meeting.decisions,
        **event_dating(workbook.plan.identity.place, meeting.date, today),
    }


def due_periods(reporting: Reporting, today: dt.date) -> list[Period]:
    """The periods that have started by the build date."""
    return [p for p in reporting.periods if p.start <= today]


@register("rapports-trimestriels", "Rapports d'activités trimestriels")
def plan_quarterly(workbook: Workbook, options: Options) -> list[Output]:
    outputs = []
    for p in due_periods(workbook.reporting, options.today):
        context = quarterly_context(workbook, p, options.today)
        outputs.append(
            Output(
                "rapports-trimestriels",
                f"rapport_trimestriel_{p.start:%Y-%m}_{p.end:%Y-%m}.docx",
                "rapport_trimestriel.docx",
                context,
                date=context["as_of"],
                title=f"Rapport d'activités trimestriel – {p.label} "
                f"({period_text(p.start, p.end)})",
                period=p.label,
                empty=not (
                    any(f.period == p for f in workbook.reporting.follow_ups)
                    or context["meetings"]
                    or any(context["texts"].values())
                ),
            )
        )
    return outputs


@register("bilan-annuel", "Bilan annuel des activités")
def plan_annual(workbook: Workbook, options: Options) -> list[Output]:
    name = f"bilan_annuel_{workbook.plan.mandate.short_label}.docx"
    context = annual_context(workbook, options.today)
    return [
        Output(
            "bilan-annuel",
            name,
            "bilan_annuel.docx",
            context,
            date=context["as_of"],
            title=f"Bilan annuel des activités {workbook.plan.mandate.short_label}",
            empty=not (
                workbook.reporting.follow_ups
                or context["meetings"]
                or any(context["texts"].values())
                or (context["predictability"] and context["predictability"].rows)
                # A new mandate's first bilan may hold only the items carried over.
                or context["register_rows"]
            ),
        )
    ]


@register("comptes-rendus", "Comptes rendus de réunion")
def plan_minutes(workbook: Workbook, options: Options) -> list[Output]:
    taken: set[str] = set()
    outputs = []
    for m in workbook.reporting.meetings:
        context = minutes_context(workbook, m, options.today)
        mark = f"{DRAFT_MARK} – " if context["draft"] else ""
        outputs.append(
            Output(
                "comptes-rendus",
                unique_name(
                    f"comptes_rendus/cr_{m.date:%Y-%m-%d}_{slug(m.id) or 'reunion'}.docx", taken
                ),
                "compte_rendu.docx",
                context,
                date=context["date"],
                # Its number tells apart the many meetings of one body (letters add the date).
                title=f"{mark}Compte rendu de réunion {m.id} – {m.type.name}",
            )
        )
    return outputs
