"""Carry a workbook's data into a new one: to a newer schema version
(``troika migrer-classeur``) or into the next mandate (``troika nouveau-classeur
--depuis``).

    migrate_workbook("ancien.xlsx", "nouveau.xlsx")
    carry_over("troika_2021-2022.xlsx", "troika_2022-2023.xlsx", start, end)

Both read the old file by its header texts, never in place, apply the schema's
upgrade steps, and write a fresh workbook from :func:`pipeline.workbook.create.new_workbook`,
so the result always has the current form (input messages, checks, formats). The old
file is never modified and the new one must not exist yet. A sheet the tool does not
know (« Notes du secrétariat »…) is carried over as it is (values, formats, widths,
merged cells; formulas as their last values) and named in the command's messages.

Compatibility rule (also in the README): adding an *optional* column or parameter
keeps the schema version, older workbooks read it as empty. Renaming or removing a
sheet or column, or adding a required one, increases ``schema.SCHEMA_VERSION`` and
comes with an upgrade step in :data:`UPGRADES`, which ``migrer-classeur`` applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from ..exceptions import PipelineError, describe_os_error
from ..report import Report
from . import schema
from .create import append_rows, new_workbook, save_new, set_parameters
from .reader import _clean, locate_workbook, why_unreadable
from .values import fold, parse_int, parse_month, sheet_key


class MigrationError(PipelineError):
    """Raised when a workbook cannot be carried into a new one: unreadable file,
    unknown or newer schema version, missing mandate dates, or a target that exists
    or is the source itself."""


@dataclass
class OldSheet:
    """One sheet of the old workbook as header texts and rows of header -> value."""

    headers: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)
    title: str = ""  # the sheet's name as written in the file

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
    source: Path | None = None
    carried_sheets: list[str] = field(default_factory=list)  # sheets the schema does not know
    # Numbers of the open items a new mandate takes over (carry_over).
    carried_items: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.version_read = self.version_read or self.version

    def parameter(self, key: str):
        param = next(p for p in schema.PARAMETERS if p.key == key)
        return next(
            (v for label, v in self.parameters.items() if fold(label) == fold(param.label)), None
        )


def _upgrade_1(old: OldWorkbook) -> None:
    """Version 1 -> 2: the sheets of disbursements and exchange rates (empty), the
    optional « Identifiant IATI » column of the partners and the source columns of
    the forecast (empty: every version-1 row was typed, so it counts)."""
    for spec in (schema.DISBURSEMENTS, schema.EXCHANGE_RATES):
        old.sheets.setdefault(spec.name, OldSheet([c.header for c in spec.columns]))
    partners = old.sheets.get(schema.PARTNERS.name)
    header = schema.PARTNERS.column("iati_id").header
    if partners is not None and header not in partners.headers:
        partners.headers.append(header)


# The columns of « Décisions » that version 3 moved into « Historique des statuts ».
_V2_STATUS, _V2_DONE_ON, _V2_COMMENT = "Statut", "Date de réalisation", "Commentaire"


def _upgrade_2(old: OldWorkbook) -> None:
    """Version 2 -> 3: the register of recommendations (empty) and the status history.
    Each decision gets a number (its meeting's number, a dash, its rank in the meeting)
    and its single status becomes one dated change: dated by its « Date de réalisation »,
    else by its meeting. A decision still « à faire » without comment had no change: it
    gets no row (« à faire » is every item's status before its first change)."""
    for spec in (schema.RECOMMENDATIONS, schema.STATUS_HISTORY):
        old.sheets.setdefault(spec.name, OldSheet([c.header for c in spec.columns]))
    decisions = old.sheets.get(schema.DECISIONS.name)
    if decisions is None:
        return
    history = old.sheets[schema.STATUS_HISTORY.name]
    meetings = old.sheets.get(schema.MEETINGS.name)
    meeting_header = schema.DECISIONS.column("meeting").header
    meeting_dates = {}
    if meetings is not None:
        id_header = _header(meetings, schema.MEETINGS.column("id").header)
        date_header = _header(meetings, schema.MEETINGS.column("date").header)
        meeting_dates = {fold(str(r.get(id_header))): r.get(date_header) for r in meetings.rows}
    found = {name: _header(decisions, name) for name in (_V2_STATUS, _V2_DONE_ON, _V2_COMMENT)}
    number_header = schema.DECISIONS.column("number").header
    meeting_in_sheet = _header(decisions, meeting_header)
    ranks: dict[str, int] = {}
    taken: set[str] = set()
    for row in decisions.rows:
        meeting = str(row.get(meeting_in_sheet) or "")
        ranks[fold(meeting)] = ranks.get(fold(meeting), 0) + 1
        number = f"{meeting}-{ranks[fold(meeting)]}" if meeting else f"D-{len(taken) + 1}"
        while fold(number) in taken:
            number += "-bis"
        taken.add(fold(number))
        row[number_header] = number
        status, done_on, comment = (row.pop(found[name], None) for name in found)
        if status is None or (
            fold(str(status)) == fold(schema.DECISION_STATUSES[0]) and not comment
        ):
            continue
        history.rows.append(
            {
                schema.STATUS_HISTORY.column("number").header: number,
                schema.STATUS_HISTORY.column("date").header: done_on
                or meeting_dates.get(fold(meeting)),
                schema.STATUS_HISTORY.column("status").header: status,
                schema.STATUS_HISTORY.column("comment").header: comment,
            }
        )
    removed = {fold(h) for h in found.values() if h}
    headers = [h for h in decisions.headers if fold(h) not in removed]
    at = headers.index(meeting_in_sheet) + 1 if meeting_in_sheet in headers else 0
    decisions.headers = [*headers[:at], number_header, *headers[at:]]


def _header(sheet: OldSheet, header: str) -> str:
    """The header of ``sheet`` that reads as ``header`` (case and accents aside)."""
    return next((h for h in sheet.headers if fold(h) == fold(header)), header)


# Upgrade steps: UPGRADES[n] turns a version-n workbook into a version n+1 one, in
# place (rename sheets or columns, split or fill values).
UPGRADES: dict[int, Callable[[OldWorkbook], None]] = {1: _upgrade_1, 2: _upgrade_2}

# What a new mandate keeps from the previous one: sheet -> columns left empty.
# The plan, sessions, speeches, forecasts, disbursements, Flash info and follow-up
# start empty.
CARRIED: dict[str, set[str]] = {
    schema.BODIES.name: set(),
    schema.PARTNERS.name: set(),
    schema.PROTOCOL.name: set(),
    # Dated rates stay true; the disbursements, like the forecasts, start empty.
    schema.EXCHANGE_RATES.name: set(),
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
    try:
        problem = why_unreadable(located)
    except OSError as exc:
        raise MigrationError(
            f"Le classeur {located.name} ne peut pas être lu : {describe_os_error(exc, located)}"
        ) from exc
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
        # A sheet of the schema is known by its name as a reader sees it (a space at
        # the end, a curly apostrophe do not count).
        known = {sheet_key(name): name for name in (schema.PARAMETERS_SHEET, *schema.SHEETS)}
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            name = known.get(sheet_key(ws.title), ws.title)
            if name == schema.PARAMETERS_SHEET:
                for row in rows:
                    if row and isinstance(row[0], str) and len(row) > 1:
                        parameters[row[0].strip()] = _value(row[1])
                continue
            header_row = next(rows, ())
            headers = [str(h).strip() if h is not None else "" for h in header_row]
            sheet = sheets[name] = OldSheet(headers, title=ws.title)
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
    return OldWorkbook(version, parameters, sheets, source=located)


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


def _carry_unknown_sheets(book, old: OldWorkbook) -> None:
    """Copy into ``book`` the sheets of the old workbook that no version of the tool
    made (a sheet of notes, a table of the secretariat's own), after the others:
    values (a formula as its last computed value), formats, column widths, row
    heights and merged cells. Their names go to ``old.carried_sheets``."""
    known = {sheet_key(name) for name in book.sheetnames}
    unknown = [name for name in old.sheets if sheet_key(name) not in known]
    if not unknown or old.source is None:
        return
    source = openpyxl.load_workbook(old.source, data_only=True)
    try:
        for name in unknown:
            title = old.sheets[name].title or name
            _copy_sheet(source[title], book.create_sheet(title))
            old.carried_sheets.append(title)
    finally:
        source.close()


def _copy_sheet(source, target) -> None:
    for row in source.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            new = target.cell(row=cell.row, column=cell.column, value=cell.value)
            if cell.has_style:
                new.font, new.fill, new.border = copy(cell.font), copy(cell.fill), copy(cell.border)
                new.alignment, new.number_format = copy(cell.alignment), cell.number_format
                new.protection = copy(cell.protection)
    for key, dimension in source.column_dimensions.items():
        if dimension.width:
            target.column_dimensions[key].width = dimension.width
        target.column_dimensions[key].hidden = dimension.hidden
    for key, dimension in source.row_dimensions.items():
        if dimension.height:
            target.row_dimensions[key].height = dimension.height
    for merged in source.merged_cells.ranges:
        target.merge_cells(str(merged))
    target.freeze_panes = source.freeze_panes
    target.sheet_state = source.sheet_state
    if source.sheet_properties.tabColor is not None:
        target.sheet_properties.tabColor = copy(source.sheet_properties.tabColor)


def _check_target(source: Path, target: Path) -> None:
    if Path(target).exists():
        raise MigrationError(
            f"Le fichier {target} existe déjà : choisissez un autre nom "
            "(l'outil n'écrase jamais un classeur)."
        )
    if Path(target).suffix.lower() != ".xlsx":
        raise MigrationError(f"Le nouveau classeur doit avoir l'extension .xlsx : {target}.")


def migrate_workbook(
    source: Path, target: Path, edit: Callable[[OldWorkbook], None] | None = None
) -> OldWorkbook:
    """Write to ``target`` the workbook ``source`` in the current schema version and
    form, with all its data; ``source`` is left as it is. ``edit``, when given, changes
    the upgraded rows before they are written (``importer-iati`` adds its rows)."""
    _check_target(source, target)
    old = upgrade(read_old(source))
    if edit is not None:
        edit(old)
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
    _carry_unknown_sheets(book, old)
    save_new(book, target)
    return old


def carry_over(
    source: Path, target: Path, start: dt.date, end: dt.date, with_plan: bool = False
) -> OldWorkbook:
    """Write to ``target`` a workbook for the mandate ``start``–``end`` holding what
    lasts beyond a mandate in ``source`` (identity, bodies, partners, protocol,
    meeting bodies, mailing lists, recipients, routing; axes and products when
    ``with_plan``), and every recommendation, commitment or decision still open at
    the end of the old mandate, with its history (:func:`open_items`). Plan, meetings,
    decisions and follow-up start empty."""
    _check_target(source, target)
    old = upgrade(read_old(source))
    book = new_workbook(start, end)
    set_parameters(
        book, {key: old.parameter(key) for key in IDENTITY if old.parameter(key) is not None}
    )
    sheets = {**(CARRIED_PLAN if with_plan else {}), **CARRIED}
    _fill(book, old, sheets, set())
    items, changes = open_items(old)
    old.carried_items = [str(item.get("number")) for item in items]
    append_rows(book, schema.RECOMMENDATIONS.name, items)
    append_rows(book, schema.STATUS_HISTORY.name, changes)
    _carry_unknown_sheets(book, old)
    save_new(book, target)
    return old


def open_items(old: OldWorkbook) -> tuple[list[dict], list[dict]]:
    """The recommendations, commitments and meeting decisions of an (upgraded) old
    workbook still open at the end of its mandate, as rows of the new register, and
    their status changes. Each keeps its number, source and history; its source is
    dated (the session or meeting is not in the new workbook) and its mandate of origin
    is written in « Reprise du mandat ». A decision becomes an item whose source is its
    meeting; the activity code of the old plan is left empty."""
    start, end = _mandate(old)
    end = _month_end(end)
    origin = f"{start.year}-{end.year}" if start.year != end.year else str(end.year)
    rows = {name: _keyed_rows(old, schema.SHEETS[name]) for name in schema.SHEETS}
    dated = {fold(str(r.get("code"))): r.get("date") for r in rows[schema.SESSIONS.name]}
    meetings = {fold(str(r.get("id"))): r for r in rows[schema.MEETINGS.name]}
    dated.update({key: r.get("date") for key, r in meetings.items()})
    changes: dict[str, list[dict]] = {}
    for change in rows[schema.STATUS_HISTORY.name]:
        changes.setdefault(fold(str(change.get("number"))), []).append(change)
    items = []
    for item in rows[schema.RECOMMENDATIONS.name]:
        date = item.get("source_date") or dated.get(fold(str(item.get("source"))))
        items.append({**item, "source_date": date, "activity": None})
    for decision in rows[schema.DECISIONS.name]:
        meeting = meetings.get(fold(str(decision.get("meeting"))), {})
        items.append(
            {
                "number": decision.get("number"),
                "text": decision.get("text"),
                "source_kind": schema.MEETING_SOURCE,
                "source": decision.get("meeting"),
                "source_date": meeting.get("date"),
                "addressee": "PTF",  # a decision of the partners' own meetings
                "responsible": decision.get("responsible"),
                "due": decision.get("deadline"),
            }
        )
    closed = {fold(s) for s in schema.CLOSED_STATUSES}
    carried, history = [], []
    for item in items:
        own = sorted(
            changes.get(fold(str(item.get("number"))), []), key=lambda c: _as_date(c.get("date"))
        )
        by_end = [c for c in own if _as_date(c.get("date")) <= end]
        if by_end and fold(str(by_end[-1].get("status"))) in closed:
            continue
        carried.append({**item, "carried_from": item.get("carried_from") or origin})
        history += own  # a change typed after the old mandate's end belongs to the new one
    return carried, history


def _keyed_rows(old: OldWorkbook, spec: schema.Sheet) -> list[dict]:
    """The rows of one sheet of the old workbook as {column key: value}."""
    sheet = old.sheets.get(spec.name)
    if sheet is None:
        return []
    keys = {fold(c.header): c.key for c in spec.columns}
    return [{keys[fold(h)]: v for h, v in row.items() if fold(h) in keys} for row in sheet.rows]


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.min


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    from ..model import month_range

    return month_range(start, end)


def _month_end(month: dt.date) -> dt.date:
    from ..model import month_end

    return month_end(month)
