"""Stage 2: type every raw cell, check every rule, and build the data model.

All problems of the workbook are collected in one pass into the report: each sheet
group has its module (plan, ...), and cross-references are checked against what the
earlier groups produced. The model is returned only when no error was recorded.

Every command and the page start with :func:`load_valid`: read, validate, and stop with
InvalidWorkbook (which carries the report) when the workbook cannot be used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..exceptions import InvalidWorkbook
from ..model import Workbook
from ..report import Report
from ..workbook.reader import RawWorkbook, read_workbook
from .cells import check_file_name_parts, flatten_single_lines
from .consistency import check_consistency
from .distribution import check_distribution
from .flash import check_flash
from .partners import check_partners
from .plan import check_plan
from .recommendations import check_register
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
    today = today or dt.date.today()
    if plan is not None:
        check_register(raw, plan, partners, reporting, today, report)
    distribution = check_distribution(raw, report)
    check_consistency(raw, plan, partners, flash, reporting, distribution, today, report)
    if plan is None or len(report.errors) > errors_before:
        return None
    return Workbook(
        plan, partners=partners, flash=flash, distribution=distribution, reporting=reporting
    )


def load(path: Path, report: Report, today: dt.date | None = None) -> Workbook | None:
    """Read and validate a workbook into ``report``; the model, or None on errors."""
    raw = read_workbook(Path(path), report)
    return validate(raw, report, today) if raw is not None else None


def load_valid(
    path: Path, today: dt.date | None = None, strict: bool = False
) -> tuple[Workbook, Report]:
    """The model of the workbook at ``path`` and the report of its warnings; raises
    InvalidWorkbook with the whole report when it has an error (or, when ``strict``, a
    warning)."""
    report = Report()
    workbook = load(path, report, today)
    if workbook is None or report.is_blocking(strict):
        raise InvalidWorkbook(report)
    return workbook, report
