"""The "Flash info" newsletter template."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

import template_kit as kit

WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def flash_info(path) -> None:
    doc = kit.new_document("{{ plan.identity.group_name }} – {{ plan.identity.country }} – "
                           "Flash info n° {{ issue.number }}")
    kit.set_core_properties(doc, "Flash info n° {{ issue.number }} – {{ issue.date|mois_annee_titre }}",
                            "{{ plan.identity.group_name }}")
    mast = kit.table(doc, 1, [10.6, 6.0])
    left, right = mast.rows[0].cells
    for cell in (left, right):
        kit.shade(cell, kit.HEADER_SHADE)
        cell.vertical_alignment = 1
    left.text = ""
    title = left.paragraphs[0]
    run = title.add_run("FLASH INFO")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(30), WHITE
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    sub = left.add_paragraph()
    run = sub.add_run("Bulletin de la {{ plan.identity.group_name }} du {{ plan.identity.country }}")
    run.font.size, run.font.color.rgb = Pt(9.5), WHITE
    sub.alignment = WD_ALIGN_PARAGRAPH.LEFT
    right.text = ""
    number = right.paragraphs[0]
    run = number.add_run("N° {{ issue.number }}")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(18), WHITE
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = right.add_paragraph()
    run = date.add_run("{{ issue.date|mois_annee_titre }}")
    run.font.size, run.font.color.rgb = Pt(11), WHITE
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    kit.paragraph(doc, "{%p for section in issue.sections %}")
    kit.paragraph(doc, "{{ section.title }}", style="Heading 1")
    kit.paragraph(doc, "{%p for item in section.items %}")
    kit.paragraph(doc, "{{ item.title }}", style="Heading 3")
    kit.paragraph(doc, "{{ item.text }}")
    kit.paragraph(doc, "{%p if item.source %}")
    kit.paragraph(doc, "Source : {{ item.source }}", italic=True, size=9, color=kit.GREY)
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "{%p endfor %}")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "À venir en {{ issue.next_month|mois_annee }}", style="Heading 1")
    kit.paragraph(doc, "{%p if issue.upcoming %}")
    kit.paragraph(doc, "Activités du plan de travail annuel programmées ce mois-là :")
    upcoming = kit.table(doc, 4, [1.4, 15.2])
    kit.row_properties(upcoming.rows[0], header=True)
    kit.header_cell(upcoming.cell(0, 0), "N°")
    kit.header_cell(upcoming.cell(0, 1), "Activité", align=WD_ALIGN_PARAGRAPH.LEFT)
    kit.cell_text(upcoming.cell(1, 0), "{%tr for activity in issue.upcoming %}")
    kit.cell_text(upcoming.cell(2, 0), "{{ activity.code }}", size=9.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    kit.cell_text(upcoming.cell(2, 1), "{{ activity.title }}", size=9.5)
    kit.row_properties(upcoming.rows[2])
    kit.cell_text(upcoming.cell(3, 0), "{%tr endfor %}")
    kit.paragraph(doc, "{%p else %}")
    kit.paragraph(doc, "Aucune activité du plan de travail annuel n'est programmée ce mois-là.")
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "Pour toute information : Secrétariat technique de la Troïka, {{ plan.identity.place }}.",
                  italic=True, size=9, color=kit.GREY).paragraph_format.space_before = Pt(12)
    doc.save(path)
