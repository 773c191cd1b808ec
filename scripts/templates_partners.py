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
    """The group's name and country at the top of the first page, over a rule."""
    kit.paragraph(doc, "{{ plan.identity.group_name }}", style="Timbre – groupe")
    kit.paragraph(doc, "{{ plan.identity.country }}", style="Timbre – filet")


def _numbered_concern(doc, style: str):
    """A paragraph "1. Thème : texte", number and theme in bold, hanging indent."""
    p = doc.add_paragraph(style=style)
    run = p.add_run("{{ block.number }}.\t{{ block.theme }}" + NBSP + ": ")
    run.bold = True
    p.add_run("{{ block.text }}")
    return p


def _blocks(doc, expression: str, text_style: str, point_style: str) -> None:
    """Paragraphs of a list of model.Block: numbered concerns or plain text."""
    kit.paragraph(doc, f"{{%p for block in {expression} %}}")
    kit.paragraph(doc, "{%p if block.number %}")
    _numbered_concern(doc, point_style)
    kit.paragraph(doc, "{%p else %}")
    kit.paragraph(doc, "{{ block.text }}", style=text_style)
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "{%p endfor %}")


def discours(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Discours des PTF")
    kit.set_core_properties(doc, "Discours des PTF – {{ session.body_name }}",
                            "{{ session.label }}")
    # Set for reading aloud (the "Discours" styles): large type, generous spacing, ragged
    # right, no paragraph split across pages.
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)

    _letterhead(doc)
    kit.paragraph(doc, "Discours des partenaires techniques et financiers à l'occasion de "
                       "la {{ session.label }} du {{ session.body_name }} du "
                       "{{ plan.identity.framework }}", style="Titre du document")
    kit.paragraph(doc, "{{ session.place }}, le {{ session.date|date_longue }}",
                  style="Discours – date")
    kit.paragraph(doc, "Session présidée par {{ session.chair_name }}, {{ session.chair_title }}",
                  style="Discours – présidence")
    kit.paragraph(doc, "Allocution de {{ session.speaker_name }}, {{ session.speaker_title }}, au "
                       "nom des partenaires techniques et financiers", style="Discours – orateur")
    kit.paragraph(doc, "Seul le prononcé fait foi", style="Discours – prononcé")

    kit.paragraph(doc, "{%p for line in session.salutations %}")
    kit.paragraph(doc, "{{ line }}", style="Discours – salutation")
    kit.paragraph(doc, "{%p endfor %}")

    _blocks(doc, "session.speech", "Discours", "Discours – point")

    kit.paragraph(doc, "Je vous remercie de votre aimable attention.", style="Discours – clôture")
    doc.save(path)


def aide_memoire(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Aide-mémoire sur la revue annuelle du "
                                    "{{ plan.identity.framework }}")
    kit.set_core_properties(doc, "Aide-mémoire des PTF – revue annuelle du "
                                 "{{ plan.identity.framework }}", "{{ session.label }}")
    _letterhead(doc)
    kit.paragraph(doc, "Aide-mémoire des partenaires techniques et financiers", style="Titre du document")
    kit.paragraph(doc, "Revue annuelle du {{ plan.identity.framework }}", style="Couverture – intitulé")
    kit.paragraph(doc, "{{ session.body_name }} ({{ session.body }}) – {{ session.label }}",
                  style="Couverture – période")
    kit.paragraph(doc, "{{ session.place }}, le {{ session.date|date_longue }}",
                  style="Sous-titre du document")

    kit.paragraph(doc, "{%p for section in sections %}")
    kit.paragraph(doc, "{{ section.heading }}", style="Titre de partie")
    _blocks(doc, "section.blocks", "Paragraphe insécable", "Point numéroté")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "Organisations signataires", style="Titre de partie")
    kit.paragraph(doc, "Le présent aide-mémoire est présenté au nom des partenaires techniques "
                       "et financiers suivants :", style="Introduction de tableau")
    t = kit.table(doc, 4, [6.2, 6.2, 4.2])
    head, loop_start, data, loop_end = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    for cell, text in zip(head.cells, ("Organisation", "Représentant", "Signature")):
        kit.header_cell(cell, text)
    kit.cell_text(loop_start.cells[0], "{%tr for partner in signatories %}")
    kit.cell_text(data.cells[0], "{{ partner.name }} ({{ partner.acronym }})", bold=True)
    kit.cell_line(data.cells[0], "{%p if partner.troika %}")
    kit.cell_line(data.cells[0], "Membre de la Troïka", italic=True)
    kit.cell_line(data.cells[0], "{%p endif %}")
    kit.cell_text(data.cells[1], "{{ partner.head_name }}")
    kit.cell_line(data.cells[1], "{{ partner.head_title }}", italic=True)
    kit.cell_text(data.cells[2], "")
    data.height = Cm(1.6)
    for cell in data.cells:
        cell.vertical_alignment = 1
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    doc.save(path)


def _amount_cell(cell, expression: str, marker: str = "", bold: bool = False) -> None:
    text = "{{ " + expression + "|montant if " + expression + " else '–' }}"
    if marker:
        text += "{{ '" + NBSP + "*' if " + marker + " else '' }}"
    kit.cell_text(cell, text, style="Cellule chiffre", bold=bold)


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
                       "{{ table.years[0] }} – {{ table.years[-1] }}", style="Titre du document")
    kit.paragraph(doc, "{{ plan.identity.group_name }} – {{ plan.identity.country }}",
                  style="Couverture – intitulé")
    kit.paragraph(doc, "Situation au {{ situation|date_longue }}. Montants en francs "
                       "CFA (FCFA) ; années n à n+2, n = {{ table.years[0] }}, année de fin du "
                       "mandat {{ plan.mandate.short_label }}.", style="Couverture – mention")

    kit.paragraph(doc, "1. Prévisions par partenaire et par année", style="Titre de section")
    widths = [5.0, 5.3, 4.1, 4.1, 4.1, 4.1]
    t = kit.table(doc, 5, widths, total=True)
    head, loop_start, data, loop_end, total = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    kit.row_properties(total)
    headers = ("Partenaire", "Instrument(s)", "{{ table.years[0] }}", "{{ table.years[1] }}",
               "{{ table.years[2] }}", "Total {{ table.years[0] }} – {{ table.years[-1] }}")
    for cell, text in zip(head.cells, headers):
        kit.header_cell(cell, text)
    kit.cell_text(loop_start.cells[0], "{%tr for row in table.rows %}")
    kit.cell_text(data.cells[0], "{{ row.partner.name }} ({{ row.partner.acronym }})", bold=True)
    kit.cell_text(data.cells[1], "{{ row.instruments }}")
    for i in range(3):
        _amount_cell(data.cells[2 + i], f"row.amounts[{i}]", f"row.indicative[{i}]")
    _amount_cell(data.cells[5], "row.total", bold=True)
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    kit.cell_text(total.cells[0], "Total", bold=True)
    for i in range(3):
        _amount_cell(total.cells[2 + i], f"table.year_totals[{i}]", bold=True)
    _amount_cell(total.cells[5], "table.grand_total", bold=True)
    kit.paragraph(doc, "* Montant comprenant des prévisions indicatives, susceptibles "
                              "d'évoluer ; les autres montants sont fermes.", style="Note")

    kit.paragraph(doc, "2. Répartition par statut", style="Titre de section")
    widths = [10.3, 4.1, 4.1, 4.1, 4.1]
    t = kit.table(doc, 5, widths, total=True)
    head, loop_start, data, loop_end, total = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    kit.row_properties(total)
    for cell, text in zip(head.cells, ("Statut", *headers[2:])):
        kit.header_cell(cell, text)
    kit.cell_text(loop_start.cells[0], "{%tr for status in table.by_status %}")
    kit.cell_text(data.cells[0], "{{ status.status }}")
    for i in range(3):
        _amount_cell(data.cells[1 + i], f"status.amounts[{i}]")
    _amount_cell(data.cells[4], "status.total", bold=True)
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    kit.cell_text(total.cells[0], "Total", bold=True)
    for i in range(3):
        _amount_cell(total.cells[1 + i], f"table.year_totals[{i}]", bold=True)
    _amount_cell(total.cells[4], "table.grand_total", bold=True)

    detail = kit.paragraph(doc, "3. Détail des prévisions", style="Titre de section")
    detail.paragraph_format.page_break_before = True
    widths = [8.0, 8.2, 2.5, 4.6, 3.4]
    t = kit.table(doc, 4, widths)
    head, loop_start, data, loop_end = t.rows
    kit.row_properties(head, header=True)
    kit.row_properties(data)
    for cell, text in zip(head.cells, ("Partenaire", "Instrument", "Année", "Montant", "Statut")):
        kit.header_cell(cell, text)
    kit.cell_text(loop_start.cells[0], "{%tr for line in table.lines %}")
    kit.cell_text(data.cells[0], "{{ line.partner.name }} ({{ line.partner.acronym }})")
    kit.cell_text(data.cells[1], "{{ line.instrument }}")
    kit.cell_text(data.cells[2], "{{ line.year }}", style="Cellule centrée")
    _amount_cell(data.cells[3], "line.amount")
    kit.cell_text(data.cells[4], "{{ 'Ferme' if line.firm else 'Indicatif' }}",
                  style="Cellule centrée")
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")
    doc.save(path)


BUILDERS = {
    "discours": discours,
    "aide_memoire": aide_memoire,
    "previsions_decaissements": previsions_decaissements,
}
