"""Cross-document checks: what one sheet says must not contradict another.

Each document is built from its own sheets; the checks below compare those sheets so
that the documents agree with each other and with their own dates. Each finding is a
warning naming both cells (``--strict`` makes it an error):

- a speech or an aide-mémoire for a session that the follow-up of its plan activity
  says did not take place in that period (``session-not-held``);
- a session dated outside the mandate (``session-outside-mandate``), or whose
  aide-mémoire is adopted before the session (``memo-before-session``);
- a Flash info dated after the build date (``flash-after-build-date``);
- a follow-up text citing a date after the end of its period: the quarterly report of
  that period would tell an event after its own date (``text-after-period``);
- a recipient whose « Partenaire » is not in the Partenaires sheet
  (``unknown-recipient-partner``), or a person under two organisations
  (``recipient-two-organisations``);
- a mailing list named after the Troïka whose partners are not the Troïka members of
  the Partenaires sheet (``troika-list-mismatch``);
- the same organisation and title held by two different people in two sheets
  (``same-title-two-people``);
- a speaker of a session who is on no mailing list, or a signatory partner of the
  aide-mémoire that no list reaches (``speaker-on-no-list``);
- a partner present at meetings that no list reaches (``participant-on-no-list``).

The follow-up sheets are compared with each other in :mod:`pipeline.validate.record`.
"""

from __future__ import annotations

import datetime as dt
import re

from ..formats import month_year, short_date
from ..model import Distribution, FlashIssue, Partner, Partners, Plan, Recipient, Reporting
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawWorkbook
from ..workbook.values import dates_in, fold
from .record import check_record

# Follow-up statuses saying the activity's event did not take place in the period.
NOT_HELD = ("non réalisée", "reportée", "annulée")
_CIVILITY = re.compile(r"^(?:m\.|mr\.?|mme|mlle|dr\.?|pr\.?|s\.\s?e\.|monsieur|madame)\s+")


def check_consistency(
    raw: RawWorkbook,
    plan: Plan | None,
    partners: Partners | None,
    flash: list[FlashIssue],
    reporting: Reporting,
    distribution: Distribution,
    today: dt.date,
    report: Report,
) -> None:
    """Compare the sheets with each other and with the build date ``today``."""
    if partners is not None:
        _check_sessions(raw, plan, partners, reporting, report)
        _check_people(partners, distribution, report)
        _check_titles_and_lists(partners, distribution, reporting, report)
    _check_flash(flash, today, report)
    _check_follow_up_dates(reporting, report)
    check_record(partners, flash, reporting, report)


def _cell(sheet: str, ref: str | None) -> str:
    return f"'{sheet}'!{ref}" if ref else f"la feuille « {sheet} »"


# --- Sessions: the speech and aide-mémoire against the follow-up and the mandate ---------


def _check_sessions(
    raw: RawWorkbook, plan: Plan | None, partners: Partners, reporting: Reporting, report: Report
) -> None:
    sheet = schema.SESSIONS.name
    for session in partners.sessions:
        where = session.refs.get("date")
        if plan is not None and not plan.mandate.contains(session.date):
            refs = [
                raw.parameters[k].ref
                for k in ("mandate_start", "mandate_end")
                if k in raw.parameters
            ]
            report.add(
                "session-outside-mandate",
                sheet,
                where,
                value=session.code,
                date=short_date(session.date),
                mandate=f"{month_year(plan.mandate.start)} – {month_year(plan.mandate.end)}",
                other=" et ".join(_cell(schema.PARAMETERS_SHEET, r) for r in refs),
            )
        if session.memo_date is not None and session.memo_date < session.date:
            report.add(
                "memo-before-session",
                sheet,
                session.refs.get("memo_date"),
                value=session.code,
                date=short_date(session.memo_date),
                session_date=short_date(session.date),
                other=_cell(sheet, where),
            )
        documents = [
            name
            for name, present in (
                ("un discours", session.has_speech),
                ("un aide-mémoire", session.has_memo),
            )
            if present
        ]
        if session.activity is None or not documents:
            continue
        period = next((p for p in reporting.periods if p.contains(session.date)), None)
        row = reporting.follow_up(session.activity, period) if period else None
        if row is not None and row.status in NOT_HELD:
            report.add(
                "session-not-held",
                sheet,
                where,
                value=session.code,
                date=short_date(session.date),
                documents=" et ".join(documents),
                activity=session.activity.code,
                status=row.status,
                period=period.label,
                other=_cell(schema.FOLLOW_UP.name, row.refs.get("status")),
            )


# --- Flash info and follow-up texts: nothing told after its own date -------------------


def _check_flash(flash: list[FlashIssue], today: dt.date, report: Report) -> None:
    for issue in flash:
        if issue.date > today:
            report.add(
                "flash-after-build-date",
                schema.FLASH.name,
                issue.ref or None,
                value=issue.number,
                date=short_date(issue.date),
                today=short_date(today),
            )


def _check_follow_up_dates(reporting: Reporting, report: Report) -> None:
    """A follow-up row tells what happened in its period: a date after the period's end
    in its results or comment would put a later event in that period's report."""
    sheet = schema.FOLLOW_UP.name
    for row in reporting.follow_ups:
        for key in ("results", "comment"):
            late = [words for words, day in dates_in(getattr(row, key)) if day > row.period.end]
            if late:
                report.add(
                    "text-after-period",
                    sheet,
                    row.refs.get(key),
                    value=late[0],
                    period=row.period.label,
                    end=short_date(row.period.end),
                )


# --- Partners, recipients and mailing lists: one Troïka, one organisation per person -----


class _PartnerIndex:
    """The workbook's partners by folded acronym and name, so that finding each
    recipient's partner costs the length of its organisation, not a scan of every
    partner (which made validation quadratic: many recipients times many partners)."""

    _WORD = re.compile(r"\w")
    _PARENTHESES = re.compile(r"\(([^()]*)\)")

    def __init__(self, partners: list[Partner]) -> None:
        self.partners = partners
        self.first_by_acronym: dict[str, Partner] = {}
        # Folded acronym or name -> positions of the partners bearing it. Two positions
        # are enough: a recipient's organisation names a partner only when exactly one does.
        self.by_acronym: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        # Acronyms holding a parenthesis cannot be found by reading the organisation's
        # parentheses; those few partners are compared one by one.
        self.odd_acronyms: list[tuple[int, str]] = []
        for position, partner in enumerate(partners):
            acronym, name = fold(partner.acronym), fold(partner.name)
            self.first_by_acronym.setdefault(acronym, partner)
            for index, key in ((self.by_acronym, acronym), (self.by_name, name)):
                positions = index.setdefault(key, [])
                if len(positions) < 2:
                    positions.append(position)
            if "(" in acronym or ")" in acronym:
                self.odd_acronyms.append((position, acronym))
        self.name_lengths = {len(name) for name in self.by_name}

    def matching(self, organisation: str) -> set[int]:
        """Positions of the partners that the folded ``organisation`` names: its whole
        text is their acronym or name, it holds « (acronym) », or it holds their name as
        whole words. Each partner at most once; more than two are never needed."""
        found: set[int] = set()
        found.update(self.by_acronym.get(organisation, ()))
        found.update(self.by_name.get(organisation, ()))
        for inside in self._PARENTHESES.findall(organisation):
            found.update(self.by_acronym.get(inside, ()))
        found.update(p for p, acronym in self.odd_acronyms if f"({acronym})" in organisation)
        # Whole words: a slice starting where no word character precedes it and ending
        # where none follows it, as the pattern (?<!\w)name(?!\w) requires.
        word = [bool(self._WORD.match(ch)) for ch in organisation]
        size = len(organisation)
        starts = [i for i in range(size + 1) if i == 0 or not word[i - 1]]
        ends = [j for j in range(size + 1) if j == size or not word[j]]
        for i in starts:
            for j in ends:
                if j >= i and j - i in self.name_lengths:
                    found.update(self.by_name.get(organisation[i:j], ()))
        return found


def _partner_of(recipient: Recipient, index: _PartnerIndex, report: Report) -> Partner | None:
    """The partner a recipient works for: the one its « Partenaire » cell names, else the
    one its organisation names (acronym or name, e.g. « Ambassade de Suède »), if only one."""
    if recipient.partner:
        found = index.first_by_acronym.get(fold(recipient.partner))
        if found is None:
            report.add(
                "unknown-recipient-partner",
                schema.RECIPIENTS.name,
                recipient.refs.get("partner"),
                value=recipient.partner,
                other=f"la feuille « {schema.PARTNERS.name} »",
            )
        return found
    matches = index.matching(fold(recipient.organisation))
    return index.partners[matches.pop()] if len(matches) == 1 else None


def _person(name: str) -> str:
    return _CIVILITY.sub("", fold(name))


def _check_people(partners: Partners, distribution: Distribution, report: Report) -> None:
    index = _PartnerIndex(partners.partners)
    by_recipient = {r.email: _partner_of(r, index, report) for r in distribution.recipients}
    # Each person once: the organisation they appear under first, and where.
    seen: dict[str, tuple[str, str, str]] = {}  # person -> (identity, label, cell)
    entries = [
        (
            _person(p.head_name),
            fold(p.acronym),
            p.name,
            _cell(schema.PARTNERS.name, p.refs.get("head_name")),
            None,
        )
        for p in partners.partners
        if p.head_name
    ]
    for r in distribution.recipients:
        partner = by_recipient[r.email]
        identity = fold(partner.acronym) if partner else fold(r.organisation)
        label = partner.name if partner else r.organisation
        entries.append(
            (
                _person(r.contact),
                identity,
                label,
                _cell(schema.RECIPIENTS.name, r.refs.get("contact")),
                r,
            )
        )
    for person, identity, label, cell, recipient in entries:
        if not person:
            continue
        if person not in seen:
            seen[person] = (identity, label, cell)
            continue
        first_identity, first_label, first_cell = seen[person]
        if identity != first_identity and recipient is not None:
            report.add(
                "recipient-two-organisations",
                schema.RECIPIENTS.name,
                recipient.refs.get("contact"),
                value=recipient.contact,
                organisation=label,
                other_organisation=first_label,
                other=first_cell,
            )

    members = [p for p in partners.partners if p.troika]
    if not members:
        return
    for mailing_list in distribution.lists:
        if "troika" not in fold(mailing_list.name):
            continue
        on_list = {}
        for r in mailing_list.recipients:
            partner = by_recipient.get(r.email)
            if partner is not None:
                on_list.setdefault(partner.acronym, (partner, r))
        list_cell = _cell(schema.MAILING_LISTS.name, mailing_list.ref or None)
        for member in members:
            if member.acronym not in on_list:
                report.add(
                    "troika-list-mismatch",
                    schema.PARTNERS.name,
                    member.refs.get("troika"),
                    value=member.acronym,
                    list=mailing_list.name,
                    detail="est membre de la Troïka ici, mais aucun destinataire de la "
                    f"liste « {mailing_list.name} » ne le représente",
                    other=list_cell,
                )
        for partner, recipient in on_list.values():
            if not partner.troika:
                ref = (
                    recipient.refs.get("partner")
                    if recipient.partner
                    else recipient.refs.get("organisation")
                )
                report.add(
                    "troika-list-mismatch",
                    schema.RECIPIENTS.name,
                    ref,
                    value=partner.acronym,
                    list=mailing_list.name,
                    detail=f"reçoit ici la liste « {mailing_list.name} », mais n'est pas "
                    "membre de la Troïka dans la feuille Partenaires",
                    other=_cell(schema.PARTNERS.name, partner.refs.get("troika")),
                )


# --- One person per title, and every speaker, signatory and attendee on a list ----------

_TITLE_STOP = {"de", "la", "le", "les", "l", "d", "du", "des", "et", "en", "a", "au", "aux"}
# Feminine endings folded to the masculine, so « Cheffe » and « Chef » are one title.
_FEMININE = (
    ("trice", "teur"),
    ("ffe", "f"),
    ("ante", "ant"),
    ("ente", "ent"),
    ("ere", "er"),
    ("ale", "al"),
    ("ee", "e"),
)


def title_key(title: str, partner: Partner | None = None) -> str:
    """A title as compared across sheets: its first part (before a comma), without
    articles, the partner's own name, nor the feminine endings: « Cheffe de la coopération
    de la Suède, au nom de… » and « Chef de coopération » give « chef cooperation »."""
    own = set(re.findall(r"\w+", fold(f"{partner.name} {partner.acronym}"))) if partner else set()
    words = []
    for word in re.findall(r"\w+", fold(title.split(",")[0])):
        if word in _TITLE_STOP or word in own:
            continue
        for feminine, masculine in _FEMININE:
            if word.endswith(feminine):
                word = word[: -len(feminine)] + masculine
                break
        words.append(word)
    return " ".join(words)


def _check_titles_and_lists(
    partners: Partners, distribution: Distribution, reporting: Reporting, report: Report
) -> None:
    index = _PartnerIndex(partners.partners)
    silent = Report()  # unknown « Partenaire » cells are reported once, by _check_people
    reached: dict[str, list[Recipient]] = {}
    listed_people = set()
    holders = []  # (partner, title, name, sheet, cell)
    for p in partners.partners:
        if p.head_name and p.head_title:
            holders.append(
                (p, p.head_title, p.head_name, schema.PARTNERS.name, p.refs.get("head_name"))
            )
    for s in partners.sessions:
        holders.append(
            (
                s.speaker,
                s.speaker_title,
                s.speaker_name,
                schema.SESSIONS.name,
                s.refs.get("speaker_name"),
            )
        )
    for r in distribution.recipients:
        partner = _partner_of(r, index, silent)
        listed_people.add(_person(r.contact))
        if partner is not None:
            reached.setdefault(partner.acronym, []).append(r)
            if r.contact and r.title:
                holders.append(
                    (partner, r.title, r.contact, schema.RECIPIENTS.name, r.refs.get("contact"))
                )

    first: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for partner, title, name, sheet, ref in holders:
        key = (partner.acronym, title_key(title, partner))
        if not key[1]:
            continue
        if key not in first:
            first[key] = (name, sheet, ref)
            continue
        other_name, other_sheet, other_ref = first[key]
        if _person(other_name) != _person(name):
            report.add(
                "same-title-two-people",
                sheet,
                ref,
                value=name,
                title=title.split(",")[0].strip(),
                organisation=partner.name,
                other_person=other_name,
                other=_cell(other_sheet, other_ref),
            )

    if not distribution.recipients:
        return  # no mailing list at all: the distribution sheets are not used yet
    recipients_sheet = f"la feuille « {schema.RECIPIENTS.name} »"
    for s in partners.sessions:
        if s.has_speech and _person(s.speaker_name) not in listed_people:
            report.add(
                "speaker-on-no-list",
                schema.SESSIONS.name,
                s.refs.get("speaker_name"),
                value=s.speaker_name,
                role=f"prend la parole à la session {s.code}",
                organisation=s.speaker.name,
                other=recipients_sheet,
            )
    if any(s.has_memo for s in partners.sessions):
        for p in partners.signatories:
            if p.acronym not in reached:
                report.add(
                    "speaker-on-no-list",
                    schema.PARTNERS.name,
                    p.refs.get("signatory") or p.refs.get("acronym"),
                    value=p.name,
                    role="signe l'aide-mémoire",
                    organisation=p.acronym,
                    other=recipients_sheet,
                )

    seen: dict[str, tuple[int, str | None]] = {}
    by_acronym = {p.acronym: p for p in partners.partners}
    for meeting in reporting.meetings:
        for participant in meeting.participants:
            matches = index.matching(fold(participant))
            if len(matches) != 1:
                continue
            partner = index.partners[matches.pop()]
            if partner.acronym in reached:
                continue
            count, ref = seen.get(partner.acronym, (0, meeting.refs.get("participants")))
            seen[partner.acronym] = (count + 1, ref)
    for acronym, (count, ref) in seen.items():
        report.add(
            "participant-on-no-list",
            schema.MEETINGS.name,
            ref,
            value=by_acronym[acronym].name,
            count=count,
            other=_cell(schema.PARTNERS.name, by_acronym[acronym].refs.get("acronym")),
        )
