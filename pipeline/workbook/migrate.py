"""Carry a workbook's data into a new one: to a newer schema version
(``troika migrer-classeur``) or into the next mandate (``troika nouveau-classeur
--depuis``).

    migrate_workbook("ancien.xlsx", "nouveau.xlsx")
    carry_over("troika_2021-2022.xlsx", "troika_2022-2023.xlsx", start, end)

Both read the old file by its header texts, never in place, apply the schema's
upgrade steps, and write a fresh workbook from :func:`pipeline.workbook.create.new_workbook`,
so the result always has the current form (input messages, checks, formats). The old
file is never modified and the new one must not exist yet.

Compatibility rule (also in the README): adding an *optional* column or parameter
keeps the schema version, older workbooks read it as empty. Renaming or removing a
sheet or column, or adding a required one, increases ``schema.SCHEMA_VERSION`` and
comes with an upgrade step in :data:`UPGRADES`, which ``migrer-classeur`` applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from ..exceptions import PipelineError
from ..report import Report
from . import schema
from .create import append_rows, new_workbook, save_new, set_parameters
from .reader import _clean, _sniff, locate_workbook
from .values import fold, parse_int, parse_month


class MigrationError(PipelineError):
    """Raised when a workbook cannot be carried into a new one: unreadable file,
    unknown or newer schema version, missing mandate dates, or a target that exists
    or is the source itself."""


@dataclass
class OldSheet:
    """One sheet of the old workbook as header texts and rows of header -> value."""

    headers: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)

    def rename(self, old: str, new: str) -> None:
        """Rename a column (for upgrade steps)."""
        self.headers = [new if h == old else h for h in self.headers]
        for row in self.rows:
            if old in row:
                row[new] = row.pop(old)


@dataclass
class OldWorkbook:
    version: int
    parameters: dict[str, object]  # parameter label as written -> value
    sheets: dict[str, OldSheet]
    version_read: int = 0  # the version of the file, before any upgrade step

    def __post_init__(self):
        self.version_read = self.version_read or self.version

    def parameter(self, key: str):
        param = next(p for p in schema.PARAMETERS if p.key == key)
        return next(
            (v for label, v in self.parameters.items() if fold(label) == fold(param.label)), None
        )


# Upgrade steps: UPGRADES[n] turns a version-n workbook into a version n+1 one, in
# place (rename sheets or columns, split or fill values). Version 1 is current: none yet.
UPGRADES: dict[int, Callable[[OldWorkbook], None]] = {}

# What a new mandate keeps from the previous one: sheet -> columns left empty.
# The plan, sessions, speeches, forecasts, Flash info and follow-up start empty.
CARRIED: dict[str, set[str]] = {
    schema.BODIES.name: set(),
    schema.PARTNERS.name: set(),
    schema.PROTOCOL.name: set(),
    # The activity codes and planned counts belong to the old plan.
    schema.MEETING_TYPES.name: {"activity", "planned"},
    schema.MAILING_LISTS.name: set(),
    schema.RECIPIENTS.name: set(),
    schema.DISTRIBUTION.name: set(),
}
CARRIED_PLAN = {schema.AXES.name: set(), schema.PRODUCTS.name: set()}
IDENTITY = ("group_name", "country", "framework", "framework_full", "place")


def read_old(path: Path) -> OldWorkbook:
    """Every sheet of a workbook of any version, as header texts and values."""
    report = Report()
    located = locate_workbook(Path(path), report)
    if located is None:
        raise MigrationError(
            report.problems[0].message if report.problems else f"Classeur introuvable : {path}."
        )
    problem = _sniff(located)
    if problem:
        raise MigrationError(
            f"Le fichier {located.name} ne peut pas être lu "
            f"({'trop volumineux' if problem == 'bomb' else problem})."
        )
    try:
        book = openpyxl.load_workbook(located, data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed XML
        raise MigrationError(
            f"Le classeur {located.name} ne peut pas être lu ({type(exc).__name__})."
        ) from exc
    try:
        sheets, parameters = {}, {}
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            if ws.title == schema.PARAMETERS_SHEET:
                for row in rows:
                    if row and isinstance(row[0], str) and len(row) > 1:
                        parameters[row[0].strip()] = _value(row[1])
                continue
            header_row = next(rows, ())
            headers = [str(h).strip() if h is not None else "" for h in header_row]
            sheet = sheets[ws.title] = OldSheet(headers)
            for values in rows:
                row = {h: _value(v) for h, v in zip(headers, values) if h and v is not None}
                row = {h: v for h, v in row.items() if v is not None}
                if row:
                    sheet.rows.append(row)
    finally:
        book.close()
    version = parameters.get(next(p.label for p in schema.PARAMETERS if p.key == "schema_version"))
    try:
        version = parse_int(version)
    except ValueError:
        raise MigrationError(
            "La version du modèle de classeur est absente ou illisible dans "
            "la feuille Paramètres : ce fichier n'est pas un classeur de "
            "la Troïka."
        ) from None
    return OldWorkbook(version, parameters, sheets)


def _value(value):
    return _clean(value, "", "", Report())


def upgrade(old: OldWorkbook) -> OldWorkbook:
    """Apply the upgrade steps from the workbook's version to the current one."""
    if old.version > schema.SCHEMA_VERSION:
        raise MigrationError(
            f"Le classeur suit la version {old.version} du modèle, plus récente "
            f"que celle de l'outil ({schema.SCHEMA_VERSION}) : mettez l'outil "
            "à jour."
        )
    while old.version < schema.SCHEMA_VERSION:
        step = UPGRADES.get(old.version)
        if step is None:
            raise MigrationError(
                f"Aucune conversion connue depuis la version {old.version} du modèle de classeur."
            )
        step(old)
        old.version += 1
    return old


def _mandate(old: OldWorkbook) -> tuple[dt.date, dt.date]:
    try:
        return parse_month(old.parameter("mandate_start")), parse_month(
            old.parameter("mandate_end")
        )
    except (ValueError, TypeError):
        raise MigrationError(
            "Les dates de début et de fin du mandat de la feuille Paramètres "
            "sont absentes ou illisibles : corrigez-les dans l'ancien classeur "
            "puis recommencez."
        ) from None


def _rows_for(
    spec: schema.Sheet, sheet: OldSheet, cleared: set[str], months: set[dt.date]
) -> tuple[list[dict], list[str]]:
    """The old rows as {column key: value} for append_rows, and the headers of the
    old columns the schema does not know (kept as they are, after the others)."""
    by_header = {fold(c.header): c.key for c in spec.columns}
    repeated = (
        re.compile(rf"{re.escape(fold(spec.repeated.header))}( \d+)?") if spec.repeated else None
    )
    mapping: dict[str, tuple[str, object]] = {}
    extras = []
    for header in sheet.headers:
        if not header:
            continue
        key = fold(header)
        if key in by_header:
            mapping[header] = ("column", by_header[key])
        elif repeated and repeated.fullmatch(key):
            mapping[header] = ("repeated", None)
        elif spec.months and _month(header) in months:
            mapping[header] = ("month", _month(header))
        else:
            mapping[header] = ("extra", header)
            extras.append(header)
    rows = []
    for old in sheet.rows:
        row: dict = {"extras": {}}
        for header, value in old.items():
            kind, target = mapping.get(header, ("extra", header))
            if kind == "column" and target not in cleared:
                row[target] = value
            elif kind == "repeated":
                row.setdefault(spec.repeated.key, []).append(value)
            elif kind == "month":
                row.setdefault("months", {})[target] = value
            elif kind == "extra":
                row["extras"][header] = value
        if any(v for k, v in row.items() if k != "extras") or row["extras"]:
            rows.append(row)
    return rows, extras


def _month(header: str) -> dt.date | None:
    try:
        return parse_month(header)
    except (ValueError, TypeError):
        return None


def _fill(book, old: OldWorkbook, sheets: dict[str, set[str]], months: set[dt.date]) -> None:
    """Write the old rows of ``sheets`` (name -> columns left empty) into ``book``."""
    for name, cleared in sheets.items():
        if name not in old.sheets or name not in schema.SHEETS:
            continue
        spec = schema.SHEETS[name]
        rows, extras = _rows_for(spec, old.sheets[name], cleared, months)
        ws = book[name]
        if name == schema.PERIODS.name and rows:
            ws.delete_rows(2, ws.max_row)  # the old periods replace the default quarters
        first = ws.max_row + 1
        append_rows(book, name, rows)
        if extras:
            column = ws.max_column + 1
            for offset, header in enumerate(extras):
                ws.cell(row=1, column=column + offset, value=header)
            for number, row in enumerate(rows, start=first):
                for offset, header in enumerate(extras):
                    if header in row["extras"]:
                        ws.cell(row=number, column=column + offset, value=row["extras"][header])


def _check_target(source: Path, target: Path) -> None:
    if Path(target).exists():
        raise MigrationError(
            f"Le fichier {target} existe déjà : choisissez un autre nom "
            "(l'outil n'écrase jamais un classeur)."
        )
    if Path(target).suffix.lower() != ".xlsx":
        raise MigrationError(f"Le nouveau classeur doit avoir l'extension .xlsx : {target}.")


def migrate_workbook(source: Path, target: Path) -> OldWorkbook:
    """Write to ``target`` the workbook ``source`` in the current schema version and
    form, with all its data; ``source`` is left as it is."""
    _check_target(source, target)
    old = upgrade(read_old(source))
    start, end = _mandate(old)
    book = new_workbook(start, end)
    set_parameters(
        book,
        {
            p.key: old.parameter(p.key)
            for p in schema.PARAMETERS
            if p.key != "schema_version" and old.parameter(p.key) is not None
        },
    )
    set_parameters(book, {"mandate_start": start, "mandate_end": _month_end(end)})
    months = set(_months(start, end))
    _fill(book, old, {name: set() for name in schema.SHEETS}, months)
    save_new(book, target)
    return old


def carry_over(
    source: Path, target: Path, start: dt.date, end: dt.date, with_plan: bool = False
) -> OldWorkbook:
    """Write to ``target`` a workbook for the mandate ``start``–``end`` holding what
    lasts beyond a mandate in ``source`` (identity, bodies, partners, protocol,
    meeting bodies, mailing lists, recipients, routing; axes and products when
    ``with_plan``). Plan, meetings, decisions and follow-up start empty."""
    _check_target(source, target)
    old = upgrade(read_old(source))
    book = new_workbook(start, end)
    set_parameters(
        book, {key: old.parameter(key) for key in IDENTITY if old.parameter(key) is not None}
    )
    sheets = {**(CARRIED_PLAN if with_plan else {}), **CARRIED}
    _fill(book, old, sheets, set())
    save_new(book, target)
    return old


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    from ..model import month_range

    return month_range(start, end)


def _month_end(month: dt.date) -> dt.date:
    from ..model import month_end

    return month_end(month)
