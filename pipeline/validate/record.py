"""Cross-checks between what staff type in the follow-up sheets: the decisions, the
follow-up texts, the sessions and the counts the tables give must tell one story.

Each finding is a warning naming both cells (``--strict`` makes it an error):

- a decision whose follow-up, in a row of an activity of its meeting, says the
  opposite: the text says its object is done (« Projet de discours rédigé ») while the
  decision was still open at the end of that period, or in progress while the decision
  was abandoned (``decision-contradicts-follow-up``);
- a decision preparing a session (its meeting is linked to the session's activity and
  held before it) carried out after the session (``decision-done-after-event``);
- a count typed in a follow-up text (« Deux réunions mensuelles sur trois tenues »,
  « 4 numéros du Flash info ») that differs from the count the tables give
  (``count-differs``).

The texts are compared by simple, predictable rules (documented in docs/classeur.md):
a decision's *object* is the three words after its verb and article (« projet de
discours »), found in the follow-up text; the text says it is *done* when it holds
the past participle of the decision's verb (« rédiger » → « rédigé ») and not « en cours »,
or when the row's status is « réalisée »; *in progress* when it says « en cours » or the
row's status is.
"""

from __future__ import annotations

import datetime as dt
import re

from ..formats import short_date
from ..model import Decision, FlashIssue, FollowUp, Partners, Reporting, last_change
from ..report import Report
from ..workbook import schema
from ..workbook.values import fold

DONE, DROPPED, TO_DO, IN_PROGRESS = "réalisé", "abandonné", "à faire", "en cours"
_ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "a"}
NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
}
NOUNS = {"reunion": "réunion", "rencontre": "rencontre", "numero": "numéro"}
_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
# « deux réunions mensuelles », « 4 numéros du Flash info », « trois rencontres ».
_COUNTED = re.compile(r"(?<!\w)" + _NUMBER + r"\s+(?:\w+\s+)?(reunions?|rencontres?|numeros?)\b")


def _cell(sheet: str, ref: str | None) -> str:
    return f"'{sheet}'!{ref}" if ref else f"la feuille « {sheet} »"


def check_record(
    partners: Partners | None, flash: list[FlashIssue], reporting: Reporting, report: Report
) -> None:
    """Compare the decisions, follow-up texts and sessions with each other."""
    _check_decisions_against_follow_up(reporting, report)
    if partners is not None:
        _check_decisions_against_sessions(partners, reporting, report)
    _check_counts(reporting, flash, report)


# --- Decisions against the follow-up of their activities ------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def decision_object(text: str) -> tuple[str, str] | None:
    """The verb and the object of a decision: (« rediger », « projet de discours »)
    for « Rédiger le projet de discours des PTF… »; None when the object is too short
    to be recognised in another text."""
    words = _words(text)
    if len(words) < 2:
        return None
    verb, rest = words[0], words[1:]
    while rest and rest[0] in _ARTICLES:
        rest = rest[1:]
    if len(rest) < 3:
        return None
    return verb, " ".join(rest[:3])


def _participle(verb: str) -> str | None:
    """The folded past participle of a first-group verb (« rediger » → « redige »)."""
    return verb[:-2] + "e" if verb.endswith("er") and len(verb) > 4 else None


def _status_cell(decision: Decision, day: dt.date) -> tuple[str, str | None]:
    """Where the decision's status on ``day`` is typed: the history row of the change in
    effect, or, before any change, the decision's own number in Décisions."""
    change = last_change(decision.history, day)
    if change is not None:
        return schema.STATUS_HISTORY.name, change.ref
    return schema.DECISIONS.name, decision.refs.get("number")


def _check_decisions_against_follow_up(reporting: Reporting, report: Report) -> None:
    rows_by_activity: dict[str, list[FollowUp]] = {}
    for row in reporting.follow_ups:
        rows_by_activity.setdefault(row.activity.code, []).append(row)
    for decision in reporting.decisions:
        found = decision_object(decision.text)
        if found is None:
            continue
        verb, thing = found
        participle = _participle(verb)
        for activity in decision.meeting.activities:
            for row in rows_by_activity.get(activity.code, []):
                if row.period.end < decision.meeting.date:
                    continue
                text = " ".join(_words(row.results))
                if thing not in text:
                    continue
                said_ongoing = row.status == "en cours" or "en cours" in text
                # « en cours de collecte » holds « collecte » but says the opposite of done.
                said_done = row.status == "réalisée" or (
                    participle is not None
                    and "en cours" not in text
                    and re.search(rf"\b{participle}s?\b", text)
                )
                status = decision.state_on(row.period.end).status
                if said_done and status in (TO_DO, IN_PROGRESS):
                    detail = "dit fait"
                elif said_ongoing and status == DROPPED:
                    detail = "dit en cours"
                else:
                    continue
                report.add(
                    "decision-contradicts-follow-up",
                    *_status_cell(decision, row.period.end),
                    value=decision.text,
                    status=status,
                    date=short_date(row.period.end),
                    activity=activity.code,
                    period=row.period.label,
                    detail=detail,
                    text=row.results.strip(),
                    other=_cell(schema.FOLLOW_UP.name, row.refs.get("results")),
                )


# --- Decisions preparing a session, carried out after it ------------------------------


def _check_decisions_against_sessions(
    partners: Partners, reporting: Reporting, report: Report
) -> None:
    sessions = [s for s in partners.sessions if s.activity is not None]
    for decision in reporting.decisions:
        if decision.status != DONE or decision.done_on is None:
            continue
        codes = {a.code for a in decision.meeting.activities}
        for session in sessions:
            if (
                session.activity.code in codes
                and decision.meeting.date <= session.date < decision.done_on
            ):
                report.add(
                    "decision-done-after-event",
                    *_status_cell(decision, decision.done_on),
                    value=decision.text,
                    done=short_date(decision.done_on),
                    session=session.code,
                    date=short_date(session.date),
                    other=_cell(schema.SESSIONS.name, session.refs.get("date")),
                )


# --- Counts typed in the follow-up against the tables ----------------------------------


def typed_counts(text: str) -> list[tuple[int, str]]:
    """The counts a text states, with what they count: « Deux réunions mensuelles sur
    trois tenues » → [(2, "reunions")]."""
    found = []
    for number, noun in _COUNTED.findall(fold(text)):
        value = int(number) if number.isdigit() else NUMBER_WORDS[number]
        found.append((value, NOUNS[noun.rstrip("s")]))
    return found


def _check_counts(reporting: Reporting, flash: list[FlashIssue], report: Report) -> None:
    for row in reporting.follow_ups:
        counts = typed_counts(row.results)
        if not counts:
            continue
        start, end = row.period.start, row.period.end
        for typed, noun in counts:
            if noun == "numéro":
                if "flash" not in fold(row.results):
                    continue
                items = [(f"n° {i.number}", i.ref) for i in flash if start <= i.date <= end]
                items = list(dict.fromkeys(items))
                sheet = schema.FLASH.name
            else:
                types = [t for t in reporting.meeting_types if t.activity is row.activity]
                if not types:
                    continue
                items = [
                    (m.id, m.refs.get("date"))
                    for m in reporting.meetings
                    if m.type in types and start <= m.date <= end
                ]
                sheet = schema.MEETINGS.name
            if typed == len(items):
                continue
            cells = ", ".join(_cell(sheet, ref) for _name, ref in items[:6])
            report.add(
                "count-differs",
                schema.FOLLOW_UP.name,
                row.refs.get("results"),
                value=typed,
                noun=noun,
                count=len(items),
                period=row.period.label,
                other=cells or _cell(sheet, None),
            )
