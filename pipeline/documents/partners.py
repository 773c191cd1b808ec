"""The partners' documents: the PTF speech of each session, the aide-mémoire on the
annual review, and the budget-support disbursement forecast (Word and Excel)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook as ExcelWorkbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..model import ForecastTable, Plan, Workbook, forecast_table
from ..values import slug
from . import Options, Output, register, unique_name


def _per_session(workbook: Workbook, kind: str, template: str, wanted, name, context) -> list[Output]:
    """One output per session for which ``wanted(session)`` holds, with unique names."""
    partners = workbook.partners
    if partners is None:
        return []
    taken: set[str] = set()
    return [Output(kind, unique_name(name(session), taken), template, context(partners, session))
            for session in partners.sessions if wanted(session)]


@register("discours", "Discours des PTF (un par session)")
def plan_speeches(workbook: Workbook, options: Options) -> list[Output]:
    return _per_session(
        workbook, "discours", "discours.docx", lambda s: s.has_speech,
        lambda s: f"discours_{slug(s.body, '_')}_{s.date.isoformat()}.docx",
        lambda partners, s: {"plan": workbook.plan, "session": s})


@register("aide-memoire", "Aide-mémoire des PTF sur la revue annuelle")
def plan_memos(workbook: Workbook, options: Options) -> list[Output]:
    framework = slug(workbook.plan.identity.framework, "_")
    return _per_session(
        workbook, "aide-memoire", "aide_memoire.docx", lambda s: s.has_memo,
        lambda s: f"aide_memoire_revue_{framework}_{s.date.isoformat()}.docx",
        lambda partners, s: {"plan": workbook.plan, "session": s,
                             "sections": partners.memo_sections(s),
                             "signatories": partners.signatories})


@register("previsions-decaissements", "Prévisions de décaissements des appuis budgétaires")
def plan_forecast(workbook: Workbook, options: Options) -> list[Output]:
    partners = workbook.partners
    if partners is None or not partners.forecasts:
        return []
    table = forecast_table(partners)
    stem = f"prevision_decaissements_{table.label}"
    context = {"plan": workbook.plan, "table": table}
    return [
        Output("previsions-decaissements", f"{stem}.docx", "previsions_decaissements.docx", context),
        Output("previsions-decaissements", f"{stem}.xlsx",
               data=forecast_workbook(workbook.plan, table)),
    ]


# --- The forecast as an Excel workbook, for the ministry ---

_FILL = PatternFill("solid", fgColor="1F4E79")
_TOTAL_FILL = PatternFill("solid", fgColor="D9E2F3")
_WHITE = Font(bold=True, color="FFFFFF")
_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(_THIN, _THIN, _THIN, _THIN)
# Thousands separator of the reader's locale (a space in French); a dash for zero.
AMOUNT_FORMAT = '#,##0;-#,##0;"–"'


def _table(ws, top: int, headers: list[str], rows: list[list], total: list | None,
           widths: list[int], amount_from: int, label_span: int = 1) -> int:
    """Write a header row, data rows and an optional total row; the next free row.
    ``label_span`` > 1 merges the first columns of each row (one label over them)."""
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=top, column=col, value=header)
        cell.fill, cell.font, cell.border = _FILL, _WHITE, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
    body = rows + ([total] if total else [])
    for offset, values in enumerate(body, start=1):
        is_total = total is not None and offset == len(body)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=top + offset, column=col, value=value)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top")
            if col >= amount_from and isinstance(value, (int, float)):
                cell.number_format = AMOUNT_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="top")
            if is_total:
                cell.font, cell.fill = _BOLD, _TOTAL_FILL
    if label_span > 1:
        for row in range(top, top + len(body) + 1):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_span)
    return top + len(body) + 2


def _print_setup(ws) -> None:
    """Print on A4 landscape, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def forecast_workbook(plan: Plan, table: ForecastTable) -> bytes:
    """The forecast table as .xlsx bytes: a summary sheet by partner and year with its
    totals (values computed in Python, not formulas), and the detail of each line."""
    book = ExcelWorkbook()
    ws = book.active
    ws.title = "Prévisions"
    years = [str(y) for y in table.years]
    title = (f"Prévisions de décaissements des appuis budgétaires {table.years[0]} – "
             f"{table.years[-1]}")
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14, color="1F4E79")
    ws["A2"] = (f"{plan.identity.group_name} – {plan.identity.country}. Montants en FCFA ; "
                f"n = {table.years[0]}, année de fin du mandat {plan.mandate.short_label}.")
    ws["A2"].font = Font(italic=True, color="595959")
    rows = [[r.partner.name, r.partner.acronym, r.instruments, *r.amounts, r.total]
            for r in table.rows]
    total = ["Total", None, None, *table.year_totals, table.grand_total]
    widths = [36, 8, 52, *([20] * len(years)), 22]
    headers = ["Partenaire", "Sigle", "Instrument(s)", *years, f"Total {table.label}"]
    next_row = _table(ws, 4, headers, rows, total, widths, amount_from=4)
    ws.merge_cells(start_row=next_row - 2, start_column=1, end_row=next_row - 2, end_column=3)
    ws.cell(row=next_row, column=1, value="Répartition par statut").font = _BOLD
    status_rows = [[s.status, None, None, *s.amounts, s.total] for s in table.by_status]
    _table(ws, next_row + 1, ["Statut", None, None, *headers[3:]], status_rows, total, widths,
           amount_from=4, label_span=3)
    ws.freeze_panes = "A5"
    _print_setup(ws)

    detail = book.create_sheet("Détail")
    lines = [[f.partner.name, f.partner.acronym, f.instrument, f.year, f.amount,
              "Ferme" if f.firm else "Indicatif"] for f in table.lines]
    _table(detail, 1, ["Partenaire", "Sigle", "Instrument", "Année", "Montant (FCFA)", "Statut"],
           lines, None, [36, 8, 52, 8, 20, 12], amount_from=5)
    for row in range(2, len(lines) + 2):
        detail.cell(row=row, column=4).number_format = "0"
        detail.cell(row=row, column=4).alignment = Alignment(horizontal="center", vertical="top")
    detail.freeze_panes = "A2"
    _print_setup(detail)

    # Fixed properties: the same workbook always gives the same bytes.
    stamp = dt.datetime.combine(plan.document_date, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = plan.identity.group_name
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
