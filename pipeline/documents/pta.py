"""The annual work plan (PTA): one document for the whole mandate."""

from __future__ import annotations

from ..model import Workbook, schedule_table
from . import Options, Output, register


@register("pta", "Plan de travail annuel (PTA)")
def plan_pta(workbook: Workbook, options: Options) -> list[Output]:
    plan = workbook.plan
    context = {"plan": plan, "plan_table": schedule_table(plan)}
    return [
        Output(
            "pta",
            f"pta_{plan.mandate.short_label}.docx",
            "pta.docx",
            context,
            title=f"Plan de travail annuel (PTA) {plan.mandate.short_label}",
            issued=plan.document_date,
            empty=not plan.activities,
        )
    ]
