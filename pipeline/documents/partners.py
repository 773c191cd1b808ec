"""The partners' documents: the PTF speech of each session, the aide-mémoire on the
annual review, and the budget-support disbursement forecast (Word and Excel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..formats import agree, long_date, quantity
from ..model import (
    SPEECH_ORDER,
    ForecastTable,
    Plan,
    Session,
    Workbook,
    forecast_table,
    predictability_table,
)
from ..workbook import schema
from ..workbook.values import slug
from . import DRAFT_MARK, Options, Output, event_dating, figures, register, unique_name
from .excel import AMOUNT_FORMAT, FONT, Sheet, cell, close_workbook, house_formats, open_workbook

# The forecast's Excel formats, named here too (its tests and older code import them here).
__all__ = ["AMOUNT_FORMAT", "FONT"]


def session_name(session: Session) -> str:
    """ "Comité technique national (CTN), session de revue annuelle 2021": tells a CTN
    document from the CNP one of the same review."""
    return f"{session.body_name} ({session.body}), {session.label}"


# The speech's sections before the follow-up of the last review (thanks, appreciation
# of progress); the concerns, recommendations and commitments come after it.
SPEECH_OPENING = SPEECH_ORDER[: SPEECH_ORDER.index("preoccupations")]
SPEECH_REST = SPEECH_ORDER[len(SPEECH_OPENING) :]


@dataclass(frozen=True)
class ReviewFollowUp:
    """The recommendations and commitments of the last review before a session, as they
    stood on the date of the speech or aide-mémoire (see figures.last_review)."""

    group: figures.SourceGroup
    on: dt.date

    @property
    def source(self):
        return self.group.source

    @property
    def counts(self) -> figures.Implementation:
        return self.group.implementation

    @property
    def open_lines(self) -> list[figures.ItemLine]:
        return self.group.open_lines

    @property
    def source_text(self) -> str:
        """ "Revue annuelle 2020 du PNDES II (24 juin 2021)"; the title alone when it
        already gives the date (« CNP du 28 avril 2022 (...) »)."""
        day = long_date(self.source.date)
        return self.source.title if day in self.source.title else f"{self.source.title} ({day})"

    @property
    def _noun(self) -> tuple[str, str, str]:
        """Singular, plural and the noun whose gender the statuses agree with:
        recommendations are addressed to the Government, commitments are the PTF's own."""
        addressees = {line.item.addressee for line in self.group.lines}
        partners = schema.ADDRESSEES[1]
        if addressees == {partners}:
            return "engagement", "engagements", "document"  # masculine
        if partners not in addressees:
            return "recommandation", "recommandations", "recommandation"
        return "", "recommandations et engagements", "document"

    @property
    def status_counts(self) -> list[figures.StatusCount]:
        """The count of each status, labelled as a table heads them (« Réalisées »)."""
        noun, c = self._noun[2], self.counts
        counts = {
            schema.DONE_STATUS: c.done,
            figures.DECISION_IN_PROGRESS: c.in_progress,
            figures.DECISION_TO_DO: c.to_do,
            figures.DECISION_DROPPED: c.dropped,
        }
        return [
            figures.StatusCount(_plural(agree(s, noun)).capitalize(), n) for s, n in counts.items()
        ]

    @property
    def summary(self) -> str:
        """ "sur les 4 recommandations et engagements, 3 ont été réalisés et 1 est en
        cours": every status with at least one item, the counts of ``counts``."""
        singular, plural, noun = self._noun
        c = self.counts
        parts = [
            (
                c.done,
                "a été " + agree("réalisé", noun),
                "ont été " + _plural(agree("réalisé", noun)),
            ),
            (c.in_progress, "est en cours", "sont en cours"),
            (c.to_do, "reste à faire", "restent à faire"),
            (
                c.dropped,
                "a été " + agree("abandonné", noun),
                "ont été " + _plural(agree("abandonné", noun)),
            ),
        ]
        if c.total == 1:
            article = "l'unique " + singular
            verb = next(one for count, one, _ in parts if count)
            return f"{article} {verb}"
        said = [quantity(count, one, many) for count, one, many in parts if count]
        listed = ", ".join(said[:-1]) + " et " + said[-1] if len(said) > 1 else said[0]
        return f"sur les {quantity(c.total, singular or plural, plural)}, {listed}"


def _plural(status: str) -> str:
    """ "réalisées" from "réalisée"; « en cours », « à faire » do not change."""
    return status + "s" if status.endswith(("é", "ée")) else status


def review_follow_up(workbook: Workbook, session: Session, on: dt.date) -> ReviewFollowUp | None:
    """The follow-up of the last review before ``session`` as of ``on``; None when the
    register holds no earlier review for it (the document then leaves the section out)."""
    sessions = workbook.partners.sessions if workbook.partners else [session]
    group = figures.last_review(workbook.reporting.recommendations, session, sessions, on)
    return ReviewFollowUp(group, on) if group is not None else None


def _per_session(
    workbook: Workbook,
    kind: str,
    template: str,
    wanted,
    name,
    context,
    event,
    title,
    today: dt.date,
) -> list[Output]:
    """One output per session for which ``wanted(session)`` holds, with unique names,
    dated by ``event(session)`` (a draft while it is ahead of ``today``);
    ``context(partners, session, day)`` is given the day the document is dated by."""
    partners = workbook.partners
    if partners is None:
        return []
    taken: set[str] = set()
    outputs = []
    for session in partners.sessions:
        if not wanted(session):
            continue
        dating = event_dating(session.place, event(session), today)
        mark = f"{DRAFT_MARK} – " if dating["draft"] else ""
        outputs.append(
            Output(
                kind,
                unique_name(name(session), taken),
                template,
                {**context(partners, session, dating["date"]), **dating},
                date=dating["date"],
                title=mark + title(session),
            )
        )
    return outputs


@register("discours", "Discours des PTF (un par session)")
def plan_speeches(workbook: Workbook, options: Options) -> list[Output]:
    return _per_session(
        workbook,
        "discours",
        "discours.docx",
        lambda s: s.has_speech,
        lambda s: f"discours_{slug(s.body, '_')}_{s.date.isoformat()}.docx",
        lambda partners, s, day: {
            "plan": workbook.plan,
            "session": s,
            "speech_opening": s.speech_part(SPEECH_OPENING),
            "speech_rest": s.speech_part(SPEECH_REST),
            "review": review_follow_up(workbook, s, day),
        },
        lambda s: s.date,
        lambda s: f"Discours des PTF – {session_name(s)}",
        options.today,
    )


@register("aide-memoire", "Aide-mémoire des PTF sur la revue annuelle")
def plan_memos(workbook: Workbook, options: Options) -> list[Output]:
    framework = slug(workbook.plan.identity.framework, "_")
    return _per_session(
        workbook,
        "aide-memoire",
        "aide_memoire.docx",
        lambda s: s.has_memo,
        # Named after the review session it is about; dated by its adoption.
        lambda s: f"aide_memoire_revue_{framework}_{s.date.isoformat()}.docx",
        lambda partners, s, day: {
            "plan": workbook.plan,
            "session": s,
            "sections": partners.memo_sections(s),
            "signatories": partners.signatories,
            "review": review_follow_up(workbook, s, day),
        },
        lambda s: s.memo_date,
        lambda s: f"Aide-mémoire des PTF – {session_name(s)}",
        options.today,
    )


@register("previsions-decaissements", "Prévisions de décaissements des appuis budgétaires")
def plan_forecast(workbook: Workbook, options: Options) -> list[Output]:
    partners = workbook.partners
    if partners is None or not partners.forecasts:
        return []
    table = forecast_table(partners)
    stem = f"prevision_decaissements_{table.label}"
    # Its own date: the one staff give, else the build date (validation warned).
    situation = partners.forecast_date or options.today
    context = {
        "plan": workbook.plan,
        "table": table,
        "situation": situation,
        # Scheduled against disbursed, per partner and year of the mandate (aid predictability).
        "predictability": predictability_table(partners),
    }
    return [
        Output(
            "previsions-decaissements",
            f"{stem}.docx",
            "previsions_decaissements.docx",
            context,
            date=situation,
            title=f"Prévisions de décaissements des appuis budgétaires {table.label}",
        ),
        Output(
            "previsions-decaissements",
            f"{stem}.xlsx",
            data=forecast_workbook(workbook.plan, table, situation),
            date=situation,
            title=f"Prévisions de décaissements des appuis budgétaires {table.label} "
            "(tableau Excel)",
        ),
    ]


# --- The forecast as an Excel workbook, for the ministry ---
#
# Written with XlsxWriter, which stores a formula together with its result: openpyxl
# writes formulas without one, and LibreOffice, a viewer or a previewer then shows
# empty totals until something recalculates them. The summary is computed from the
# detail sheet by formulas (SUMIFS, SUM), so a line corrected in "Détail" updates every
# total; the results stored with them are the model's own figures.

DETAIL_SHEET = "Détail"


def _column_sum(col: int, first: int, last: int) -> str:
    return f"SUM({cell(first, col)}:{cell(last, col)})"


def _row_sum(row: int, first: int, last: int) -> str:
    return f"SUM({cell(row, first)}:{cell(row, last)})"


def _write_detail(sheet: Sheet, table: ForecastTable) -> dict[str, str]:
    """The forecast lines, one per row; the absolute ranges of its columns, by name."""
    sheet.header(
        0,
        ["Partenaire", "Sigle", "Instrument", "Année", "Montant (FCFA)", "Statut"],
        [36, 8, 52, 8, 20, 12],
    )
    for row, line in enumerate(table.lines, start=1):
        sheet.text(row, 0, line.partner.name, "text")
        sheet.text(row, 1, line.partner.acronym, "text")
        sheet.text(row, 2, line.instrument, "text")
        sheet.ws.write_number(row, 3, line.year, sheet.f["year"])
        sheet.amount(row, 4, line.amount)
        sheet.text(row, 5, "Ferme" if line.firm else "Indicatif", "text")
    sheet.ws.freeze_panes(1, 0)
    sheet.print_setup()
    last = len(table.lines)
    quoted = f"'{DETAIL_SHEET}'!"
    return {
        name: quoted + f"{cell(1, col, True, True)}:{cell(last, col, True, True)}"
        for name, col in (("partner", 1), ("year", 3), ("amount", 4), ("status", 5))
    }


def _sumifs(ranges: dict[str, str], key: str, criterion_cell: str, year: int) -> str:
    """Sum of the detail's amounts whose ``key`` column equals the cell, for one year."""
    return f"SUMIFS({ranges['amount']},{ranges[key]},{criterion_cell},{ranges['year']},{year})"


def _write_amounts(
    sheet: Sheet,
    lines,
    first: int,
    years,
    ranges: dict[str, str],
    criterion: tuple[str, int],
    totals: list,
) -> int:
    """The year columns and row totals of ``lines`` (rows from ``first``), each a formula
    over the detail whose ``criterion`` (detail column, label column) matches the row,
    then a "Total" row of column sums showing ``totals``; the total row's index."""
    key, label_col = criterion
    total_col = 3 + len(years)
    for row, line in enumerate(lines, start=first):
        for i, (year, value) in enumerate(zip(years, line.amounts)):
            sheet.amount(
                row, 3 + i, value, formula=_sumifs(ranges, key, cell(row, label_col, True), year)
            )
        sheet.amount(row, total_col, line.total, formula=_row_sum(row, 3, total_col - 1))
    last = first + len(lines) - 1
    total_row = last + 1
    sheet.ws.merge_range(total_row, 0, total_row, 2, "Total", sheet.f["total"])
    for i, value in enumerate(totals):
        sheet.amount(total_row, 3 + i, value, "total_amount", _column_sum(3 + i, first, last))
    return total_row


def forecast_workbook(plan: Plan, table: ForecastTable, situation: dt.date) -> bytes:
    """The forecast as .xlsx bytes: a summary sheet by partner and by status, every
    figure a formula over the detail sheet stored with its value, and the detail."""
    book, buffer = open_workbook()
    formats = house_formats(book)
    summary = Sheet(book, "Prévisions", formats)
    ranges = _write_detail(Sheet(book, DETAIL_SHEET, formats), table)

    years, n = table.years, len(table.years)
    title = f"Prévisions de décaissements des appuis budgétaires {years[0]} – {years[-1]}"
    summary.text(0, 0, title, "title")
    summary.text(
        1,
        0,
        f"{plan.identity.group_name} – {plan.identity.country}. Situation au "
        f"{long_date(situation)}. Montants en FCFA ; n = {years[0]}, année de "
        f"fin du mandat {plan.mandate.short_label}.",
        "subtitle",
    )
    widths = [36, 8, 52, *([20] * n), 22]
    year_titles = [str(y) for y in years]
    summary.header(
        3, ["Partenaire", "Sigle", "Instrument(s)", *year_titles, f"Total {table.label}"], widths
    )
    first = 4
    for row, line in enumerate(table.rows, start=first):
        summary.text(row, 0, line.partner.name, "text")
        summary.text(row, 1, line.partner.acronym, "text")
        summary.text(row, 2, line.instruments, "text")
    total_row = _write_amounts(
        summary,
        table.rows,
        first,
        years,
        ranges,
        ("partner", 1),
        [*table.year_totals, table.grand_total],
    )

    label_row = total_row + 2
    summary.text(label_row, 0, "Répartition par statut", "section")
    status_header = label_row + 1
    summary.header(status_header, ["Statut", "", "", *year_titles, f"Total {table.label}"], widths)
    summary.ws.merge_range(status_header, 0, status_header, 2, "Statut", formats["header"])
    status_first = status_header + 1
    for row, line in enumerate(table.by_status, start=status_first):
        summary.ws.merge_range(row, 0, row, 2, line.status, formats["text"])
    status_sums = [sum(s.amounts[i] for s in table.by_status) for i in range(n)]
    _write_amounts(
        summary,
        table.by_status,
        status_first,
        years,
        ranges,
        ("status", 0),
        [*status_sums, sum(status_sums)],
    )
    summary.ws.freeze_panes(first, 0)
    summary.print_setup()

    return close_workbook(book, buffer, title, plan.identity.group_name, situation)
