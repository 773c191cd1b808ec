"""The figures of the activity reports, computed from the model by pure functions.

Every count a document prints, in a sentence or in a table, comes from one object of
this module (an :class:`Execution`, a list of decisions as they stood on a day...):
templates place the figures, they never add or subtract.

The rules (also written in README, section « Comment les chiffres sont calculés »):

- An activity is *scheduled in a period* when at least one of its scheduled months
  overlaps the period (has at least one day in it). Over the mandate, an activity is
  scheduled when it has at least one scheduled month.
- Its *status in a period* is the one of its row in « Suivi des activités » for that
  period; a scheduled activity without a row is « non renseignée ». Over the mandate,
  its status is the one of its latest row (latest period already started).
- The activities *taken into account* are the scheduled ones minus the cancelled
  ones (« annulée »). They fall in exactly one of five categories: carried out
  (« réalisée »), in progress, not carried out, postponed, not reported. The rate is
  carried out / taken into account; when nothing is taken into account the rate is
  None and the documents say that no activity was scheduled (no division by zero).
- Activities with no scheduled month are never counted in a rate; when they have a
  follow-up row they are listed apart (« activités hors programmation »).
- The rate of an axis counts the activities of the axis; the overall rate counts all
  activities (it is not the average of the axes' rates).
- A document is true as of its own date: a decision is shown as it stood that day
  (:func:`decision_on`): carried out or abandoned later, it is still open there, its
  delay counted to that day, and the comment written since is left out. Meetings after
  that day are not counted, and a follow-up text citing a later date is left out.
- The same holds for the register of recommendations and commitments
  (:func:`register_on`): an item is counted from its source's date, with the status of
  its last change on or before the document's date. The *implementation rate* of a set
  of items is carried out / (all − abandoned): an abandoned item (overtaken, merged
  into another) is neither a success nor a failure; with nothing left the rate is None.
- The *last review* a session's speech and aide-mémoire look back at
  (:func:`last_review`) is the latest source of the session's kind (annual review for
  the CTN and CNP, CGAB review, sector framework) dated before the session, the
  sessions of the same review (same label: the CTN and CNP of one annual review)
  aside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import (
    Activity,
    Axis,
    Decision,
    FollowUp,
    Meeting,
    MeetingType,
    Period,
    Plan,
    Recommendation,
    Reporting,
    Session,
    Source,
    State,
    StatusChange,
    last_change,
    month_end,
)
from ..workbook import schema
from ..workbook.values import cites_after

CARRIED_OUT = "réalisée"
IN_PROGRESS = "en cours"
NOT_CARRIED_OUT = "non réalisée"
POSTPONED = "reportée"
CANCELLED = "annulée"
NOT_REPORTED = "non renseignée"

DECISION_TO_DO = "à faire"
DECISION_IN_PROGRESS = "en cours"
DECISION_DONE = "réalisé"
DECISION_DROPPED = "abandonné"


@dataclass(frozen=True)
class Execution:
    """Counts of scheduled activities by status, and the execution rate.

    ``carried_out + in_progress + not_carried_out + postponed + not_reported`` is
    always ``counted`` (the activities taken into account); ``cancelled`` lies outside
    and ``scheduled`` is ``counted + cancelled``.
    """

    scheduled: int = 0
    carried_out: int = 0
    in_progress: int = 0
    not_carried_out: int = 0
    postponed: int = 0
    cancelled: int = 0
    not_reported: int = 0

    @property
    def counted(self) -> int:
        """The denominator of the rate: scheduled activities that were not cancelled."""
        return self.scheduled - self.cancelled

    @property
    def not_done(self) -> int:
        """Not carried out, postponed or not reported: the counted activities neither
        carried out nor in progress (sentences give in progress apart)."""
        return self.not_carried_out + self.postponed + self.not_reported

    @property
    def parts(self) -> tuple[int, ...]:
        """The five categories that partition the counted activities."""
        return (
            self.carried_out,
            self.in_progress,
            self.not_carried_out,
            self.postponed,
            self.not_reported,
        )

    @property
    def rate(self) -> float | None:
        """Carried out / counted, or None when nothing is counted."""
        return self.carried_out / self.counted if self.counted else None


_FIELD = {
    CARRIED_OUT: "carried_out",
    IN_PROGRESS: "in_progress",
    NOT_CARRIED_OUT: "not_carried_out",
    POSTPONED: "postponed",
    CANCELLED: "cancelled",
    NOT_REPORTED: "not_reported",
}


def execution(statuses: Iterable[str]) -> Execution:
    """The execution of a set of scheduled activities, from one status each."""
    counts = dict.fromkeys(_FIELD.values(), 0)
    total = 0
    for status in statuses:
        counts[_FIELD[status]] += 1
        total += 1
    return Execution(total, **counts)


@dataclass(frozen=True)
class ActivityStatus:
    activity: Activity
    status: str  # a follow-up status, or NOT_REPORTED
    follow_up: FollowUp | None  # the row the status comes from
    scheduled: bool  # False: reported although not scheduled (never counted)
    as_of: dt.date | None = None  # the document's date: later texts are left out

    def _known(self, text: str) -> bool:
        return bool(text) and (self.as_of is None or not cites_after(text, self.as_of))

    @property
    def remarks(self) -> str:
        """Results and comment of the follow-up row, one per line, except a text citing
        a date after the document's (a provisional report cannot know it yet)."""
        if self.follow_up is None:
            return ""
        return "\n".join(
            t for t in (self.follow_up.results, self.follow_up.comment) if self._known(t)
        )

    @property
    def difficulties(self) -> str:
        """The difficulties of the row, under the same rule as the remarks."""
        text = self.follow_up.difficulties if self.follow_up else ""
        return text if self._known(text) else ""


def is_scheduled_in(activity: Activity, period: Period) -> bool:
    return any(period.overlaps_month(month) for month in activity.months)


def period_statuses(
    plan: Plan, reporting: Reporting, period: Period, as_of: dt.date | None = None
) -> list[ActivityStatus]:
    """Every activity scheduled in the period, then those reported without being scheduled,
    in plan order; ``as_of`` is the date of the document that shows them."""
    statuses = []
    for activity in plan.activities:
        row = reporting.follow_up(activity, period)
        scheduled = is_scheduled_in(activity, period)
        if scheduled or row is not None:
            statuses.append(
                ActivityStatus(activity, row.status if row else NOT_REPORTED, row, scheduled, as_of)
            )
    return statuses


def mandate_statuses(plan: Plan, reporting: Reporting, as_of: dt.date) -> list[ActivityStatus]:
    """Every activity of the plan with its latest reported status (periods started by
    ``as_of``); activities with no scheduled month count only when reported."""
    started = [p for p in reporting.periods if p.start <= as_of]
    statuses = []
    for activity in plan.activities:
        rows = [r for p in started if (r := reporting.follow_up(activity, p)) is not None]
        latest = rows[-1] if rows else None
        scheduled = bool(activity.months)
        if scheduled or latest is not None:
            statuses.append(
                ActivityStatus(
                    activity, latest.status if latest else NOT_REPORTED, latest, scheduled, as_of
                )
            )
    return statuses


def overall(statuses: list[ActivityStatus]) -> Execution:
    return execution(s.status for s in statuses if s.scheduled)


@dataclass(frozen=True)
class AxisExecution:
    axis: Axis
    execution: Execution


def by_axis(plan: Plan, statuses: list[ActivityStatus]) -> list[AxisExecution]:
    """The execution of each axis of the plan (every axis, even with nothing scheduled)."""
    return [
        AxisExecution(
            axis, execution(s.status for s in statuses if s.scheduled and s.activity.axis is axis)
        )
        for axis in plan.axes
    ]


# --- Meetings ----------------------------------------------------------------------------


def meetings_between(meetings: Iterable[Meeting], start: dt.date, end: dt.date) -> list[Meeting]:
    return [m for m in meetings if start <= m.date <= end]


def _mondays(start: dt.date, end: dt.date) -> int:
    """How many Mondays (weeks) fall between two days, inclusive."""
    first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    return 0 if first > end else (end - first).days // 7 + 1


def planned_meetings(
    meeting_type: MeetingType, start: dt.date, end: dt.date, whole_mandate: bool = False
) -> int | None:
    """How many meetings the plan announces between two days.

    Over the whole mandate, the number staff typed wins. Otherwise it comes from the
    schedule of the type's plan activity: one meeting per scheduled month overlapping
    the span, or one per week (Monday) of those months within the span for a weekly
    body. None when neither is known.
    """
    if whole_mandate and meeting_type.planned is not None:
        return meeting_type.planned
    activity = meeting_type.activity
    if activity is None:
        return None
    total = 0
    for month in sorted(activity.months):
        first, last = max(month, start), min(month_end(month), end)
        if first > last:
            continue
        total += _mondays(first, last) if meeting_type.cadence == "hebdomadaire" else 1
    return total


@dataclass(frozen=True)
class MeetingCount:
    type: MeetingType
    planned: int | None
    held: int

    @property
    def rate(self) -> float | None:
        return self.held / self.planned if self.planned else None


def meeting_counts(
    reporting: Reporting,
    start: dt.date,
    end: dt.date,
    whole_mandate: bool = False,
    as_of: dt.date | None = None,
) -> list[MeetingCount]:
    """Meetings held against planned, per body, in the order of the Instances sheet:
    planned over the whole span, held up to ``as_of`` (a document's date) at the latest."""
    held = meetings_between(reporting.meetings, start, min(end, as_of or end))
    return [
        MeetingCount(
            t, planned_meetings(t, start, end, whole_mandate), sum(1 for m in held if m.type is t)
        )
        for t in reporting.meeting_types
    ]


# --- Decisions -----------------------------------------------------------------------------


def is_closed(decision: Decision, on: dt.date) -> bool:
    """Whether a decision was carried out or abandoned by a day (its history says so)."""
    return decision.state_on(on).closed


def decision_on(decision: Decision, on: dt.date) -> Decision:
    """The decision as it stood on a day: the status and comment of its last change on
    or before that day (« à faire » before any); its completion date only when it was
    carried out by then. Later changes were not known that day."""
    state = decision.state_on(on)
    done_on = state.since if state.status == DECISION_DONE else None
    return dataclasses.replace(
        decision, status=state.status, done_on=done_on, comment=state.comment
    )


def decisions_on(decisions: Iterable[Decision], on: dt.date) -> list[Decision]:
    """The decisions taken by a day, each as it stood that day, in the given order."""
    return [decision_on(d, on) for d in decisions if d.meeting.date <= on]


def is_open(decision: Decision, on: dt.date) -> bool:
    """Whether a decision was still to carry out on a day: taken by then, neither
    carried out nor abandoned by then."""
    return decision.meeting.date <= on and not is_closed(decision, on)


def delay_days(decision: Decision, on: dt.date) -> int | None:
    """Days past the deadline of a decision still open on ``on``; None when not late."""
    if decision.deadline is None or not is_open(decision, on) or decision.deadline >= on:
        return None
    return (on - decision.deadline).days


@dataclass(frozen=True)
class OpenDecision:
    decision: Decision  # as it stood on ``on`` (see decision_on)
    delay: int | None  # days past the deadline, None when not overdue

    on: dt.date  # the day the decision is looked at

    @property
    def overdue(self) -> bool:
        return self.delay is not None


def open_decisions(decisions: Iterable[Decision], on: dt.date) -> list[OpenDecision]:
    """Decisions still open on a day, as they stood then: the overdue ones first
    (longest delay first), then the others by meeting date."""
    found = [
        OpenDecision(decision_on(d, on), delay_days(d, on), on) for d in decisions if is_open(d, on)
    ]
    return sorted(found, key=lambda o: (o.delay is None, -(o.delay or 0), o.decision.meeting.date))


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


def decisions_by_status(
    decisions: Iterable[Decision], statuses: tuple[str, ...]
) -> list[StatusCount]:
    decisions = list(decisions)
    return [StatusCount(s, sum(1 for d in decisions if d.status == s)) for s in statuses]


# --- The register of recommendations and commitments ---------------------------------


@dataclass(frozen=True)
class ItemLine:
    """An item of the register as it stood on a day."""

    item: Recommendation
    state: State  # its status on ``on``, since when, with the comment of that change
    delay: int | None  # days past its due date while still open; None when not late
    on: dt.date
    change: StatusChange | None  # the change its state comes from; None: never changed

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def overdue(self) -> bool:
        return self.delay is not None

    @property
    def carried(self) -> bool:
        """Carried over from the previous mandate (« reprise du mandat précédent »)."""
        return bool(self.item.carried_from)


def item_line(item: Recommendation, on: dt.date) -> ItemLine:
    state = item.state_on(on)
    late = not state.closed and item.due is not None and item.due < on
    delay = (on - item.due).days if late else None
    return ItemLine(item, state, delay, on, last_change(item.history, on))


def register_on(items: Iterable[Recommendation], on: dt.date) -> list[ItemLine]:
    """The items that exist on a day (source dated on or before it), each as it stood
    that day, in the given order."""
    return [item_line(i, on) for i in items if i.source.date <= on]


@dataclass(frozen=True)
class Implementation:
    """Counts of items by status and the implementation rate (see the module's rules).
    ``done + in_progress + to_do + dropped == total``."""

    label: str
    total: int = 0
    done: int = 0
    in_progress: int = 0
    to_do: int = 0
    dropped: int = 0

    @property
    def open(self) -> int:
        return self.in_progress + self.to_do

    @property
    def counted(self) -> int:
        return self.total - self.dropped

    @property
    def rate(self) -> float | None:
        return self.done / self.counted if self.counted else None


def implementation(label: str, lines: Iterable[ItemLine]) -> Implementation:
    statuses = [line.status for line in lines]
    done, dropped = schema.CLOSED_STATUSES
    return Implementation(
        label,
        len(statuses),
        statuses.count(done),
        statuses.count(DECISION_IN_PROGRESS),
        statuses.count(DECISION_TO_DO),
        statuses.count(dropped),
    )


@dataclass(frozen=True)
class SourceGroup:
    """The items of one source, with their implementation."""

    source: Source
    lines: list[ItemLine]
    implementation: Implementation

    @property
    def open_lines(self) -> list[ItemLine]:
        return [line for line in self.lines if not line.state.closed]


def by_source(lines: Iterable[ItemLine]) -> list[SourceGroup]:
    """The lines grouped by source, sources in date order (then as first met)."""
    groups: dict[Source, list[ItemLine]] = {}
    for line in lines:
        groups.setdefault(line.item.source, []).append(line)
    ordered = sorted(groups, key=lambda s: s.date)
    return [SourceGroup(s, groups[s], implementation(s.title, groups[s])) for s in ordered]


def last_review(
    items: Iterable[Recommendation],
    session: Session,
    sessions: Iterable[Session],
    on: dt.date,
) -> SourceGroup | None:
    """The recommendations of the last review before ``session`` (see the module's
    rules), as they stood on ``on``; None when the register holds none."""
    kind = schema.SESSION_SOURCE_KINDS.get(session.body)
    same_review = {s.code.casefold() for s in sessions if s.label == session.label}
    eligible = [
        i
        for i in items
        if i.source.kind == kind
        and i.source.date < session.date
        and i.source.label.casefold() not in same_review
    ]
    if not eligible:
        return None
    latest = max(i.source.date for i in eligible)
    chosen = [i for i in eligible if i.source.date == latest]
    groups = by_source(register_on(chosen, on))
    return groups[-1] if groups else None
