"""What a planned document is, for the pages that list documents: its kind, a French
title and the day it bears.

The browser page (:mod:`pipeline.interface`) and the website (:mod:`pipeline.site`)
both list documents; they describe them from the planned outputs (the same ones
:func:`pipeline.build.build` renders), so a title never comes from parsing a file name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .documents import KINDS, Output
from .formats import long_date, month_year
from .model import Plan


@dataclass(frozen=True)
class Described:
    kind: str  # registry key: "pta", "rapports-trimestriels"...
    kind_label: str  # "Plan de travail annuel (PTA)"
    filename: str  # relative to the output folder, with "/" separators
    title: str  # "Rapport d'activités – Trimestre 1 (du 1er septembre au 30 novembre 2021)"
    date: dt.date  # the day the document bears


def _title(output: Output, plan: Plan) -> str:
    """A French title from the document's own context; the kind's label when the kind
    has nothing more specific to say."""
    context, label = output.context, KINDS[output.kind].label
    if output.kind == "pta":
        return f"Plan de travail annuel {plan.mandate.label}"
    if output.kind == "rapports-trimestriels" and "period" in context:
        return f"Rapport d'activités – {context['period'].label} ({context['period_text']})"
    if output.kind == "bilan-annuel":
        return f"Bilan annuel des activités {plan.mandate.label}"
    if output.kind == "comptes-rendus" and "meeting" in context:
        meeting = context["meeting"]
        return f"Compte rendu – {meeting.type.name}, {long_date(meeting.date)}"
    if output.kind == "flash-info" and "issue" in context:
        issue = context["issue"]
        return f"Flash info n° {issue.number} – {month_year(issue.date)}"
    if output.kind == "discours" and "session" in context:
        return f"Discours des PTF – {context['session'].label}"
    if output.kind == "aide-memoire" and "session" in context:
        return f"Aide-mémoire des PTF – {context['session'].label}"
    if output.filename.endswith(".xlsx"):
        return f"{label} (tableau Excel)"
    return label


def _date(output: Output, plan: Plan) -> dt.date:
    """The day a reader associates with the document: the end of a report's period,
    a meeting's or an issue's day, else the document's own date."""
    context = output.context
    for key, attribute in (("meeting", "date"), ("issue", "date"), ("session", "date")):
        if key in context and hasattr(context[key], attribute):
            return getattr(context[key], attribute)
    if "as_of" in context:
        return context["as_of"]
    return output.date or plan.document_date


def describe(outputs: list[Output], plan: Plan) -> list[Described]:
    """Every output described, in the given (registry) order."""
    return [Described(o.kind, KINDS[o.kind].label, o.filename, _title(o, plan), _date(o, plan))
            for o in outputs]
