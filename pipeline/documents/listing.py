"""What a planned document is, for the pages that list documents: its kind, a French
title and the day it bears.

The browser page (:mod:`pipeline.web.interface`) and the website (:mod:`pipeline.web.site`)
both list documents, and the distribution's letters and catalogue name them: all take
the title and day the document planners set on each output (the same outputs
:func:`pipeline.build.build` renders), so a document has one title everywhere and a
title never comes from parsing a file name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Plan
from . import KINDS, Output


@dataclass(frozen=True)
class Described:
    kind: str  # registry key: "pta", "rapports-trimestriels"...
    kind_label: str  # "Plan de travail annuel (PTA)"
    filename: str  # relative to the output folder, with "/" separators
    title: str  # "Rapport d'activités trimestriel – Trimestre 1 (du 1er septembre au 30 novembre 2021)"
    date: dt.date  # the day the document bears


def describe(outputs: list[Output], plan: Plan) -> list[Described]:
    """Every output described, in the given (registry) order."""
    return [
        Described(
            o.kind,
            KINDS[o.kind].label,
            o.filename,
            o.title or KINDS[o.kind].label,
            o.issued or o.date or plan.document_date,
        )
        for o in outputs
    ]
