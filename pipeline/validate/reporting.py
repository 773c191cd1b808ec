"""Validation of the follow-up sheets: Périodes, Instances, Réunions, Décisions,
Suivi des activités, Textes des rapports. Cross-checked against the plan. The status
of the decisions comes from the history (:mod:`pipeline.validate.recommendations`)."""

from __future__ import annotations

import datetime as dt
import re

from ..formats import month_year, short_date
from ..model import (
    INITIAL_STATUS,
    Decision,
    FollowUp,
    Meeting,
    MeetingType,
    Period,
    Plan,
    Reporting,
    ReportText,
    default_periods,
)
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawWorkbook
from ..workbook.values import fold
from .common import Typed, convert, index_unique, type_rows


def _mandate_text(plan: Plan) -> str:
    return f"{month_year(plan.mandate.start)} – {month_year(plan.mandate.end)}"


def check_periods(raw: RawWorkbook, plan: Plan, report: Report) -> list[Period]:
    """The custom periods of the sheet, or the mandate's quarters when it is empty."""
    sheet = schema.PERIODS
    rows = type_rows(raw.tables.get(sheet.name), report)
    if not rows:
        return default_periods(plan.mandate)
    index_unique(rows, "label", sheet.name, report)
    valid: list[tuple[Typed, dt.date, dt.date]] = []
    for row in rows:
        start, end, label = row["start"], row["end"], row["label"]
        if start is None or end is None or label is None:
            continue
        if end < start:
            report.add(
                "bad-period",
                sheet.name,
                row.ref("end"),
                value=label,
                start=short_date(start),
                end=short_date(end),
            )
            continue
        if not (plan.mandate.contains(start) and plan.mandate.contains(end)):
            report.add(
                "period-outside-mandate",
                sheet.name,
                row.ref("start"),
                value=label,
                mandate=_mandate_text(plan),
            )
        valid.append((row, start, end))
    valid.sort(key=lambda item: (item[1], item[2]))
    expected = plan.mandate.start  # the first day the next period should start on
    previous = None
    for row, start, end in valid:
        if previous is not None and start <= previous[2]:
            report.add(
                "periods-overlap",
                sheet.name,
                row.ref("start"),
                value=row["label"],
                other=previous[0]["label"],
            )
        elif start > expected:
            report.add(
                "periods-gap",
                sheet.name,
                row.ref("start"),
                start=short_date(expected),
                end=short_date(start - dt.timedelta(days=1)),
            )
        expected = max(expected, end + dt.timedelta(days=1))
        previous = (row, start, end) if previous is None or end > previous[2] else previous
    if valid and expected <= plan.mandate.end:
        report.add(
            "periods-gap",
            sheet.name,
            valid[-1][0].ref("end"),
            start=short_date(expected),
            end=short_date(plan.mandate.end),
        )
    seen: set[str] = set()
    periods = []
    for number, (row, start, end) in enumerate(valid, start=1):
        if fold(row["label"]) not in seen:
            seen.add(fold(row["label"]))
            periods.append(Period(number, row["label"], start, end))
    return periods


def _activity(code, ref: str, plan: Plan, sheet: str, report: Report):
    activity = plan.activity(code)
    if activity is None:
        report.add("unknown-activity", sheet, ref, value=code)
    return activity


def _period(value, ref: str, periods: list[Period], sheet: str, report: Report):
    period = next((p for p in periods if fold(p.label) == fold(value)), None)
    if period is None:
        report.add(
            "unknown-period", sheet, ref, value=value, choices=", ".join(p.label for p in periods)
        )
    return period


def _check_meeting_types(raw: RawWorkbook, plan: Plan, report: Report) -> dict[str, MeetingType]:
    sheet = schema.MEETING_TYPES
    rows = type_rows(raw.tables.get(sheet.name), report)
    types = {}
    for name, row in index_unique(rows, "name", sheet.name, report).items():
        cadence = row["cadence"]  # checked against its list
        activity = None
        if row["activity"] is not None:
            activity = _activity(row["activity"], row.ref("activity"), plan, sheet.name, report)
        if cadence is not None:
            types[fold(name)] = MeetingType(name, cadence, activity, row["planned"])
    return types


def _split(text: str | None, separators: str) -> list[str]:
    if not text:
        return []
    return [part.strip(" -•\t") for part in re.split(separators, text) if part.strip(" -•\t")]


def _check_meetings(
    raw: RawWorkbook, plan: Plan, types: dict[str, MeetingType], report: Report
) -> tuple[dict[str, Meeting], set[str]]:
    """Valid meetings by id, and every id typed (a decision of a meeting that has its
    own errors is not reported a second time as pointing to an unknown meeting)."""
    sheet = schema.MEETINGS
    rows = type_rows(raw.tables.get(sheet.name), report)
    meetings = {}
    typed = index_unique(rows, "id", sheet.name, report)
    for meeting_id, row in typed.items():
        day, type_name = row["date"], row["type"]
        if day is not None and not plan.mandate.contains(day):
            report.add(
                "meeting-outside-mandate",
                sheet.name,
                row.ref("date"),
                date=short_date(day),
                mandate=_mandate_text(plan),
            )
            day = None
        meeting_type = types.get(fold(type_name)) if type_name else None
        if type_name is not None and meeting_type is None:
            report.add("unknown-meeting-type", sheet.name, row.ref("type"), value=type_name)
        activities = []
        for cell in row.raw.repeated:
            code = convert(cell, sheet.repeated, sheet.name, report)
            if code is None:
                continue
            activity = _activity(code, cell.ref, plan, sheet.name, report)
            if activity is not None and activity not in activities:
                activities.append(activity)
        if day is None or meeting_type is None:
            continue
        agenda_separators = r"\n" if "\n" in (row["agenda"] or "") else r";"
        meetings[meeting_id] = Meeting(
            meeting_id,
            day,
            meeting_type,
            activities,
            row["place"] or "",
            row["chair"] or "",
            _split(row["participants"], r"[;\n]"),
            _split(row["agenda"], agenda_separators),
            _split(row["summary"], r"\n"),
            refs={key: row.ref(key) for key in ("id", "date", "participants")},
        )
    return meetings, {fold(k) for k in typed}


def _check_decisions(
    raw: RawWorkbook, meetings: dict[str, Meeting], all_ids: set[str], report: Report
) -> None:
    """Attach each decision to its meeting; its status comes later, from the history
    (pipeline.validate.recommendations)."""
    sheet = schema.DECISIONS
    by_id = {fold(k): m for k, m in meetings.items()}
    for row in type_rows(raw.tables.get(sheet.name), report):
        meeting_id = row["meeting"]
        meeting = by_id.get(fold(meeting_id)) if meeting_id is not None else None
        if meeting_id is not None and fold(meeting_id) not in all_ids:
            report.add("unknown-meeting", sheet.name, row.ref("meeting"), value=meeting_id)
        deadline = row["deadline"]
        if meeting is not None and deadline is not None and deadline < meeting.date:
            report.add(
                "deadline-before-meeting",
                sheet.name,
                row.ref("deadline"),
                deadline=short_date(deadline),
                date=short_date(meeting.date),
            )
        if meeting is None or row["text"] is None or row["number"] is None:
            continue
        meeting.decisions.append(
            Decision(
                meeting,
                row["text"],
                row["responsible"] or "",
                deadline,
                INITIAL_STATUS,
                None,
                "",
                number=row["number"],
                refs={key: row.ref(key) for key in ("number", "text")},
            )
        )


def _check_follow_ups(
    raw: RawWorkbook, plan: Plan, periods: list[Period], report: Report
) -> list[FollowUp]:
    sheet = schema.FOLLOW_UP
    follow_ups, seen = [], {}
    for row in type_rows(raw.tables.get(sheet.name), report):
        activity = period = None
        if row["activity"] is not None:
            activity = _activity(row["activity"], row.ref("activity"), plan, sheet.name, report)
        if row["period"] is not None:
            period = _period(row["period"], row.ref("period"), periods, sheet.name, report)
        status = row["status"]  # checked against its list
        if activity is None or period is None or status is None:
            continue
        key = (activity.code, period.number)
        if key in seen:
            report.add(
                "duplicate-follow-up",
                sheet.name,
                row.ref("activity"),
                value=activity.code,
                period=period.label,
                other=f"'{sheet.name}'!{seen[key]}",
            )
            continue
        seen[key] = row.ref("activity")
        follow_ups.append(
            FollowUp(
                activity,
                period,
                status,
                row["results"] or "",
                row["difficulties"] or "",
                row["comment"] or "",
                refs={
                    key: row.ref(key) for key in ("status", "results", "difficulties", "comment")
                },
            )
        )
    return follow_ups


def _check_texts(raw: RawWorkbook, periods: list[Period], report: Report) -> list[ReportText]:
    sheet = schema.REPORT_TEXTS
    by_label = {fold(label): key for key, label in schema.REPORT_TEXT_HEADINGS.items()}
    texts = []
    for row in type_rows(raw.tables.get(sheet.name), report):
        heading, text = row["heading"], row["text"]
        # The heading was checked against its drop-down list (bad-choice).
        key = by_label.get(fold(heading)) if heading else None
        period = None
        if row["period"] is not None:
            period = _period(row["period"], row.ref("period"), periods, sheet.name, report)
            if period is None:
                continue
        if key is not None and text is not None:
            texts.append(ReportText(key, period, text))
    return texts


def check_reporting(raw: RawWorkbook, plan: Plan | None, report: Report) -> Reporting:
    """Check the follow-up sheets against the plan (nothing to check without a plan)."""
    if plan is None:
        return Reporting()
    periods = check_periods(raw, plan, report)
    types = _check_meeting_types(raw, plan, report)
    meetings, meeting_ids = _check_meetings(raw, plan, types, report)
    _check_decisions(raw, meetings, meeting_ids, report)
    follow_ups = _check_follow_ups(raw, plan, periods, report)
    texts = _check_texts(raw, periods, report)
    ordered = sorted(meetings.values(), key=lambda m: (m.date, m.id))
    return Reporting(periods, list(types.values()), ordered, follow_ups, texts)
