"""The typed data model that templates receive instead of raw cells.

Built by :mod:`pipeline.validate` from a workbook that passed validation, so every
reference here is resolved (an activity holds its Product, a Product its Axis).
Derived values that templates need (month columns, year groups...) are properties
computed in Python, never in the templates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from start's month to end's month, inclusive."""
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


@dataclass(frozen=True)
class Identity:
    group_name: str
    country: str
    framework: str
    framework_full: str
    place: str


@dataclass(frozen=True)
class Mandate:
    start: dt.date  # first day of the first month
    end: dt.date  # last day of the last month

    @property
    def months(self) -> list[dt.date]:
        return month_range(self.start, self.end)

    @property
    def label(self) -> str:
        """"2021 – 2022", or "2022" when the mandate fits in one year."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year} – {self.end.year}"

    @property
    def short_label(self) -> str:
        """"2021-2022", for file names and running text."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}-{self.end.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Body:
    name: str
    full_name: str


@dataclass
class Axis:
    number: int
    title: str
    products: list["Product"] = field(default_factory=list)

    @property
    def activities(self) -> list["Activity"]:
        return [a for p in self.products for a in p.activities]


@dataclass
class Product:
    number: int
    title: str
    axis: Axis
    result: str
    activities: list["Activity"] = field(default_factory=list)


@dataclass
class Activity:
    code: str
    title: str
    product: Product
    bodies: list[Body]
    months: frozenset[dt.date]  # first days of the scheduled months

    @property
    def axis(self) -> Axis:
        return self.product.axis

    def is_scheduled(self, month: dt.date) -> bool:
        return month in self.months


@dataclass
class Plan:
    """Everything the PTA holds: the root object handed to every template."""

    identity: Identity
    mandate: Mandate
    document_date: dt.date
    texts: dict[str, list[str]]
    axes: list[Axis]
    bodies: list[Body]

    @property
    def products(self) -> list[Product]:
        return [p for a in self.axes for p in a.products]

    @property
    def activities(self) -> list[Activity]:
        return [act for a in self.axes for act in a.activities]

    def activity(self, code: str) -> Activity:
        return next(a for a in self.activities if a.code == code)

    def text(self, key: str) -> list[str]:
        return self.texts.get(key, [])


@dataclass
class Workbook:
    """The whole validated workbook: the plan, plus what later sheets add."""

    plan: Plan
    reporting: "Reporting" = field(default_factory=lambda: Reporting())


@dataclass(frozen=True)
class YearGroup:
    """A year heading of the schedule, spanning its months."""

    year: int
    months: list[dt.date]


@dataclass(frozen=True)
class ScheduleRow:
    activity: Activity
    schedule: list[bool]  # one flag per month of the mandate, in order


@dataclass(frozen=True)
class ScheduleTable:
    """The plan table of the PTA: months grouped by year, one row per activity."""

    years: list[YearGroup]
    months: list[dt.date]
    rows: list[ScheduleRow]


def schedule_table(plan: Plan) -> ScheduleTable:
    months = plan.mandate.months
    years = [YearGroup(y, [m for m in months if m.year == y])
             for y in sorted({m.year for m in months})]
    rows = [ScheduleRow(a, [a.is_scheduled(m) for m in months]) for a in plan.activities]
    return ScheduleTable(years, months, rows)


# --- Follow-up of the plan: reporting periods, meetings, decisions, activity follow-up ---


@dataclass(frozen=True)
class Period:
    """A reporting period: the quarterly reports are one per period."""

    number: int  # 1, 2... in date order
    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps_month(self, month: dt.date) -> bool:
        """True when some day of ``month`` (a first day) falls in the period."""
        return month <= self.end and month_end(month) >= self.start


def default_periods(mandate: Mandate) -> list[Period]:
    """The mandate cut into quarters from its first month: the last one may be shorter
    (Sept.–Nov., Dec.–Feb., Mar.–May, June for a Sept.–June mandate)."""
    months = mandate.months
    periods = []
    for index in range(0, len(months), 3):
        chunk = months[index:index + 3]
        periods.append(Period(index // 3 + 1, f"Trimestre {index // 3 + 1}", chunk[0],
                              month_end(chunk[-1])))
    return periods


@dataclass(frozen=True)
class MeetingType:
    """A body that meets (weekly President–ST meeting, monthly Troïka meeting...)."""

    name: str
    cadence: str  # one of schema.MEETING_CADENCES
    activity: Activity | None  # the plan activity that schedules these meetings
    planned: int | None  # planned number over the mandate, when staff give it


@dataclass
class Decision:
    meeting: "Meeting"
    text: str
    responsible: str
    deadline: dt.date | None
    status: str  # one of schema.DECISION_STATUSES
    done_on: dt.date | None
    comment: str


@dataclass
class Meeting:
    id: str
    date: dt.date
    type: MeetingType
    activities: list[Activity]
    place: str
    chair: str
    participants: list[str]
    agenda: list[str]
    summary: list[str]
    decisions: list[Decision] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUp:
    """What happened to one activity in one period."""

    activity: Activity
    period: Period
    status: str  # one of schema.ACTIVITY_STATUSES
    results: str
    difficulties: str
    comment: str


@dataclass(frozen=True)
class ReportText:
    heading: str  # key of schema.REPORT_TEXT_HEADINGS
    period: Period | None  # None: a text of the annual review
    text: str


@dataclass
class Reporting:
    """The follow-up sheets: everything the activity reports and minutes need."""

    periods: list[Period] = field(default_factory=list)
    meeting_types: list[MeetingType] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)  # in date order
    follow_ups: list[FollowUp] = field(default_factory=list)
    texts: list[ReportText] = field(default_factory=list)

    @property
    def decisions(self) -> list[Decision]:
        return [d for m in self.meetings for d in m.decisions]

    def follow_up(self, activity: Activity, period: Period) -> FollowUp | None:
        return next((f for f in self.follow_ups
                     if f.activity is activity and f.period == period), None)

    def text(self, heading: str, period: Period | None) -> list[str]:
        return [t.text for t in self.texts if t.heading == heading and t.period == period]
