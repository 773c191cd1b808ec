"""The house look of the Excel tables the documents come with (the forecast, the
follow-up of the register): a named font on every cell, French amounts whatever the
reader's settings, French typography in every text, A4 landscape pages."""

from __future__ import annotations

import datetime as dt
import io

from xlsxwriter import Workbook as ExcelWriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..render.typography import french_spacing

# The font of the house documents (Liberation Sans, its metric twin, in LibreOffice),
# named on every cell: an unnamed font falls back to the reader's default, a serif.
FONT = "Arial"
HOUSE_BLUE, TOTAL_FILL, BORDER_GREY = "#1F4E79", "#D9E2F3", "#A6A6A6"
# Amounts written French-style, "12 500 000 000", whatever the reader's settings: the
# separators are literal spaces, where "#,##0" would show the reader's own separator
# ("12,500,000,000" in an English Excel). A "#" with no digit shows nothing, so one
# format serves every amount up to 10^15; zero is a dash.
_DIGITS = "### ### ### ### ##0"
AMOUNT_FORMAT = f'{_DIGITS};-{_DIGITS};"–"'


class Sheet:
    """A worksheet with the house formats, every text set in French typography."""

    def __init__(self, book, name: str, formats: dict):
        self.ws = book.add_worksheet(name)
        self.f = formats

    def text(self, row: int, col: int, value: str, style: str) -> None:
        self.ws.write_string(row, col, french_spacing(value), self.f[style])

    def amount(
        self, row: int, col: int, value: float, style: str = "amount", formula: str | None = None
    ) -> None:
        if formula:
            self.ws.write_formula(row, col, formula, self.f[style], value)
        else:
            self.ws.write_number(row, col, value, self.f[style])

    def header(self, row: int, titles: list[str], widths: list[int]) -> None:
        for col, (title, width) in enumerate(zip(titles, widths)):
            self.text(row, col, title, "header")
            self.ws.set_column(col, col, width)

    def print_setup(self) -> None:
        """A4 landscape, all columns on one page width."""
        self.ws.set_landscape()
        self.ws.set_paper(9)
        self.ws.fit_to_pages(1, 0)


def house_formats(book) -> dict:
    base = {"font_name": FONT, "font_size": 10}
    box = {**base, "border": 1, "border_color": BORDER_GREY, "valign": "top"}
    total = {"bold": True, "bg_color": TOTAL_FILL}
    styles = {
        "title": {**base, "bold": True, "font_size": 14, "font_color": HOUSE_BLUE},
        "subtitle": {**base, "italic": True, "font_color": "#595959"},
        "section": {**base, "bold": True},
        "header": {
            **box,
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": HOUSE_BLUE,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        },
        "text": {**box, "text_wrap": True},
        "year": {**box, "num_format": "0", "align": "center"},
        "amount": {**box, "num_format": AMOUNT_FORMAT, "align": "right", "indent": 1},
        "total": {**box, **total, "text_wrap": True},
        "total_amount": {
            **box,
            **total,
            "num_format": AMOUNT_FORMAT,
            "align": "right",
            "indent": 1,
        },
    }
    return {name: book.add_format(style) for name, style in styles.items()}


def cell(row: int, col: int, fixed_col: bool = False, fixed_row: bool = False) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=fixed_row, col_abs=fixed_col)


def open_workbook() -> tuple[ExcelWriter, io.BytesIO]:
    """A new workbook written in memory. Texts stay texts: staff's words that look like
    a formula, a link or a number are written as they were typed."""
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    return ExcelWriter(buffer, options), buffer


def close_workbook(book, buffer: io.BytesIO, title: str, author: str, day: dt.date) -> bytes:
    """Close ``book`` (written into ``buffer``) with fixed properties, so that the same
    data always gives the same bytes, and return them."""
    book.set_properties(
        {"title": title, "author": author, "created": dt.datetime.combine(day, dt.time())}
    )
    book.close()
    return buffer.getvalue()
