"""Illustrative "Flash info" items for the 2021–2022 sample (activity 7.5)."""

from __future__ import annotations

import datetime as dt

V, G, C, P, E = (
    "Vie de la Troïka",
    "Dialogue avec le Gouvernement",
    "Cadres sectoriels de dialogue",
    "Nouvelles des partenaires",
    "Publications et études",
)

ISSUES = {
    1: (
        dt.date(2021, 11, 30),
        [
            (
                V,
                "Installation de la nouvelle Troïka",
                "La Troïka 2021 – 2022 a pris ses fonctions en septembre. Le projet de son plan de "
                "travail annuel, organisé en quatre axes, a été examiné par la Troïka lors de sa "
                "réunion mensuelle d'octobre.",
                "Secrétariat technique",
            ),
            (
                C,
                "Renouvellement des chefs de file sectoriels",
                "La liste des chefs de file des cadres sectoriels de dialogue et de leurs suppléants "
                "a été validée le 27 octobre par les chefs de coopération. Le renouvellement des "
                "chefs de file des groupes thématiques suivra.",
                "",
            ),
            (
                P,
                "Rencontre des chefs de file sectoriels",
                "Les chefs de file sectoriels se sont réunis le 18 novembre pour présenter les groupes "
                "thématiques, en présence du SP/PNDES, des DGESS et de la DGCOOP.",
                "Secrétariat technique",
            ),
        ],
    ),
    2: (
        dt.date(2022, 1, 31),
        [
            (
                G,
                "Report de la rencontre entre les PTF et le Premier ministre",
                "Compte tenu de la formation d'un nouveau Gouvernement, la rencontre prévue en décembre "
                "entre les PTF et le Premier ministre est reportée. Les messages clés des PTF sur la "
                "mise en œuvre du PNDES II, la situation sécuritaire et humanitaire et la prévisibilité "
                "de l'aide ont été arrêtés le 14 décembre.",
                "",
            ),
            (
                V,
                "Cartographie des interventions des PTF",
                "Les termes de référence de l'étude de cartographie des interventions des PTF sont "
                "en préparation ; le consultant sera recruté dès leur finalisation.",
                "Secrétariat technique",
            ),
            (
                E,
                "Prévisions de décaissements d'appui budgétaire",
                "Le tableau prévisionnel des décaissements d'appui budgétaire 2022 – 2024 a été "
                "actualisé en décembre ; il sera présenté à la DGCOOP et à la DGB avant sa "
                "transmission au MINEFID.",
                "Secrétariat technique",
            ),
        ],
    ),
    3: (
        dt.date(2022, 3, 31),
        [
            (
                G,
                "Session du Comité technique national du PNDES II",
                "La Troïka technique a participé à la session du Comité technique national ; le discours "
                "des PTF a porté sur la soutenabilité des finances publiques et la réponse humanitaire.",
                "",
            ),
            (
                C,
                "Appui aux cadres sectoriels de dialogue",
                "Les chefs de file sectoriels ont été accompagnés dans l'organisation d'une première "
                "rencontre avec le ministre de la Santé ; l'éducation et l'eau suivront.",
                "",
            ),
            (
                P,
                "Nouveaux partenaires aux travaux de la Troïka",
                "Deux partenaires non membres ont participé pour la première fois à la rencontre "
                "mensuelle des chefs de coopération.",
                "Secrétariat technique",
            ),
        ],
    ),
    4: (
        dt.date(2022, 5, 31),
        [
            (
                G,
                "Comité national de pilotage du PNDES II",
                "Le discours des PTF à la session du Comité national de pilotage a été partagé avec "
                "l'ensemble des partenaires. L'aide-mémoire des partenaires sur la revue annuelle est en "
                "préparation.",
                "",
            ),
            (
                V,
                "Préparation du bilan du mandat",
                "Le bilan annuel des activités de la Troïka sera préparé en juin, pour la fin du "
                "mandat.",
                "Secrétariat technique",
            ),
        ],
    ),
}


def fill_flash(book) -> None:
    from pipeline.workbook.create import append_rows

    append_rows(
        book,
        "Flash info",
        [
            {
                "issue": number,
                "date": date,
                "section": section,
                "title": title,
                "text": text,
                "source": source or None,
            }
            for number, (date, items) in ISSUES.items()
            for section, title, text, source in items
        ],
    )
