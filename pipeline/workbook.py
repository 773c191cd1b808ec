"""Create workbooks that follow the schema: blank ones for a new mandate, and filled
ones for the shipped sample and the test fixtures.

A new workbook has an instructions sheet, styled and frozen header rows, drop-down
lists (Excel data validation) for every column whose values come from a list, text
format for codes (so Excel keeps "1.10"), and one column per month of the mandate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import schema
from .formats import month_year
from .model import month_range

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HELP_FONT = Font(italic=True, color="595959")
THIN = Side(style="thin", color="A6A6A6")
# Rows offered with drop-down lists; rows beyond still validate in the pipeline.
LIST_ROWS = 1000

INSTRUCTIONS_TEXT = [
    ("Classeur du plan de travail de la Troïka", "title"),
    ("Ce classeur contient toutes les données des documents officiels. Remplissez-le, "
     "enregistrez-le au format .xlsx dans le dossier inputs/, puis lancez « make reports ».", ""),
    ("Règles générales", "heading"),
    ("• Ne renommez ni les feuilles ni les en-têtes de colonnes (ligne 1).", ""),
    ("• Une ligne par élément ; les lignes vides sont ignorées.", ""),
    ("• Utilisez les listes déroulantes quand elles existent : elles évitent les fautes de frappe.", ""),
    ("• Les dates s'écrivent 31/05/2022 ; un mois peut s'écrire « mai 2022 ».", ""),
    ("• Dans la feuille Activités, mettez un « x » dans la colonne de chaque mois où "
     "l'activité est programmée.", ""),
    ("• Pour vérifier le classeur sans produire les documents : « troika verifier ».", ""),
    ("Les feuilles", "heading"),
]


def _style_header(ws, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(THIN, THIN, THIN, THIN)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _kinds():
    # Imported late: the documents package is not needed to describe the schema.
    from .documents import KINDS

    return KINDS


def list_values() -> dict[str, tuple[str, ...]]:
    """The fixed drop-down lists, with the document kinds taken from the registry."""
    return {**schema.LISTS, "document_kinds": tuple(_kinds())}


def _list_formula(name: str) -> str:
    if name in schema.REFERENCES:
        sheet_name, key = schema.REFERENCES[name]
        sheet = schema.SHEETS[sheet_name]
        col = get_column_letter([c.key for c in sheet.columns].index(key) + 1)
        return f"={quote_sheetname(sheet_name)}!${col}$2:${col}${LIST_ROWS}"
    lists = list_values()
    col = get_column_letter(list(lists).index(name) + 1)
    count = len(lists[name]) + 1
    return f"={quote_sheetname(schema.LISTS_SHEET)}!${col}$2:${col}${count}"


def _add_list(ws, column_letter: str, name: str) -> None:
    validation = DataValidation(type="list", formula1=_list_formula(name), allow_blank=True,
                                showErrorMessage=True, errorStyle="warning",
                                errorTitle="Valeur hors liste",
                                error="Choisissez une valeur dans la liste déroulante.")
    validation.add(f"{column_letter}2:{column_letter}{LIST_ROWS}")
    ws.add_data_validation(validation)


def _sheet_columns(spec: schema.Sheet, months: list[dt.date]) -> list[tuple[str, schema.Column | None]]:
    """(header, column) for every column of a sheet, month columns having None."""
    columns = [(c.header, c) for c in spec.columns]
    if spec.repeated:
        columns += [(f"{spec.repeated.header} {i}", spec.repeated)
                    for i in range(1, spec.repeated_count + 1)]
    if spec.months:
        columns += [(month_year(m), None) for m in months]
    return columns


def new_workbook(start: dt.date, end: dt.date) -> Workbook:
    """A blank workbook for a mandate running from ``start``'s month to ``end``'s."""
    months = month_range(start, end)
    book = Workbook()
    ws = book.active
    ws.title = schema.INSTRUCTIONS
    ws.column_dimensions["A"].width = 120
    lines = INSTRUCTIONS_TEXT + [(f"• {schema.PARAMETERS_SHEET} : identité du groupe, dates du "
                                  "mandat et du document.", "")]
    lines += [(f"• {spec.name} : {spec.help}", "") for spec in schema.SHEETS.values()]
    lines += [(f"• Documents à choisir dans la feuille {schema.DISTRIBUTION.name} : " + " ; ".join(
        f"{key} = {kind.label}" for key, kind in _kinds().items()) + ".", "")]
    for text, kind in lines:
        ws.append([text])
        cell = ws.cell(row=ws.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            cell.font = Font(bold=True, size=16, color="1F4E79")
        elif kind == "heading":
            cell.font = Font(bold=True, size=12, color="1F4E79")

    params = book.create_sheet(schema.PARAMETERS_SHEET)
    params.append(["Paramètre", "Valeur", "Aide"])
    _style_header(params, [36, 60, 70])
    for param in schema.PARAMETERS:
        value = {"mandate_start": start, "mandate_end": end,
                 "schema_version": schema.SCHEMA_VERSION}.get(param.key)
        params.append([param.label, value, param.help])
        params.cell(row=params.max_row, column=3).font = HELP_FONT
        if param.kind in (schema.DATE, schema.MONTH):
            params.cell(row=params.max_row, column=2).number_format = "DD/MM/YYYY"

    for spec in schema.SHEETS.values():
        ws = book.create_sheet(spec.name)
        columns = _sheet_columns(spec, months)
        ws.append([header for header, _ in columns])
        _style_header(ws, [c.width if c else 9 for _, c in columns])
        for index, (_header, column) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if column is None:
                _add_list_of_marks(ws, letter)
                continue
            if column.choices:
                _add_list(ws, letter, column.choices)
            if column.kind == schema.CODE:
                # Text format, so that Excel keeps "1.10" instead of the number 1.1.
                ws.column_dimensions[letter].number_format = "@"
            if column.kind == schema.DATE:
                ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        for index, (_header, column) in enumerate(columns, start=1):
            if column is not None and column.width >= 60:
                ws.column_dimensions[get_column_letter(index)].alignment = Alignment(wrap_text=True)

    _prefill_periods(book, start, end)

    lists = book.create_sheet(schema.LISTS_SHEET)
    for index, (name, values) in enumerate(list_values().items(), start=1):
        lists.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
    lists.sheet_state = "hidden"
    return book


def _prefill_periods(book: Workbook, start: dt.date, end: dt.date) -> None:
    """Offer the default quarters of the mandate, which staff may replace."""
    from .model import Mandate, default_periods, month_end

    periods = default_periods(Mandate(start.replace(day=1), month_end(end)))
    append_rows(book, schema.PERIODS.name,
                [{"label": p.label, "start": p.start, "end": p.end} for p in periods])
    for row in book[schema.PERIODS.name].iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"


def _add_list_of_marks(ws, letter: str) -> None:
    validation = DataValidation(type="list", formula1=f'"{schema.SCHEDULE_MARK}"', allow_blank=True)
    validation.add(f"{letter}2:{letter}{LIST_ROWS}")
    ws.add_data_validation(validation)
    ws.column_dimensions[letter].alignment = Alignment(horizontal="center")


def set_parameters(book: Workbook, values: dict[str, object]) -> None:
    """Fill the Paramètres sheet from parameter keys."""
    ws = book[schema.PARAMETERS_SHEET]
    rows = {p.key: i for i, p in enumerate(schema.PARAMETERS, start=2)}
    for key, value in values.items():
        ws.cell(row=rows[key], column=2, value=value)


def append_rows(book: Workbook, sheet_name: str, rows: Iterable[dict]) -> None:
    """Append rows given as {column key: value}; the repeated column takes a list, and
    "months" a collection of first-of-month dates to mark with an "x"."""
    spec = schema.SHEETS[sheet_name]
    ws = book[sheet_name]
    headers = [c.value for c in ws[1]]
    for row in rows:
        values: list = [None] * len(headers)
        for index, column in enumerate(spec.columns):
            values[index] = row.get(column.key)
        if spec.repeated:
            base = len(spec.columns)
            for offset, value in enumerate(row.get(spec.repeated.key, [])):
                values[base + offset] = value
        for month in row.get("months", ()):
            values[headers.index(month_year(month))] = schema.SCHEDULE_MARK
        ws.append(values)
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(row=ws.max_row, column=index)
            if column.kind == schema.CODE:
                cell.number_format = "@"
            if column.width >= 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def add_instructions(book: Workbook, lines: Iterable[str]) -> None:
    """Append paragraphs to the instructions sheet (e.g. notes on illustrative data)."""
    ws = book[schema.INSTRUCTIONS]
    for line in lines:
        ws.append([line])
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def save_new(book: Workbook, path: Path) -> None:
    """Save a workbook to a path that must not exist yet (never overwrite staff's work)."""
    path = Path(path)
    if path.exists():
        from .exceptions import OutputError

        raise OutputError(f"Le fichier {path} existe déjà : choisissez un autre nom.")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
