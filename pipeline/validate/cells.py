"""Checks on single cells, whatever their sheet, run before the sheets' own rules.

- A single-line cell (a name, an organisation, a title, an address, a code…) must not
  hold a line break or a tab: Alt+Entrée in an organisation would otherwise cut the
  e-mail header it ends up in. Such a cell is cleaned (each break becomes a space) and
  reported with ``line-break``, so the rules that follow see the cleaned text.
- A cell whose text becomes part of a file or folder name must not be too long
  (``name-too-long``, an error: such a value is a mistake, a pasted paragraph). A name
  Windows reserves for a device (CON, NUL…) is made valid by :mod:`pipeline.output.names`
  (``con_``); ``reserved-name`` warns that the folder and files are named so.
"""

from __future__ import annotations

from ..output.names import RESERVED, windows_name
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawCell, RawWorkbook
from ..workbook.values import BREAKS as _BREAKS
from ..workbook.values import slug, to_one_line

# A part of a file name taken from a cell: its slug is at most this long, so that
# build/diffusion/<date>/<list>/<document> stays far below Windows' 260 characters.
MAX_NAME_PART = 60


def is_reserved_name(name: str) -> bool:
    """Whether Windows reserves ``name`` for a device (CON, nul.eml…): what precedes
    the first dot is what counts."""
    return name.partition(".")[0].rstrip(" ").casefold() in RESERVED


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def flatten_single_lines(raw: RawWorkbook, report: Report) -> None:
    """Replace the line breaks of every single-line text cell by spaces, reporting each."""
    for key, parameter in raw.parameters.items():
        if isinstance(parameter.value, str) and _BREAKS.search(parameter.value):
            label = next(p.label for p in schema.PARAMETERS if p.key == key)
            parameter.value = to_one_line(parameter.value)
            report.add("line-break", schema.PARAMETERS_SHEET, parameter.ref, column=label)
    for name, table in raw.tables.items():
        headers = {c.key: c.header for c in table.sheet.columns}
        repeated = table.sheet.repeated.header if table.sheet.repeated else ""
        for row in table.rows:
            for key, cell in row.cells.items():
                if (name, key) not in schema.MULTILINE_COLUMNS:
                    row.cells[key] = _flatten(cell, headers[key], name, report)
            row.repeated = [_flatten(cell, repeated, name, report) for cell in row.repeated]


def _flatten(cell: RawCell, column: str, sheet: str, report: Report) -> RawCell:
    if not isinstance(cell.value, str) or not _BREAKS.search(cell.value):
        return cell
    report.add("line-break", sheet, cell.ref, column=column)
    return RawCell(to_one_line(cell.value), cell.ref)


def check_file_name_parts(raw: RawWorkbook, report: Report) -> None:
    """Every cell that names a file gives a name Windows accepts."""
    for key, alone in schema.FILE_NAME_PARAMETERS.items():
        parameter = raw.parameters.get(key)
        if parameter is not None:
            _check_name(parameter.value, alone, schema.PARAMETERS_SHEET, parameter.ref, report)
    for (sheet, key), alone in schema.FILE_NAME_COLUMNS.items():
        table = raw.tables.get(sheet)
        for row in table.rows if table else ():
            cell = row.cells.get(key)
            if cell is not None:
                _check_name(cell.value, alone, sheet, cell.ref, report)


def _check_name(value, alone: bool, sheet: str, ref: str, report: Report) -> None:
    if not isinstance(value, str):
        return
    name = slug(value)
    if len(name) > MAX_NAME_PART:
        report.add("name-too-long", sheet, ref, value=_shown(value), limit=MAX_NAME_PART)
    elif alone and is_reserved_name(name):
        report.add("reserved-name", sheet, ref, value=value, name=windows_name(name))
