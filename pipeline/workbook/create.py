"""Create workbooks that follow the schema: blank ones for a new mandate, and filled
ones for the shipped sample and the test fixtures.

A new workbook is a form: an instructions sheet with a legend, header rows marking
required and optional columns, an input message on every column (the schema's help
text), Excel data validation (drop-down lists, dates, whole numbers, amounts, years,
e-mail addresses) with French alerts, French number and date formats, text format
for codes (so Excel keeps "1.10"), one column per month of the mandate, and print
settings that give readable pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..formats import LOCALE
from ..model import month_range
from . import schema
from .values import parse_month

# Required columns: dark header; optional ones: light header in italics (see the legend).
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
OPTIONAL_FONT = Font(bold=True, italic=True, color="1F4E79")
HELP_FONT = Font(italic=True, color="595959")
THIN = Side(style="thin", color="A6A6A6")
# Rows offered with drop-down lists and checks; rows beyond still validate in the pipeline.
LIST_ROWS = 1000
INSTRUCTIONS_WIDTH = 100
MONTH_WIDTH = 7  # "sept. 2021" on two lines ("sept." / "2021")

DATE_FORMAT = "DD/MM/YYYY"
# Amounts with spaces as literal characters rather than Excel's locale-dependent
# thousands separator, so that 150000000000 reads "150 000 000 000" in an English
# Excel too (and never turns to scientific notation). Conditions pick how many groups.
AMOUNT_FORMAT = r"[>=1000000000]#\ ###\ ###\ ##0;[>=1000000]#\ ###\ ##0;#\ ##0"
YEAR_FORMAT = "0"
# Bounds of the date and year checks: anything outside is a typing slip.
FIRST_DATE, LAST_DATE = dt.datetime(2000, 1, 1), dt.datetime(2100, 12, 31)
# Excel's limits on input messages and alerts (longer ones are refused on opening).
TITLE_MAX, MESSAGE_MAX = 32, 255
# Row heights of wrapped texts: characters per unit of column width, points per line.
CHARS_PER_WIDTH, LINE_HEIGHT, MAX_ROW_HEIGHT = 1.1, 15, 409
WRAPPED = Alignment(wrap_text=True, vertical="top")
CENTERED = Alignment(horizontal="center", vertical="top")
TOP = Alignment(vertical="top")
# Sheets whose first repeated column must be filled (an activity needs a responsible body).
FIRST_REPEATED_REQUIRED = {schema.ACTIVITIES.name}

INSTRUCTIONS_TEXT = [
    ("Classeur du plan de travail de la Troïka", "title"),
    (
        "Ce classeur contient toutes les données des documents officiels. Remplissez-le, "
        "enregistrez-le au format .xlsx dans le dossier inputs/, puis double-cliquez sur le "
        "lanceur « Produire les documents » (ou, dans la page de l'outil, cliquez sur le "
        "bouton « Produire les documents » ; dans un terminal : « troika construire »).",
        "",
    ),
    ("Règles générales", "heading"),
    ("• Ne renommez ni les feuilles ni les en-têtes de colonnes (ligne 1).", ""),
    ("• Une ligne par élément ; les lignes vides sont ignorées.", ""),
    (
        "• Cliquez sur une cellule : une bulle d'aide dit ce qu'il faut y saisir. Excel signale "
        "une date, un nombre, une année ou une adresse électronique impossible.",
        "",
    ),
    (
        "• Utilisez les listes déroulantes quand elles existent : elles évitent les fautes de frappe.",
        "",
    ),
    (
        "• Les dates s'écrivent 31/05/2022 ; un mois peut s'écrire « mai 2022 ». Les montants "
        "s'écrivent en chiffres, sans espace ni devise : Excel les affiche 150 000 000 000.",
        "",
    ),
    (
        "• Dans la feuille Activités, mettez un « x » dans la colonne de chaque mois où "
        "l'activité est programmée, et laissez vide un mois non programmé. Une autre "
        "marque qui veut dire oui (✓, oui, 1, VRAI) compte aussi, mais un avertissement "
        "nomme sa cellule ; toute autre valeur est refusée.",
        "",
    ),
    (
        "• Les codes d'activité (1.1, 1.10…) s'écrivent avec un point : mettez leur colonne "
        "au format Texte, sinon Excel en fait un nombre (1.10 devient 1.1) ou une date.",
        "",
    ),
    (
        "• Les prévisions et décaissements que les partenaires publient au format IATI "
        "peuvent être repris dans un nouveau classeur, à côté des montants saisis : "
        "« troika importer-iati » (voir le README).",
        "",
    ),
    (
        "• Pour vérifier le classeur sans produire les documents : bouton « Vérifier » "
        "de la page de l'outil (dans un terminal : « troika verifier »).",
        "",
    ),
    ("Légende des en-têtes de colonnes", "heading"),
    (
        "Colonne obligatoire : chaque ligne remplie doit avoir une valeur dans cette colonne.",
        "required",
    ),
    ("Colonne facultative : peut rester vide ; vous pouvez même supprimer la colonne.", "optional"),
    ("Les feuilles", "heading"),
]


def month_header(month: dt.date) -> str:
    """ "sept. 2021": the header of a month column, short enough to fit on two lines."""
    return format_date(month, "MMM y", locale=LOCALE)


def _style_header(ws: Worksheet, widths: list[int], required: list[bool] | None = None) -> None:
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=index)
        optional = required is not None and not required[index - 1]
        cell.fill = OPTIONAL_FILL if optional else HEADER_FILL
        cell.font = OPTIONAL_FONT if optional else HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(THIN, THIN, THIN, THIN)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _set_print(ws: Worksheet, title_row: bool = True) -> None:
    """Landscape A4, as wide as one page, header row repeated, sheet and page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.7
    ws.page_margins.header, ws.page_margins.footer = 0.2, 0.3
    ws.print_options.gridLines = title_row
    if title_row:
        ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&A – page &P sur &N"


def _kinds():
    # Imported late: the documents package is not needed to describe the schema.
    from ..documents import KINDS

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


def _is_year(column: schema.Column | schema.Parameter) -> bool:
    # The schema has no year kind: a year is a whole number named "year".
    return column.kind == schema.INT and column.key == "year"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _checks(column: schema.Column | schema.Parameter, first_cell: str) -> dict:
    """Data validation settings of a column: type, bounds, French alert and a hint for
    the input message. Dates, amounts and e-mails only warn (the pipeline also reads
    "mai 2022" or "12 500 000" typed as text); whole numbers and years are refused."""
    if getattr(column, "choices", None):
        return dict(
            type="list",
            formula1=_list_formula(column.choices),
            errorStyle="warning",
            errorTitle="Valeur hors liste",
            error="Choisissez une valeur dans la liste déroulante.",
            hint="Choisissez dans la liste déroulante.",
        )
    if column.kind in (schema.DATE, schema.MONTH):
        return dict(
            type="date",
            operator="between",
            formula1=str(int(to_excel(FIRST_DATE))),
            formula2=str(int(to_excel(LAST_DATE))),
            errorStyle="warning",
            errorTitle="Date attendue",
            error="Saisissez une date sous la forme 31/05/2022.",
            hint="Date sous la forme 31/05/2022.",
        )
    if _is_year(column):
        return dict(
            type="whole",
            operator="between",
            formula1="2000",
            formula2="2100",
            errorStyle="stop",
            errorTitle="Année attendue",
            error="Saisissez une année à quatre chiffres, par exemple 2023.",
            hint="Année à quatre chiffres, ex. : 2023.",
        )
    if column.kind == schema.INT:
        return dict(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="stop",
            errorTitle="Nombre entier attendu",
            error="Saisissez un nombre entier positif, sans texte, par exemple 2.",
            hint="Nombre entier, ex. : 2.",
        )
    if column.kind == schema.NUMBER and column.key == "amount":
        return dict(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="warning",
            errorTitle="Montant attendu",
            error="Saisissez un montant positif ou nul, en chiffres, sans espace ni "
            "devise, par exemple 150000000.",
            hint="Montant en chiffres, sans espace ni devise.",
        )
    if column.kind == schema.NUMBER:
        # Any other number (a size in megabytes...): an amount's wording would mislead.
        return dict(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="warning",
            errorTitle="Nombre attendu",
            error="Saisissez un nombre positif ou nul, en chiffres, sans unité, par exemple 10.",
            hint="Nombre en chiffres, sans unité, ex. : 10.",
        )
    if column.kind == schema.EMAIL:
        # One "@", a dot somewhere after it, no space: FIND, LEN and SUBSTITUTE behave
        # the same in Excel and LibreOffice (no wildcards, no regular expressions).
        c = first_cell
        formula = (
            f'AND(LEN({c})-LEN(SUBSTITUTE({c},"@",""))=1,'
            f'ISNUMBER(FIND(".",{c},FIND("@",{c}))),ISERROR(FIND(" ",{c})))'
        )
        return dict(
            type="custom",
            formula1=formula,
            errorStyle="warning",
            errorTitle="Adresse électronique",
            error="Saisissez une seule adresse, sans nom ni espace, par exemple "
            "prenom.nom@organisation.org.",
            hint="Une adresse, ex. : prenom.nom@organisation.org.",
        )
    return dict(type=None, hint="")


def _validation(
    column: schema.Column | schema.Parameter, title: str, required: bool, first_cell: str
) -> DataValidation:
    """One data validation for a column: its check (if any) and its input message,
    which says whether the column is required and repeats the schema's help text."""
    checks = _checks(column, first_cell)
    hint = checks.pop("hint")
    parts = ["Obligatoire." if required else "Facultatif.", column.help, hint]
    prompt = " ".join(p.strip() for p in parts if p)
    return DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=checks["type"] is not None,
        promptTitle=_clip(title, TITLE_MAX),
        prompt=_clip(prompt, MESSAGE_MAX),
        **checks,
    )


def _add_validation(ws: Worksheet, letter: str, validation: DataValidation) -> None:
    validation.add(f"{letter}2:{letter}{LIST_ROWS}")
    ws.add_data_validation(validation)


def _add_month_checks(ws: Worksheet, letter: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=f'"{schema.SCHEDULE_MARK}"',
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle="Mois du calendrier",
        prompt=f"Mettez un « {schema.SCHEDULE_MARK} » si l'activité est programmée ce mois-ci ; "
        "sinon laissez la cellule vide.",
        errorTitle="Mois programmé ?",
        error=f"Mettez un « {schema.SCHEDULE_MARK} » ou laissez la cellule vide.",
    )
    _add_validation(ws, letter, validation)
    ws.column_dimensions[letter].alignment = Alignment(horizontal="center")


def _sheet_columns(
    spec: schema.Sheet, months: list[dt.date]
) -> list[tuple[str, schema.Column | None, bool]]:
    """(header, column, required) for every column of a sheet, month columns having
    column None."""
    columns = [(c.header, c, c.required) for c in spec.columns]
    if spec.repeated:
        columns += [
            (
                f"{spec.repeated.header} {i}",
                spec.repeated,
                spec.repeated.required or (i == 1 and spec.name in FIRST_REPEATED_REQUIRED),
            )
            for i in range(1, spec.repeated_count + 1)
        ]
    if spec.months:
        columns += [(month_header(m), None, False) for m in months]
    return columns


def _column_format(column: schema.Column | schema.Parameter) -> str | None:
    if column.kind == schema.CODE:
        return "@"  # text, so that Excel keeps "1.10" instead of the number 1.1
    if column.kind in (schema.DATE, schema.MONTH):
        return DATE_FORMAT
    if column.kind == schema.NUMBER:
        return AMOUNT_FORMAT
    if _is_year(column):
        return YEAR_FORMAT
    return None


def _write_instructions(book: Workbook) -> None:
    ws = book.active
    ws.title = schema.INSTRUCTIONS
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    lines = INSTRUCTIONS_TEXT + [
        (f"• {schema.PARAMETERS_SHEET} : identité du groupe, dates du mandat et du document.", "")
    ]
    lines += [(f"• {spec.name} : {spec.help}", "") for spec in schema.SHEETS.values()]
    lines += [
        (
            f"• Documents à choisir dans la feuille {schema.DISTRIBUTION.name} : "
            + " ; ".join(f"{key} = {kind.label}" for key, kind in _kinds().items())
            + ".",
            "",
        )
    ]
    for row, (text, kind) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = WRAPPED
        ws.row_dimensions[row].height = row_height({1: text}, {1: INSTRUCTIONS_WIDTH})
        if kind == "title":
            cell.font = Font(bold=True, size=16, color="1F4E79")
            ws.row_dimensions[row].height = 28
        elif kind == "heading":
            cell.font = Font(bold=True, size=12, color="1F4E79")
        elif kind in ("required", "optional"):
            # The legend looks like the headers it explains.
            optional = kind == "optional"
            cell.fill = OPTIONAL_FILL if optional else HEADER_FILL
            cell.font = OPTIONAL_FONT if optional else HEADER_FONT
            cell.border = Border(THIN, THIN, THIN, THIN)
    _set_print(ws, title_row=False)


def _write_parameters(book: Workbook, start: dt.date, end: dt.date) -> None:
    ws = book.create_sheet(schema.PARAMETERS_SHEET)
    ws.append(["Paramètre", "Valeur", "Aide"])
    _style_header(ws, [36, 60, 70])
    defaults = {
        "mandate_start": start,
        "mandate_end": end,
        # The plan's date until staff type the real one.
        "document_date": start,
        "schema_version": schema.SCHEMA_VERSION,
        "max_mail_size": schema.DEFAULT_MAX_MAIL_SIZE,
    }
    for row, param in enumerate(schema.PARAMETERS, start=2):
        label = ws.cell(row=row, column=1, value=param.label)
        if not param.required:
            label.font = Font(italic=True)
        value = ws.cell(row=row, column=2, value=defaults.get(param.key))
        value.number_format = _column_format(param) or "General"
        value.alignment = Alignment(horizontal="left", wrap_text=True)
        help_cell = ws.cell(row=row, column=3, value=param.help)
        help_cell.font = HELP_FONT
        help_cell.alignment = WRAPPED
        ws.row_dimensions[row].height = row_height({3: param.help}, {3: 70})
        validation = _validation(param, param.label, param.required, f"B{row}")
        validation.add(f"B{row}")
        ws.add_data_validation(validation)
    _set_print(ws)


def new_workbook(start: dt.date, end: dt.date) -> Workbook:
    """A blank workbook for a mandate running from ``start``'s month to ``end``'s."""
    from ..model import month_end

    start, end = start.replace(day=1), month_end(end)
    months = month_range(start, end)
    book = Workbook()
    _write_instructions(book)
    _write_parameters(book, start, end)

    for spec in schema.SHEETS.values():
        ws = book.create_sheet(spec.name)
        columns = _sheet_columns(spec, months)
        ws.append([header for header, _, _ in columns])
        _style_header(
            ws,
            [c.width if c else MONTH_WIDTH for _, c, _ in columns],
            [required for _, _, required in columns],
        )
        for index, (header, column, required) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if column is None:
                _add_month_checks(ws, letter)
                continue
            _add_validation(ws, letter, _validation(column, header, required, f"{letter}2"))
            number_format = _column_format(column)
            if number_format:
                ws.column_dimensions[letter].number_format = number_format
            if column.kind == schema.TEXT:
                ws.column_dimensions[letter].alignment = WRAPPED
        if spec.name == schema.ACTIVITIES.name:
            ws.freeze_panes = "C2"  # code and label stay in view beside the months
        _set_print(ws)

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
    from ..model import Mandate, default_periods, month_end

    periods = default_periods(Mandate(start.replace(day=1), month_end(end)))
    append_rows(
        book,
        schema.PERIODS.name,
        [{"label": p.label, "start": p.start, "end": p.end} for p in periods],
    )


def set_parameters(book: Workbook, values: dict[str, object]) -> None:
    """Fill the Paramètres sheet from parameter keys."""
    ws = book[schema.PARAMETERS_SHEET]
    rows = {p.key: i for i, p in enumerate(schema.PARAMETERS, start=2)}
    for key, value in values.items():
        ws.cell(row=rows[key], column=2, value=value)


def _month_positions(headers: list) -> dict[dt.date, int]:
    positions = {}
    for index, header in enumerate(headers):
        try:
            positions[parse_month(header)] = index
        except (ValueError, TypeError):
            continue
    return positions


def row_height(values: dict[int, object], widths: dict[int, float]) -> float | None:
    """Points for a row whose wrapped texts need more than one line, estimated from
    the texts' lengths and the columns' widths: LibreOffice does not grow rows itself
    when it opens a file, and wrapped text would overlap on screen and on paper."""
    lines = 1
    for index, value in values.items():
        if not isinstance(value, str) or index not in widths:
            continue
        per_line = max(widths[index] * CHARS_PER_WIDTH, 1)
        lines = max(
            lines, sum(math.ceil(max(len(part), 1) / per_line) for part in value.split("\n"))
        )
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def append_rows(book: Workbook, sheet_name: str, rows: Iterable[dict]) -> None:
    """Append rows given as {column key: value}; the repeated column takes a list, and
    "months" a collection of first-of-month dates to mark with an "x" (or a dict of
    month -> mark). Dates, amounts
    and codes get their cell formats, texts wrap in rows tall enough to show them."""
    spec = schema.SHEETS[sheet_name]
    ws = book[sheet_name]
    headers = [c.value for c in ws[1]]
    months = _month_positions(headers) if spec.months else {}
    formats = {index: _column_format(column) for index, column in enumerate(spec.columns, 1)}
    widths = {
        index: ws.column_dimensions[get_column_letter(index)].width or MONTH_WIDTH
        for index in range(1, len(headers) + 1)
    }
    month_indexes = {index + 1 for index in months.values()}
    # The first free row is looked up once: asking ws.max_row for every row would
    # scan the whole sheet each time.
    number = ws.max_row
    for row in rows:
        number += 1
        values: list = [None] * len(headers)
        for index, column in enumerate(spec.columns):
            values[index] = row.get(column.key)
        if spec.repeated:
            base = len(spec.columns)
            for offset, value in enumerate(row.get(spec.repeated.key, [])):
                values[base + offset] = value
        marks = row.get("months", ())
        for month in marks:
            # A set of months gets "x"; a dict keeps each month's own mark (migration).
            values[months[month]] = (
                marks[month] if isinstance(marks, dict) else schema.SCHEDULE_MARK
            )
        filled = {index: value for index, value in enumerate(values, start=1) if value is not None}
        for index, value in filled.items():
            cell = ws.cell(row=number, column=index, value=value)
            if formats.get(index):
                cell.number_format = formats[index]
            if index in month_indexes:
                cell.alignment = CENTERED
            elif isinstance(value, str):
                cell.alignment = WRAPPED
            else:
                cell.alignment = TOP
        height = row_height(filled, widths)
        if height:
            ws.row_dimensions[number].height = height


def add_instructions(book: Workbook, lines: Iterable[str]) -> None:
    """Append paragraphs to the instructions sheet (e.g. notes on illustrative data)."""
    ws = book[schema.INSTRUCTIONS]
    for number, line in enumerate(lines, start=ws.max_row + 1):
        cell = ws.cell(row=number, column=1, value=line)
        cell.alignment = WRAPPED
        ws.row_dimensions[number].height = row_height({1: line}, {1: INSTRUCTIONS_WIDTH})


def save_new(book: Workbook, path: Path) -> None:
    """Save a workbook to a path that must not exist yet (never overwrite staff's work)."""
    from ..exceptions import OutputError, describe_os_error

    path = Path(path)
    if path.exists():
        raise OutputError(f"Le fichier {path} existe déjà : choisissez un autre nom.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # a half-written file is no workbook
        raise OutputError(
            f"Le classeur {path} n'a pas pu être écrit : {describe_os_error(exc)}"
        ) from exc
