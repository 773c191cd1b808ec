"""A Word document in the layout of the seed's PTA 2021–2022 (see /work/shared/seed/),
built for the import tests: title in capitals, numbered sections, objectives and
results as list paragraphs, and the plan table as the secretariat typed it: merged
header cells (ACTIVITES over the code and the label, years over their months, month
initials), axis and product cells merged down their rows, "x" crosses, several bodies
per cell on separate lines, the header typed again on a second table after a page
break, and the seed's defects (two activities 1.3, one activity without number nor
body, "2020-2021" in the context, six results for seven products)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sample_plan import ACTIVITIES, AXES, PRODUCTS, TEXTS  # noqa: E402

YEARS = [(2021, "SOND"), (2022, "JFMAMJ")]
WIDTHS = [Cm(3.2), Cm(3.2), Cm(1), Cm(7)] + [Cm(0.6)] * 10 + [Cm(4)]
FIRST_TABLE_ROWS = 10  # up to the unnumbered activity, as on the seed's first page


def _texts(heading: str) -> list[str]:
    return [t.format(years="2020-2021") for h, t in TEXTS if h == heading]


def _header(table) -> None:
    top, second = table.rows[0].cells, table.rows[1].cells
    for first, last, text in (
        (0, 0, "AXES"),
        (1, 1, "PRODUITS"),
        (2, 3, "ACTIVITES"),
        (14, 14, "RESPONSABLES"),
    ):
        cell = top[first].merge(second[last])
        cell.text = text
    column = 4
    for year, letters in YEARS:
        cell = top[column].merge(top[column + len(letters) - 1])
        cell.text = str(year)
        for offset, letter in enumerate(letters):
            second[column + offset].text = letter
        column += len(letters)


def _plan_table(document, activities: list[tuple], continued: bool) -> None:
    table = document.add_table(rows=2 + len(activities), cols=15)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, WIDTHS):
        column.w = width  # LibreOffice lays the table out by its grid
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS):
            cell.width = width
    _header(table)
    axis_of = {n: a for n, _t, a, _r in PRODUCTS}
    product_titles = {n: t for n, t, _a, _r in PRODUCTS}
    axis_titles = dict(AXES)
    spans: dict[str, list] = {"axis": [], "product": []}
    for index, (code, title, product, bodies, months) in enumerate(activities):
        row = table.rows[2 + index].cells
        axis = axis_of[product]
        for key, value, column, text in (
            ("axis", axis, 0, f"{axis}. {axis_titles[axis].upper()}"),
            ("product", product, 1, f"{product}. {product_titles[product]}"),
        ):
            if spans[key] and spans[key][-1][0] == value:
                spans[key][-1][2] = 2 + index
            else:
                # After a page break the seed leaves the continued product's cells empty.
                first_continued = continued and index == 0
                spans[key].append(
                    [value, 2 + index, 2 + index, "" if first_continued else text, column]
                )
        row[2].text = code or ""
        row[3].text = title
        for offset, month in enumerate(_mandate_months()):
            if month in months:
                row[4 + offset].text = "X" if code is None else "x"
        cell = row[14]
        if code is None:
            bodies = []  # the seed's unnumbered activity has no responsible body
        for line, body in enumerate(bodies):
            paragraph = cell.paragraphs[0] if line == 0 else cell.add_paragraph()
            paragraph.text = body
    for key in spans:
        for _value, first, last, text, column in spans[key]:
            cell = table.rows[first].cells[column]
            if last > first:
                cell = cell.merge(table.rows[last].cells[column])
            cell.text = text


def _mandate_months():
    return [dt.date(2021, m, 1) for m in (9, 10, 11, 12)] + [
        dt.date(2022, m, 1) for m in range(1, 7)
    ]


def build_seed_layout(path: Path) -> Path:
    document = Document()
    title = document.add_paragraph()
    run = title.add_run("PLAN DE TRAVAIL ANNUEL 2021 – 2022 DE LA")
    run.bold = True
    for line in ("TROÏKA DES PARTENAIRES TECHNIQUES ET", "FINANCIERS DU BURKINA FASO"):
        run.add_break()
        run = title.add_run(line)
        run.bold = True
    document.add_paragraph("Mai 2022")
    document.add_paragraph("1. INTRODUCTION")
    for text in _texts("Introduction") + _texts("Objectif global"):
        document.add_paragraph(text)
    for text in _texts("Objectifs spécifiques"):
        document.add_paragraph(text, style="List Bullet")
    for text in _texts("Cadre d'élaboration du PTA"):
        document.add_paragraph(text)
    document.add_paragraph("2. Présentation du Plan Annuel de Travail (PTA) 2021-2022 de la Troïka")
    for text in _texts("Contexte"):
        document.add_paragraph(text)
    for number, axis in AXES:
        document.add_paragraph(f"{number}. {axis}{' ;' if number < len(AXES) else '.'}")
    for text in _texts("Orientation du PTA"):
        document.add_paragraph(text)
    document.add_paragraph("3. Résultats attendus du mandat 2021-2022")
    for text in _texts("Introduction des résultats attendus"):
        document.add_paragraph(text)
    for number, _title, _axis, result in PRODUCTS:
        if number != 6:  # the seed lists six results for seven products
            document.add_paragraph(result, style="List Bullet")
    landscape = document.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = landscape.page_height, landscape.page_width
    landscape.left_margin = landscape.right_margin = Cm(1.5)
    document.add_paragraph(
        "PLAN DE TRAVAIL ANNUEL 2021-2022 DE LA TROÏKA DES PARTENAIRES "
        "TECHNIQUES ET FINANCIERS DU BURKINA FASO"
    )
    _plan_table(document, ACTIVITIES[:FIRST_TABLE_ROWS], continued=False)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _plan_table(document, ACTIVITIES[FIRST_TABLE_ROWS:], continued=True)
    document.save(path)
    return path
