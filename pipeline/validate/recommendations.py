"""Validation of the register of recommendations and of the dated status changes of its
items and of the meeting decisions (sheets Recommandations and Historique des statuts).

An item's status on a day is its last change on or before that day (« à faire » before
any), so every document can be made as of its own date. The checks, each named at its
cell:

- a register number or decision number used twice (``duplicate-code``);
- a source that is neither a session, a meeting, nor a dated title (``unknown-source``),
  or dated otherwise than the session or meeting it names (``source-date-mismatch``);
- a responsible body missing from Responsables (``unknown-body``), an unknown activity;
- a due date before the source (``due-before-source``);
- a change for no known item (``unknown-item``), dated before the item exists
  (``change-before-item``), after the build date (``change-after-build-date``, a
  warning: the documents of that date leave it out), two changes of one item on one
  day (``duplicate-change``), a change after the item was closed
  (``change-after-closed``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..formats import long_date, short_date
from ..model import (
    Activity,
    Decision,
    Partners,
    Plan,
    Recommendation,
    Reporting,
    Source,
    StatusChange,
)
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawWorkbook
from ..workbook.values import fold
from .common import Typed, type_rows


def check_register(
    raw: RawWorkbook,
    plan: Plan,
    partners: Partners | None,
    reporting: Reporting,
    today: dt.date,
    report: Report,
) -> None:
    """Read the register and the status history into ``reporting``: its
    recommendations, and the history and latest state of every decision."""
    recommendations, numbers = _check_recommendations(raw, plan, partners, reporting, report)
    items: dict[str, Recommendation | Decision] = {fold(r.number): r for r in recommendations}
    for decision in reporting.decisions:
        key = fold(decision.number)
        if key in numbers:
            report.add(
                "duplicate-code",
                schema.DECISIONS.name,
                decision.refs.get("number"),
                value=decision.number,
                other=f"'{numbers[key][0]}'!{numbers[key][1]}",
                hint=" (les décisions et les recommandations partagent la numérotation "
                "de la feuille Historique des statuts)",
            )
            continue
        numbers[key] = (schema.DECISIONS.name, decision.refs.get("number", ""))
        items[key] = decision
    # A decision left out of the model for an error of its own (unknown meeting, no
    # text) still has its number typed: its changes are not reported a second time.
    _check_history(raw, items, set(numbers) | _typed_numbers(raw, schema.DECISIONS), today, report)
    for decision in reporting.decisions:
        latest = decision.state_on(today)  # the model stands on the build date
        decision.status, decision.comment = latest.status, latest.comment
        decision.done_on = latest.since if latest.status == schema.DONE_STATUS else None
    reporting.recommendations = recommendations


def _source(
    row: Typed, plan: Plan, partners: Partners | None, reporting: Reporting, report: Report
) -> Source | None:
    """The item's source: a session or a meeting of the workbook (dated by it), or a
    title with its own date (a review before the mandate, a CGAB matrix...)."""
    sheet = schema.RECOMMENDATIONS.name
    kind, label, typed_date = row["source_kind"], row["source"], row["source_date"]
    if kind is None or label is None:
        return None
    sessions = {fold(s.code): s for s in (partners.sessions if partners else [])}
    meetings = {fold(m.id): m for m in reporting.meetings}
    known_date, title = None, label
    if fold(label) in sessions:
        session = sessions[fold(label)]
        known_date = session.date
        title = f"{session.body} du {long_date(session.date)} ({session.label})"
    elif fold(label) in meetings:
        meeting = meetings[fold(label)]
        known_date = meeting.date
        title = f"réunion {meeting.id} du {long_date(meeting.date)} ({meeting.type.name})"
    carried = bool(row["carried_from"])
    if known_date is None and (
        typed_date is None or (kind == schema.MEETING_SOURCE and not carried)
    ):
        # A meeting of this mandate must be in Réunions; any other source needs its date.
        report.add("unknown-source", sheet, row.ref("source"), value=label)
        return None
    if known_date is not None and typed_date is not None and typed_date != known_date:
        report.add(
            "source-date-mismatch",
            sheet,
            row.ref("source_date"),
            value=label,
            date=short_date(typed_date),
            other=short_date(known_date),
        )
        return None
    return Source(kind, label, title, known_date or typed_date)


def _check_recommendations(
    raw: RawWorkbook,
    plan: Plan,
    partners: Partners | None,
    reporting: Reporting,
    report: Report,
) -> tuple[list[Recommendation], dict[str, tuple[str, str]]]:
    """The valid items of the register, and every number typed (folded) -> its cell."""
    sheet = schema.RECOMMENDATIONS.name
    bodies = {fold(b.name): b.name for b in plan.bodies}
    activities = {fold(a.code): a for a in plan.activities}
    numbers: dict[str, tuple[str, str]] = {}
    found = []
    for row in type_rows(raw.tables.get(sheet), report):
        number = row["number"]
        if number is not None:
            if fold(number) in numbers:
                report.add(
                    "duplicate-code",
                    sheet,
                    row.ref("number"),
                    value=number,
                    other=f"'{numbers[fold(number)][0]}'!{numbers[fold(number)][1]}",
                    hint="",
                )
                continue
            numbers[fold(number)] = (sheet, row.ref("number"))
        responsible = row["responsible"] or ""
        if responsible and fold(responsible) not in bodies:
            report.add("unknown-body", sheet, row.ref("responsible"), value=responsible)
        activity: Activity | None = None
        if row["activity"] is not None:
            activity = activities.get(fold(row["activity"]))
            if activity is None:
                report.add("unknown-activity", sheet, row.ref("activity"), value=row["activity"])
        source = _source(row, plan, partners, reporting, report)
        due = row["due"]
        if source is not None and due is not None and due < source.date:
            report.add(
                "due-before-source",
                sheet,
                row.ref("due"),
                due=short_date(due),
                date=short_date(source.date),
            )
        if None in (number, row["text"], source, row["addressee"]):
            continue
        found.append(
            Recommendation(
                number,
                row["text"],
                source,
                row["addressee"],
                bodies.get(fold(responsible), responsible),
                activity,
                due,
                fold(row["public"] or "") == fold(schema.YES),
                row["carried_from"] or "",
                refs={key: row.ref(key) for key in ("number", "text", "source")},
            )
        )
    return found, numbers


def _typed_numbers(raw: RawWorkbook, spec: schema.Sheet) -> set[str]:
    """Every number typed in the sheet (folded), whether its row is valid or not."""
    table = raw.tables.get(spec.name)
    cells = (row.cells.get("number") for row in (table.rows if table else []))
    return {fold(str(c.value)) for c in cells if c is not None and c.value not in (None, "")}


def _opened(item: Recommendation | Decision) -> dt.date:
    return item.source.date if isinstance(item, Recommendation) else item.meeting.date


def _check_history(
    raw: RawWorkbook,
    items: dict[str, Recommendation | Decision],
    typed: set[str],
    today: dt.date,
    report: Report,
) -> None:
    """Give each item its changes in date order, checking each against its item."""
    sheet = schema.STATUS_HISTORY.name
    # A change dated after the build date has not happened yet, unless the documents are
    # made again for a past date (``--date``): then the later changes are known, left out
    # of the documents without a warning each (dozens when a quarter is re-issued).
    latest = max(today, dt.date.today())
    changes: dict[str, list[tuple[StatusChange, Typed]]] = defaultdict(list)
    for row in type_rows(raw.tables.get(sheet), report):
        number, day, status = row["number"], row["date"], row["status"]
        if number is None:
            continue
        item = items.get(fold(number))
        if item is None:
            # An item with errors of its own is not reported a second time.
            if fold(number) not in typed:
                report.add("unknown-item", sheet, row.ref("number"), value=number)
            continue
        if day is None or status is None:
            continue
        if day < _opened(item):
            report.add(
                "change-before-item",
                sheet,
                row.ref("date"),
                value=number,
                date=short_date(day),
                opened=short_date(_opened(item)),
            )
            continue
        if day > latest:
            report.add(
                "change-after-build-date",
                sheet,
                row.ref("date"),
                value=number,
                date=short_date(day),
                today=short_date(latest),
            )
        change = StatusChange(day, status, row["comment"] or "", row.ref("date"))
        changes[fold(number)].append((change, row))
    for key, listed in changes.items():
        listed.sort(key=lambda pair: pair[0].day)  # stable: same-day rows keep sheet order
        history: list[StatusChange] = []
        for change, row in listed:
            previous = history[-1] if history else None
            if previous is not None and previous.day == change.day:
                report.add(
                    "duplicate-change",
                    sheet,
                    row.ref("date"),
                    value=row["number"],
                    date=short_date(change.day),
                    other=f"'{sheet}'!{previous.ref}",
                )
                continue
            if previous is not None and previous.status in schema.CLOSED_STATUSES:
                report.add(
                    "change-after-closed",
                    sheet,
                    row.ref("date"),
                    value=row["number"],
                    status=previous.status,
                    date=short_date(previous.day),
                    other=f"'{sheet}'!{previous.ref}",
                )
                continue
            history.append(change)
        items[key].history = history
