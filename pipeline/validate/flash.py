"""Validation of the "Flash info" sheet: the newsletter's items, grouped by issue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..model import FlashIssue, FlashSection, NewsItem, Plan
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawWorkbook
from ..workbook.values import last_day
from .common import Typed, type_rows


def _next_month(day: dt.date) -> dt.date:
    return (last_day(day) + dt.timedelta(days=1)).replace(day=1)


def check_flash(raw: RawWorkbook, plan: Plan | None, report: Report) -> list[FlashIssue]:
    table = raw.tables.get(schema.FLASH.name)
    if table is None:
        return []
    name = table.sheet.name
    by_issue: dict[int, list[Typed]] = defaultdict(list)
    for row in type_rows(table, report):
        if row["issue"] is not None:
            by_issue[row["issue"]].append(row)
    # Activities by scheduled month, in plan order: each issue looks up its following
    # month instead of scanning the whole plan (issues times activities otherwise).
    scheduled: dict[dt.date, list] = defaultdict(list)
    for activity in plan.activities if plan else []:
        for month in activity.months:
            scheduled[month].append(activity)
    issues = []
    for number, rows in sorted(by_issue.items()):
        dated = [r for r in rows if r["date"]]
        if not dated:
            continue
        date = dated[0]["date"]
        for row in dated[1:]:
            if row["date"] != date:
                report.add(
                    "issue-date-mismatch",
                    name,
                    row.ref("date"),
                    value=number,
                    other=f"'{name}'!{dated[0].ref('date')}",
                )
        if plan and not plan.mandate.contains(date):
            report.add(
                "date-outside-mandate",
                name,
                dated[0].ref("date"),
                value=date.strftime("%d/%m/%Y"),
                mandate=plan.mandate.short_label,
            )
        sections = [
            FlashSection(
                title,
                [
                    NewsItem(r["title"], r["text"], r["source"] or "")
                    for r in rows
                    if r["section"] == title and r["title"] and r["text"]
                ],
            )
            for title in schema.FLASH_SECTIONS
        ]
        following = _next_month(date)
        upcoming = list(scheduled.get(following, ()))
        issues.append(
            FlashIssue(
                number,
                date,
                [s for s in sections if s.items],
                following,
                upcoming,
                ref=dated[0].ref("date"),
            )
        )
    return issues
