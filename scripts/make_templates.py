"""Write the first version of each Word template in templates/.

    .venv/bin/python scripts/make_templates.py [NAME ...]

Once committed, the .docx files are the source of truth and staff restyle them in
Word: rerun this script only to start a template over (it overwrites it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import template_kit as kit  # noqa: E402
import templates_partners  # noqa: E402
import templates_rapports  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HEADER = "{{ plan.identity.group_name }} – {{ plan.identity.country }}"


def pta(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Plan de travail annuel {{ plan.mandate.label }}")
    kit.set_core_properties(doc, "Plan de travail annuel {{ plan.mandate.label }}",
                            "{{ plan.identity.group_name }} – {{ plan.identity.country }}")
    title = kit.paragraph(doc, "Plan de travail annuel {{ plan.mandate.label }}", style="Titre du document")
    title.runs[0].add_break()
    title.add_run("de la {{ plan.identity.group_name }} du {{ plan.identity.country }}")
    kit.paragraph(doc, "{{ plan.document_date|mois_annee_titre }}", style="Sous-titre du document")

    kit.paragraph(doc, "1. Introduction", style="Titre de partie")
    for key in ("introduction", "objectif_global"):
        _paragraphs(doc, f"plan.texts.{key}")
    _paragraphs(doc, "plan.texts.objectifs_specifiques", style="Puce")
    _paragraphs(doc, "plan.texts.cadre")

    kit.paragraph(doc, "2. Présentation du Plan de travail annuel (PTA) {{ plan.mandate.short_label }}"
                       " de la Troïka", style="Titre de partie")
    _paragraphs(doc, "plan.texts.contexte")
    kit.paragraph(doc, "{%p for axis in plan.axes %}")
    kit.paragraph(doc, "{{ axis.number }}. {{ axis.title }}{{ ' ;' if not loop.last else '.' }}",
                  style="Paragraphe en retrait")
    kit.paragraph(doc, "{%p endfor %}")
    _paragraphs(doc, "plan.texts.orientation")

    kit.paragraph(doc, "3. Résultats attendus du mandat {{ plan.mandate.short_label }}",
                  style="Titre de partie")
    _paragraphs(doc, "plan.texts.resultats_intro")
    kit.paragraph(doc, "{%p for product in plan.products if product.result %}")
    kit.paragraph(doc, "{{ product.result }}", style="Puce")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "Structures responsables des activités", style="Titre de section")
    bodies = kit.table(doc, 3, [5.5, 11.1])
    kit.row_properties(bodies.rows[0], header=True)
    kit.header_cell(bodies.cell(0, 0), "Responsable")
    kit.header_cell(bodies.cell(0, 1), "Nom complet")
    kit.cell_text(bodies.cell(1, 0), "{%tr for body in plan.bodies %}")
    kit.cell_text(bodies.cell(2, 0), "{{ body.name }}", bold=True)
    kit.cell_text(bodies.cell(2, 1), "{{ body.full_name }}")
    kit.row_properties(bodies.rows[2])
    last = bodies.add_row()
    kit.cell_text(last.cells[0], "{%tr endfor %}")

    kit.landscape_section(doc)
    kit.paragraph(doc, "Plan de travail annuel {{ plan.mandate.short_label }} de la "
                       "{{ plan.identity.group_name }} du {{ plan.identity.country }}",
                  style="Titre de partie")
    kit.paragraph(doc, "Les cellules colorées indiquent les mois où l'activité est programmée.",
                  style="Note en tête de tableau")
    _plan_table(doc)
    doc.save(path)


def _paragraphs(doc, expression: str, style: str | None = None) -> None:
    kit.paragraph(doc, f"{{%p for text in {expression} %}}")
    kit.paragraph(doc, "{{ text }}", style=style)
    kit.paragraph(doc, "{%p endfor %}")


def _plan_table(doc) -> None:
    # Columns: axes, products, code, activity, [loop start, month, loop end], bodies.
    widths = [3.9, 3.7, 1.0, 7.4, 0.5, 0.75, 0.5, 3.4]
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
                                 "{{ fusion('axe-' ~ row.activity.axis.number) }}", style="Cellule axe")
    kit.cell_text(data.cells[1], "{{ row.activity.product.number }}. {{ row.activity.product.title }}"
                                 "{{ fusion('produit-' ~ row.activity.product.number) }}")
    kit.cell_text(data.cells[2], "{{ row.activity.code }}", style="Cellule centrée")
    kit.cell_text(data.cells[3], "{{ row.activity.title }}")
    kit.cell_text(data.cells[4], "{%tc for scheduled in row.schedule %}")
    kit.cell_text(data.cells[5], "{% cellbg couleur('mois programmé') if scheduled else 'auto' %}")
    kit.cell_text(data.cells[6], "{%tc endfor %}")
    kit.cell_text(data.cells[7], "{%p for body in row.activity.bodies %}")
    kit.cell_line(data.cells[7], "{{ body.name }}")
    kit.cell_line(data.cells[7], "{%p endfor %}")
    for c in data.cells:
        c.vertical_alignment = 1
    kit.cell_text(loop_end.cells[0], "{%tr endfor %}")


# Shading of each status in the report tables, and of a scheduled month in the PTA:
# light, so black text stays readable.
STATUS_COLOURS = [
    ("réalisée", "E2EFDA"), ("en cours", "FFF2CC"), ("non réalisée", "FCE4D6"),
    ("reportée", "FCE4D6"), ("annulée", "EDEDED"), ("non renseignée", "FFFFFF"),
    ("à faire", "FFFFFF"), ("réalisé", "E2EFDA"), ("abandonné", "EDEDED"),
    ("en retard", "FCE4D6"), ("mois programmé", "8EAADB"),
]


def charte(path: Path) -> None:
    """The house style: every style the templates use, and the status colours."""
    doc = kit.new_document("Troïka – Charte graphique des documents")
    kit.set_core_properties(doc, "Charte graphique des documents de la Troïka")
    kit.paragraph(doc, "Charte graphique des documents de la Troïka", style="Titre du document")
    kit.paragraph(doc, "Les styles définis ici s'appliquent à tous les documents produits",
                  style="Sous-titre du document")
    kit.paragraph(doc, "Ce document est la seule définition de la mise en forme des documents. "
                       "Pour changer la couleur, la police ou la taille d'un élément dans tous "
                       "les documents, modifiez ici le style correspondant (Accueil > Styles > "
                       "clic droit sur le style > Modifier), enregistrez, puis relancez la "
                       "construction : chaque document produit reçoit les styles de ce fichier. "
                       "Les modèles n'utilisent que ces styles.")
    kit.paragraph(doc, "Styles de paragraphe", style="Titre de partie")
    kit.paragraph(doc, "Chaque ligne ci-dessous est écrite dans le style qu'elle nomme.")
    for name, *_ in kit.PARAGRAPH_STYLES:
        if name.startswith("Bandeau") or name.startswith("Cellule") or name == "En-tête de tableau":
            continue
        kit.paragraph(doc, f"Style « {name} »", style=name)
    kit.paragraph(doc, "Tableaux", style="Titre de partie")
    kit.paragraph(doc, "Un tableau de la maison utilise le style de tableau « Tableau Troïka » : "
                       "la première ligne (titres de colonnes, répétée sur chaque page) et la "
                       "ligne de total sont colorées par le style. Dans les cellules, le texte "
                       "est en style « Cellule », « Cellule centrée » ou « Cellule chiffre », "
                       "les titres de colonnes en « En-tête de tableau ».",
                  style="Introduction de tableau")
    t = kit.table(doc, 3, [5.0, 4.0, 4.0], total=True)
    kit.row_properties(t.rows[0], header=True)
    for cell, text in zip(t.rows[0].cells, ("En-tête de tableau", "Cellule centrée", "Cellule chiffre")):
        kit.header_cell(cell, text)
    for row, label in ((t.rows[1], "Cellule"), (t.rows[2], "Total")):
        kit.cell_text(row.cells[0], label)
        kit.cell_text(row.cells[1], "12", style="Cellule centrée")
        kit.cell_text(row.cells[2], "1 250 000", style="Cellule chiffre")
    kit.paragraph(doc, "", style="Espace après tableau")
    kit.paragraph(doc, "Couleurs des statuts", style="Titre de partie")
    kit.paragraph(doc, "Dans les rapports, la cellule du statut d'une activité ou d'une décision "
                       "prend la couleur de fond indiquée ici (et, dans le PTA, la cellule d'un "
                       "mois programmé). Pour changer une couleur : sélectionnez la cellule de "
                       "la colonne « Couleur », Création de tableau > Trame de fond. Le nom du "
                       "statut doit rester écrit comme dans le classeur.",
                  style="Introduction de tableau")
    colours = kit.table(doc, 1 + len(STATUS_COLOURS), [6.0, 4.0])
    kit.row_properties(colours.rows[0], header=True)
    kit.header_cell(colours.cell(0, 0), "Statut ou repère")
    kit.header_cell(colours.cell(0, 1), "Couleur")
    for row, (status, fill) in zip(colours.rows[1:], STATUS_COLOURS):
        kit.row_properties(row)
        kit.cell_text(row.cells[0], status)
        kit.cell_text(row.cells[1], "")
        kit.shade(row.cells[1], fill)
    doc.save(path)


from templates_flash import flash_info  # noqa: E402

BUILDERS = {"charte": charte, "pta": pta, **templates_rapports.BUILDERS, **templates_partners.BUILDERS,
            "flash_info": flash_info}


def main(names: list[str]) -> None:
    TEMPLATES.mkdir(exist_ok=True)
    for name in names or BUILDERS:
        BUILDERS[name](TEMPLATES / f"{name}.docx")
        kit.slim(TEMPLATES / f"{name}.docx")
        print(f"Écrit : templates/{name}.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
