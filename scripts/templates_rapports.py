"""First version of the report templates: quarterly activity report, annual review,
meeting minutes. Run through make_templates.py; the .docx files are then the source
of truth and staff restyle them in Word."""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

import template_kit as kit

HEADER = "{{ plan.identity.group_name }} – {{ plan.identity.country }}"
LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
FULL = 16.6  # text width in cm (A4 portrait, 2.2 cm margins)


# --- Building blocks ------------------------------------------------------------------------


def _p(doc, text: str = "", style: str | None = None, italic: bool = False, bold: bool = False):
    return kit.paragraph(doc, text, style=style, italic=italic, bold=bold)


def _tag(doc, text: str) -> None:
    """A paragraph holding only a {%p %} tag (removed by docxtpl)."""
    kit.paragraph(doc, text)


def _texts(doc, expression: str, style: str | None = None) -> None:
    _tag(doc, f"{{%p for text in {expression} %}}")
    _p(doc, "{{ text }}", style=style)
    _tag(doc, "{%p endfor %}")


def _caption(doc, text: str) -> None:
    _p(doc, text, style="Légende de graphique")


def _note(doc, text: str) -> None:
    _p(doc, text, style="Note")


def _no_first_page_header(doc) -> None:
    """The cover page has neither running header nor page number."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True


def _letterhead(doc, lines: list[tuple[str, str]]) -> None:
    """The "timbre": the group and its secretariat over a rule."""
    for text, style in lines:
        _p(doc, text, style=style)


def _cover(doc, title: str, lines: list[tuple[str, str]], footer: str) -> None:
    _no_first_page_header(doc)
    _letterhead(doc, [("{{ plan.identity.country }}", "Timbre – ligne"),
                      ("{{ plan.identity.group_name }}", "Timbre – groupe"),
                      ("Secrétariat technique", "Timbre – filet")])
    _p(doc, title, style="Couverture – titre")
    for text, style in lines:
        _p(doc, text, style=style)
    _p(doc, footer, style="Couverture – lieu")
    kit.page_break(doc)


_CELL_STYLES = {LEFT: "Cellule", CENTER: "Cellule centrée", RIGHT: "Cellule chiffre"}


def _loop_table(doc, widths: list[float], headers: list[str], loop: str,
                cells: list[tuple[str, dict]], total: list[tuple[str, dict]] | None = None):
    """A table: a repeated header row, then one row per item of ``loop`` (a
    "for x in y" expression), then an optional total row (shaded by the table style)."""
    rows = 4 + (1 if total else 0)
    t = kit.table(doc, rows, widths, total=bool(total))
    head, start, data, end = t.rows[:4]
    kit.row_properties(head, header=True)
    for cell, text in zip(head.cells, headers):
        kit.header_cell(cell, text)
    kit.cell_text(start.cells[0], f"{{%tr for {loop} %}}")
    for cell, (text, options) in zip(data.cells, cells):
        _cell(cell, text, **options)
    kit.row_properties(data)
    kit.cell_text(end.cells[0], "{%tr endfor %}")
    if total:
        row = t.rows[4]
        kit.row_properties(row)
        for cell, (text, options) in zip(row.cells, total):
            _cell(cell, text, **options)
    return t


def _cell(cell, text: str, bold: bool = False, align=LEFT, extra: list[str] | None = None) -> None:
    style = _CELL_STYLES[align]
    kit.cell_text(cell, text, style=style, bold=bold)
    for line in extra or ():
        kit.cell_line(cell, line, style=style)
    cell.vertical_alignment = 1


def _label_table(doc, rows: list[tuple[str, str]], widths=(4.6, 12.0)):
    """Two columns: labels (shaded by the table style's first column), values."""
    t = kit.table(doc, len(rows), list(widths), style="Tableau fiche", header=False,
                  first_column=True)
    for row, (label, value) in zip(t.rows, rows):
        kit.row_properties(row)
        kit.cell_text(row.cells[0], label)
        lines = value.split("\n")
        _cell(row.cells[1], lines[0], extra=lines[1:])
        row.cells[0].vertical_alignment = 1
    return t


def _keep(doc, text: str, italic: bool = False):
    """A sentence that introduces what follows: kept on its page."""
    return _p(doc, text, style="Introduction de tableau", italic=italic)


def _space(doc) -> None:
    _p(doc, "", style="Espace après tableau")


def _bullet(doc, text: str) -> None:
    _p(doc, text, style="Puce")


# --- Shared sections --------------------------------------------------------------------------

NUM = {"align": CENTER}
EXEC_HEADERS = ["Axe", "Programmées", "Réalisées", "En cours", "Non réalisées / reportées",
                "Annulées", "Non renseignées", "Taux d'exécution"]
EXEC_WIDTHS = [3.7, 2.1, 1.75, 1.35, 2.0, 1.75, 1.95, 2.0]


def _execution_table(doc) -> None:
    e = "a.execution"
    _loop_table(
        doc, EXEC_WIDTHS, EXEC_HEADERS, "a in axes",
        [("{{ a.axis.number }}. {{ a.axis.title }}", {}),
         (f"{{{{ {e}.scheduled }}}}", NUM), (f"{{{{ {e}.carried_out }}}}", NUM),
         (f"{{{{ {e}.in_progress }}}}", NUM),
         (f"{{{{ {e}.not_carried_out }}}} / {{{{ {e}.postponed }}}}", NUM),
         (f"{{{{ {e}.cancelled }}}}", NUM), (f"{{{{ {e}.not_reported }}}}", NUM),
         (f"{{{{ {e}.rate|pourcentage }}}}", {"align": CENTER, "bold": True})],
        total=[("Ensemble", {}), ("{{ execution.scheduled }}", NUM),
               ("{{ execution.carried_out }}", NUM), ("{{ execution.in_progress }}", NUM),
               ("{{ execution.not_carried_out }} / {{ execution.postponed }}", NUM),
               ("{{ execution.cancelled }}", NUM), ("{{ execution.not_reported }}", NUM),
               ("{{ execution.rate|pourcentage }}", NUM)])
    _note(doc, "Non réalisées ou reportées : nombre d'activités non réalisées / nombre d'activités "
               "reportées. Le taux d'exécution rapporte les activités réalisées aux activités "
               "programmées, hors activités annulées ; « – » signale qu'aucune activité n'était "
               "programmée.")


def _rate_sentence(doc, scope: str) -> None:
    _tag(doc, "{%p if execution.counted %}")
    _keep(doc, f"Le taux d'exécution global {scope} est de {{{{ execution.rate|pourcentage }}}} : "
            "activités réalisées, {{ execution.carried_out }} sur {{ execution.counted }} "
            "prises en compte (activités programmées hors activités annulées). Sont en cours : "
            "{{ execution.in_progress }} ; non réalisées, reportées ou non renseignées : "
            "{{ execution.not_done }}.")
    _tag(doc, "{%p else %}")
    _keep(doc, f"Aucune activité n'était programmée {scope} (hors activités annulées) : le taux "
            "d'exécution ne peut pas être calculé et il est noté « – » dans les tableaux.")
    _tag(doc, "{%p endif %}")


def _chart(doc, caption: str) -> None:
    _p(doc, "{{ chart }}", style="Graphique")
    _caption(doc, caption)


def _activity_tables(doc, title_prefix: str, status_header: str, assess: bool) -> None:
    """Per axis (heading 2) — per product for the annual review — the activities table."""
    _tag(doc, "{%p for group in groups %}")
    _p(doc, "Axe {{ group.axis.number }} : {{ group.axis.title }}", style="Titre de section")
    _keep(doc, "Taux d'exécution de l'axe : {{ group.execution.rate|pourcentage }} (activités "
                  "réalisées : {{ group.execution.carried_out }} sur "
                  "{{ group.execution.counted }} prises en compte).")
    if assess:
        _tag(doc, "{%p for pg in group.products %}")
        _p(doc, "Produit {{ pg.product.number }} : {{ pg.product.title }}", style="Titre de sous-section")
        _tag(doc, "{%p if pg.product.result %}")
        _keep(doc, "Résultat attendu : {{ pg.expected }}", italic=True)
        _tag(doc, "{%p endif %}")
        _keep(doc, "Appréciation : {{ pg.execution.rate|pourcentage }} des activités du produit "
                      "ont été réalisées ({{ pg.execution.carried_out }} sur "
                      "{{ pg.execution.counted }} prises en compte ; en cours : "
                      "{{ pg.execution.in_progress }}).")
        loop, product_cell = "s in pg.statuses", None
        widths, headers = [1.1, 6.7, 2.3, 6.5], ["N°", "Activité", status_header,
                                                 "Résultats obtenus et commentaires"]
    else:
        loop = "s in group.statuses"
        widths, headers = [3.4, 1.0, 5.2, 2.1, 4.9], ["Produit", "N°", "Activité", status_header,
                                                      "Résultats obtenus et commentaires"]
        product_cell = ("{{ s.activity.product.number }}. {{ s.activity.product.title }}"
                        "{{ fusion('p-' ~ s.activity.product.number) }}", {})
    cells = [("{{ s.activity.code }}", NUM),
             ("{{ s.activity.title }}", {}),
             ("{% cellbg couleur(s.status) %}{{ s.status }}", NUM),
             ("{{ s.remarks }}", {})]
    if product_cell:
        cells.insert(0, product_cell)
    _loop_table(doc, widths, headers, loop, cells)
    _space(doc)
    if assess:
        _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not groups %}")
    _p(doc, f"Aucune activité n'était programmée {title_prefix}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if unscheduled %}")
    _p(doc, "Activités menées hors programmation", style="Titre de section")
    _p(doc, "Ces activités ont fait l'objet d'un suivi sans être programmées "
            f"{title_prefix} ; elles ne sont pas comptées dans le taux d'exécution.")
    _tag(doc, "{%p for s in unscheduled %}")
    _bullet(doc, "{{ s.activity.code }} – {{ s.activity.title }} : {{ s.status }}"
                 "{{ ' – ' ~ s.follow_up.results if s.follow_up.results else '' }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def _meeting_counts_table(doc, whole_mandate: bool) -> None:
    headers = ["Instance", "Périodicité", "Activité du PTA", "Réunions prévues", "Réunions tenues",
               "Taux de tenue"]
    _loop_table(doc, [6.4, 2.4, 1.8, 2.0, 2.0, 2.0], headers, "c in meeting_counts",
                [("{{ c.type.name }}", {}), ("{{ c.type.cadence }}", NUM),
                 ("{{ c.type.activity.code if c.type.activity else '–' }}", NUM),
                 ("{{ c.planned if c.planned is not none else 'non précisé' }}", NUM),
                 ("{{ c.held }}", NUM), ("{{ c.rate|pourcentage }}", NUM)])
    scope = "sur le mandat, le nombre saisi dans la feuille Instances lorsqu'il existe ; sinon, " \
        if whole_mandate else ""
    _note(doc, f"Réunions prévues : {scope}une réunion par mois programmé de l'activité du PTA "
               "(une par semaine pour une instance hebdomadaire).")


def _open_decisions_table(doc, loop: str = "o in open_decisions") -> None:
    """Decisions as they stood on the document's date (status computed in Python)."""
    headers = ["Réunion", "Décision ou recommandation", "Responsable", "Échéance", "Statut",
               "Retard"]
    _loop_table(doc, [2.3, 5.6, 2.5, 2.1, 2.3, 1.8], headers, loop,
                [("{{ o.decision.meeting.id }}\n{{ o.decision.meeting.date|date_courte }}",
                  {}),
                 ("{{ o.decision.text }}", {}),
                 ("{{ o.decision.responsible }}", {}),
                 ("{{ o.decision.deadline|date_courte if o.decision.deadline else '–' }}",
                  NUM),
                 ("{{ o.decision.status }}", NUM),
                 ("{% cellbg couleur('en retard') if o.overdue else 'auto' %}"
                  "{{ (o.delay|nombre ~ ' j') if o.overdue else '–' }}",
                  {"align": CENTER, "bold": True})])


def _difficulties(doc, period_scope: str) -> None:
    _texts(doc, "texts.difficultes")
    _tag(doc, "{%p if difficulties %}")
    _keep(doc, f"Difficultés signalées dans le suivi des activités {period_scope} :")
    _tag(doc, "{%p for d in difficulties %}")
    _bullet(doc, "{{ d.code }} – {{ d.title }} : {{ d.text }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not difficulties and not texts.difficultes %}")
    _p(doc, f"Aucune difficulté particulière n'a été signalée {period_scope}.")
    _tag(doc, "{%p endif %}")


def _signature(doc, left: str, right: str, place_date: str) -> None:
    """Place and date, then the signatories: one under the date, right-aligned like it,
    or two side by side. The build keeps the paragraph before with them."""
    _p(doc, place_date, style="Lieu et date")
    names = [name for name in (left, right) if name]
    if len(names) == 1:
        _p(doc, names[0], style="Signataire seul")
        return
    t = kit.table(doc, 1, [8.3] * len(names), style="Tableau sans bordure", header=False)
    kit.row_properties(t.rows[0])
    for cell, text in zip(t.rows[0].cells, names):
        kit.cell_text(cell, text, style="Signataire")


# --- Quarterly report ---------------------------------------------------------------------------


def rapport_trimestriel(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Rapport d'activités – {{ period.label }}")
    kit.set_core_properties(doc, "Rapport d'activités trimestriel – {{ period.label }} "
                                 "{{ plan.mandate.short_label }}", HEADER)
    _cover(doc, "Rapport d'activités trimestriel du Secrétariat technique",
           [("{{ period.label }}", "Couverture – intitulé"),
            ("Période {{ period_text }}", "Couverture – période"),
            ("Plan de travail annuel {{ plan.mandate.label }}", "Couverture – plan"),
            ("{%p if ongoing %}", None),
            ("Situation provisoire au {{ as_of|date_longue }}", "Couverture – mention"),
            ("{%p endif %}", None)],
           "{{ plan.identity.place }}, {{ as_of|mois_annee }}")

    _p(doc, "1. Introduction", style="Titre de partie")
    _p(doc, "Le présent rapport rend compte des activités menées par le Secrétariat technique de "
            "la {{ plan.identity.group_name }} {{ period_text }} ({{ period.label }}), en exécution "
            "du Plan de travail annuel (PTA) {{ plan.mandate.short_label }}. Il présente la synthèse "
            "de l'exécution des activités programmées sur la période, l'état d'avancement de "
            "chaque activité, les réunions tenues, le suivi des décisions et recommandations, les "
            "difficultés rencontrées et les perspectives pour la période suivante.")
    _tag(doc, "{%p if ongoing %}")
    _p(doc, "La période n'étant pas achevée, la situation présentée est arrêtée au "
            "{{ as_of|date_longue }}.", style="Mention")
    _tag(doc, "{%p endif %}")

    _p(doc, "2. Synthèse de l'exécution", style="Titre de partie")
    _p(doc, "Sont prises en compte les activités du PTA dont au moins un mois programmé tombe "
            "dans la période. Le tableau ci-dessous en donne l'état par axe.")
    _rate_sentence(doc, "sur la période")
    _execution_table(doc)
    _chart(doc, "Graphique 1 : taux d'exécution par axe – {{ period.label }}")

    _p(doc, "3. Exécution des activités par axe et par produit", style="Titre de partie")
    _activity_tables(doc, "sur la période", "Statut", assess=False)

    _p(doc, "4. Réunions tenues", style="Titre de partie")
    _tag(doc, "{%p if meetings %}")
    _keep(doc, "{{ meetings|length|quantite('réunion a été tenue', 'réunions ont été tenues') }} "
            "{{ period_text }}. Leurs principales décisions figurent ci-dessous ; la liste "
            "détaillée est en annexe.")
    _loop_table(doc, [2.1, 5.0, 9.5], ["Date", "Instance", "Principales décisions"],
                "m in meetings",
                [("{{ m.date|date_courte }}", NUM),
                 ("{{ m.type.name }}", {}),
                 ("{%p for d in m.decisions %}", {"extra": [
                     "• {{ d.text }}", "{%p endfor %}", "{%p if not m.decisions %}",
                     "Aucune décision consignée.", "{%p endif %}"]})])
    _space(doc)
    _p(doc, "Réunions tenues et prévues par instance", style="Titre de section")
    _meeting_counts_table(doc, whole_mandate=False)
    _tag(doc, "{%p else %}")
    _p(doc, "Aucune réunion n'a été enregistrée {{ period_text }}.")
    _tag(doc, "{%p endif %}")

    _p(doc, "5. Suivi des décisions et recommandations", style="Titre de partie")
    _keep(doc, "Au {{ as_of|date_longue }}, décisions et recommandations restant à mettre en œuvre : "
            "{{ open_decisions|length }}, dont {{ overdue|length }} en retard sur leur échéance. "
            "Le retard est compté en jours entre l'échéance et cette date.")
    _tag(doc, "{%p if open_decisions %}")
    _open_decisions_table(doc)
    _tag(doc, "{%p endif %}")

    _p(doc, "6. Difficultés rencontrées", style="Titre de partie")
    _difficulties(doc, "sur la période")

    _p(doc, "7. Perspectives", style="Titre de partie")
    _texts(doc, "texts.perspectives")
    _tag(doc, "{%p if next_period %}")
    _keep(doc, "Au cours de la période suivante ({{ next_period.label }}, "
                  "{{ next_period_text }}), le PTA programme les activités suivantes :")
    _tag(doc, "{%p for a in next_activities %}")
    _bullet(doc, "{{ a.code }} – {{ a.title }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not next_activities %}")
    _p(doc, "Aucune activité n'est programmée sur cette période.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    _p(doc, "Cette période est la dernière du mandat : le bilan annuel des activités de la Troïka "
            "en dressera le bilan d'ensemble.")
    _tag(doc, "{%p endif %}")
    _texts(doc, "texts.conclusion")

    _signature(doc, "Le Secrétariat technique", "",
               "{{ plan.identity.place }}, le {{ as_of|date_longue }}")

    _landscape(doc)
    _p(doc, "Annexe : liste des réunions de la période", style="Titre de partie")
    _meetings_annex(doc, 26.7)
    doc.save(path)


def _landscape(doc) -> None:
    """A landscape section whose first page keeps the running header (the cover's
    header-less first page setting is copied to new sections otherwise)."""
    section = kit.landscape_section(doc)
    section.different_first_page_header_footer = False


def _meetings_annex(doc, width: float) -> None:
    _tag(doc, "{%p if meetings %}")
    widths = [2.2, 2.0, 5.2, 3.4, 3.6, 10.3]
    scale = width / sum(widths)
    _loop_table(doc, [w * scale for w in widths],
                ["N°", "Date", "Instance", "Lieu", "Présidence", "Organisations participantes"],
                "m in meetings",
                [("{{ m.id }}", {}), ("{{ m.date|date_courte }}", NUM),
                 ("{{ m.type.name }}", {}), ("{{ m.place }}", {}),
                 ("{{ m.chair }}", {}), ("{{ m.participants|join(', ') }}", {})])
    _tag(doc, "{%p else %}")
    _p(doc, "Aucune réunion n'a été enregistrée.")
    _tag(doc, "{%p endif %}")


# --- Annual review -------------------------------------------------------------------------------


def bilan_annuel(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Bilan annuel {{ plan.mandate.label }}")
    kit.set_core_properties(doc, "Bilan annuel des activités {{ plan.mandate.label }}", HEADER)
    _cover(doc, "Bilan annuel des activités de la Troïka",
           [("Mandat {{ plan.mandate.label }}", "Couverture – intitulé"),
            ("Période {{ mandate_text }}", "Couverture – période"),
            ("Plan de travail annuel {{ plan.mandate.label }}", "Couverture – plan"),
            ("{%p if not complete %}", None),
            ("Situation provisoire au {{ as_of|date_longue }}", "Couverture – mention"),
            ("{%p endif %}", None)],
           "{{ plan.identity.place }}, {{ as_of|mois_annee }}")

    _p(doc, "1. Introduction", style="Titre de partie")
    _p(doc, "Le présent bilan rend compte de la mise en œuvre du Plan de travail annuel (PTA) "
            "{{ plan.mandate.short_label }} de la {{ plan.identity.group_name }}, {{ mandate_text }}. "
            "Il présente l'exécution des activités par axe et l'appréciation de chaque résultat "
            "attendu, la tenue des réunions des instances au regard de ce que le plan annonçait, "
            "le suivi des décisions et recommandations, puis les leçons apprises et les "
            "recommandations pour le prochain mandat.")
    _tag(doc, "{%p if not complete %}")
    _p(doc, "Le mandat n'étant pas achevé, la situation présentée est arrêtée au "
            "{{ as_of|date_longue }}.", style="Mention")
    _tag(doc, "{%p endif %}")

    _p(doc, "2. Synthèse de l'exécution du PTA", style="Titre de partie")
    _p(doc, "Sont prises en compte toutes les activités du PTA qui ont au moins un mois programmé ; "
            "le statut retenu pour chacune est celui de sa dernière ligne de suivi.")
    _rate_sentence(doc, "sur le mandat")
    _execution_table(doc)
    _chart(doc, "Graphique 1 : taux d'exécution par axe sur le mandat")
    _p(doc, "Exécution par période", style="Titre de section")
    _loop_table(doc, [2.2, 4.2, 2.4, 1.8, 2.0, 2.0, 2.0],
                ["Période", "Dates", "Activités programmées", "dont annulées",
                 "Activités réalisées", "Taux d'exécution", "Réunions tenues"], "l in period_lines",
                [("{{ l.period.label }}", {"bold": True}), ("{{ l.text }}", {}),
                 ("{{ l.execution.scheduled }}", NUM), ("{{ l.execution.cancelled }}", NUM),
                 ("{{ l.execution.carried_out }}", NUM),
                 ("{{ l.execution.rate|pourcentage }}", NUM), ("{{ l.meetings }}", NUM)])
    _note(doc, "Taux d'exécution = activités réalisées ÷ (activités programmées − activités "
               "annulées).")

    _p(doc, "3. Appréciation par résultat attendu", style="Titre de partie")
    _activity_tables(doc, "sur le mandat", "Statut final", assess=True)

    _p(doc, "4. Réunions des instances", style="Titre de partie")
    _keep(doc, "{{ meetings|length|quantite('réunion a été tenue', 'réunions ont été tenues') }} "
            "sur le mandat. Le tableau compare, pour chaque instance, les réunions tenues à celles "
            "que le PTA annonçait.")
    _meeting_counts_table(doc, whole_mandate=True)

    _p(doc, "5. Décisions et recommandations", style="Titre de partie")
    _keep(doc, "Décisions et recommandations adoptées par les réunions du mandat : "
            "{{ decision_total }}. Leur état au {{ as_of|date_longue }} :")
    _loop_table(doc, [8.0, 3.0], ["Statut", "Nombre"], "c in decision_counts",
                [("{{ c.status }}", {}), ("{{ c.count }}", NUM)],
                total=[("Total", {}), ("{{ decision_total }}", NUM)])
    _space(doc)
    _tag(doc, "{%p if overdue %}")
    _p(doc, "Décisions et recommandations en retard", style="Titre de section")
    _keep(doc, "Décisions et recommandations non réalisées à leur échéance : {{ overdue|length }}. "
            "Le retard est compté en jours entre l'échéance et le {{ as_of|date_longue }}.")
    _open_decisions_table(doc, "o in overdue")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if pending %}")
    _p(doc, "Restent aussi à mettre en œuvre, sans être en retard au {{ as_of|date_longue }} : "
            "{{ pending|length }} (liste en annexe 2).")
    _tag(doc, "{%p endif %}")

    _p(doc, "6. Difficultés rencontrées", style="Titre de partie")
    _difficulties(doc, "sur le mandat")
    _p(doc, "7. Leçons apprises", style="Titre de partie")
    _texts(doc, "texts.lecons")
    _tag(doc, "{%p if not texts.lecons %}")
    _p(doc, "Aucune leçon n'a été consignée dans le classeur.", style="Mention")
    _tag(doc, "{%p endif %}")
    _p(doc, "8. Recommandations pour le prochain mandat", style="Titre de partie")
    _texts(doc, "texts.recommandations", style="Puce")
    _tag(doc, "{%p if not texts.recommandations %}")
    _p(doc, "Aucune recommandation n'a été consignée dans le classeur.", style="Mention")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if texts.perspectives or texts.conclusion %}")
    _p(doc, "Conclusion et perspectives", style="Titre de partie")
    _tag(doc, "{%p endif %}")
    _texts(doc, "texts.perspectives")
    _texts(doc, "texts.conclusion")
    _signature(doc, "Le Secrétariat technique", "Le Président de la Troïka",
               "{{ plan.identity.place }}, le {{ as_of|date_longue }}")

    _landscape(doc)
    _p(doc, "Annexe 1 : liste des réunions tenues", style="Titre de partie")
    _meetings_annex(doc, 26.7)
    _p(doc, "Annexe 2 : décisions et recommandations du mandat", style="Titre de partie")
    _tag(doc, "{%p if decision_total %}")
    widths = [2.4, 2.0, 10.0, 4.0, 2.2, 2.2, 3.9]
    _loop_table(doc, widths, ["Réunion", "Date", "Décision ou recommandation", "Responsable",
                              "Échéance", "Statut", "Réalisée le / commentaire"],
                "d in decisions",
                [("{{ d.meeting.id }}", {}),
                 ("{{ d.meeting.date|date_courte }}", NUM),
                 ("{{ d.text }}", {}), ("{{ d.responsible }}", {}),
                 ("{{ d.deadline|date_courte if d.deadline else '–' }}", NUM),
                 ("{% cellbg couleur(d.status) %}{{ d.status }}", NUM),
                 ("{{ d.done_on|date_courte if d.done_on else '' }}{{ ' – ' if d.done_on and "
                  "d.comment else '' }}{{ d.comment }}", {})])
    _tag(doc, "{%p else %}")
    _p(doc, "Aucune décision n'a été enregistrée.")
    _tag(doc, "{%p endif %}")
    doc.save(path)


# --- Minutes ---------------------------------------------------------------------------------------


def compte_rendu(path: Path) -> None:
    doc = kit.new_document(HEADER + " – Compte rendu de réunion")
    kit.set_core_properties(doc, "Compte rendu – {{ meeting.type.name }} – "
                                 "{{ meeting.date|date_courte }}", HEADER)
    _letterhead(doc, [("{{ plan.identity.group_name }}", "Timbre – groupe"),
                      ("Secrétariat technique", "Timbre – filet")])
    _p(doc, "Compte rendu de réunion", style="Titre du document")
    _p(doc, "{{ meeting.type.name }}", style="Couverture – intitulé")
    _p(doc, "{{ meeting.date|date_longue }}", style="Sous-titre du document")
    _label_table(doc, [
        ("N° de réunion", "{{ meeting.id }}"),
        ("Date", "{{ meeting.date|date_longue }}"),
        ("Lieu", "{{ meeting.place or '–' }}"),
        ("Présidence", "{{ meeting.chair or '–' }}"),
        ("Activité(s) du PTA", "{%p for a in meeting.activities %}\n{{ a.code }} – {{ a.title }}\n"
                               "{%p endfor %}\n{%p if not meeting.activities %}\n–\n{%p endif %}"),
        ("Organisations participantes", "{{ meeting.participants|join(', ') or '–' }}"),
    ])
    _p(doc, "1. Ordre du jour", style="Titre de partie")
    _tag(doc, "{%p for item in meeting.agenda %}")
    _p(doc, "{{ loop.index }}.\t{{ item }}", style="Point numéroté")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not meeting.agenda %}")
    _p(doc, "L'ordre du jour n'a pas été consigné.", style="Mention")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Synthèse des échanges", style="Titre de partie")
    _texts(doc, "meeting.summary")
    _tag(doc, "{%p if not meeting.summary %}")
    _p(doc, "La synthèse des échanges n'a pas été consignée.", style="Mention")
    _tag(doc, "{%p endif %}")
    _p(doc, "3. Décisions et recommandations", style="Titre de partie")
    _tag(doc, "{%p if decisions %}")
    _loop_table(doc, [0.9, 10.0, 3.6, 2.1], ["N°", "Décision ou recommandation", "Responsable",
                                             "Échéance"], "d in decisions",
                [("{{ loop.index }}", NUM), ("{{ d.text }}", {}),
                 ("{{ d.responsible or '–' }}", {}),
                 ("{{ d.deadline|date_courte if d.deadline else '–' }}", NUM)])
    _tag(doc, "{%p else %}")
    _p(doc, "Aucune décision ni recommandation n'a été consignée.")
    _tag(doc, "{%p endif %}")
    _p(doc, "L'ordre du jour étant épuisé, la séance a été levée.", style="Mention")
    _signature(doc, "Pour le Secrétariat technique", "Pour la présidence de séance",
               "{{ plan.identity.place }}, le {{ meeting.date|date_longue }}")
    doc.save(path)


BUILDERS = {
    "rapport_trimestriel": rapport_trimestriel,
    "bilan_annuel": bilan_annuel,
    "compte_rendu": compte_rendu,
}
