"""The "Flash info" newsletter template."""

from __future__ import annotations

import template_kit as kit


def flash_info(path) -> None:
    doc = kit.new_document("{{ plan.identity.group_name }} – {{ plan.identity.country }} – "
                           "Flash info n° {{ issue.number }}")
    kit.set_core_properties(doc, "Flash info n° {{ issue.number }} – {{ issue.date|mois_annee_titre }}",
                            "{{ plan.identity.group_name }}")
    mast = kit.table(doc, 1, [10.6, 6.0], style="Bandeau")
    left, right = mast.rows[0].cells
    for cell in (left, right):
        cell.vertical_alignment = 1
    kit.cell_text(left, "FLASH INFO", style="Bandeau – titre")
    kit.cell_line(left, "Bulletin de la {{ plan.identity.group_name }} du {{ plan.identity.country }}",
                  style="Bandeau – sous-titre")
    kit.cell_text(right, "N° {{ issue.number }}", style="Bandeau – numéro")
    kit.cell_line(right, "{{ issue.date|mois_annee_titre }}", style="Bandeau – date")

    kit.paragraph(doc, "{%p for section in issue.sections %}")
    kit.paragraph(doc, "{{ section.title }}", style="Titre de partie")
    kit.paragraph(doc, "{%p for item in section.items %}")
    kit.paragraph(doc, "{{ item.title }}", style="Titre de sous-section")
    kit.paragraph(doc, "{{ item.text }}")
    kit.paragraph(doc, "{%p if item.source %}")
    kit.paragraph(doc, "Source : {{ item.source }}", style="Note")
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "{%p endfor %}")
    kit.paragraph(doc, "{%p endfor %}")

    kit.paragraph(doc, "À venir en {{ issue.next_month|mois_annee }}", style="Titre de partie")
    kit.paragraph(doc, "{%p if issue.upcoming %}")
    kit.paragraph(doc, "Activités du plan de travail annuel programmées ce mois-là :",
                  style="Introduction de tableau")
    upcoming = kit.table(doc, 4, [1.4, 15.2])
    kit.row_properties(upcoming.rows[0], header=True)
    kit.header_cell(upcoming.cell(0, 0), "N°")
    kit.header_cell(upcoming.cell(0, 1), "Activité")
    kit.cell_text(upcoming.cell(1, 0), "{%tr for activity in issue.upcoming %}")
    kit.cell_text(upcoming.cell(2, 0), "{{ activity.code }}", style="Cellule centrée")
    kit.cell_text(upcoming.cell(2, 1), "{{ activity.title }}")
    kit.row_properties(upcoming.rows[2])
    kit.cell_text(upcoming.cell(3, 0), "{%tr endfor %}")
    kit.paragraph(doc, "{%p else %}")
    kit.paragraph(doc, "Aucune activité du plan de travail annuel n'est programmée ce mois-là.")
    kit.paragraph(doc, "{%p endif %}")
    kit.paragraph(doc, "Pour toute information : Secrétariat technique de la Troïka, "
                       "{{ plan.identity.place }}.", style="Note")
    doc.save(path)
