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
from functools import cached_property

from .workbook.schema import BCC_THRESHOLD, CLOSED_STATUSES, DECISION_STATUSES


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
        """ "2021 – 2022", or "2022" when the mandate fits in one year."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year} – {self.end.year}"

    @property
    def short_label(self) -> str:
        """ "2021-2022", for file names and running text."""
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
    products: list[Product] = field(default_factory=list)

    @property
    def activities(self) -> list[Activity]:
        return [a for p in self.products for a in p.activities]


@dataclass
class Product:
    number: int
    title: str
    axis: Axis
    result: str
    activities: list[Activity] = field(default_factory=list)


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

    # A plan is built once its axes are complete (validate.plan), so its lists and
    # index are computed once: reports and checks use them for every row.
    @cached_property
    def products(self) -> list[Product]:
        return [p for a in self.axes for p in a.products]

    @cached_property
    def activities(self) -> list[Activity]:
        return [act for a in self.axes for act in a.activities]

    @cached_property
    def _by_code(self) -> dict[str, Activity]:
        return {a.code: a for a in self.activities}

    def activity(self, code: str) -> Activity | None:
        """The activity with this code, or None."""
        return self._by_code.get(code)

    def text(self, key: str) -> list[str]:
        return self.texts.get(key, [])


@dataclass(frozen=True)
class NewsItem:
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class FlashSection:
    title: str
    items: list[NewsItem]


@dataclass(frozen=True)
class FlashIssue:
    """One issue of the "Flash info" newsletter (activity 7.5 of the plan)."""

    number: int
    date: dt.date
    sections: list[FlashSection]  # in the order of the list of sections
    next_month: dt.date
    upcoming: list[Activity]  # activities the plan schedules in next_month
    ref: str = field(default="", compare=False)  # cell of its date, for cross-checks


@dataclass(frozen=True)
class Recipient:
    organisation: str
    contact: str  # may be empty
    title: str  # may be empty
    email: str
    partner: str = ""  # acronym typed in « Partenaire » (resolved by the cross-checks)
    # Cells by column key, to name them in cross-document checks.
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def display_name(self) -> str:
        """ "Awa Ouédraogo (DGCOOP)", or the organisation alone without a contact."""
        return f"{self.contact} ({self.organisation})" if self.contact else self.organisation


@dataclass
class MailingList:
    name: str
    description: str
    bcc: bool | None  # None: decided by the number of addresses
    slug: str  # folder and file name in the distribution package
    recipients: list[Recipient] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # document kinds it receives
    ref: str = ""  # cell of its name
    # Kinds joined to every distribution of a period, whatever their own date.
    always_sent: set[str] = field(default_factory=set)

    @property
    def uses_bcc(self) -> bool:
        return self.bcc if self.bcc is not None else len(self.recipients) > BCC_THRESHOLD


@dataclass
class Distribution:
    """Who receives which document: the sheets Listes de diffusion, Destinataires
    and Diffusion."""

    lists: list[MailingList] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    # Document kinds published on the website (column Public of Diffusion): none by
    # default, so speeches and minutes stay internal unless a row says otherwise.
    public: list[str] = field(default_factory=list)
    secretariat_email: str | None = None  # "To" of the drafts whose list is in Bcc
    max_mail_bytes: int = 10_000_000  # a list's mail above this is split
    # The website's page of meetings (date, body, place): off unless the workbook says so.
    publish_meetings: bool = False

    def lists_for(self, kind: str) -> list[MailingList]:
        return [m for m in self.lists if kind in m.kinds]


@dataclass
class Workbook:
    """The whole validated workbook: the plan, plus what later sheets add."""

    plan: Plan
    flash: list[FlashIssue] = field(default_factory=list)
    partners: Partners | None = None
    distribution: Distribution = field(default_factory=Distribution)
    reporting: Reporting = field(default_factory=lambda: Reporting())


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
    years = [
        YearGroup(y, [m for m in months if m.year == y]) for y in sorted({m.year for m in months})
    ]
    rows = [ScheduleRow(a, [a.is_scheduled(m) for m in months]) for a in plan.activities]
    return ScheduleTable(years, months, rows)


# --- Speeches, aide-mémoire and budget-support forecasts (PTF documents) ---


@dataclass(frozen=True)
class Partner:
    acronym: str
    name: str
    kind: str
    troika: bool
    head_name: str
    head_title: str
    signatory: bool
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    iati_ids: tuple[str, ...] = ()  # « Identifiant IATI »: the organisations it publishes as


@dataclass(frozen=True)
class Concern:
    number: int
    theme: str
    text: str
    priority: int  # 0 = highest
    sessions: tuple[str, ...]  # codes of the sessions where it is raised


@dataclass(frozen=True)
class NumberedConcern:
    """A concern as numbered in one document (1, 2, 3... in priority order)."""

    number: int
    concern: Concern


@dataclass(frozen=True)
class Block:
    """A paragraph of a speech or an aide-mémoire; a numbered concern has a number."""

    text: str
    number: int | None = None
    theme: str = ""


@dataclass(frozen=True)
class Section:
    heading: str  # "1. Contexte"
    blocks: list[Block]


SPEECH_ORDER = (
    "remerciements",
    "appreciation",
    "preoccupations",
    "recommandations",
    "engagement",
    "conclusion",
)
MEMO_ORDER = ("contexte", "appreciation", "preoccupations", "recommandations")
MEMO_HEADINGS = {
    "contexte": "Contexte",
    "appreciation": "Appréciation des progrès",
    "preoccupations": "Préoccupations communes des partenaires",
    "recommandations": "Recommandations",
}


def _concern_blocks(concerns: list[NumberedConcern]) -> list[Block]:
    return [Block(n.concern.text, n.number, n.concern.theme) for n in concerns]


@dataclass
class Session:
    code: str
    body: str  # acronym: CTN, CNP...
    body_name: str  # "Comité national de pilotage"
    label: str
    date: dt.date
    place: str
    chair_name: str
    chair_title: str
    speaker_name: str
    speaker_title: str
    speaker: Partner
    protocol: list[str]  # salutations in order of precedence, without final punctuation
    texts: dict[str, list[str]] = field(default_factory=dict)  # speech section -> paragraphs
    memo: dict[str, list[str]] = field(default_factory=dict)  # aide-mémoire rubric -> paragraphs
    concerns: list[NumberedConcern] = field(default_factory=list)
    activity: Activity | None = None  # the plan activity preparing the session
    memo_date: dt.date | None = None  # adoption of its aide-mémoire; None: not adopted yet
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def salutations(self) -> list[str]:
        """The protocol lines as spoken: each ends with a semicolon, the last with a comma."""
        lines = [line.rstrip(" ,;.:\u00a0") for line in self.protocol]
        return [line + ("\u00a0;" if i < len(lines) - 1 else ",") for i, line in enumerate(lines)]

    @property
    def speech(self) -> list[Block]:
        """The body of the speech in reading order, the concerns numbered after the
        paragraphs of the "Préoccupations" section."""
        return self.speech_part(SPEECH_ORDER)

    def speech_part(self, keys: tuple[str, ...]) -> list[Block]:
        """The blocks of the speech's sections ``keys`` (in SPEECH_ORDER order), for
        a template that sets something between two parts of the speech."""
        blocks = []
        for key in SPEECH_ORDER:
            if key not in keys:
                continue
            blocks += [Block(text) for text in self.texts.get(key, [])]
            if key == "preoccupations":
                blocks += _concern_blocks(self.concerns)
        return blocks

    @property
    def has_speech(self) -> bool:
        return any(self.texts.values())

    @property
    def has_memo(self) -> bool:
        return any(self.memo.values())


@dataclass(frozen=True)
class Forecast:
    partner: Partner
    instrument: str
    year: int
    amount: float  # FCFA
    firm: bool


@dataclass(frozen=True)
class Disbursement:
    """What a partner actually disbursed (sheet Décaissements), in FCFA."""

    partner: Partner
    instrument: str
    year: int
    amount: float


@dataclass
class Partners:
    """Everything the partners' documents need, validated."""

    partners: list[Partner]
    sessions: list[Session]
    concerns: list[Concern]  # in priority order
    forecasts: list[Forecast]
    forecast_years: list[int]  # n, n+1, n+2
    forecast_date: dt.date | None = None  # « Date de situation des prévisions »
    disbursements: list[Disbursement] = field(default_factory=list)
    mandate_years: list[int] = field(default_factory=list)
    # « Taux de change »: currency code -> (date, FCFA for one unit), by date.
    exchange_rates: dict[str, list[tuple[dt.date, float]]] = field(default_factory=dict)

    @property
    def troika(self) -> list[Partner]:
        return [p for p in self.partners if p.troika]

    @property
    def signatories(self) -> list[Partner]:
        """Signatory organisations: the Troïka first, then the others, each in sheet order."""
        chosen = [p for p in self.partners if p.signatory]
        return [p for p in chosen if p.troika] + [p for p in chosen if not p.troika]

    def numbered(self, concerns: list[Concern]) -> list[NumberedConcern]:
        return [NumberedConcern(i, c) for i, c in enumerate(concerns, start=1)]

    def memo_sections(self, session: Session) -> list[Section]:
        """The aide-mémoire's sections that have content, numbered 1, 2, 3...: the
        session's texts, with every common concern of the partners in priority order."""
        content = {key: [Block(t) for t in session.memo.get(key, [])] for key in MEMO_ORDER}
        content["preoccupations"] = _concern_blocks(self.numbered(self.concerns))
        present = [key for key in MEMO_ORDER if content[key]]
        return [
            Section(f"{i}. {MEMO_HEADINGS[key]}", content[key])
            for i, key in enumerate(present, start=1)
        ]


@dataclass(frozen=True)
class ForecastRow:
    partner: Partner
    instruments: str  # "Appui budgétaire général, Appui budgétaire sectoriel"
    amounts: list[float]  # one per forecast year
    total: float
    indicative: list[bool]  # per year: does the amount include indicative forecasts?


@dataclass(frozen=True)
class StatusRow:
    status: str  # "Ferme", "Indicatif"
    amounts: list[float]
    total: float


@dataclass(frozen=True)
class ForecastTable:
    """The disbursement forecast by partner and year, with every total computed here."""

    years: list[int]
    rows: list[ForecastRow]
    year_totals: list[float]
    grand_total: float
    by_status: list[StatusRow]
    lines: list[Forecast]  # the detail, sorted by partner, year, instrument

    @property
    def label(self) -> str:
        """ "2022-2024"."""
        return f"{self.years[0]}-{self.years[-1]}"


def forecast_table(partners: Partners) -> ForecastTable:
    years = partners.forecast_years
    order = {p.acronym: i for i, p in enumerate(partners.partners)}
    rows = []
    by_partner: dict[str, list[Forecast]] = {}
    for forecast in partners.forecasts:  # grouped once: a scan per partner is quadratic
        by_partner.setdefault(forecast.partner.acronym, []).append(forecast)
    for partner in partners.partners:
        own = by_partner.get(partner.acronym, [])
        if not own:
            continue
        amounts = [sum(f.amount for f in own if f.year == y) for y in years]
        indicative = [any(not f.firm for f in own if f.year == y) for y in years]
        instruments = list(dict.fromkeys(f.instrument for f in own))
        rows.append(ForecastRow(partner, ", ".join(instruments), amounts, sum(amounts), indicative))
    year_totals = [sum(r.amounts[i] for r in rows) for i in range(len(years))]
    by_status = []
    for status, firm in (("Ferme", True), ("Indicatif", False)):
        amounts = [
            sum(f.amount for f in partners.forecasts if f.firm is firm and f.year == y)
            for y in years
        ]
        by_status.append(StatusRow(status, amounts, sum(amounts)))
    lines = sorted(
        partners.forecasts, key=lambda f: (order[f.partner.acronym], f.year, f.instrument)
    )
    return ForecastTable(years, rows, year_totals, sum(year_totals), by_status, lines)


# The rule of the predictability ratio, stated in every document that shows it.
PREDICTABILITY_RULE = (
    "Taux de prévisibilité = montant décaissé dans l'année ÷ montant programmé pour "
    "cette année (feuille Prévisions), plafonné à 100 % : un décaissement au-delà du "
    "programmé ne rend pas l'aide plus prévisible. Sans montant programmé, pas de taux."
)


@dataclass(frozen=True)
class PredictabilityRow:
    partner: Partner | None  # None: the total of the year
    year: int
    scheduled: float  # FCFA forecast for the year
    disbursed: float  # FCFA disbursed in the year
    # Disbursed within the schedule (min of both): the numerator of the ratio.
    within: float

    @property
    def ratio(self) -> float | None:
        """Share of the scheduled amount disbursed in the year (0 to 1), None without one."""
        return self.within / self.scheduled if self.scheduled > 0 else None


@dataclass(frozen=True)
class PredictabilityTable:
    """Scheduled and disbursed budget support per partner and year of the mandate."""

    years: list[int]
    rows: list[PredictabilityRow]  # by partner (sheet order), then year
    totals: list[PredictabilityRow]  # one per year, all partners
    rule: str = PREDICTABILITY_RULE


def predictability_table(partners: Partners) -> PredictabilityTable:
    """Per partner and year of the mandate that has a forecast or a disbursement: the
    amount scheduled, the amount disbursed and the predictability ratio (see
    :data:`PREDICTABILITY_RULE`); the totals add the capped amounts partner by partner."""
    mandate = set(partners.mandate_years)
    scheduled: dict[tuple[str, int], float] = {}
    disbursed: dict[tuple[str, int], float] = {}
    for f in partners.forecasts:
        if f.year in mandate:
            key = (f.partner.acronym, f.year)
            scheduled[key] = scheduled.get(key, 0) + f.amount
    for d in partners.disbursements:
        if d.year in mandate:
            key = (d.partner.acronym, d.year)
            disbursed[key] = disbursed.get(key, 0) + d.amount
    keys = set(scheduled) | set(disbursed)
    years = sorted({year for _, year in keys})
    rows = []
    for partner in partners.partners:
        for year in years:
            key = (partner.acronym, year)
            if key in keys:
                s, d = scheduled.get(key, 0), disbursed.get(key, 0)
                rows.append(PredictabilityRow(partner, year, s, d, min(s, d)))
    totals = []
    for year in years:
        own = [r for r in rows if r.year == year]
        totals.append(
            PredictabilityRow(
                None,
                year,
                sum(r.scheduled for r in own),
                sum(r.disbursed for r in own),
                sum(r.within for r in own),
            )
        )
    return PredictabilityTable(years, rows, totals)


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
        chunk = months[index : index + 3]
        periods.append(
            Period(index // 3 + 1, f"Trimestre {index // 3 + 1}", chunk[0], month_end(chunk[-1]))
        )
    return periods


@dataclass(frozen=True)
class MeetingType:
    """A body that meets (weekly President–ST meeting, monthly Troïka meeting...)."""

    name: str
    cadence: str  # one of schema.MEETING_CADENCES
    activity: Activity | None  # the plan activity that schedules these meetings
    planned: int | None  # planned number over the mandate, when staff give it


# --- Items followed with a dated status: meeting decisions and the register -------------

# The status of an item before any change is recorded: « à faire ».
INITIAL_STATUS = DECISION_STATUSES[0]


@dataclass(frozen=True)
class StatusChange:
    """One dated change of an item's status (a row of « Historique des statuts »)."""

    day: dt.date
    status: str  # one of schema.DECISION_STATUSES
    comment: str
    ref: str = field(default="", compare=False)  # the row's date cell


@dataclass(frozen=True)
class State:
    """Where an item stood on a day: its status, since when, and the comment of the
    change that set it."""

    status: str
    since: dt.date  # the day of that change; the item's own date when never changed
    comment: str = ""

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


def last_change(history: list[StatusChange], day: dt.date) -> StatusChange | None:
    """The last of ``history`` (changes in date order) on or before ``day``, or None
    when there was none by then."""
    known = [change for change in history if change.day <= day]
    return known[-1] if known else None


def state_on(opened: dt.date, history: list[StatusChange], day: dt.date) -> State:
    """The state on ``day`` of an item opened on ``opened`` whose changes, in date order,
    are ``history``: the last change on or before that day (« à faire » before any)."""
    change = last_change(history, day)
    if change is None:
        return State(INITIAL_STATUS, opened)
    return State(change.status, change.day, change.comment)


@dataclass
class Decision:
    meeting: Meeting
    text: str
    responsible: str
    deadline: dt.date | None
    # The latest state, from the history (figures.decision_on gives it on another day).
    status: str  # one of schema.DECISION_STATUSES
    done_on: dt.date | None  # the day it was closed, when it is
    comment: str
    number: str = ""
    history: list[StatusChange] = field(default_factory=list)  # in date order
    # Cells by column key, to name them in cross-document checks.
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def state_on(self, day: dt.date) -> State:
        return state_on(self.meeting.date, self.history, day)


@dataclass(frozen=True)
class Source:
    """What a recommendation comes from: a session, a review, a meeting..."""

    kind: str  # one of schema.SOURCE_KINDS
    label: str  # as typed: a session code, a meeting number or a title
    title: str  # as documents name it (« CNP du 28 avril 2022 »...)
    date: dt.date


@dataclass
class Recommendation:
    """An item of the register: a recommendation to the Government or a commitment of
    the partners, with its dated status changes."""

    number: str
    text: str
    source: Source
    addressee: str  # one of schema.ADDRESSEES
    responsible: str
    activity: Activity | None
    due: dt.date | None
    public: bool
    carried_from: str  # the previous mandate it was carried from (« 2021-2022 »), or ""
    history: list[StatusChange] = field(default_factory=list)  # in date order
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def state_on(self, day: dt.date) -> State:
        return state_on(self.source.date, self.history, day)


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
    # Cells by column key, to name them in cross-document checks.
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class FollowUp:
    """What happened to one activity in one period."""

    activity: Activity
    period: Period
    status: str  # one of schema.ACTIVITY_STATUSES
    results: str
    difficulties: str
    comment: str
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


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
    # The register, in the order of the sheet.
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def decisions(self) -> list[Decision]:
        return [d for m in self.meetings for d in m.decisions]

    def follow_up(self, activity: Activity, period: Period) -> FollowUp | None:
        return self._follow_up_index.get((activity.code, period.label))

    @cached_property
    def _follow_up_index(self) -> dict[tuple[str, str], FollowUp]:
        # Reports look up every activity in every period: a scan each time would make
        # the build quadratic in the size of the plan.
        index: dict[tuple[str, str], FollowUp] = {}
        for f in self.follow_ups:
            index.setdefault((f.activity.code, f.period.label), f)
        return index

    def text(self, heading: str, period: Period | None) -> list[str]:
        return [t.text for t in self.texts if t.heading == heading and t.period == period]
