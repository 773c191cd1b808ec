"""The follow-up of the register of recommendations and commitments: where every item
stood on the build date, by source and addressee, with the implementation rate of each
source; as a Word document and as an Excel table whose totals are formulas.

Every figure comes from :mod:`pipeline.documents.figures` (:func:`~figures.register_on`,
:func:`~figures.by_source`, :func:`~figures.implementation`): nothing dated after the
document's date is shown, and the rate is computed there once for every document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..formats import agree, long_date
from ..model import Plan, Workbook
from ..workbook import schema
from . import Options, Output, figures, register
from .excel import (
    BORDER_GREY,
    FONT,
    TOTAL_FILL,
    Sheet,
    cell,
    close_workbook,
    house_formats,
    open_workbook,
)

KIND = "etat-recommandations"
TEMPLATE = "etat_des_recommandations.docx"
TITLE = "État des recommandations et engagements"
NOUN = "recommandation"  # the noun the statuses agree with, in both files
CARRIED = "Reprises du mandat précédent"

# How each addressee's table is headed (schema.ADDRESSEES, in that order).
ADDRESSEE_HEADINGS = {
    "Gouvernement": "Recommandations adressées au Gouvernement",
    "PTF": "Engagements des partenaires techniques et financiers (PTF)",
    "Gouvernement et PTF": "Recommandations et engagements communs au Gouvernement et aux PTF",
}


@dataclass(frozen=True)
class AddresseeGroup:
    addressee: str
    heading: str
    lines: list[figures.ItemLine]


@dataclass(frozen=True)
class SourceSection:
    """The items of one source, by addressee, with the source's implementation."""

    group: figures.SourceGroup
    addressees: list[AddresseeGroup]

    @property
    def source(self):
        return self.group.source

    @property
    def implementation(self) -> figures.Implementation:
        return self.group.implementation

    @property
    def carried(self) -> int:
        return sum(1 for line in self.group.lines if line.carried)


def _addressees(lines: list[figures.ItemLine]) -> list[AddresseeGroup]:
    """The lines by addressee, in the order of the workbook's list; an addressee the
    list does not know (validation reports it) comes last under its own name."""
    order = [*schema.ADDRESSEES]
    order += sorted({line.item.addressee for line in lines} - set(order))
    groups = []
    for addressee in order:
        rows = [line for line in lines if line.item.addressee == addressee]
        if rows:
            groups.append(
                AddresseeGroup(addressee, ADDRESSEE_HEADINGS.get(addressee, addressee), rows)
            )
    return groups


def register_context(workbook: Workbook, as_of: dt.date) -> dict:
    """What the template places: the summary by source, the overall and carried-over
    implementation, and the tables by source and addressee, all as of ``as_of``."""
    lines = figures.register_on(workbook.reporting.recommendations, as_of)
    groups = figures.by_source(lines)
    carried = [line for line in lines if line.carried]
    return {
        "plan": workbook.plan,
        "as_of": as_of,
        "overall": figures.implementation("Ensemble", lines),
        "carried": figures.implementation(CARRIED, carried) if carried else None,
        "carried_from": sorted({line.item.carried_from for line in carried}),
        "overdue": [line for line in lines if line.overdue],
        "sources": [SourceSection(g, _addressees(g.lines)) for g in groups],
    }


@register(KIND, TITLE)
def plan_register(workbook: Workbook, options: Options) -> list[Output]:
    as_of = options.today
    context = register_context(workbook, as_of)
    stem = f"etat_des_recommandations_{as_of.isoformat()}"
    title = f"{TITLE} au {long_date(as_of)}"
    empty = not context["sources"]
    return [
        Output(KIND, f"{stem}.docx", TEMPLATE, context, date=as_of, title=title, empty=empty),
        Output(
            KIND,
            f"{stem}.xlsx",
            data=register_workbook(workbook.plan, context),
            date=as_of,
            title=f"{title} (tableau Excel)",
            empty=empty,
        ),
    ]


# --- The same tables as an Excel workbook ---
#
# Written like the forecast's workbook (pipeline.documents.partners): XlsxWriter stores
# each formula with its result, so a viewer that does not recalculate still shows the
# totals. Every count of the summary is a COUNTIFS over the register sheet and every
# total a SUM of the counts above it: a status corrected in « Registre » updates them.

SUMMARY_SHEET, REGISTER_SHEET = "État", "Registre"
YES = "Oui"
# The status columns of the summary: (heading, status as written in the register sheet).
STATUS_COLUMNS = [
    (heading, agree(status, NOUN))
    for heading, status in (
        ("Réalisés", figures.DECISION_DONE),
        ("En cours", figures.DECISION_IN_PROGRESS),
        ("À faire", figures.DECISION_TO_DO),
        ("Abandonnés", figures.DECISION_DROPPED),
    )
]
RATE_FORMAT = '0.0"\u00a0"%'


def _counts(implementation: figures.Implementation) -> list[int]:
    """The figures of a summary row, in the order of its count columns."""
    i = implementation
    return [i.total, i.done, i.in_progress, i.to_do, i.dropped]


def _rate_formula(row: int) -> str:
    """Carried out / (all − abandoned), « – » when nothing is left to count."""
    total, done, dropped = cell(row, 2), cell(row, 3), cell(row, 6)
    return f'IF({total}-{dropped}=0,"–",{done}/({total}-{dropped}))'


def _lines(texts: dict[int, str], widths: list[int]) -> int:
    """How many lines the longest of ``texts`` (by column) takes at the column's width."""
    return max(1, *(-(-len(text) // max(1, widths[col] - 2)) for col, text in texts.items()))


def _write_register(sheet: Sheet, sections: list[SourceSection], as_of: dt.date) -> dict:
    """One row per item, in the document's order; the absolute ranges of the columns
    the summary counts on, by name."""
    headers = [
        "N°",
        "Recommandation ou engagement",
        "Source",
        "Date de la source",
        "Destinataire",
        "Structure responsable",
        "Échéance",
        "Statut",
        "Retard (jours)",
        "Dernier changement",
        "Commentaire",
        "Reprise du mandat précédent",
        "Mandat d'origine",
    ]
    widths = [10, 48, 26, 11, 14, 20, 11, 11, 9, 12, 40, 11, 10]
    sheet.header(0, headers, widths)
    sheet.ws.set_row(0, 27)  # the headings wrap on two lines
    row = 0
    for section in sections:
        for group in section.addressees:
            for line in group.lines:
                row += 1
                item = line.item
                sheet.text(row, 0, item.number, "text")
                sheet.text(row, 1, item.text, "text")
                sheet.text(row, 2, item.source.title, "text")
                sheet.ws.write_datetime(
                    row, 3, dt.datetime.combine(item.source.date, dt.time()), sheet.f["date"]
                )
                sheet.text(row, 4, item.addressee, "text")
                sheet.text(row, 5, item.responsible, "text")
                if item.due is not None:
                    sheet.ws.write_datetime(
                        row, 6, dt.datetime.combine(item.due, dt.time()), sheet.f["date"]
                    )
                else:
                    sheet.text(row, 6, "–", "centred")
                sheet.text(row, 7, agree(line.status, NOUN), "centred")
                if line.delay is not None:
                    sheet.ws.write_number(row, 8, line.delay, sheet.f["count"])
                else:
                    sheet.text(row, 8, "–", "centred")
                if line.change is not None:
                    sheet.ws.write_datetime(
                        row, 9, dt.datetime.combine(line.change.day, dt.time()), sheet.f["date"]
                    )
                    sheet.text(row, 10, line.change.comment, "text")
                else:
                    sheet.text(row, 9, "–", "centred")
                    sheet.text(row, 10, "", "text")
                sheet.text(row, 11, YES if line.carried else "Non", "centred")
                sheet.text(row, 12, item.carried_from or "–", "centred")
                # Neither LibreOffice nor every viewer fits a row to its wrapped text:
                # give it the height of its longest cell.
                texts = {1: item.text, 2: item.source.title, 5: item.responsible}
                texts[10] = line.change.comment if line.change else ""
                sheet.ws.set_row(row, 13 * _lines(texts, widths))
    sheet.ws.freeze_panes(1, 2)
    sheet.ws.autofilter(0, 0, max(row, 1), len(headers) - 1)
    sheet.print_setup()
    last = max(row, 1)
    quoted = f"'{REGISTER_SHEET}'!"
    return {
        name: quoted + f"{cell(1, col, True, True)}:{cell(last, col, True, True)}"
        for name, col in (("source", 2), ("date", 3), ("status", 7), ("carried", 11))
    }


def _write_counts(
    sheet: Sheet,
    row: int,
    implementation: figures.Implementation,
    criteria: str,
    statuses: str,
) -> None:
    """A summary row's counts, each a COUNTIFS of the register with ``criteria`` (and
    of the status range ``statuses``), and its rate."""
    values = _counts(implementation)
    sheet.amount(row, 2, values[0], "count", f"COUNTIFS({criteria})")
    for col, ((_heading, status), value) in enumerate(zip(STATUS_COLUMNS, values[1:]), start=3):
        formula = f'COUNTIFS({criteria},{statuses},"{status}")'
        sheet.amount(row, col, value, "count", formula)
    _write_rate(sheet, row, implementation)


def _write_rate(
    sheet: Sheet, row: int, implementation: figures.Implementation, style: str = "rate"
) -> None:
    rate = implementation.rate
    sheet.ws.write_formula(
        row, 7, _rate_formula(row), sheet.f[style], "–" if rate is None else rate
    )


def register_workbook(plan: Plan, context: dict) -> bytes:
    """The follow-up as .xlsx bytes: the summary by source (counts by status and
    implementation rate, every figure a formula stored with its value) and the register
    as it stood on the document's date."""
    as_of: dt.date = context["as_of"]
    book, buffer = open_workbook()
    formats = house_formats(book)
    base = {"font_name": FONT, "font_size": 10, "border": 1, "border_color": BORDER_GREY}
    total = {"bold": True, "bg_color": TOTAL_FILL}
    extra = {
        "date": {**base, "num_format": "dd/mm/yyyy", "align": "center", "valign": "top"},
        "count": {**base, "num_format": "0", "align": "center", "valign": "top"},
        "subtitle_wrap": {
            "font_name": FONT,
            "font_size": 10,
            "italic": True,
            "font_color": "#595959",
            "text_wrap": True,
            "valign": "top",
        },
        "centred": {**base, "align": "center", "valign": "top", "text_wrap": True},
        "rate": {**base, "num_format": RATE_FORMAT, "align": "center", "valign": "top"},
        "total_count": {**base, **total, "num_format": "0", "align": "center"},
        "total_rate": {**base, **total, "num_format": RATE_FORMAT, "align": "center"},
    }
    formats.update({name: book.add_format(style) for name, style in extra.items()})
    summary = Sheet(book, SUMMARY_SHEET, formats)
    sections: list[SourceSection] = context["sources"]
    ranges = _write_register(Sheet(book, REGISTER_SHEET, formats), sections, as_of)

    title = f"{TITLE} au {long_date(as_of)}"
    summary.text(0, 0, title, "title")
    # The rule spans the table's width, wrapped: left on one line, it would widen the
    # printed page and shrink the whole table to fit it.
    summary.ws.merge_range(1, 0, 1, 7, "", formats["subtitle_wrap"])
    summary.text(
        1,
        0,
        f"{plan.identity.group_name} – {plan.identity.country}. Statut de chaque "
        f"recommandation ou engagement au {long_date(as_of)} : celui de son dernier "
        "changement daté de ce jour ou d'avant. Taux de mise en œuvre = réalisées ÷ "
        "(total − abandonnées).",
        "subtitle_wrap",
    )
    summary.ws.set_row(1, 27)
    headers = ["Source", "Date", "Total", *(h for h, _s in STATUS_COLUMNS)]
    summary.header(3, [*headers, "Taux de mise en œuvre"], [44, 12, 10, 12, 12, 12, 13, 16])
    first = 4
    for row, section in enumerate(sections, start=first):
        summary.text(row, 0, section.source.title, "text")
        summary.ws.write_datetime(
            row, 1, dt.datetime.combine(section.source.date, dt.time()), formats["date"]
        )
        criteria = f"{ranges['source']},$A{row + 1},{ranges['date']},$B{row + 1}"
        _write_counts(summary, row, section.implementation, criteria, ranges["status"])
    last = first + len(sections) - 1
    total_row = last + 1
    summary.ws.merge_range(total_row, 0, total_row, 1, "Ensemble", formats["total"])
    for col, value in enumerate(_counts(context["overall"]), start=2):
        formula = f"SUM({cell(first, col)}:{cell(last, col)})" if sections else None
        summary.amount(total_row, col, value, "total_count", formula)
    _write_rate(summary, total_row, context["overall"], "total_rate")
    if context["carried"] is not None:
        row = total_row + 1
        summary.ws.merge_range(
            row, 0, row, 1, f"dont {CARRIED[0].lower()}{CARRIED[1:]}", formats["text"]
        )
        _write_counts(
            summary, row, context["carried"], f'{ranges["carried"]},"{YES}"', ranges["status"]
        )
    summary.ws.freeze_panes(first, 0)
    summary.print_setup()

    return close_workbook(book, buffer, title, plan.identity.group_name, as_of)
