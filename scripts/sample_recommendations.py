"""Illustrative register of recommendations and commitments for the 2021–2022 mandate,
with the dated changes of their statuses (sheets Recommandations and Historique des
statuts).

Sources: the 2020 annual review of the PNDES II (held before the mandate: its items
are dated by the review), the CGAB joint review of November 2021, and the CTN and CNP
sessions of the 2021 review (sheet Sessions). Some items are closed during the mandate,
others stay open on 30 June 2022 and are carried into the next mandate's workbook.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
GOV, PTF, BOTH = "Gouvernement", "PTF", "Gouvernement et PTF"
REVIEW, CGAB = "Revue annuelle", "Revue CGAB"
REVIEW_2020 = "Revue annuelle 2020 du PNDES II"
CGAB_2021 = "Revue conjointe CGAB 2021"
SP = "SP PNDES et DGESS ministères"

# number, text, kind, source, source date (None: the session's), addressee,
# responsible, activity, due date, public
ITEMS = [
    (
        "RA20-01",
        "Transmettre aux PTF le rapport de performance du PNDES II au moins quinze jours "
        "avant la session du CTN",
        REVIEW,
        REVIEW_2020,
        D(2021, 6, 24),
        GOV,
        SP,
        "2.2",
        D(2022, 3, 9),
        True,
    ),
    (
        "RA20-02",
        "Rendre opérationnels les cadres sectoriels de dialogue qui ne se sont pas réunis en 2020",
        REVIEW,
        REVIEW_2020,
        D(2021, 6, 24),
        GOV,
        "président CSD",
        "1.5",
        D(2021, 12, 31),
        True,
    ),
    (
        "RA20-03",
        "Associer les PTF non-membres de la Troïka à la préparation des positions communes",
        REVIEW,
        REVIEW_2020,
        D(2021, 6, 24),
        PTF,
        "Troïka",
        "1.2",
        D(2021, 12, 31),
        False,
    ),
    (
        "RA20-04",
        "Publier les prévisions de décaissements des PTF pour les trois années à venir",
        REVIEW,
        REVIEW_2020,
        D(2021, 6, 24),
        PTF,
        "Secrétariat technique",
        "6.1",
        D(2022, 3, 31),
        True,
    ),
    (
        "CG21-01",
        "Adopter le décret portant organisation du dialogue sur les appuis budgétaires",
        CGAB,
        CGAB_2021,
        D(2021, 11, 18),
        GOV,
        SP,
        "",
        D(2022, 6, 30),
        False,
    ),
    (
        "CG21-02",
        "Communiquer les décaissements effectifs d'appui budgétaire de l'année au plus "
        "tard le 31 janvier",
        CGAB,
        CGAB_2021,
        D(2021, 11, 18),
        PTF,
        "Troïka technique",
        "6.1",
        D(2022, 1, 31),
        False,
    ),
    (
        "CTN22-01",
        "Actualiser la matrice des réformes prioritaires avant la session du CNP",
        REVIEW,
        "CTN-2022",
        None,
        GOV,
        SP,
        "2.4",
        D(2022, 4, 20),
        True,
    ),
    (
        "CNP22-01",
        "Accélérer l'adoption des textes d'application de la loi de programmation budgétaire",
        REVIEW,
        "CNP-2022",
        None,
        GOV,
        SP,
        "",
        D(2022, 12, 31),
        True,
    ),
    (
        "CNP22-02",
        "Renforcer le dispositif statistique de suivi des indicateurs du PNDES II",
        REVIEW,
        "CNP-2022",
        None,
        GOV,
        SP,
        "",
        D(2023, 3, 31),
        True,
    ),
    (
        "CNP22-03",
        "Aligner les programmes d'appui des PTF sur les priorités de la revue annuelle 2021",
        REVIEW,
        "CNP-2022",
        None,
        BOTH,
        "Chefs de file sectoriel",
        "",
        D(2022, 9, 30),
        True,
    ),
]

# number -> [(date, status, comment)], in date order.
CHANGES = {
    "RA20-01": [
        (D(2021, 11, 23), "en cours", "Calendrier de transmission convenu avec le SP/PNDES"),
        (D(2022, 3, 8), "réalisé", "Rapport reçu le 8 mars 2022, seize jours avant le CTN"),
    ],
    "RA20-02": [
        (D(2021, 10, 12), "en cours", "Sept cadres sur quatorze réunis au troisième trimestre"),
        (D(2022, 2, 15), "réalisé", "Tous les cadres se sont réunis au moins une fois"),
    ],
    "RA20-03": [
        (D(2021, 12, 14), "réalisé", "Liste des PTF non-membres arrêtée et invitations envoyées"),
    ],
    "RA20-04": [
        (D(2021, 12, 16), "en cours", "Tableau prévisionnel 2022-2024 actualisé"),
    ],
    "CG21-01": [
        (
            D(2022, 3, 1),
            "en cours",
            "Projet de décret transmis au Secrétariat général du Gouvernement",
        ),
    ],
    "CG21-02": [
        (D(2022, 1, 28), "réalisé", "Tableau des décaissements 2021 transmis au MINEFID"),
    ],
    "CTN22-01": [
        (D(2022, 4, 26), "abandonné", "Remplacée par la recommandation CNP22-01 du CNP"),
    ],
    "CNP22-03": [
        (D(2022, 6, 14), "en cours", "Échanges engagés dans chaque cadre sectoriel"),
    ],
}


def register_rows() -> list[dict]:
    """The rows of the sheet Recommandations."""
    rows = []
    for number, text, kind, source, date, to, responsible, code, due, public in ITEMS:
        rows.append(
            {
                "number": number,
                "text": text,
                "source_kind": kind,
                "source": source,
                "source_date": date,
                "addressee": to,
                "responsible": responsible,
                "activity": code or None,
                "due": due,
                "public": "Oui" if public else "Non",
            }
        )
    return rows


def history_rows() -> list[dict]:
    """The register's rows of the sheet Historique des statuts."""
    return [
        {"number": number, "date": day, "status": status, "comment": comment}
        for number, changes in CHANGES.items()
        for day, status, comment in changes
    ]


ILLUSTRATIVE = [
    "Les feuilles Recommandations et Historique des statuts sont ILLUSTRATIVES : les "
    "sources (revues annuelles, revue CGAB, sessions du CTN et du CNP) suivent le "
    "calendrier du mandat, mais les recommandations, leurs dates et leurs statuts ont "
    "été imaginés pour montrer le suivi d'une revue à l'autre.",
]
