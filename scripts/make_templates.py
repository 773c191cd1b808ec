"""Write the first version of each Word template in templates/.

    .venv/bin/python scripts/make_templates.py [NAME ...]

Once committed, the .docx files are the source of truth and staff restyle them in
Word: rerun this script only to start a template over (it overwrites it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import template_kit as kit  # noqa: E402
import templates_partners  # noqa: E402
import templates_rapports  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HEADER = "{{ plan.identity.group_name }} – {{ plan.identity.country }}"
SCHEDULED_FILL = "8EAADB"


def pta(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Plan de travail annuel {{ plan.mandate.label }}")
    kit.set_core_properties(doc, "Plan de travail annuel {{ plan.mandate.label }}",
                            "{{ plan.identity.group_name }} – {{ plan.identity.country }}")
    kit.paragraph(doc, "Plan de travail annuel {{ plan.mandate.label }} de la "
                  "{{ plan.identity.group_name }} du {{ plan.identity.country }}", style="Title")
    kit.paragraph(doc, "{{ plan.document_date|mois_annee_titre }}", align=WD_ALIGN_PARAGRAPH.CENTER,
                  bold=True, size=12, space_after=24)

    kit.paragraph(doc, "1. Introduction", style="Heading 1")
    for key in ("introduction", "objectif_global"):
        _paragraphs(doc, f"plan.texts.{key}")
    _paragraphs(doc, "plan.texts.objectifs_specifiques", style="List Bullet")
    _paragraphs(doc, "plan.texts.cadre")

    kit.paragraph(doc, "2. Présentation du Plan de travail annuel (PTA) {{ plan.mandate.short_label }}"
                       " de la Troïka", style="Heading 1")
    _paragraphs(doc, "plan.texts.contexte")
    kit.paragraph(doc, "{%p for axis in plan.axes %}")
    axis = kit.paragraph(doc, "{{ axis.number }}. {{ axis.title }}{{ ' ;' if not loop.last else '.' }}")
    axis.paragraph_format.left_indent = Cm(0.8)
    axis.paragraph_format.space_after = Pt(2)
    kit.paragraph(doc, "{%p endfor %}")
    _paragraphs(doc, "plan.texts.orientation")

    kit.paragraph(doc, "3. Résultats attendus du mandat {{ plan.mandate.short_label }}",
                  style="Heading 1")
    _paragraphs(doc, "plan.texts.resultats_intro")
    kit.paragraph(doc, "{%p for product in plan.products if product.result %}")
    kit.paragraph(doc, "{{ product.result }}", style="List Bullet")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "Structures responsables des activités", style="Heading 2")
    bodies = kit.table(doc, 3, [5.5, 11.1])
    kit.row_properties(bodies.rows[0], header=True)
    kit.header_cell(bodies.cell(0, 0), "Responsable")
    kit.header_cell(bodies.cell(0, 1), "Nom complet")
    kit.cell_text(bodies.cell(1, 0), "{%tr for body in plan.bodies %}")
    kit.cell_text(bodies.cell(2, 0), "{{ body.name }}", size=9, bold=True)
    kit.cell_text(bodies.cell(2, 1), "{{ body.full_name }}", size=9)
    kit.row_properties(bodies.rows[2])
    last = bodies.add_row()
    kit.cell_text(last.cells[0], "{%tr endfor %}")

    kit.landscape_section(doc)
    kit.paragraph(doc, "Plan de travail annuel {{ plan.mandate.short_label }} de la "
                       "{{ plan.identity.group_name }} du {{ plan.identity.country }}",
                  style="Heading 2", align=WD_ALIGN_PARAGRAPH.CENTER, caps=True)
    _plan_table(doc)
    p = kit.paragraph(doc, "Les cellules colorées indiquent les mois où l'activité est programmée.",
                      italic=True, size=8.5)
    p.paragraph_format.space_before = Pt(6)
    doc.save(path)


def _paragraphs(doc, expression: str, style: str | None = None) -> None:
    kit.paragraph(doc, f"{{%p for text in {expression} %}}")
    kit.paragraph(doc, "{{ text }}", style=style)
    kit.paragraph(doc, "{%p endfor %}")


def _plan_table(doc) -> None:
    # Columns: axes, products, code, activity, [loop start, month, loop end], bodies.
    widths = [3.3, 3.7, 1.0, 8.0, 0.5, 0.75, 0.5, 3.4]
    t = kit.table(doc, 5, widths)
    kit.set_table_width(t, 26.7)
    head1, head2, loop_start, data, loop_end = t.rows
    for row in (head1, head2):
        kit.row_properties(row, header=True)
    kit.row_properties(data)
    for index, title in ((0, "AXES"), (1, "PRODUITS"), (2, "N°"), (3, "ACTIVITÉS"), (7, "RESPONSABLES")):
        kit.header_cell(head1.cells[index], title)
        kit.vmerge(head1.cells[index], restart=True)
        kit.header_cell(head2.cells[index], "")
        kit.vmerge(head2.cells[index], restart=False)
    kit.header_cell(head1.cells[4], "{%tc for year in plan_table.years %}")
    kit.header_cell(head1.cells[5], "{% colspan year.months|length %}{{ year.year }}")
    kit.header_cell(head1.cells[6], "{%tc endfor %}")
    kit.header_cell(head2.cells[4], "{%tc for month in plan_table.months %}")
    kit.header_cell(head2.cells[5], "{{ month|initiale_mois }}")
    kit.header_cell(head2.cells[6], "{%tc endfor %}")

    kit.cell_text(loop_start.cells[0], "{%tr for row in plan_table.rows %}")
    kit.cell_text(data.cells[0], "{{ row.activity.axis.number }}. {{ row.activity.axis.title }}"
                                 "{{ fusion('axe-' ~ row.activity.axis.number) }}", bold=True, caps=True,
                  size=8, align=WD_ALIGN_PARAGRAPH.LEFT)
    kit.cell_text(data.cells[1], "{{ row.activity.product.number }}. {{ row.activity.product.title }}"
                                 "{{ fusion('produit-' ~ row.activity.product.number) }}", size=8,
                  align=WD_ALIGN_PARAGRAPH.LEFT)
    kit.cell_text(data.cells[2], "{{ row.activity.code }}", size=8, align=WD_ALIGN_PARAGRAPH.CENTER)
    kit.cell_text(data.cells[3], "{{ row.activity.title }}", size=8, align=WD_ALIGN_PARAGRAPH.LEFT)
    kit.cell_text(data.cells[4], "{%tc for scheduled in row.schedule %}", size=6)
    kit.cell_text(data.cells[5], "{% cellbg '" + SCHEDULED_FILL + "' if scheduled else 'auto' %}", size=8)
    kit.cell_text(data.cells[6], "{%tc endfor %}", size=6)
    kit.cell_text(data.cells[7], "{%p for body in row.activity.bodies %}", size=8)
    cell = data.cells[7]
    for text in ("{{ body.name }}", "{%p endfor %}"):
        p = cell.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(8)
        p.paragraph_format.space_after = Pt(0)
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for c in data.cells:
        c.vertical_alignment = 1
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")


from templates_flash import flash_info  # noqa: E402

BUILDERS = {"pta": pta, **templates_rapports.BUILDERS, **templates_partners.BUILDERS,
            "flash_info": flash_info}


def main(names: list[str]) -> None:
    TEMPLATES.mkdir(exist_ok=True)
    for name in names or BUILDERS:
        BUILDERS[name](TEMPLATES / f"{name}.docx")
        kit.slim(TEMPLATES / f"{name}.docx")
        print(f"Écrit : templates/{name}.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
