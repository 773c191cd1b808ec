"""The partners' documents: the PTF speech of each session, the aide-mémoire on the
annual review, and the budget-support disbursement forecast (Word and Excel)."""

from __future__ import annotations

import datetime as dt
import io

from xlsxwriter import Workbook as ExcelWriter

from ..formats import long_date
from ..model import (
    ForecastTable,
    Plan,
    Session,
    Workbook,
    forecast_table,
    predictability_table,
)
from ..workbook.values import slug
from . import DRAFT_MARK, Options, Output, event_dating, register, unique_name
from .excel import AMOUNT_FORMAT, FONT, Sheet, cell, house_formats

# The forecast's Excel formats, named here too (its tests and older code import them here).
__all__ = ["AMOUNT_FORMAT", "FONT"]


def session_name(session: Session) -> str:
    """ "Comité technique national (CTN), session de revue annuelle 2021": tells a CTN
    document from the CNP one of the same review."""
    return f"{session.body_name} ({session.body}), {session.label}"


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
    dated by ``event(session)`` (a draft while it is ahead of ``today``)."""
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
                {**context(partners, session), **dating},
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
        lambda partners, s: {"plan": workbook.plan, "session": s},
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
        lambda partners, s: {
            "plan": workbook.plan,
            "session": s,
            "sections": partners.memo_sections(s),
            "signatories": partners.signatories,
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
    buffer = io.BytesIO()
    book = ExcelWriter(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
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

    # Fixed properties: the same workbook always gives the same bytes.
    book.set_properties(
        {
            "title": title,
            "author": plan.identity.group_name,
            "created": dt.datetime.combine(situation, dt.time()),
        }
    )
    book.close()
    return buffer.getvalue()
