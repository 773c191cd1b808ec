"""The typed data model that templates receive instead of raw cells.

Built by :mod:`pipeline.validate` from a workbook that passed validation, so every
reference here is resolved (an activity holds its Product, a Product its Axis).
Derived values that templates need (month columns, year groups...) are properties
computed in Python, never in the templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .schema import BCC_THRESHOLD


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


@dataclass(frozen=True)
class Recipient:
    organisation: str
    contact: str  # may be empty
    title: str  # may be empty
    email: str

    @property
    def display_name(self) -> str:
        """"Awa Ouédraogo (DGCOOP)", or the organisation alone without a contact."""
        return f"{self.contact} ({self.organisation})" if self.contact else self.organisation


@dataclass
class MailingList:
    name: str
    description: str
    bcc: bool | None  # None: decided by the number of addresses
    slug: str  # folder and file name in the distribution package
    recipients: list[Recipient] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # document kinds it receives

    @property
    def uses_bcc(self) -> bool:
        return self.bcc if self.bcc is not None else len(self.recipients) > BCC_THRESHOLD


@dataclass
class Distribution:
    """Who receives which document: the sheets Listes de diffusion, Destinataires
    and Diffusion."""

    lists: list[MailingList] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)

    def lists_for(self, kind: str) -> list[MailingList]:
        return [m for m in self.lists if kind in m.kinds]


@dataclass
class Workbook:
    """The whole validated workbook: the plan, plus what later sheets add."""

    plan: Plan
    distribution: Distribution = field(default_factory=Distribution)


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
