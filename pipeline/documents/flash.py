"""The "Flash info" newsletter (activity 7.5): one document per issue."""

from __future__ import annotations

from ..model import Workbook
from . import Options, Output, register


@register("flash-info", "Bulletin Flash info")
def plan_flash(workbook: Workbook, options: Options) -> list[Output]:
    return [
        Output(
            "flash-info",
            f"flash_info/flash_info_n{issue.number:02d}_{issue.date:%Y-%m}.docx",
            "flash_info.docx",
            {"plan": workbook.plan, "issue": issue},
            date=issue.date,
            title=f"Flash info n° {issue.number}",
        )
        for issue in workbook.flash
    ]
