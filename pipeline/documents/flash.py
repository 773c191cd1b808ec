"""The "Flash info" newsletter (activity 7.5): one document per issue."""

from __future__ import annotations

from ..model import Workbook
from . import DRAFT_MARK, Options, Output, event_dating, register


@register("flash-info", "Bulletin Flash info")
def plan_flash(workbook: Workbook, options: Options) -> list[Output]:
    outputs = []
    for issue in workbook.flash:
        # An issue dated after the build date is a draft (validation warns of it too).
        dating = event_dating(workbook.plan.identity.place, issue.date, options.today)
        mark = f"{DRAFT_MARK} – " if dating["draft"] else ""
        outputs.append(
            Output(
                "flash-info",
                f"flash_info/flash_info_n{issue.number:02d}_{issue.date:%Y-%m}.docx",
                "flash_info.docx",
                {"plan": workbook.plan, "issue": issue, **dating},
                date=dating["date"],
                title=f"{mark}Flash info n° {issue.number}",
            )
        )
    return outputs
