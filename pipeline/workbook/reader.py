"""Stage 1: find and open the workbook, and read its sheets as raw located cells.

The reader checks the file itself (missing, lock file, not an .xlsx, zip bomb),
opens it read-only with openpyxl (cached values of formulas, never writing), maps
French headers to column keys and returns every non-empty row with the address of
each cell. It converts nothing beyond cleaning text; typing is the validator's job.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@contextmanager
def _unavailable(*modules: str) -> Iterator[None]:
    """``import`` of these modules fails inside the block (unless already loaded)."""
    hidden = [name for name in modules if name not in sys.modules]
    sys.modules.update(dict.fromkeys(hidden))  # None in sys.modules: ImportError
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


# openpyxl loads numpy and Pillow whenever they are installed (matplotlib brings both,
# for the website's charts), only to accept numpy numbers and pictures in cells, which
# this program never reads nor writes: a tenth of a second of every command.
with _unavailable("numpy", "PIL"):
    import openpyxl
from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from ..exceptions import UnsafeArchive, describe_os_error
from ..formats import month_year
from ..report import Report
from ..unpack import MAX_UNCOMPRESSED, check_archive
from . import schema
from .values import INVISIBLE, fold, parse_month, sheet_key

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTROL = re.compile(
    r"[\x00-\x08\x0c\x0e-\x1f\x7f\ufffe\uffff\ue000-\uf8ff" + "".join(INVISIBLE) + "]"
)
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


# Slots: a 300-fold workbook has about a million cells.
@dataclass(frozen=True, slots=True)
class RawCell:
    value: object  # str (cleaned), int, float, datetime.date, or None
    ref: str  # "C12"


@dataclass(slots=True)
class RawRow:
    number: int
    cells: dict[str, RawCell]
    repeated: list[RawCell] = field(default_factory=list)
    months: dict[dt.date, RawCell] = field(default_factory=dict)

    def get(self, key: str) -> RawCell:
        return self.cells[key]


@dataclass
class RawTable:
    sheet: schema.Sheet
    rows: list[RawRow]
    month_columns: dict[dt.date, str] = field(default_factory=dict)  # month -> column letter
    header_refs: dict[str, str] = field(default_factory=dict)  # key -> header cell


@dataclass
class RawParameter:
    value: object
    ref: str


@dataclass
class RawWorkbook:
    path: Path
    parameters: dict[str, RawParameter]
    tables: dict[str, RawTable]


def clean_text(text: str) -> tuple[str, bool]:
    """Text as it should reach a document, and whether invisible characters were removed.

    Excel's _xHHHH_ escapes are decoded, vertical tabs (Word's manual line breaks)
    become line breaks, spaces of any kind (non-breaking…) are dropped at the ends,
    control characters and invisible ones (zero-width space, BOM…) are dropped.
    """
    text = _decoded(text)
    cleaned = _CONTROL.sub("", text)
    return cleaned.strip(), cleaned != text


def _decoded(text: str) -> str:
    text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return text.replace("\x0b", "\n").replace("\r\n", "\n").replace("\r", "\n")


def removed_characters(text: str) -> str:
    """What :func:`clean_text` drops from ``text``, in French, each with its position:
    « espace de largeur nulle (U+200B) en position 4 »."""
    text = _decoded(text)
    return ", ".join(
        f"{INVISIBLE.get(m[0], f'caractère de contrôle U+{ord(m[0]):04X}')} en position "
        f"{m.start() + 1}"
        for m in _CONTROL.finditer(text)
    )


def locate_workbook(path: Path, report: Report) -> Path | None:
    """The workbook to read: ``path`` itself, or the single .xlsx in a folder
    (Excel's ``~$`` lock files are ignored)."""
    if path.is_dir():
        candidates = sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$"))
        if not candidates:
            report.add("no-workbook", path=path)
            return None
        if len(candidates) > 1:
            report.add("several-workbooks", path=path, names=", ".join(p.name for p in candidates))
            return None
        return candidates[0]
    if path.name.startswith("~$"):
        report.add("lock-file", path=path)
        return None
    if not path.exists():
        report.add("file-missing", path=path)
        return None
    return path


def why_unreadable(path: Path) -> str | None:
    """Why the file is not a readable .xlsx, in French, or None when it looks fine."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        return "le fichier est vide"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container: an old .xls, or an .xlsx encrypted with a password (its
        # encrypted package sits next to an "EncryptionInfo" stream).
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
            return (
                "le classeur est protégé par un mot de passe : dans Excel, retirez le mot "
                "de passe (Fichier > Informations > Protéger le classeur)"
            )
        return "c'est un ancien classeur Excel .xls"
    if not head.startswith(b"PK"):
        return "c'est un fichier texte ou d'un autre format (CSV ?)"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                return "c'est un classeur OpenDocument .ods"
            if "xl/workbook.xml" not in names:
                return "c'est une archive zip qui ne contient pas de classeur Excel"
        # A workbook is a zip of XML: the one guard against zip bombs, before openpyxl
        # loads it (it also checks every member unpacks to its checksum).
        check_archive(path)
    except UnsafeArchive:
        return "bomb"
    except zipfile.BadZipFile:
        return "le fichier zip est tronqué ou endommagé"
    return None


@dataclass
class SheetScan:
    """What openpyxl's fast read-only mode does not tell, read from the sheet's XML."""

    formulas_without_values: list[str] = field(default_factory=list)  # cells
    merged: list[str] = field(default_factory=list)  # ranges such as "C2:C3"
    last_row: int = 1  # last row holding a value (a sheet formatted down to row
    # 1 048 576 must not make us walk a million empty rows)


_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*>(.*?)</(?:\w+:)?row>", re.S)
# A cell: its attributes, and its content unless it is self-closed (<c r="A1" s="2"/>).
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+\d+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v>[^<]|is>)")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_EMPTY_VALUE = re.compile(rb"<(?:\w+:)?v\s*(?:/>|>\s*</(?:\w+:)?v>)")
_TEXT_TYPE = re.compile(rb"\bt=\"str\"")


def _formula_without_value(attributes: bytes, body: bytes) -> bool:
    """A formula saved with no result: no value at all, or an empty one (``<v></v>``,
    as some scripts write) that is not the empty text a formula such as ="" gives."""
    if not _FORMULA.search(body) or _VALUE.search(body):
        return False
    return not (_EMPTY_VALUE.search(body) and _TEXT_TYPE.search(attributes))


_MERGED = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")


def _scan_sheets(path: Path) -> dict[str, SheetScan]:
    """One pass of regular expressions over every sheet's XML (far quicker than a
    parser, and the sheet was already checked to be a sane size)."""
    scans: dict[str, SheetScan] = {}
    with zipfile.ZipFile(path) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        names = set(archive.namelist())
        for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
            target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member not in names:
                continue
            data = archive.read(member)
            scan = scans[sheet.get("name")] = SheetScan()
            scan.merged = [m.decode() for m in _MERGED.findall(data)]
            for number, body in reversed(_ROW.findall(data)):
                if _VALUE.search(body):
                    scan.last_row = int(number)
                    break
            if _FORMULA.search(data):
                # A formula saved by a tool that does not calculate has no value:
                # reading the cell as empty would silently lose data.
                scan.formulas_without_values = [
                    ref[1].decode()
                    for attributes, body in _CELL.findall(data)
                    if _formula_without_value(attributes, body) and (ref := _REF.search(attributes))
                ]
    return scans


def _merged_values(grid: dict[int, tuple], merged: list[str]) -> dict[tuple[int, int], object]:
    """Values that merged cells inside a table show: every cell of a merged range
    below the header row shows the top-left value, as on screen."""
    values = {}
    for coord in merged:
        min_col, min_row, max_col, max_row = range_boundaries(coord)
        if max_row < 2:
            continue
        top = grid.get(min_row, ())
        top_left = top[min_col - 1] if len(top) >= min_col else None
        for row in range(max(min_row, 2), max_row + 1):
            for col in range(min_col, max_col + 1):
                values[(row, col)] = top_left
    return values


def _clean(value, ref: str, sheet: str, report: Report):
    if isinstance(value, str):
        original = value
        value, changed = clean_text(value)
        if changed:
            report.add("bad-text", sheet, ref, detail=removed_characters(original))
        return value or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _report_formulas(scan: SheetScan, sheet: str, columns: set[str], report: Report) -> None:
    """A formula without a value, in a column the tool reads (A, B... as letters)."""
    for ref in scan.formulas_without_values:
        if ref.rstrip("0123456789") in columns:
            report.add("formula-without-value", sheet, ref)


def _read_parameters(ws, report: Report) -> dict[str, RawParameter]:
    by_label = {fold(p.label): p for p in schema.PARAMETERS}
    found: dict[str, RawParameter] = {}
    for number, row in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), start=1):
        label = row[0] if row else None
        if isinstance(label, str) and fold(label) in by_label:
            param = by_label[fold(label)]
            ref = f"B{number}"
            value = row[1] if len(row) > 1 else None
            found[param.key] = RawParameter(
                _clean(value, ref, schema.PARAMETERS_SHEET, report), ref
            )
    for param in schema.PARAMETERS:
        # An optional parameter may be absent (a workbook made before it existed).
        if param.key not in found and param.required:
            report.add("missing-parameter", schema.PARAMETERS_SHEET, name=param.label)
    return found


def _read_table(ws, spec: schema.Sheet, scan: SheetScan, report: Report) -> RawTable:
    table = RawTable(spec, [])
    wanted = {fold(c.header): c for c in spec.columns}
    positions: dict[str, int] = {}
    repeated_cols: list[int] = []
    rows = ws.iter_rows(min_row=1, max_row=max(scan.last_row, 1), values_only=True)
    header_row = next(rows, ())
    unknown: dict[str, str] = {}  # folded header the schema does not know -> its cell
    for col, header in enumerate(header_row, start=1):
        if header is None:
            continue
        ref = f"{get_column_letter(col)}1"
        key = fold(header) if isinstance(header, str) else None
        if key and key not in wanted:
            unknown.setdefault(key, ref)
        if key in wanted:
            column = wanted[key]
            if column.key in positions:
                report.add(
                    "duplicate-column",
                    spec.name,
                    ref,
                    column=column.header,
                    other=table.header_refs[column.key],
                )
            else:
                positions[column.key] = col
                table.header_refs[column.key] = ref
        elif spec.repeated and key and re.fullmatch(rf"{fold(spec.repeated.header)}( \d+)?", key):
            repeated_cols.append(col)
        elif spec.months:
            try:
                month = parse_month(header)
            except ValueError:
                if not isinstance(header, str):
                    report.add("bad-month-column", spec.name, ref, value=header)
                continue
            if month in table.month_columns:
                # The last column would win silently and the crosses of the other be lost.
                report.add(
                    "duplicate-column",
                    spec.name,
                    ref,
                    column=month_year(month),
                    other=f"{table.month_columns[month]}1",
                )
                continue
            table.month_columns[month] = get_column_letter(col)
    for index, column in enumerate(spec.columns, start=1):
        if column.key not in positions:
            # Workbooks outlive the code: an optional column added by a later version
            # (or deleted by staff) reads as empty. The problem is located at the header
            # that looks like it (a typing slip), else where a new workbook has it.
            close = difflib.get_close_matches(fold(column.header), list(unknown), n=1, cutoff=0.8)
            report.add(
                "missing-column" if column.required else "missing-optional-column",
                spec.name,
                unknown[close[0]] if close else f"{get_column_letter(index)}1",
                column=column.header,
                hint=" (l'en-tête de cette cellule lui ressemble : corrigez-le)" if close else "",
            )
    if spec.months and not table.month_columns:
        report.add("no-month-columns", spec.name)

    month_positions = {
        m: column_index_from_string(letter) for m, letter in table.month_columns.items()
    }
    read = [*positions.values(), *repeated_cols, *month_positions.values()]
    _report_formulas(scan, spec.name, {get_column_letter(c) for c in read}, report)
    grid = dict(enumerate(rows, start=2))
    merged = _merged_values(grid, scan.merged)
    for coord in scan.merged:
        if range_boundaries(coord)[3] >= 2:
            report.add("merged-cells", spec.name, coord, cells=coord)
    for number, values in grid.items():

        def raw(col: int, number=number, values=values) -> RawCell:
            ref = f"{get_column_letter(col)}{number}"
            value = values[col - 1] if col <= len(values) else None
            value = merged.get((number, col), value)
            return RawCell(_clean(value, ref, spec.name, report), ref)

        row = RawRow(
            number,
            {key: raw(col) for key, col in positions.items()},
            [raw(col) for col in repeated_cols],
            {m: raw(col) for m, col in month_positions.items()},
        )
        cells = [*row.cells.values(), *row.repeated, *row.months.values()]
        if any(c.value is not None for c in cells):
            table.rows.append(row)
    return table


def read_workbook(path: Path, report: Report) -> RawWorkbook | None:
    """Read every sheet of the schema; problems go to ``report``. None when the file
    cannot be read at all."""
    path = locate_workbook(Path(path), report)
    if path is None:
        return None
    try:
        problem = why_unreadable(path)
    except OSError as exc:  # open in Excel on Windows, no right to read it...
        report.add("workbook-os-error", path=path.name, detail=describe_os_error(exc, path))
        return None
    if problem == "bomb":
        report.add(
            "workbook-too-large",
            path=path.name,
            detail=f"plus de {MAX_UNCOMPRESSED // 2**20} Mo ou taux de compression suspect",
        )
        return None
    if problem:
        report.add("not-xlsx", path=path.name, detail=problem)
        return None
    try:
        scans = _scan_sheets(path)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        report.add("unreadable-workbook", path=path.name, detail=type(exc).__name__)
        return None
    try:
        # data_only: formulas are read as the values Excel last computed; read_only
        # streams the sheets, which the scan above completes (merged cells, extent).
        book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on malformed XML
        report.add("unreadable-workbook", path=path.name, detail=type(exc).__name__)
        return None
    try:
        # A sheet is found by its name as a reader sees it (a space at the end, a curly
        # apostrophe do not count).
        titles = {sheet_key(title): title for title in book.sheetnames}

        def title(name: str) -> str | None:
            return name if name in book.sheetnames else titles.get(sheet_key(name))

        parameters: dict[str, RawParameter] = {}
        if title(schema.PARAMETERS_SHEET):
            parameters = _read_parameters(book[title(schema.PARAMETERS_SHEET)], report)
            _report_formulas(
                scans.get(title(schema.PARAMETERS_SHEET), SheetScan()),
                schema.PARAMETERS_SHEET,
                {"A", "B"},
                report,
            )
        else:
            report.add("missing-sheet", schema.PARAMETERS_SHEET, name=schema.PARAMETERS_SHEET)
        tables = {}
        for name, spec in schema.SHEETS.items():
            found = title(name)
            if found is None:
                report.add("missing-sheet", name, name=name)
                continue
            tables[name] = _read_table(book[found], spec, scans.get(found, SheetScan()), report)
    finally:
        book.close()
    return RawWorkbook(path, parameters, tables)
