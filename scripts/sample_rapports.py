"""Illustrative follow-up of the 2021–2022 mandate: meetings, decisions, follow-up of
every activity for each quarter, and the reports' free texts.

Everything here is illustrative (marked so in the instructions sheet): the meetings
follow the cadences the plan announces (weekly President–ST meetings, monthly Troïka
and heads-of-cooperation meetings, quarterly meetings with sector lead partners and
humanitarian clusters, PTF–PM and Troïka–MINEFID meetings and their preparatory
meetings), with a few meetings skipped or postponed as happens in practice. Bodies are
named by role, never by person. Data is generated deterministically (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random

D = dt.date
OUAGA_ST = "Siège du Secrétariat technique, Ouagadougou"

# Meeting types: (key, name, cadence, plan activity code, planned count or None).
TYPES = [
    (
        "hebdo",
        "Réunion hebdomadaire Président de la Troïka – Secrétariat technique",
        "hebdomadaire",
        "1.4",
        None,
    ),
    (
        "troika",
        "Réunion mensuelle de la Troïka (Président, vice-présidents, Troïka technique, ST)",
        "mensuelle",
        "1.5",
        None,
    ),
    (
        "chefs",
        "Réunion mensuelle des ambassadeurs, chefs d'agences et chefs de coopération des PTF",
        "mensuelle",
        "1.6",
        None,
    ),
    (
        "clusters",
        "Rencontre trimestrielle Troïka technique – chefs de file sectoriels – "
        "coordonnateurs des clusters humanitaires",
        "trimestrielle",
        "1.7",
        None,
    ),
    (
        "cfs",
        "Rencontre des chefs de file sectoriels (groupes thématiques)",
        "ponctuelle",
        "1.2",
        None,
    ),
    (
        "admin",
        "Rencontre Troïka technique – structures de l'administration (SP/PNDES, DGCOOP, DGEP, DGB)",
        "trimestrielle",
        "4.4",
        None,
    ),
    ("minefid", "Rencontre Troïka – MINEFID", "trimestrielle", "4.2", None),
    ("pm", "Rencontre PTF – Premier ministre", "ponctuelle", "4.1", 2),
    (
        "prep",
        "Réunion préparatoire aux rencontres Troïka – MINEFID et PTF – PM",
        "ponctuelle",
        "4.5",
        None,
    ),
]

PTF = [
    "Union européenne",
    "Banque mondiale",
    "Banque africaine de développement",
    "France (AFD)",
    "Allemagne (GIZ, KfW)",
    "Suisse",
    "Pays-Bas",
    "Danemark",
    "Suède",
    "Canada",
    "Luxembourg",
    "Japon (JICA)",
    "États-Unis (USAID)",
    "Autriche",
    "Système des Nations unies (PNUD, UNICEF)",
    "Fonds monétaire international",
]

# Weekly meetings not held (holidays, agenda conflicts).
WEEKLY_SKIPPED = {D(2021, 11, 2), D(2021, 12, 28), D(2022, 1, 4), D(2022, 1, 25), D(2022, 4, 19)}

# Meetings other than weekly: (type, date, activity codes, agenda, summary, decisions).
# A decision: (text, responsible, days to deadline).
MEETINGS = [
    (
        "troika",
        D(2021, 9, 9),
        ["1.5", "7.1", "1.1"],
        [
            "Passation avec la Troïka sortante",
            "Orientations du PTA 2021-2022",
            "Renouvellement des chefs de file sectoriels",
        ],
        [
            "La Troïka a pris acte de la passation avec la Troïka sortante et du bilan de son mandat.",
            "Les orientations du PTA 2021-2022 ont été discutées : renforcer la concertation entre PTF "
            "et la qualité du dialogue avec le Gouvernement autour du PNDES II.",
        ],
        [
            ("Transmettre aux membres le projet de PTA 2021-2022", "Secrétariat technique", 21),
            (
                "Lancer l'appel à candidatures pour le renouvellement des chefs de file sectoriels",
                "Secrétariat technique",
                14,
            ),
        ],
    ),
    (
        "chefs",
        D(2021, 9, 29),
        ["1.6"],
        [
            "Présentation de la nouvelle Troïka",
            "Situation sécuritaire et humanitaire",
            "Calendrier du dialogue avec le Gouvernement",
        ],
        [
            "Le Président de la Troïka a présenté la composition de la Troïka et ses priorités.",
            "Les chefs de coopération ont échangé sur la dégradation de la situation sécuritaire et ses "
            "conséquences sur la mise en œuvre des programmes.",
        ],
        [("Partager la note de priorités de la Troïka avec l'ensemble des PTF", "Troïka", 10)],
    ),
    (
        "troika",
        D(2021, 10, 14),
        ["1.5", "7.1"],
        ["Examen du projet de PTA", "Préparation de la rencontre trimestrielle avec les clusters"],
        ["Le projet de PTA a été examiné ; des amendements ont été proposés sur l'axe 3."],
        [
            ("Intégrer les amendements au projet de PTA", "Secrétariat technique", 14),
            (
                "Préparer les termes de référence de la rencontre avec les clusters humanitaires",
                "Troïka technique",
                7,
            ),
        ],
    ),
    (
        "clusters",
        D(2021, 10, 21),
        ["1.7"],
        ["Articulation entre développement et humanitaire", "Point des clusters"],
        [
            "Les coordonnateurs des clusters ont présenté les besoins humanitaires liés aux "
            "déplacements internes de population.",
            "Les participants ont convenu de renforcer les échanges entre groupes sectoriels et clusters.",
        ],
        [
            (
                "Établir une matrice de correspondance entre CSD et clusters humanitaires",
                "Secrétariat technique",
                45,
            )
        ],
    ),
    (
        "admin",
        D(2021, 10, 26),
        ["4.4", "5.1"],
        ["Calendrier des revues sectorielles", "Dispositif de suivi du PNDES II"],
        ["Le SP/PNDES a présenté le calendrier des revues sectorielles et de la revue annuelle."],
        [
            (
                "Communiquer aux chefs de file le calendrier des revues sectorielles",
                "Secrétariat technique",
                7,
            )
        ],
    ),
    (
        "chefs",
        D(2021, 10, 27),
        ["1.6", "1.1"],
        [
            "Validation des chefs de file sectoriels",
            "Prévisions de décaissements d'aide budgétaire",
        ],
        ["La liste des chefs de file sectoriels et de leurs suppléants a été validée."],
        [
            (
                "Transmettre les prévisions de décaissements d'aide budgétaire au ST",
                "Chefs de file sectoriel",
                30,
            )
        ],
    ),
    (
        "troika",
        D(2021, 11, 11),
        ["1.5", "4.2"],
        ["Préparation de la rencontre Troïka – MINEFID", "Point sur les PTF non-membres"],
        ["Les messages clés de la rencontre avec le MINEFID ont été arrêtés."],
        [
            (
                "Finaliser la note de messages clés pour la rencontre avec le MINEFID",
                "Troïka technique",
                6,
            )
        ],
    ),
    (
        "prep",
        D(2021, 11, 16),
        ["4.5", "4.2"],
        ["Ordre du jour de la rencontre Troïka – MINEFID", "Répartition des interventions"],
        [
            "La réunion a arrêté l'ordre du jour proposé au MINEFID et la répartition des interventions."
        ],
        [("Envoyer au MINEFID la proposition d'ordre du jour", "Secrétariat technique", 3)],
    ),
    (
        "cfs",
        D(2021, 11, 18),
        ["1.2"],
        ["Présentation des groupes thématiques", "Rôle des chefs de file"],
        ["Les chefs de file sectoriels ont présenté les groupes thématiques de leurs CSD."],
        [("Compléter l'annuaire des groupes thématiques", "Chefs de file sectoriel", 30)],
    ),
    (
        "minefid",
        D(2021, 11, 25),
        ["4.2", "6.1"],
        ["Exécution des appuis budgétaires 2021", "Perspectives 2022", "Préparation du CGAB"],
        [
            "Le MINEFID a présenté l'état d'exécution des appuis budgétaires 2021.",
            "Les PTF ont souligné la nécessité d'une meilleure prévisibilité des décaissements.",
        ],
        [
            (
                "Actualiser le tableau prévisionnel des décaissements d'aide budgétaire 2022-2024",
                "Secrétariat technique",
                21,
            ),
            ("Transmettre les rapports convenus dans le cadre du CGAB", "DGCOOP", 30),
        ],
    ),
    (
        "chefs",
        D(2021, 11, 24),
        ["1.6", "3.1"],
        ["Ouverture de la Troïka aux PTF non-membres", "Situation humanitaire"],
        ["Les chefs de coopération ont approuvé la démarche d'ouverture aux PTF non-membres."],
        [("Dresser la liste des PTF non-membres à associer", "Secrétariat technique", 20)],
    ),
    (
        "troika",
        D(2021, 12, 9),
        ["1.5", "4.1"],
        ["Préparation de la rencontre PTF – Premier ministre", "Rapport du premier trimestre"],
        [
            "Compte tenu de la formation d'un nouveau Gouvernement, la rencontre avec le Premier "
            "ministre est reportée."
        ],
        [
            ("Solliciter une nouvelle date pour la rencontre PTF – Premier ministre", "Troïka", 30),
            ("Valider le rapport d'activités du premier trimestre", "Troïka technique", 14),
        ],
    ),
    (
        "prep",
        D(2021, 12, 14),
        ["4.5", "4.1"],
        ["Messages des PTF au nouveau Gouvernement"],
        [
            "Les messages clés des PTF ont été arrêtés en vue de la future rencontre avec le Premier ministre."
        ],
        [("Mettre à jour l'aide-mémoire des messages clés des PTF", "Secrétariat technique", 30)],
    ),
    (
        "cfs",
        D(2021, 12, 16),
        ["1.2", "1.3"],
        ["Renouvellement des chefs de file des groupes thématiques", "Calendrier 2022"],
        [
            "Les candidatures aux fonctions de chefs de file des groupes thématiques ont été examinées."
        ],
        [
            (
                "Finaliser la désignation des chefs de file des groupes thématiques",
                "Chefs de file sectoriel",
                45,
            )
        ],
    ),
    (
        "troika",
        D(2022, 1, 13),
        ["1.5", "3.2"],
        ["Présentation de la Troïka aux PTF non-membres", "Bilan du premier trimestre"],
        ["La Troïka a arrêté les modalités de la séance de présentation aux PTF non-membres."],
        [
            (
                "Organiser la séance de présentation de la Troïka aux PTF non-membres",
                "Secrétariat technique",
                21,
            )
        ],
    ),
    (
        "clusters",
        D(2022, 1, 20),
        ["1.7"],
        ["Plan de réponse humanitaire 2022", "Liens avec les CSD"],
        ["Le plan de réponse humanitaire 2022 a été présenté par les coordonnateurs des clusters."],
        [
            (
                "Diffuser le plan de réponse humanitaire 2022 aux chefs de file sectoriels",
                "coordonnateurs des clusters",
                14,
            )
        ],
    ),
    (
        "admin",
        D(2022, 1, 18),
        ["4.4", "5.1"],
        ["Rapport de performance 2021 du PNDES II", "Préparation de la session du CTN"],
        ["Le SP/PNDES a présenté l'état d'élaboration du rapport de performance 2021."],
        [
            (
                "Faire parvenir les observations des PTF sur le rapport de performance",
                "Troïka technique",
                21,
            )
        ],
    ),
    (
        "chefs",
        D(2022, 1, 26),
        ["1.6"],
        ["Situation nationale", "Continuité de la coopération"],
        [
            "Les chefs de coopération ont échangé sur la situation nationale et la continuité des "
            "programmes de coopération."
        ],
        [("Tenir une réunion extraordinaire de la Troïka en cas de besoin", "Troïka", 15)],
    ),
    (
        "troika",
        D(2022, 2, 10),
        ["1.5", "2.2"],
        ["Préparation de la session du CTN", "Cartographie des interventions des PTF"],
        ["Les grandes lignes du discours des PTF à la session du CTN ont été arrêtées."],
        [
            (
                "Rédiger le projet de discours des PTF pour la session du CTN",
                "Secrétariat technique",
                14,
            ),
            (
                "Finaliser les termes de référence de la cartographie des interventions",
                "Secrétariat technique",
                21,
            ),
        ],
    ),
    (
        "chefs",
        D(2022, 2, 23),
        ["1.6", "3.3"],
        [
            "Participation des nouveaux PTF",
            "Calendrier du dialogue avec les autorités de la transition",
        ],
        ["Deux PTF non-membres ont été invités à participer aux travaux de la Troïka."],
        [("Transmettre aux nouveaux PTF le calendrier des réunions", "Secrétariat technique", 7)],
    ),
    (
        "troika",
        D(2022, 3, 10),
        ["1.5", "4.2"],
        ["Préparation de la rencontre Troïka – MINEFID", "Rapport du deuxième trimestre"],
        ["La rencontre Troïka – MINEFID de février, reportée, est fixée au 24 mars 2022."],
        [
            (
                "Préparer la note de messages clés pour la rencontre du 24 mars",
                "Troïka technique",
                10,
            )
        ],
    ),
    (
        "prep",
        D(2022, 3, 17),
        ["4.5", "4.2"],
        ["Ordre du jour de la rencontre Troïka – MINEFID"],
        ["L'ordre du jour de la rencontre avec le MINEFID a été arrêté."],
        [("Confirmer la participation des chefs de file sectoriels", "Secrétariat technique", 5)],
    ),
    (
        "minefid",
        D(2022, 3, 24),
        ["4.2", "5.2"],
        ["Loi de finances 2022", "Transmission des documents du CGAB", "Appuis budgétaires 2022"],
        [
            "Le MINEFID a présenté les orientations budgétaires de la transition.",
            "Les PTF ont rappelé les documents attendus au titre du CGAB.",
        ],
        [
            ("Transmettre le calendrier de production des documents du CGAB", "DGCOOP", 30),
            (
                "Organiser une séance technique sur les prévisions de décaissements",
                "Troïka technique",
                45,
            ),
        ],
    ),
    (
        "chefs",
        D(2022, 3, 30),
        ["1.6", "2.1"],
        ["Préoccupations communes des PTF", "Préparation des CSD"],
        ["Les préoccupations communes à soumettre au Gouvernement ont été validées."],
        [("Consolider la note des préoccupations communes des PTF", "Secrétariat technique", 14)],
    ),
    (
        "troika",
        D(2022, 4, 14),
        ["1.5", "2.4"],
        ["Préparation de la session du CNP", "Revue annuelle du PNDES"],
        [
            "La session du CNP n'ayant pas encore été convoquée, la Troïka a décidé de préparer le "
            "discours des PTF sur la base du rapport de performance."
        ],
        [
            (
                "Rédiger le projet de discours des PTF pour la session du CNP",
                "Secrétariat technique",
                30,
            )
        ],
    ),
    (
        "clusters",
        D(2022, 4, 21),
        ["1.7", "2.3"],
        ["Participation des chefs de file aux CSD", "Situation humanitaire"],
        ["Les chefs de file ont rendu compte de leur participation aux CSD du premier semestre."],
        [
            (
                "Partager la synthèse des CSD avec les coordonnateurs des clusters",
                "Secrétariat technique",
                14,
            )
        ],
    ),
    (
        "admin",
        D(2022, 4, 26),
        ["4.4", "5.1", "6.1"],
        ["Prévisions de décaissements 2022-2024", "Suivi-évaluation des politiques publiques"],
        ["Le tableau prévisionnel des décaissements a été présenté à la DGCOOP et à la DGB."],
        [
            (
                "Transmettre le tableau prévisionnel des décaissements au MINEFID",
                "Secrétariat technique",
                21,
            )
        ],
    ),
    (
        "troika",
        D(2022, 5, 12),
        ["1.5", "2.5"],
        ["Aide-mémoire des PTF sur la revue annuelle", "Validation du PTA"],
        ["La Troïka a validé le PTA 2021-2022 et lancé la rédaction de l'aide-mémoire."],
        [
            ("Diffuser le PTA validé à l'ensemble des PTF", "Secrétariat technique", 7),
            (
                "Collecter les contributions des chefs de file à l'aide-mémoire",
                "Chefs de file sectoriel",
                21,
            ),
        ],
    ),
    (
        "prep",
        D(2022, 5, 17),
        ["4.5", "4.2"],
        ["Préparation de la rencontre Troïka – MINEFID de mai"],
        ["Les points à inscrire à l'ordre du jour ont été arrêtés."],
        [("Transmettre au MINEFID les points proposés", "Secrétariat technique", 3)],
    ),
    (
        "minefid",
        D(2022, 5, 26),
        ["4.2", "6.2"],
        ["Prévisions de décaissements 2022-2024", "Revue annuelle du PNDES II"],
        ["Les tableaux prévisionnels des décaissements ont été remis au MINEFID."],
        [("Intégrer les prévisions des PTF dans le cadre budgétaire à moyen terme", "DGCOOP", 45)],
    ),
    (
        "chefs",
        D(2022, 5, 25),
        ["1.6", "3.4"],
        ["Communication de la Troïka", "Aide-mémoire de la revue annuelle"],
        ["Les chefs de coopération ont validé le plan de communication de la Troïka."],
        [("Publier le Flash info spécial revue annuelle", "Secrétariat technique", 20)],
    ),
    (
        "troika",
        D(2022, 6, 9),
        ["1.5", "7.3", "4.1"],
        ["Préparation de la rencontre PTF – Premier ministre", "Bilan du mandat"],
        ["La Troïka a arrêté les messages à porter auprès du Premier ministre."],
        [
            (
                "Préparer le projet de bilan annuel des activités de la Troïka",
                "Secrétariat technique",
                21,
            )
        ],
    ),
    (
        "prep",
        D(2022, 6, 14),
        ["4.5", "4.1"],
        ["Messages des PTF au Premier ministre"],
        ["La note de messages clés des PTF a été finalisée."],
        [("Transmettre la note de messages clés au cabinet du Premier ministre", "Troïka", 3)],
    ),
    (
        "pm",
        D(2022, 6, 21),
        ["4.1"],
        ["Priorités du Gouvernement de transition", "Accompagnement des PTF"],
        [
            "Le Premier ministre a présenté les priorités du Gouvernement de transition.",
            "Les PTF ont réaffirmé leur engagement et plaidé pour un dialogue régulier.",
        ],
        [("Mettre en place un cadre de dialogue trimestriel avec la Primature", "Troïka", 60)],
    ),
    (
        "clusters",
        D(2022, 6, 23),
        ["1.7"],
        ["Bilan de l'articulation développement – humanitaire"],
        [
            "Les participants ont fait le bilan de la matrice de correspondance entre CSD et clusters."
        ],
        [
            (
                "Actualiser la matrice de correspondance CSD – clusters",
                "coordonnateurs des clusters",
                60,
            )
        ],
    ),
    (
        "chefs",
        D(2022, 6, 29),
        ["1.6", "2.5"],
        ["Aide-mémoire de la revue annuelle", "Passation avec la prochaine Troïka"],
        ["L'aide-mémoire des PTF sur la revue annuelle du PNDES a été adopté."],
        [
            (
                "Préparer le dossier de passation avec la prochaine Troïka",
                "Secrétariat technique",
                30,
            )
        ],
    ),
]

PLACES = {
    "hebdo": OUAGA_ST,
    "troika": "Délégation de l'Union européenne, Ouagadougou",
    "chefs": "Salle de conférence de la Maison des Nations unies, Ouagadougou",
    "clusters": "Bureau de la coordination humanitaire (OCHA), Ouagadougou",
    "cfs": OUAGA_ST,
    "admin": "Salle de réunion du SP/PNDES, Ouagadougou",
    "minefid": "Salle de conférence du MINEFID, Ouagadougou",
    "pm": "Primature, Ouagadougou",
    "prep": OUAGA_ST,
}
CHAIRS = {
    "hebdo": "Président de la Troïka",
    "troika": "Président de la Troïka",
    "chefs": "Président de la Troïka",
    "clusters": "Troïka technique",
    "cfs": "Troïka technique",
    "admin": "Troïka technique",
    "minefid": "Ministre de l'Économie, des Finances et du Développement et Président de la Troïka",
    "pm": "Premier ministre",
    "prep": "Troïka technique",
}
PARTICIPANTS = {
    "hebdo": ["Présidence de la Troïka", "Secrétariat technique"],
    "troika": [
        "Présidence de la Troïka",
        "Vice-présidences de la Troïka",
        "Troïka technique",
        "Secrétariat technique",
    ],
    "chefs": PTF,
    "clusters": [
        "Troïka technique",
        "Chefs de file sectoriels",
        "Coordonnateurs des clusters humanitaires",
        "OCHA",
        "Secrétariat technique",
    ],
    "cfs": [
        "Troïka technique",
        "Chefs de file sectoriels",
        "SP/PNDES",
        "DGESS des ministères",
        "Présidents des CSD",
        "DGCOOP",
        "Secrétariat technique",
    ],
    "admin": ["Troïka technique", "SP/PNDES", "DGCOOP", "DGEP", "DGB", "Secrétariat technique"],
    "minefid": ["MINEFID", "DGCOOP", "DGB", "Troïka", "Troïka technique", "Secrétariat technique"],
    "pm": [
        "Primature",
        "MINEFID",
        "Ministère des Affaires étrangères",
        "Troïka",
        "Chefs de file sectoriels",
        "Secrétariat technique",
    ],
    "prep": ["Troïka", "Troïka technique", "Secrétariat technique"],
}

WEEKLY_TOPICS = [
    (
        "Point d'exécution du PTA",
        "Le Secrétariat technique a présenté l'état d'avancement des "
        "activités programmées du mois.",
    ),
    (
        "Préparation de la réunion mensuelle de la Troïka",
        "L'ordre du jour et les documents de la prochaine réunion mensuelle ont été arrêtés.",
    ),
    (
        "Sollicitations de l'administration",
        "Les sollicitations reçues des structures de "
        "l'administration ont été passées en revue et leur traitement réparti.",
    ),
    ("Flash info et communication", "Le contenu du prochain numéro du Flash info a été arrêté."),
    (
        "Suivi des décisions",
        "Le tableau de suivi des décisions des réunions précédentes a été mis à jour.",
    ),
]
WEEKLY_DECISIONS = [
    "Préparer le prochain numéro du Flash info",
    "Mettre à jour le tableau de suivi des décisions",
    "Répondre à la sollicitation reçue de la DGCOOP",
    "Partager avec les PTF les études thématiques reçues",
    "Préparer les documents de la réunion mensuelle de la Troïka",
]


# Two partners that were not yet taking part join the heads of cooperation's meetings
# from 30 March 2022 (activity 3.3, Flash info n° 3).
NEWCOMERS, JOINED = ("Japon (JICA)", "Autriche"), D(2022, 3, 30)


def _participants(key: str, day: dt.date) -> list[str]:
    people = PARTICIPANTS[key]
    if key == "chefs" and day < JOINED:
        people = [p for p in people if p not in NEWCOMERS]
    return people


def _tuesdays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(1 - start.weekday()) % 7)
    days = []
    while day <= end:
        days.append(day)
        day += dt.timedelta(days=7)
    return days


def _status(rng: random.Random, deadline: dt.date, meeting: dt.date):
    """An illustrative decision status as of the end of the mandate (30 June 2022)."""
    end = D(2022, 6, 30)
    if deadline > end or (end - meeting).days < 15:
        return rng.choice(["à faire", "en cours"]), None, ""
    roll = rng.random()
    if roll < 0.72:
        done = deadline + dt.timedelta(days=rng.randint(-5, 12))
        return "réalisé", min(done, end), ""
    if roll < 0.80:
        return "abandonné", None, "Devenue sans objet"
    if roll < 0.92:
        return "en cours", None, "Relancé lors de la réunion suivante"
    return "à faire", None, ""


# Decisions whose follow-up the other sheets tell (a speech drafted before its session,
# an aide-mémoire's contributions collected before its adoption...): their status is
# set here so that the decisions table, the follow-up texts and the sessions agree. The
# random draw is still made for them, so that every other decision keeps its status.
DECISION_FACTS = {
    "Actualiser le tableau prévisionnel des décaissements d'aide budgétaire 2022-2024": (
        "réalisé",
        D(2021, 12, 16),
        "",
    ),
    "Dresser la liste des PTF non-membres à associer": ("réalisé", D(2021, 12, 14), ""),
    "Rédiger le projet de discours des PTF pour la session du CTN": (
        "réalisé",
        D(2022, 2, 22),
        "",
    ),
    "Rédiger le projet de discours des PTF pour la session du CNP": (
        "réalisé",
        D(2022, 4, 26),
        "",
    ),
    "Collecter les contributions des chefs de file à l'aide-mémoire": (
        "réalisé",
        D(2022, 6, 2),
        "",
    ),
    "Préparer le projet de bilan annuel des activités de la Troïka": ("en cours", None, ""),
}


def _changes(number: str, meeting: dt.date, status: str, done, comment: str) -> list[dict]:
    """The dated status changes of one decision (sheet Historique des statuts): work
    started a week after the meeting when carrying it out took more than a fortnight,
    then its final status, dated by its completion (else by its meeting)."""
    changes = []
    if status == "réalisé" and done is not None and (done - meeting).days > 14:
        started = meeting + dt.timedelta(days=7)
        changes.append({"number": number, "date": started, "status": "en cours", "comment": ""})
    if status != "à faire" or comment:
        changes.append(
            {"number": number, "date": done or meeting, "status": status, "comment": comment}
        )
    return changes


def meeting_rows() -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(2022)
    items = []
    for number, day in enumerate(_tuesdays(D(2021, 9, 1), D(2022, 6, 30))):
        if day in WEEKLY_SKIPPED:
            continue
        first, second = WEEKLY_TOPICS[number % 5], WEEKLY_TOPICS[(number + 2) % 5]
        decisions = []
        if number % 3 != 2:
            decisions = [(WEEKLY_DECISIONS[number % 5], "Secrétariat technique", 7)]
        items.append(
            (
                "hebdo",
                day,
                ["1.4"],
                [first[0], second[0], "Divers"],
                [first[1], second[1]],
                decisions,
            )
        )
    items += MEETINGS
    items.sort(key=lambda item: item[1])
    types = {key: name for key, name, *_ in TYPES}
    meetings, decisions, changes = [], [], []
    for index, (key, day, codes, agenda, summary, meeting_decisions) in enumerate(items, start=1):
        meeting_id = f"CR-{day.year}-{index:03d}"
        meetings.append(
            {
                "id": meeting_id,
                "date": day,
                "type": types[key],
                "place": PLACES[key],
                "chair": CHAIRS[key],
                "participants": " ; ".join(_participants(key, day)),
                "agenda": "\n".join(agenda),
                "summary": "\n".join(summary),
                "activities": codes,
            }
        )
        for rank, (text, responsible, days) in enumerate(meeting_decisions, start=1):
            deadline = day + dt.timedelta(days=days)
            status, done, comment = _status(rng, deadline, day)
            status, done, comment = DECISION_FACTS.get(text, (status, done, comment))
            number = f"{meeting_id}-{rank}"
            decisions.append(
                {
                    "meeting": meeting_id,
                    "number": number,
                    "text": text,
                    "responsible": responsible,
                    "deadline": deadline,
                }
            )
            changes += _changes(number, day, status, done, comment)
    return meetings, decisions, changes


# Follow-up: default results of each activity when carried out, and the exceptions
# (code, quarter) -> (status, results, difficulties, comment).
RESULTS = {
    "1.1": "Les chefs de file sectoriels et leurs suppléants ont été désignés pour les CSD.",
    "1.2": "Rencontre tenue ; les groupes thématiques ont été présentés.",
    "1.3": "Les chefs de file des groupes thématiques ont été désignés.",
    "1.4": "",  # counted from the weekly meetings held, quarter by quarter
    "1.5": "Réunions mensuelles de la Troïka tenues.",
    "1.6": "Réunions mensuelles des chefs de coopération tenues.",
    "1.7": "Rencontre trimestrielle tenue avec les chefs de file et les clusters.",
    "2.1": "Note des préoccupations communes des PTF produite.",
    "2.2": "Discours des PTF prononcé à la session du CTN.",
    "2.3": "Participation des chefs de file aux CSD coordonnée.",
    "2.4": "Discours des PTF préparé pour la session du CNP.",
    "2.5": "Aide-mémoire des PTF produit et partagé.",
    "2.6": "Cartographie des interventions des PTF réalisée.",
    "2.7": "Études et travaux analytiques partagés avec les PTF.",
    "2.8": "Réponses coordonnées aux sollicitations de l'administration.",
    "3.1": "Liste des PTF non-membres établie avec le MINEFID.",
    "3.2": "Séance de présentation de la Troïka aux PTF non-membres tenue.",
    "3.3": "Deux nouveaux PTF participent aux travaux de la Troïka.",
    "3.4": "Travaux de la Troïka présentés dans le Flash info.",
    "4.1": "Rencontre PTF – Premier ministre tenue le 21 juin 2022.",
    "4.2": "Rencontre Troïka – MINEFID tenue.",
    "4.3": "Rencontres avec les ministres sectoriels organisées.",
    "4.4": "Rencontre avec les structures clés de l'administration tenue.",
    "4.5": "Réunion préparatoire tenue.",
    "5.1": "Participation aux travaux techniques de suivi du PNDES II.",
    "5.2": "Transmission des documents du CGAB suivie.",
    "6.1": "Tableau prévisionnel des décaissements 2022-2024 élaboré.",
    "6.2": "Tableaux prévisionnels transmis au MINEFID.",
    "7.1": "PTA élaboré et validé.",
    "7.2": "Rapport d'activités trimestriel produit.",
    "7.3": "Bilan annuel produit.",
    "7.4": "Site Web redynamisé.",
    "7.5": "",  # counted from the Flash info sheet, quarter by quarter
}
TRANSITION = "Changements institutionnels consécutifs à la transition politique de janvier 2022"
EXCEPTIONS = {
    ("1.2", 1): ("en cours", "Première rencontre tenue le 18 novembre 2021.", "", ""),
    ("1.3", 2): (
        "reportée",
        "Candidatures examinées le 16 décembre 2021.",
        TRANSITION,
        "Reportée au trimestre suivant",
    ),
    ("1.3", 3): (
        "réalisée",
        "Les chefs de file des groupes thématiques ont été désignés.",
        "",
        "Réalisée hors programmation, après report",
    ),
    ("1.5", 2): ("réalisée", "Trois réunions mensuelles sur trois tenues.", "", ""),
    ("1.6", 2): ("en cours", "Deux réunions mensuelles sur trois tenues.", "", ""),
    ("1.6", 3): (
        "en cours",
        "Deux réunions mensuelles sur trois tenues.",
        "Indisponibilité des chefs de coopération en avril",
        "",
    ),
    ("2.2", 2): (
        "reportée",
        "Projet de discours rédigé.",
        "Session du CTN reportée par le Gouvernement",
        "",
    ),
    ("2.4", 3): (
        "réalisée",
        "Discours des PTF prononcé à la session du CNP du 28 avril 2022.",
        "Convocation tardive de la session du CNP",
        "",
    ),
    ("2.5", 3): ("en cours", "Contributions des chefs de file en cours de collecte.", "", ""),
    ("3.1", 1): (
        "en cours",
        "Démarche d'ouverture aux PTF non-membres approuvée par les chefs de coopération.",
        "",
        "",
    ),
    ("3.1", 2): (
        "réalisée",
        "Liste des PTF non-membres établie avec le MINEFID le 14 décembre 2021.",
        "",
        "Achevée au trimestre suivant",
    ),
    ("6.2", 2): (
        "en cours",
        "Tableau prévisionnel actualisé le 16 décembre 2021 ; il sera présenté à la DGCOOP et "
        "à la DGB avant sa transmission au MINEFID.",
        "",
        "",
    ),
    ("6.2", 3): ("réalisée", "Tableaux prévisionnels remis au MINEFID le 26 mai 2022.", "", ""),
    ("6.1", 1): ("réalisée", "Prévisions 2022-2024 collectées auprès des PTF.", "", ""),
    ("2.6", 2): (
        "en cours",
        "Termes de référence élaborés ; recrutement du consultant en cours.",
        "Délais de recrutement du consultant",
        "",
    ),
    ("2.6", 3): ("en cours", "Rapport provisoire de cartographie remis.", "", ""),
    ("2.9", 2): ("annulée", "", "Absence de financement", "Annulée par la Troïka technique"),
    ("3.3", 2): ("en cours", "Deux PTF non-membres invités.", "", ""),
    ("3.3", 3): (
        "en cours",
        "Deux nouveaux PTF (Japon, Autriche) participent aux réunions mensuelles des chefs "
        "de coopération depuis le 30 mars 2022.",
        "",
        "",
    ),
    ("3.4", 3): ("en cours", "Plan de communication validé ; mise en œuvre en cours.", "", ""),
    ("4.1", 2): (
        "reportée",
        "",
        "Formation d'un nouveau Gouvernement",
        "Reprogrammée en fin de mandat",
    ),
    ("4.2", 2): ("reportée", "", TRANSITION, "Reprogrammée au trimestre suivant"),
    ("4.3", 2): ("non réalisée", "", TRANSITION, ""),
    ("4.3", 3): ("en cours", "Une rencontre organisée avec le ministre de la Santé.", "", ""),
    ("5.2", 3): (
        "en cours",
        "Calendrier de transmission demandé à la DGCOOP.",
        "Retards de transmission des rapports du CGAB",
        "",
    ),
    ("5.2", 4): ("en cours", "Deux rapports sur quatre reçus.", "", ""),
    ("7.1", 1): (
        "en cours",
        "Projet de PTA élaboré et examiné par la Troïka.",
        "Validation différée dans l'attente des contributions",
        "",
    ),
    ("7.1", 3): ("réalisée", "PTA 2021-2022 validé par la Troïka le 12 mai 2022.", "", ""),
    ("7.2", 4): ("en cours", "Rapport du quatrième trimestre en préparation.", "", ""),
    ("7.3", 4): ("en cours", "Projet de bilan annuel en cours de rédaction.", "", ""),
    ("7.4", 2): ("non réalisée", "", "Absence de prestataire", ""),
    ("7.4", 3): ("en cours", "Prestataire retenu ; maquette du site validée.", "", ""),
}


def _flash_results(start: dt.date, end: dt.date) -> tuple[str, str]:
    """What activity 7.5 achieved in a quarter, counted from the Flash info issues."""
    from sample_flash import ISSUES

    from pipeline.formats import period

    issued = [number for number, (day, _items) in ISSUES.items() if start <= day <= end]
    words = {1: "Un", 2: "Deux", 3: "Trois"}
    # The period is named: the annual review shows the latest row alone.
    if not issued:
        return "en cours", (
            f"Aucun numéro du Flash info diffusé {period(start, end)} ; le n° "
            f"{max(ISSUES) + 1} est en préparation."
        )
    plural = "s" if len(issued) > 1 else ""
    return "réalisée", (
        f"{words.get(len(issued), len(issued))} numéro{plural} du Flash info diffusé{plural} "
        f"{period(start, end)}."
    )


def follow_up_rows(
    activities: list[dict], quarters: list[tuple[str, dt.date, dt.date]]
) -> list[dict]:
    rows = []
    for number, (label, start, end) in enumerate(quarters, start=1):
        for activity in activities:
            code = activity["code"]
            scheduled = any(start <= m <= end for m in activity["months"])
            exception = EXCEPTIONS.get((code, number))
            if not scheduled and exception is None:
                continue
            status, results, difficulties, comment = exception or (
                "réalisée",
                RESULTS[code],
                "",
                "",
            )
            if not results and code == "7.5" and exception is None:
                status, results = _flash_results(start, end)
            if not results and code == "1.4" and exception is None:
                from pipeline.formats import period

                held = [d for d in _tuesdays(start, end) if d not in WEEKLY_SKIPPED]
                results = f"{len(held)} réunions hebdomadaires tenues {period(start, end)}."
            rows.append(
                {
                    "activity": code,
                    "period": label,
                    "status": status,
                    "results": results,
                    "difficulties": difficulties,
                    "comment": comment,
                }
            )
    return rows


TEXTS = [
    (
        "Difficultés",
        "Trimestre 1",
        "La mise en place de la nouvelle Troïka et la finalisation "
        "du PTA ont mobilisé le Secrétariat technique au détriment de certaines activités.",
    ),
    (
        "Perspectives",
        "Trimestre 1",
        "Le prochain trimestre sera consacré à la validation du PTA, "
        "à la finalisation du renouvellement des chefs de file et à la préparation de la rencontre "
        "avec le Premier ministre.",
    ),
    (
        "Difficultés",
        "Trimestre 2",
        "La transition politique intervenue en janvier 2022 a conduit au "
        "report de plusieurs rencontres avec le Gouvernement et de la session du CTN.",
    ),
    (
        "Perspectives",
        "Trimestre 2",
        "La priorité sera de rétablir le dialogue avec les nouvelles "
        "autorités, notamment par la tenue de la rencontre Troïka – MINEFID reportée.",
    ),
    (
        "Difficultés",
        "Trimestre 3",
        "La convocation tardive de la session du CNP a réduit le temps "
        "de préparation du discours des PTF.",
    ),
    (
        "Perspectives",
        "Trimestre 3",
        "Le dernier mois du mandat sera consacré à la rencontre avec le "
        "Premier ministre, à l'aide-mémoire sur la revue annuelle et au bilan du mandat.",
    ),
    (
        "Perspectives",
        "Trimestre 4",
        "La passation avec la prochaine Troïka sera préparée sur la base du bilan annuel.",
    ),
    (
        "Difficultés",
        None,
        "Le mandat a été marqué par la persistance de la crise sécuritaire et "
        "humanitaire et par la transition politique de janvier 2022, qui ont conduit au report de "
        "plusieurs rencontres de haut niveau.",
    ),
    (
        "Difficultés",
        None,
        "Le Secrétariat technique a fonctionné avec des effectifs réduits, ce qui "
        "a retardé les activités d'études (cartographie, site Web).",
    ),
    (
        "Leçons apprises",
        None,
        "La régularité des réunions hebdomadaires entre le Président et le "
        "Secrétariat technique a permis de maintenir le suivi des décisions malgré le contexte.",
    ),
    (
        "Leçons apprises",
        None,
        "Les réunions préparatoires systématiques ont amélioré la qualité des "
        "échanges avec le MINEFID et la Primature.",
    ),
    (
        "Recommandations pour le prochain mandat",
        None,
        "faire valider le PTA dès le premier mois du mandat ;",
    ),
    (
        "Recommandations pour le prochain mandat",
        None,
        "prévoir le financement des études "
        "(cartographie, recrutement d'experts) dès l'élaboration du PTA ;",
    ),
    (
        "Recommandations pour le prochain mandat",
        None,
        "instaurer un cadre de dialogue trimestriel avec la Primature.",
    ),
    (
        "Conclusion",
        None,
        "Malgré un contexte difficile, la Troïka a maintenu la concertation entre "
        "PTF et le dialogue avec le Gouvernement ; la majorité des activités programmées a été réalisée.",
    ),
]


def fill_rapports(book, activities: list[dict]) -> None:
    """Write the illustrative follow-up sheets (the Périodes sheet keeps the default
    quarters that the blank workbook offers)."""
    from sample_plan import PARAMETERS

    from pipeline.model import Mandate, default_periods, month_end
    from pipeline.workbook.create import append_rows

    append_rows(
        book,
        "Instances",
        [
            {"name": name, "cadence": cadence, "activity": code, "planned": planned}
            for _key, name, cadence, code, planned in TYPES
        ],
    )
    from sample_recommendations import history_rows, register_rows

    meetings, decisions, changes = meeting_rows()
    append_rows(book, "Réunions", meetings)
    append_rows(book, "Décisions", decisions)
    append_rows(book, "Recommandations", register_rows())
    append_rows(book, "Historique des statuts", changes + history_rows())
    mandate = Mandate(PARAMETERS["mandate_start"], month_end(PARAMETERS["mandate_end"]))
    quarters = [(p.label, p.start, p.end) for p in default_periods(mandate)]
    append_rows(book, "Suivi des activités", follow_up_rows(activities, quarters))
    append_rows(
        book, "Textes des rapports", [{"heading": h, "period": p, "text": t} for h, p, t in TEXTS]
    )


ILLUSTRATIVE = [
    "Les feuilles Instances, Réunions, Décisions, Suivi des activités et Textes des rapports "
    "contiennent des données ILLUSTRATIVES : réunions, décisions, états d'avancement et textes "
    "ont été imaginés pour montrer les documents produits (rapports trimestriels, bilan annuel, "
    "comptes rendus). Les réunions suivent les périodicités annoncées par le PTA ; les institutions "
    "citées sont réelles, mais les dates, décisions et résultats ne décrivent pas le mandat réel. "
    "Remplacez-les par le suivi réel avant toute diffusion.",
]
