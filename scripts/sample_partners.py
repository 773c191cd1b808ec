"""Illustrative partners' data for the 2021–2022 mandate: partners, the CTN and CNP
sessions of the PNDES II annual review, their protocol, the common concerns, the
speeches, the aide-mémoire and the budget-support disbursement forecasts 2022–2024.

Nothing here comes from the seed except the names of the institutions: the Troïka's
composition, people's names, texts and amounts are illustrative (people's names are
fictitious), and the instructions sheet says so.
"""

from __future__ import annotations

import datetime as dt

ILLUSTRATIVE = [
    "",
    "Discours, aide-mémoire et prévisions de décaissements (données illustratives)",
    "Les feuilles Partenaires, Sessions, Protocole, Préoccupations, Discours, Aide-mémoire, "
    "Prévisions et Décaissements sont remplies avec des données ILLUSTRATIVES, vraisemblables pour le mandat "
    "2021 – 2022 mais qui ne proviennent d'aucun document officiel : composition de la Troïka, "
    "dates des sessions du CTN et du CNP, textes des discours et de l'aide-mémoire, montants "
    "des prévisions et des décaissements (les identifiants IATI des partenaires sont réels). Les noms de personnes sont fictifs. Remplacez-les par les données réelles "
    "avant toute diffusion.",
]

YES, NO = "Oui", "Non"

# (acronym, name, kind, Troïka member, head of cooperation, title)
PARTNERS = [
    (
        "UE",
        "Union européenne",
        "Multilatéral",
        YES,
        "M. Laurent Mercier",
        "Ambassadeur, Chef de la Délégation de l'Union européenne, Président de la Troïka",
    ),
    (
        "SE",
        "Suède",
        "Bilatéral",
        YES,
        "Mme Ingrid Holmberg",
        "Cheffe de la coopération, Ambassade de Suède",
    ),
    (
        "SNU",
        "Système des Nations unies",
        "Système des Nations unies",
        YES,
        "Mme Aminata Diallo",
        "Coordonnatrice résidente du Système des Nations unies",
    ),
    (
        "BM",
        "Banque mondiale",
        "Institution financière internationale",
        NO,
        "M. Daniel Okafor",
        "Directeur des opérations",
    ),
    (
        "BAD",
        "Banque africaine de développement",
        "Institution financière internationale",
        NO,
        "M. Moussa Traoré",
        "Responsable pays",
    ),
    (
        "FMI",
        "Fonds monétaire international",
        "Institution financière internationale",
        NO,
        "Mme Clara Rossi",
        "Représentante résidente",
    ),
    (
        "FR",
        "France",
        "Bilatéral",
        NO,
        "M. Hugo Lefèvre",
        "Conseiller de coopération et d'action culturelle, Ambassade de France",
    ),
    (
        "DE",
        "Allemagne",
        "Bilatéral",
        NO,
        "M. Jonas Becker",
        "Chef de la coopération, Ambassade d'Allemagne",
    ),
    (
        "NL",
        "Pays-Bas",
        "Bilatéral",
        NO,
        "Mme Eva de Vries",
        "Cheffe de la coopération, Ambassade du Royaume des Pays-Bas",
    ),
    (
        "CH",
        "Suisse",
        "Bilatéral",
        NO,
        "M. Marc Favre",
        "Directeur de la coopération suisse au Burkina Faso",
    ),
    (
        "DK",
        "Danemark",
        "Bilatéral",
        NO,
        "M. Søren Nielsen",
        "Chef de la coopération, Ambassade du Danemark",
    ),
    (
        "LU",
        "Luxembourg",
        "Bilatéral",
        NO,
        "Mme Claire Weber",
        "Chargée d'affaires, Ambassade du Grand-Duché de Luxembourg",
    ),
    (
        "CA",
        "Canada",
        "Bilatéral",
        NO,
        "Mme Julie Tremblay",
        "Cheffe de la coopération, Ambassade du Canada",
    ),
    # Three partners that attend the heads of cooperation's meetings, sign the
    # aide-mémoire and receive the partners' list like the others.
    (
        "JP",
        "Japon",
        "Bilatéral",
        NO,
        "M. Kenji Sato",
        "Représentant résident de l'Agence japonaise de coopération internationale (JICA)",
    ),
    (
        "US",
        "États-Unis",
        "Bilatéral",
        NO,
        "M. Michael Carter",
        "Directeur de l'Agence des États-Unis pour le développement international (USAID)",
    ),
    (
        "AT",
        "Autriche",
        "Bilatéral",
        NO,
        "Mme Katharina Huber",
        "Cheffe du bureau de la coopération autrichienne",
    ),
]

MINISTER = "Ministre de l'Économie, des Finances et du Développement"

SESSIONS = [
    {
        "code": "CTN-2022",
        "body": "CTN",
        "label": "session de revue annuelle 2021",
        "date": dt.date(2022, 3, 24),
        "place": "Ouagadougou",
        "chair_name": "M. Issa Sawadogo",
        "chair_title": f"{MINISTER}, Président du Comité technique national du PNDES II",
        "speaker_name": "Mme Ingrid Holmberg",
        "speaker_title": "Cheffe de la coopération, Ambassade de Suède, membre de la Troïka",
        "speaker_org": "SE",
        "activity": "2.2",
    },
    {
        "code": "CNP-2022",
        "body": "CNP",
        "label": "session de revue annuelle 2021",
        "date": dt.date(2022, 4, 28),
        "place": "Ouagadougou",
        "chair_name": "M. Paul Zongo",
        "chair_title": "Premier Ministre, Président du Comité national de pilotage du PNDES II",
        "speaker_name": "M. Laurent Mercier",
        "speaker_title": "Ambassadeur, Chef de la Délégation de l'Union européenne, "
        "Président de la Troïka",
        "speaker_org": "UE",
        "activity": "2.4",
        # Adopted at the heads of cooperation's meeting of 29 June (minutes, T4, Flash).
        "memo_date": dt.date(2022, 6, 29),
    },
]

PROTOCOL = {
    "CNP": [
        "Monsieur le Premier Ministre, Président du Comité national de pilotage du PNDES II",
        "Mesdames et Messieurs les membres du Gouvernement",
        "Excellences Mesdames et Messieurs les Ambassadeurs et Chefs de mission diplomatique",
        "Mesdames et Messieurs les Représentants des organisations internationales",
        "Mesdames et Messieurs les Gouverneurs de région",
        "Mesdames et Messieurs les Secrétaires généraux des ministères et institutions",
        "Mesdames et Messieurs les Représentants des collectivités territoriales, du secteur "
        "privé et de la société civile",
        "Mesdames et Messieurs",
    ],
    "CTN": [
        f"Monsieur le {MINISTER}, Président du Comité technique national du PNDES II",
        "Monsieur le Secrétaire permanent du PNDES",
        "Mesdames et Messieurs les Secrétaires généraux des ministères et institutions",
        "Mesdames et Messieurs les Chefs de coopération et Représentants des partenaires "
        "techniques et financiers",
        "Mesdames et Messieurs les Présidents des cadres sectoriels de dialogue",
        "Mesdames et Messieurs les Représentants du secteur privé et de la société civile",
        "Mesdames et Messieurs",
    ],
}

CTN, CNP = "CTN-2022", "CNP-2022"

# (number, theme, text, priority, sessions)
CONCERNS = [
    (
        1,
        "Sécurité et situation humanitaire",
        "la dégradation de la situation sécuritaire et ses conséquences humanitaires, avec plus "
        "d'un million et demi de personnes déplacées internes, appellent une meilleure articulation "
        "entre l'action humanitaire, le développement et la consolidation de la paix, ainsi qu'un "
        "accès humanitaire garanti dans toutes les régions.",
        "Élevée",
        [CTN, CNP],
    ),
    (
        2,
        "Finances publiques et mobilisation des ressources internes",
        "la hausse des dépenses de sécurité réduit les marges budgétaires ; les PTF encouragent "
        "la poursuite des réformes de la mobilisation des recettes, la maîtrise de la masse "
        "salariale et la transparence de l'exécution budgétaire.",
        "Élevée",
        [CTN, CNP],
    ),
    (
        3,
        "Appui budgétaire et prévisibilité de l'aide",
        "les décaissements des appuis budgétaires dépendent de l'atteinte des indicateurs convenus "
        "et du dialogue au sein du Cadre général des appuis budgétaires (CGAB) ; les PTF "
        "souhaitent un calendrier partagé des revues et des prévisions sur trois ans.",
        "Élevée",
        [CTN, CNP],
    ),
    (
        4,
        "Continuité des services sociaux de base",
        "la fermeture de nombreuses écoles et formations sanitaires dans les zones à fort défi "
        "sécuritaire exige des réponses adaptées pour assurer la continuité de l'éducation et des "
        "soins.",
        "Élevée",
        [CNP],
    ),
    (
        5,
        "Gouvernance et redevabilité",
        "la lutte contre la corruption, le suivi des recommandations des corps de contrôle et la "
        "publication des rapports d'audit restent des conditions de la confiance mutuelle.",
        "Moyenne",
        [CNP],
    ),
    (
        6,
        "Décentralisation",
        "le transfert effectif des ressources aux collectivités territoriales demeure en deçà des "
        "engagements ; les PTF invitent le Gouvernement à en publier le calendrier.",
        "Moyenne",
        [CTN],
    ),
    (
        7,
        "Genre et inclusion",
        "la prise en compte du genre dans la programmation budgétaire et dans les indicateurs du "
        "PNDES II doit être renforcée, en particulier pour les femmes et les jeunes déplacés.",
        "Moyenne",
        [CTN, CNP],
    ),
    (
        8,
        "Dispositif de suivi et d'évaluation",
        "le fonctionnement régulier des cadres sectoriels de dialogue et la disponibilité à temps "
        "des statistiques sectorielles conditionnent la qualité de la revue annuelle.",
        "Normale",
        [CTN],
    ),
]

SPEECHES = {
    CTN: [
        (
            "Remerciements",
            "Au nom des partenaires techniques et financiers du Burkina Faso, je "
            "voudrais vous remercier de nous associer une nouvelle fois aux travaux du Comité "
            "technique national du PNDES II, consacrés à la revue annuelle 2021.",
        ),
        (
            "Remerciements",
            "Nous saluons la qualité des documents préparés par le Secrétariat "
            "permanent du PNDES et les directions générales des études et des statistiques "
            "sectorielles, ainsi que l'engagement des cadres sectoriels de dialogue.",
        ),
        (
            "Appréciation des progrès",
            "Les partenaires prennent acte des progrès enregistrés en "
            "2021 malgré un contexte sécuritaire et sanitaire difficile, notamment la reprise de la "
            "croissance économique et la poursuite des réformes de gestion des finances publiques.",
        ),
        (
            "Préoccupations",
            "Permettez-moi de partager avec vous les préoccupations communes des "
            "partenaires, que nous souhaitons voir examinées lors de cette revue :",
        ),
        (
            "Recommandations",
            "Nous recommandons que les conclusions de cette revue soient "
            "traduites en mesures précises, assorties de responsables et d'échéances, et "
            "présentées au Comité national de pilotage.",
        ),
        (
            "Engagement des PTF",
            "Les partenaires techniques et financiers réaffirment leur "
            "engagement à accompagner le Burkina Faso dans la mise en œuvre du PNDES II, dans "
            "l'esprit des principes de l'efficacité de l'aide.",
        ),
        (
            "Conclusion",
            "Nous formons le vœu que nos travaux contribuent à améliorer les "
            "conditions de vie des populations burkinabè.",
        ),
    ],
    CNP: [
        (
            "Remerciements",
            "C'est un honneur pour moi de prendre la parole au nom des partenaires "
            "techniques et financiers à l'occasion de cette session du Comité national de pilotage "
            "du PNDES II, consacrée à la revue annuelle 2021.",
        ),
        (
            "Remerciements",
            "Je voudrais remercier le Gouvernement pour l'organisation de cette "
            "revue et pour le dialogue maintenu avec les partenaires, malgré le report de "
            "plusieurs rencontres pendant la transition.",
        ),
        (
            "Appréciation des progrès",
            "Les partenaires saluent les résultats obtenus en 2021 : "
            "la croissance économique s'est redressée, les réformes des finances publiques se sont "
            "poursuivies et la réponse aux besoins des personnes déplacées internes s'est "
            "organisée, avec l'appui de la communauté internationale.",
        ),
        (
            "Appréciation des progrès",
            "Ces acquis restent toutefois fragiles face à la crise "
            "sécuritaire et humanitaire que traverse le pays.",
        ),
        (
            "Préoccupations",
            "Dans ce contexte, les partenaires souhaitent porter à votre haute "
            "attention les préoccupations suivantes :",
        ),
        (
            "Recommandations",
            "Les partenaires recommandent de mettre l'accent, en 2022, sur la "
            "protection des populations, la continuité des services sociaux de base et la "
            "soutenabilité des finances publiques, et d'en suivre les progrès dans le cadre de la "
            "matrice de performance du PNDES II.",
        ),
        (
            "Engagement des PTF",
            "Pour leur part, les partenaires techniques et financiers "
            "restent engagés aux côtés du peuple burkinabè et poursuivront leurs appuis, y compris "
            "budgétaires, dans un esprit de redevabilité mutuelle.",
        ),
        ("Conclusion", "Nous souhaitons plein succès aux travaux de cette session."),
    ],
}

MEMO = [
    (
        "Contexte",
        "La revue annuelle 2021 du PNDES II s'est déroulée dans un contexte marqué par "
        "la persistance de la crise sécuritaire, une situation humanitaire préoccupante et les "
        "effets de la pandémie de COVID-19 sur l'économie.",
    ),
    (
        "Contexte",
        "Les partenaires techniques et financiers ont participé aux travaux des cadres "
        "sectoriels de dialogue, puis à la session du Comité technique national du 24 mars 2022, "
        "dont le présent aide-mémoire reprend les principaux constats.",
    ),
    (
        "Appréciation",
        "Les partenaires apprécient la tenue de la revue malgré le report de la session "
        "du CTN et la convocation tardive de celle du CNP, la qualité du rapport de "
        "performance et l'effort de rationalisation des indicateurs.",
    ),
    (
        "Appréciation",
        "Ils relèvent les progrès accomplis dans la mobilisation des recettes et "
        "dans l'exécution des dépenses sociales, tout en notant des retards dans les secteurs "
        "les plus touchés par l'insécurité.",
    ),
    (
        "Recommandations",
        "Adopter un plan d'actions prioritaires assorti d'un calendrier et de "
        "responsables pour chacune des préoccupations ci-dessus.",
    ),
    (
        "Recommandations",
        "Partager avec les partenaires, avant la fin du premier semestre, le "
        "calendrier des revues du Cadre général des appuis budgétaires et les prévisions de "
        "décaissements des années 2022 à 2024.",
    ),
]

# (partner, instrument, year, amount in FCFA, status)
FORECASTS = [
    ("UE", "Appui budgétaire général", 2022, 65_000_000_000, "Ferme"),
    ("UE", "Appui budgétaire général", 2023, 60_000_000_000, "Indicatif"),
    ("UE", "Appui budgétaire général", 2024, 55_000_000_000, "Indicatif"),
    ("UE", "Appui budgétaire sectoriel (santé)", 2022, 15_000_000_000, "Ferme"),
    ("BM", "Appui budgétaire programmatique", 2022, 150_000_000_000, "Ferme"),
    ("BM", "Appui budgétaire programmatique", 2023, 120_000_000_000, "Indicatif"),
    ("BM", "Appui budgétaire programmatique", 2024, 120_000_000_000, "Indicatif"),
    ("BAD", "Appui budgétaire général", 2022, 26_000_000_000, "Ferme"),
    ("BAD", "Appui budgétaire général", 2023, 20_000_000_000, "Indicatif"),
    ("FMI", "Facilité élargie de crédit", 2022, 37_500_000_000, "Ferme"),
    ("FMI", "Facilité élargie de crédit", 2023, 35_000_000_000, "Indicatif"),
    ("FR", "Aide budgétaire globale", 2022, 10_000_000_000, "Ferme"),
    ("FR", "Aide budgétaire globale", 2023, 10_000_000_000, "Indicatif"),
    ("SE", "Appui budgétaire sectoriel (éducation)", 2022, 12_000_000_000, "Ferme"),
    ("SE", "Appui budgétaire sectoriel (éducation)", 2023, 12_000_000_000, "Indicatif"),
    ("DK", "Appui budgétaire sectoriel (eau et assainissement)", 2022, 8_500_000_000, "Ferme"),
    ("DK", "Appui budgétaire sectoriel (eau et assainissement)", 2023, 8_000_000_000, "Ferme"),
    ("DK", "Appui budgétaire sectoriel (eau et assainissement)", 2024, 7_500_000_000, "Indicatif"),
    ("CH", "Appui budgétaire sectoriel (éducation)", 2022, 4_500_000_000, "Ferme"),
    ("CH", "Appui budgétaire sectoriel (éducation)", 2023, 4_500_000_000, "Indicatif"),
    ("CH", "Appui budgétaire sectoriel (éducation)", 2024, 4_500_000_000, "Indicatif"),
    ("LU", "Appui budgétaire sectoriel (formation professionnelle)", 2022, 3_000_000_000, "Ferme"),
    (
        "LU",
        "Appui budgétaire sectoriel (formation professionnelle)",
        2023,
        3_000_000_000,
        "Indicatif",
    ),
]


# The IATI organisation identifiers of the budget-support partners that publish in
# IATI (real identifiers, read by troika importer-iati); the IMF, Denmark and
# Luxembourg are left empty.
IATI_IDS = {
    "UE": "XI-IATI-EC_INTPA",
    "BM": "44000",
    "BAD": "46002",
    "FR": "FR-3",
    "SE": "SE-0",
    "CH": "CH-4",
}

# (partner, instrument, year, amount in FCFA disbursed): what was received in 2022 by
# the forecast's date, illustrative; the predictability table compares it to 2022.
DISBURSEMENTS = [
    ("UE", "Appui budgétaire général", 2022, 52_000_000_000, dt.date(2022, 3, 15)),
    ("UE", "Appui budgétaire sectoriel (santé)", 2022, 15_000_000_000, dt.date(2022, 4, 8)),
    ("BM", "Appui budgétaire programmatique", 2022, 150_000_000_000, dt.date(2022, 3, 30)),
    ("BAD", "Appui budgétaire général", 2022, 13_000_000_000, dt.date(2022, 4, 20)),
    ("FMI", "Facilité élargie de crédit", 2022, 37_500_000_000, dt.date(2022, 2, 25)),
    ("FR", "Aide budgétaire globale", 2022, 10_000_000_000, dt.date(2022, 4, 12)),
    ("SE", "Appui budgétaire sectoriel (éducation)", 2022, 6_000_000_000, dt.date(2022, 3, 1)),
    (
        "DK",
        "Appui budgétaire sectoriel (eau et assainissement)",
        2022,
        8_500_000_000,
        dt.date(2022, 4, 5),
    ),
]


def rows() -> dict[str, list[dict]]:
    """The partners' sheets as {sheet: [row dicts]} for workbook.append_rows()."""
    return {
        "Partenaires": [
            {
                "acronym": a,
                "name": n,
                "kind": k,
                "troika": t,
                "head_name": h,
                "head_title": ti,
                "iati_id": IATI_IDS.get(a),
            }
            for a, n, k, t, h, ti in PARTNERS
        ],
        "Sessions": [dict(s) for s in SESSIONS],
        "Protocole": [
            {"body": body, "rank": rank, "salutation": text}
            for body, lines in PROTOCOL.items()
            for rank, text in enumerate(lines, start=1)
        ],
        "Préoccupations": [
            {"number": n, "theme": th, "text": tx, "priority": p, "sessions": s}
            for n, th, tx, p, s in CONCERNS
        ],
        "Discours": [
            {"session": code, "section": section, "text": text}
            for code, texts in SPEECHES.items()
            for section, text in texts
        ],
        "Aide-mémoire": [
            {"session": CNP, "section": section, "text": text} for section, text in MEMO
        ],
        "Prévisions": [
            {"partner": p, "instrument": i, "year": y, "amount": a, "status": s}
            for p, i, y, a, s in FORECASTS
        ],
        "Décaissements": [
            {"partner": p, "instrument": i, "year": y, "amount": a, "date": d}
            for p, i, y, a, d in DISBURSEMENTS
        ],
    }


def fill_partners(book) -> None:
    """Write the illustrative partners' data into a workbook that has the plan."""
    from pipeline.workbook.create import add_instructions, append_rows

    for sheet, sheet_rows in rows().items():
        append_rows(book, sheet, sheet_rows)
    add_instructions(book, ILLUSTRATIVE)
