"""Synthetic workbooks: the shipped sample repeated k times, references kept valid.

Copy i of the plan gets axes, products and activity codes shifted past the previous
copies (product 3 of copy 2 becomes product 3 + 2 × 7, activity 3.1 becomes 17.1...),
its own meeting, decision and recommendation numbers (with their status changes), partners, e-mail addresses and concerns, and more items in
the same Flash info issues (a newsletter stays monthly), so the scaled workbook
validates like the sample. Sheets that describe the group
rather than its activity (texts, bodies, sessions, protocol, lists, periods) are
kept once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.report import Report
from pipeline.workbook import schema
from pipeline.workbook.create import append_rows, new_workbook, set_parameters
from pipeline.workbook.reader import RawRow, read_workbook

SCALED = (
    "Axes",
    "Produits",
    "Activités",
    "Réunions",
    "Décisions",
    "Recommandations",
    "Historique des statuts",
    "Suivi des activités",
    "Partenaires",
    "Prévisions",
    "Destinataires",
    "Préoccupations",
    "Flash info",
)


def _row_dict(sheet: schema.Sheet, row: RawRow) -> dict:
    values = {key: cell.value for key, cell in row.cells.items()}
    if sheet.repeated:
        values[sheet.repeated.key] = [c.value for c in row.repeated if c.value is not None]
    values["months"] = {m for m, c in row.months.items() if c.value is not None}
    return values


def _shift_code(code, products: int, i: int):
    if code is None or i == 0:
        return code
    head, _, tail = str(code).partition(".")
    return f"{int(head) + i * products}.{tail}"


def _copy(sheet: str, row: dict, i: int, n: dict) -> dict:
    """Row ``row`` of ``sheet`` as it stands in copy ``i``."""
    if i == 0:
        return row
    row = dict(row)
    if sheet == "Axes":
        row["number"] += i * n["axes"]
    elif sheet == "Produits":
        row["number"] += i * n["products"]
        row["axis"] += i * n["axes"]
    elif sheet == "Activités":
        row["code"] = _shift_code(row["code"], n["products"], i)
        row["product"] += i * n["products"]
    elif sheet == "Réunions":
        row["id"] = f"{row['id']}-{i}"
        row["activities"] = [_shift_code(c, n["products"], i) for c in row["activities"]]
    elif sheet == "Décisions":
        row["meeting"] = f"{row['meeting']}-{i}"
        row["number"] = f"{row['number']}-{i}"
    elif sheet == "Recommandations":
        row["number"] = f"{row['number']}-{i}"
        row["activity"] = _shift_code(row["activity"], n["products"], i)
    elif sheet == "Historique des statuts":
        row["number"] = f"{row['number']}-{i}"  # the copy's decision or recommendation
    elif sheet == "Suivi des activités":
        row["activity"] = _shift_code(row["activity"], n["products"], i)
    elif sheet == "Partenaires":
        row["acronym"] = f"{row['acronym']}{i}"
        row["name"] = f"{row['name']} ({i})"
        row["troika"] = schema.NO  # the Troïka keeps its three members
    elif sheet == "Prévisions":
        row["partner"] = f"{row['partner']}{i}"
    elif sheet == "Destinataires":
        row["email"] = f"copie{i}.{row['email']}"
    elif sheet == "Préoccupations":
        row["number"] += i * n["concerns"]
    elif sheet == "Flash info":
        row["title"] = f"{row['title']} ({i})"  # same issues (one a month), more items
    return row


def scaled_workbook(sample: Path, factor: int, target: Path) -> Path:
    """Write ``sample`` repeated ``factor`` times to ``target``."""
    raw = read_workbook(sample, Report())
    params = {key: p.value for key, p in raw.parameters.items() if key != "schema_version"}
    rows = {name: [_row_dict(t.sheet, r) for r in t.rows] for name, t in raw.tables.items()}
    counts = {
        "axes": max(r["number"] for r in rows["Axes"]),
        "products": max(r["number"] for r in rows["Produits"]),
        "concerns": max((r["number"] for r in rows["Préoccupations"]), default=0),
    }
    start, end = params["mandate_start"], params["mandate_end"]
    book = new_workbook(
        start if isinstance(start, dt.date) else start.date(),
        end if isinstance(end, dt.date) else end.date(),
    )
    set_parameters(book, params)
    for name in schema.SHEETS:
        sheet_rows = rows.get(name, [])
        copies = range(factor) if name in SCALED else range(1)
        if name == "Périodes":
            book[name].delete_rows(2, book[name].max_row)  # replaced by the sample's own
        append_rows(book, name, [_copy(name, row, i, counts) for i in copies for row in sheet_rows])
    book.save(target)
    return target
