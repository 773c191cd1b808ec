"""Stage 2: type every raw cell, check every rule, and build the data model.

All problems of the workbook are collected in one pass into the report: each sheet
group has its module (plan, ...), and cross-references are checked against what the
earlier groups produced. The model is returned only when no error was recorded.
"""

from __future__ import annotations

import datetime as dt

from ..model import Workbook
from ..reader import RawWorkbook
from ..report import Report
from .cells import check_file_name_parts, flatten_single_lines
from .consistency import check_consistency
from .flash import check_flash
from .partners import check_partners
from .distribution import check_distribution
from .plan import check_plan
from .reporting import check_reporting


def validate(raw: RawWorkbook, report: Report, today: dt.date | None = None) -> Workbook | None:
    """Check the whole workbook, and its sheets against each other as of the build date
    ``today`` (default: the day it runs); return the model when no error was recorded."""
    errors_before = len(report.errors)
    flatten_single_lines(raw, report)
    check_file_name_parts(raw, report)
    plan = check_plan(raw, report)
    partners = check_partners(raw, plan, report)
    flash = check_flash(raw, plan, report)
    reporting = check_reporting(raw, plan, report)
    distribution = check_distribution(raw, report)
    check_consistency(raw, plan, partners, flash, reporting, distribution,
                      today or dt.date.today(), report)
    if plan is None or len(report.errors) > errors_before:
        return None
    return Workbook(plan, partners=partners, flash=flash, distribution=distribution,
                    reporting=reporting)
