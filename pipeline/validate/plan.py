"""Validation of the plan's sheets: Paramètres, Textes, Responsables, Axes,
Produits, Activités."""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.utils import column_index_from_string, get_column_letter

from ..formats import month_year
from ..model import Activity, Axis, Body, Identity, Mandate, Plan, Product
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawRow, RawTable, RawWorkbook
from ..workbook.values import fold, last_day
from .common import convert, index_unique, resolve_repeated, type_rows


def _check_parameters(raw: RawWorkbook, report: Report) -> dict:
    sheet = schema.PARAMETERS_SHEET
    values = {}
    for param in schema.PARAMETERS:
        cell = raw.parameters.get(param.key)
        values[param.key] = convert(cell, param, sheet, report) if cell else None
    version = values.get("schema_version")
    if version is not None and version != schema.SCHEMA_VERSION:
        report.add(
            "schema-version" if version < schema.SCHEMA_VERSION else "schema-newer",
            sheet,
            raw.parameters["schema_version"].ref,
            found=version,
            expected=schema.SCHEMA_VERSION,
        )
    start, end = values.get("mandate_start"), values.get("mandate_end")
    if start and end and end < start:
        report.add(
            "bad-mandate",
            sheet,
            raw.parameters["mandate_end"].ref,
            start=start.strftime("%m/%Y"),
            end=end.strftime("%m/%Y"),
        )
        values["mandate_end"] = None
    return values


def _check_texts(
    table: RawTable | None, mandate: Mandate | None, report: Report
) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {key: [] for key in schema.TEXT_HEADINGS}
    if table is None:
        return texts
    by_label = {fold(label): key for key, label in schema.TEXT_HEADINGS.items()}
    name = table.sheet.name
    for row in type_rows(table, report):
        heading, text = row["heading"], row["text"]
        if heading is None or text is None:
            continue
        key = by_label[fold(heading)]  # the heading was checked against its list
        texts[key].append(text)
        if mandate:
            _check_years(text, mandate, name, row.ref("text"), report)
    for key in schema.REQUIRED_HEADINGS:
        if not texts[key]:
            report.add("missing-text", name, value=schema.TEXT_HEADINGS[key])
    return texts


def _check_years(text: str, mandate: Mandate, sheet: str, ref: str, report: Report) -> None:
    """Warn on a year range ("2020-2021") that is not the mandate's own years."""
    own = (mandate.start.year, mandate.end.year)
    for m in re.finditer(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b", text):
        if (int(m[1]), int(m[2])) != own:
            report.add("other-mandate-years", sheet, ref, value=m[0], mandate=mandate.short_label)


def _check_bodies(table: RawTable | None, report: Report) -> dict[str, Body]:
    if table is None:
        return {}
    rows = type_rows(table, report)
    index = index_unique(rows, "name", table.sheet.name, report)
    return {fold(name): Body(name, row["full_name"] or name) for name, row in index.items()}


def _check_axes(table: RawTable | None, report: Report) -> dict[int, Axis]:
    if table is None:
        return {}
    rows = type_rows(table, report)
    index = index_unique(rows, "number", table.sheet.name, report)
    return {n: Axis(n, row["title"] or "") for n, row in sorted(index.items())}


def _check_products(
    table: RawTable | None, axes: dict[int, Axis], report: Report
) -> dict[int, Product]:
    if table is None:
        return {}
    name = table.sheet.name
    rows = type_rows(table, report)
    products = {}
    for number, row in sorted(index_unique(rows, "number", name, report).items()):
        axis = axes.get(row["axis"])
        if row["axis"] is not None and axis is None:
            report.add("unknown-axis", name, row.ref("axis"), value=row["axis"])
        if axis is None:
            continue
        if not row["result"]:
            report.add("missing-result", name, row.ref("result"), value=number)
        product = Product(number, row["title"] or "", axis, row["result"] or "")
        axis.products.append(product)
        products[number] = product
    return products


def _month_insert_cell(table: RawTable, month: dt.date) -> str:
    """The header cell where a missing month column belongs: the one after the
    previous month's column, else as many columns before the first month present as
    there are months between them."""
    columns = table.month_columns
    earlier = [m for m in columns if m < month]
    if earlier:
        return f"{get_column_letter(column_index_from_string(columns[max(earlier)]) + 1)}1"
    first = min(columns)
    gap = (first.year - month.year) * 12 + first.month - month.month
    return f"{get_column_letter(max(1, column_index_from_string(columns[first]) - gap))}1"


def is_mark(value) -> bool:
    """Whether a month cell's value marks the month as scheduled (the documented « x »
    or one of :data:`schema.OTHER_SCHEDULE_MARKS`)."""
    if value is True:
        return True
    if isinstance(value, bool) or value is None:
        return False
    return fold(str(value)) in schema.SCHEDULE_MARKS


def is_documented_mark(value) -> bool:
    return isinstance(value, str) and fold(value) == schema.SCHEDULE_MARK


def _check_schedule(
    row: RawRow, mandate: Mandate | None, sheet: str, report: Report
) -> frozenset[dt.date]:
    scheduled = set()
    for month, cell in row.months.items():
        if cell.value is None:
            continue
        if not is_mark(cell.value):
            report.add("bad-mark", sheet, cell.ref, value=cell.value, month=month_year(month))
            continue
        if not is_documented_mark(cell.value):
            shown = "VRAI" if cell.value is True else cell.value
            report.add("other-mark", sheet, cell.ref, value=shown, month=month_year(month))
        if mandate and not mandate.contains(month):
            report.add(
                "month-outside-mandate",
                sheet,
                cell.ref,
                month=month_year(month),
                mandate=f"{month_year(mandate.start)} – {month_year(mandate.end)}",
            )
            continue
        scheduled.add(month)
    return frozenset(scheduled)


def _check_activities(
    table: RawTable | None,
    products: dict[int, Product],
    bodies: dict[str, Body],
    mandate: Mandate | None,
    report: Report,
) -> list[Activity]:
    if table is None:
        return []
    name = table.sheet.name
    if mandate:
        for month in mandate.months:
            if month not in table.month_columns:
                report.add(
                    "missing-month-column",
                    name,
                    _month_insert_cell(table, month),
                    month=month_year(month),
                )
    rows = type_rows(table, report)
    index_unique(
        rows, "code", name, report, hint=" (renumérotez les activités qui suivent le doublon)"
    )
    activities = []
    for row in rows:
        code, product = row["code"], products.get(row["product"])
        if row["product"] is not None and product is None:
            report.add("unknown-product", name, row.ref("product"), value=row["product"])
        label = code or row["title"] or f"ligne {row.raw.number}"
        row_bodies = resolve_repeated(
            row, lambda text: bodies.get(fold(text)), "unknown-body", name, report
        )
        if not any(c.value is not None for c in row.raw.repeated):
            first = row.raw.repeated[0].ref if row.raw.repeated else row.ref("title")
            report.add("no-body", name, first, value=label)
        months = _check_schedule(row.raw, mandate, name, report)
        if not months:
            report.add("no-schedule", name, row.ref("title"), value=label)
        if code and product and code.split(".")[0] != str(product.number):
            report.add(
                "code-product-mismatch", name, row.ref("code"), value=code, product=product.number
            )
        if code and product and row["title"]:
            activity = Activity(code, row["title"], product, row_bodies, months)
            product.activities.append(activity)
            activities.append(activity)
    return activities


def check_plan(raw: RawWorkbook, report: Report) -> Plan | None:
    """Check the plan's sheets. The plan is returned even when it has errors (so later
    sheets can still be cross-checked against it); None only without a valid mandate."""
    params = _check_parameters(raw, report)
    mandate = None
    if params.get("mandate_start") and params.get("mandate_end"):
        mandate = Mandate(params["mandate_start"], last_day(params["mandate_end"]))
    tables = raw.tables
    texts = _check_texts(tables.get(schema.TEXTS.name), mandate, report)
    bodies = _check_bodies(tables.get(schema.BODIES.name), report)
    axes = _check_axes(tables.get(schema.AXES.name), report)
    products = _check_products(tables.get(schema.PRODUCTS.name), axes, report)
    _check_activities(tables.get(schema.ACTIVITIES.name), products, bodies, mandate, report)
    for product in products.values():
        if not product.activities:
            report.add("empty-product", schema.PRODUCTS.name, value=product.number)
    for axis in axes.values():
        if not axis.products:
            report.add("empty-axis", schema.AXES.name, value=axis.number)
    if mandate is None:
        return None
    identity = Identity(
        *(
            params[k] or ""
            for k in ("group_name", "country", "framework", "framework_full", "place")
        )
    )
    return Plan(
        identity,
        mandate,
        params["document_date"] or mandate.end,
        texts,
        list(axes.values()),
        list(bodies.values()),
    )
