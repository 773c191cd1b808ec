"""Helpers shared by the validators of every sheet: typing cells, indexing rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..formats import day_month
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawCell, RawRow, RawTable
from ..workbook.values import fold, parse_code, parse_date, parse_int, parse_month, parse_number

_PARSERS: dict[str, Callable] = {
    schema.INT: parse_int,
    schema.DATE: parse_date,
    schema.MONTH: parse_month,
    schema.CODE: parse_code,
    schema.NUMBER: parse_number,
}
_BAD_CODE = {
    schema.INT: "bad-number",
    schema.NUMBER: "bad-number",
    schema.CODE: "bad-code",
    schema.DATE: "bad-date",
    schema.MONTH: "bad-date",
}


def convert(
    cell: RawCell,
    column: schema.Column | schema.Parameter,
    sheet: str,
    report: Report,
    required: bool | None = None,
):
    """The typed value of a cell, or None after recording why it has none."""
    header = getattr(column, "header", None) or column.label
    if cell.value is None:
        if column.required if required is None else required:
            report.add("missing-value", sheet, cell.ref, column=header)
        return None
    parser = _PARSERS.get(column.kind)
    if getattr(column, "choices", None) in schema.LISTS:
        return _choose(cell, column, sheet, report)
    if parser is None:
        return str(cell.value)
    if column.kind == schema.CODE and isinstance(cell.value, (int, float)):
        # Every code column comes here, repeated ones too (Réunions' Activité 1, 2…):
        # Excel turned "1.10" into 1.1, so the code read may not be the one typed.
        report.add("code-as-number", sheet, cell.ref, value=cell.value)
    if column.kind == schema.CODE and isinstance(cell.value, dt.date):
        # Excel turned "1.10" (or 1-10, 1/10) into the 1st of October: say so, and
        # what the person probably typed.
        day = cell.value
        report.add(
            "code-as-date",
            sheet,
            cell.ref,
            date=day_month(day),
            typed=f"{day.day}.{day.month}",
            column=header,
        )
        return None
    try:
        return parser(cell.value)
    except (ValueError, TypeError):
        code = _BAD_CODE[column.kind]
        if code == "bad-code" and re.fullmatch(r"\s*\d+(?:\s*,\s*\d+)+\s*", str(cell.value)):
            code = "code-with-comma"  # 1,1 typed the French way
        typed = re.sub(r"\s*,\s*", ".", str(cell.value).strip())
        report.add(code, sheet, cell.ref, value=cell.value, typed=typed)
        return None


def _choose(cell: RawCell, column: schema.Column, sheet: str, report: Report) -> str | None:
    """The list's own spelling of a value typed with other case, accents or spaces."""
    allowed = schema.LISTS[column.choices]
    choice = _by_fold(column.choices).get(fold(str(cell.value)))
    if choice is None:
        report.add(
            "bad-choice",
            sheet,
            cell.ref,
            value=cell.value,
            column=column.header,
            choices=", ".join(allowed),
        )
    return choice


@cache
def _by_fold(choices: str) -> dict[str, str]:
    # Built once per drop-down list rather than once per cell it checks.
    return {fold(choice): choice for choice in schema.LISTS[choices]}


@dataclass
class Typed:
    """A row's typed values plus the raw row (for cell addresses)."""

    raw: RawRow
    values: dict

    def __getitem__(self, key):
        # A column missing from the sheet was already reported; its values are None.
        return self.values.get(key)

    def ref(self, key: str) -> str:
        cell = self.raw.cells.get(key)
        return cell.ref if cell else str(self.raw.number)


def type_rows(table: RawTable | None, report: Report) -> list[Typed]:
    """Convert every cell of a table according to its column's kind (no rows for a
    missing sheet, which the reader has reported)."""
    if table is None:
        return []
    name = table.sheet.name
    return [
        Typed(
            row,
            {
                c.key: convert(row.cells[c.key], c, name, report)
                for c in table.sheet.columns
                if c.key in row.cells
            },
        )
        for row in table.rows
    ]


def index_unique(rows: list[Typed], key: str, sheet: str, report: Report, hint: str = "") -> dict:
    """Rows by the value of ``key``; a repeated value is a ``duplicate-code`` error."""
    seen: dict = {}
    for row in rows:
        value = row[key]
        if value is None:
            continue
        if value in seen:
            report.add(
                "duplicate-code",
                sheet,
                row.ref(key),
                value=value,
                other=f"'{sheet}'!{seen[value].ref(key)}",
                hint=hint,
            )
        else:
            seen[value] = row
    return seen


def resolve_repeated(
    row: Typed,
    lookup: Callable[[str], object | None],
    unknown_code: str,
    sheet: str,
    report: Report,
) -> list:
    """The objects named by a row's repeated columns (Responsable 1, 2…), each once;
    a name ``lookup`` does not know is reported with its cell."""
    found: list = []
    for cell in row.raw.repeated:
        if cell.value is None:
            continue
        target = lookup(str(cell.value))
        if target is None:
            report.add(unknown_code, sheet, cell.ref, value=cell.value)
        elif target not in found:
            found.append(target)
    return found
