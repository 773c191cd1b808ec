"""First versions of the partners' templates: the PTF speech (set for reading aloud),
the aide-mémoire on the annual review and the disbursement forecast table."""

from __future__ import annotations

from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

import template_kit as kit

HEADER = "{{ plan.identity.group_name }} – {{ plan.identity.country }}"
NBSP = "\u00a0"


def _letterhead(doc) -> None:
    """The group's name and country at the top of the first page, over a blue rule."""
    kit.paragraph(doc, "{{ plan.identity.group_name }}", bold=True, size=13, color=kit.BLUE,
                  caps=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    p = kit.paragraph(doc, "{{ plan.identity.country }}", size=11, color=kit.GREY,
                      align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    p.paragraph_format.line_spacing = 1.0
    kit._bottom_border(p)  # noqa: SLF001


def _numbered_concern(doc, size: float | None = None, indent_cm: float = 0.9):
    """A paragraph "1. Thème : texte", number and theme in bold, hanging indent."""
    p = doc.add_paragraph()
    run = p.add_run("{{ block.number }}.\t{{ block.theme }}" + NBSP + ": ")
    run.bold = True
    p.add_run("{{ block.text }}")
    if size:
        for r in p.runs:
            r.font.size = Pt(size)
    p.paragraph_format.left_indent = Cm(indent_cm)
    p.paragraph_format.first_line_indent = Cm(-indent_cm)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(indent_cm))
    return p


def _blocks(doc, expression: str, size: float | None = None) -> None:
    """Paragraphs of a list of model.Block: numbered concerns or plain text."""
    kit.paragraph(doc, f"{{%p for block in {expression} %}}")
    kit.paragraph(doc, "{%p if block.number %}")
    _numbered_concern(doc, size)
    kit.paragraph(doc, "{%p else %}")
    kit.paragraph(doc, "{{ block.text }}", size=size)
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "{%p endfor %}")


def discours(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Discours des PTF")
    kit.set_core_properties(doc, "Discours des PTF – {{ session.body_name }}",
                            "{{ session.label }}")
    # Set for reading aloud: large type, generous spacing, no paragraph split across pages.
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    fmt = normal.paragraph_format
    fmt.line_spacing = 1.5
    fmt.space_after = Pt(12)
    fmt.keep_together = True
    fmt.widow_control = True
    # Ragged right: justified 14 pt text leaves gaps that trip the speaker.
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)

    _letterhead(doc)
    title = kit.paragraph(doc, "Discours des partenaires techniques et financiers à l'occasion de "
                               "la {{ session.label }} du {{ session.body_name }} du "
                               "{{ plan.identity.framework }}", style="Title")
    title.paragraph_format.line_spacing = 1.15
    kit.paragraph(doc, "{{ session.place }}, le {{ session.date|date_longue }}",
                  align=WD_ALIGN_PARAGRAPH.RIGHT, size=12, space_after=4)
    chair = kit.paragraph(doc, "Session présidée par {{ session.chair_name }}, "
                               "{{ session.chair_title }}", size=11, color=kit.GREY,
                          align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    chair.paragraph_format.line_spacing = 1.15
    speaker = kit.paragraph(doc, "Allocution de {{ session.speaker_name }}, "
                                 "{{ session.speaker_title }}, au nom des partenaires techniques "
                                 "et financiers", italic=True, size=12,
                            align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    speaker.paragraph_format.line_spacing = 1.15
    kit.paragraph(doc, "Seul le prononcé fait foi", bold=True, italic=True, size=12,
                  align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24)

    kit.paragraph(doc, "{%p for line in session.salutations %}")
    salutation = kit.paragraph(doc, "{{ line }}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                               space_after=2)
    salutation.paragraph_format.keep_with_next = True
    kit.paragraph(doc, "{%p endfor %}")
    kit.paragraph(doc, "", space_after=6)

    _blocks(doc, "session.speech")

    closing = kit.paragraph(doc, "Je vous remercie de votre aimable attention.", bold=True,
                            align=WD_ALIGN_PARAGRAPH.LEFT)
    closing.paragraph_format.space_before = Pt(12)
    doc.save(path)


def aide_memoire(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Aide-mémoire sur la revue annuelle du "
                                    "{{ plan.identity.framework }}")
    kit.set_core_properties(doc, "Aide-mémoire des PTF – revue annuelle du "
                                 "{{ plan.identity.framework }}", "{{ session.label }}")
    doc.styles["Normal"].paragraph_format.keep_together = True
    _letterhead(doc)
    kit.paragraph(doc, "Aide-mémoire des partenaires techniques et financiers", style="Title")
    kit.paragraph(doc, "Revue annuelle du {{ plan.identity.framework }}", bold=True, size=13,
                  color=kit.BLUE, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    kit.paragraph(doc, "{{ session.body_name }} ({{ session.body }}) – {{ session.label }}",
                  size=11, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    kit.paragraph(doc, "{{ session.place }}, le {{ session.date|date_longue }}", size=11,
                  italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)

    kit.paragraph(doc, "{%p for section in sections %}")
    kit.paragraph(doc, "{{ section.heading }}", style="Heading 1")
    _blocks(doc, "section.blocks")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "Organisations signataires", style="Heading 1")
    kit.paragraph(doc, "Le présent aide-mémoire est présenté au nom des partenaires techniques "
                       "et financiers suivants :")
    t = kit.table(doc, 4, [6.2, 6.2, 4.2])
    head, loop_start, data, loop_end = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    for cell, text in zip(head.cells, ("Organisation", "Représentant", "Signature")):
        kit.header_cell(cell, text, size=9.5)
    kit.cell_text(loop_start.cells[0], "{%tr for partner in signatories %}")
    kit.cell_text(data.cells[0], "{{ partner.name }} ({{ partner.acronym }})", size=10, bold=True)
    note = data.cells[0].add_paragraph()
    run = note.add_run("{{ 'Membre de la Troïka' if partner.troika else '' }}")
    run.italic, run.font.size, run.font.color.rgb = True, Pt(9), kit.BLUE
    note.paragraph_format.space_after = Pt(0)
    kit.cell_text(data.cells[1], "{{ partner.head_name }}", size=10)
    title = data.cells[1].add_paragraph()
    run = title.add_run("{{ partner.head_title }}")
    run.font.size, run.font.color.rgb = Pt(9), kit.GREY
    title.paragraph_format.space_after = Pt(0)
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    kit.cell_text(data.cells[2], "", size=10)
    data.height = Cm(1.6)
    for cell in data.cells:
        cell.vertical_alignment = 1
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    doc.save(path)


def _amount_cell(cell, expression: str, marker: str = "", bold: bool = False) -> None:
    text = "{{ " + expression + "|montant if " + expression + " else '–' }}"
    if marker:
        text += "{{ '" + NBSP + "*' if " + marker + " else '' }}"
    kit.cell_text(cell, text, size=8.5, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)


def previsions_decaissements(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Prévisions de décaissements des appuis budgétaires "
                                    "{{ table.years[0] }} – {{ table.years[-1] }}")
    kit.set_core_properties(doc, "Prévisions de décaissements des appuis budgétaires "
                                 "{{ table.years[0] }} – {{ table.years[-1] }}", HEADER)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.6)

    kit.paragraph(doc, "Tableau prévisionnel des décaissements d'appui budgétaire "
                       "{{ table.years[0] }} – {{ table.years[-1] }}", style="Title")
    kit.paragraph(doc, "{{ plan.identity.group_name }} – {{ plan.identity.country }}",
                  bold=True, color=kit.BLUE, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    kit.paragraph(doc, "Situation au {{ situation|date_longue }}. Montants en francs "
                       "CFA (FCFA) ; années n à n+2, n = {{ table.years[0] }}, année de fin du "
                       "mandat {{ plan.mandate.short_label }}.", italic=True, size=10,
                  color=kit.GREY, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    kit.paragraph(doc, "1. Prévisions par partenaire et par année", style="Heading 2")
    widths = [5.0, 5.3, 4.1, 4.1, 4.1, 4.1]
    t = kit.table(doc, 5, widths)
    head, loop_start, data, loop_end, total = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    kit.row_properties(total)
    headers = ("Partenaire", "Instrument(s)", "{{ table.years[0] }}", "{{ table.years[1] }}",
               "{{ table.years[2] }}", "Total {{ table.years[0] }} – {{ table.years[-1] }}")
    for cell, text in zip(head.cells, headers):
        kit.header_cell(cell, text, size=9)
    kit.cell_text(loop_start.cells[0], "{%tr for row in table.rows %}")
    kit.cell_text(data.cells[0], "{{ row.partner.name }} ({{ row.partner.acronym }})", size=9,
                  bold=True)
    kit.cell_text(data.cells[1], "{{ row.instruments }}", size=9)
    for i in range(3):
        _amount_cell(data.cells[2 + i], f"row.amounts[{i}]", f"row.indicative[{i}]")
    _amount_cell(data.cells[5], "row.total", bold=True)
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    kit.cell_text(total.cells[0], "Total", size=9, bold=True)
    for i in range(3):
        _amount_cell(total.cells[2 + i], f"table.year_totals[{i}]", bold=True)
    _amount_cell(total.cells[5], "table.grand_total", bold=True)
    for cell in total.cells:
        kit.shade(cell, "D9E2F3")
    note = kit.paragraph(doc, "* Montant comprenant des prévisions indicatives, susceptibles "
                              "d'évoluer ; les autres montants sont fermes.", italic=True,
                         size=9, space_after=6)
    note.paragraph_format.space_before = Pt(4)

    kit.paragraph(doc, "2. Répartition par statut", style="Heading 2")
    widths = [10.3, 4.1, 4.1, 4.1, 4.1]
    t = kit.table(doc, 5, widths)
    head, loop_start, data, loop_end, total = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    kit.row_properties(total)
    for cell, text in zip(head.cells, ("Statut", *headers[2:])):
        kit.header_cell(cell, text, size=9)
    kit.cell_text(loop_start.cells[0], "{%tr for status in table.by_status %}")
    kit.cell_text(data.cells[0], "{{ status.status }}", size=9)
    for i in range(3):
        _amount_cell(data.cells[1 + i], f"status.amounts[{i}]")
    _amount_cell(data.cells[4], "status.total", bold=True)
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    kit.cell_text(total.cells[0], "Total", size=9, bold=True)
    for i in range(3):
        _amount_cell(total.cells[1 + i], f"table.year_totals[{i}]", bold=True)
    _amount_cell(total.cells[4], "table.grand_total", bold=True)
    for cell in total.cells:
        kit.shade(cell, "D9E2F3")

    detail = kit.paragraph(doc, "3. Détail des prévisions", style="Heading 2")
    detail.paragraph_format.page_break_before = True
    widths = [8.0, 8.2, 2.5, 4.6, 3.4]
    t = kit.table(doc, 4, widths)
    head, loop_start, data, loop_end = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    for cell, text in zip(head.cells, ("Partenaire", "Instrument", "Année", "Montant", "Statut")):
        kit.header_cell(cell, text, size=9)
    kit.cell_text(loop_start.cells[0], "{%tr for line in table.lines %}")
    kit.cell_text(data.cells[0], "{{ line.partner.name }} ({{ line.partner.acronym }})", size=9)
    kit.cell_text(data.cells[1], "{{ line.instrument }}", size=9)
    kit.cell_text(data.cells[2], "{{ line.year }}", size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    _amount_cell(data.cells[3], "line.amount")
    kit.cell_text(data.cells[4], "{{ 'Ferme' if line.firm else 'Indicatif' }}", size=9,
                  align=WD_ALIGN_PARAGRAPH.CENTER)
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    doc.save(path)


BUILDERS = {
    "discours": discours,
    "aide_memoire": aide_memoire,
    "previsions_decaissements": previsions_decaissements,
}
