"""The 2021–2022 plan of the seed (../shared/seed/), as workbook rows.

Labels and responsible bodies are copied exactly from the seed. The seed lost most
month crosses: schedules below are illustrative, inferred from each activity's own
wording (weekly/monthly meetings every month, quarterly ones once a quarter), except
the two crosses that survived (1.2 in November–December 2021, the unnumbered
activity in April 2022).

``defects=True`` reproduces the seed's defects for the validation fixture: the second
1.3, the unnumbered activity without responsible bodies, "2020-2021" in the context
text, and no expected result for product 6.
"""

from __future__ import annotations

import datetime as dt


def m(*pairs: str) -> set[dt.date]:
    """Months from "2021-09"-style strings."""
    return {dt.date(int(p[:4]), int(p[5:]), 1) for p in pairs}


ALL = m(
    "2021-09",
    "2021-10",
    "2021-11",
    "2021-12",
    "2022-01",
    "2022-02",
    "2022-03",
    "2022-04",
    "2022-05",
    "2022-06",
)

PARAMETERS = {
    "group_name": "Troïka des partenaires techniques et financiers",
    "country": "Burkina Faso",
    "framework": "PNDES II",
    "framework_full": "Plan national de développement économique et social 2021–2025",
    "mandate_start": dt.date(2021, 9, 1),
    "mandate_end": dt.date(2022, 6, 30),
    "document_date": dt.date(2022, 5, 31),
    "place": "Ouagadougou",
    "forecast_date": dt.date(2022, 4, 29),
    "secretariat_email": "secretariat@troika-ptf.example",
    "max_mail_size": 10,
    "publish_meetings": "Oui",
}

BODIES = [
    (
        "Troïka",
        "Troïka des partenaires techniques et financiers : les trois PTF porte-parole "
        "de l'ensemble des PTF auprès du Gouvernement",
    ),
    ("Troïka technique", "Chefs de coopération des trois partenaires de la Troïka"),
    (
        "Troïka technique (élargi au groupe de réflexion)",
        "Troïka technique élargie au groupe de réflexion",
    ),
    ("Secrétariat technique", "Secrétariat technique de la Troïka (ST)"),
    ("Chefs de file sectoriel", "Partenaires chefs de file sectoriels et leurs suppléants"),
    (
        "SP PNDES et DGESS ministères",
        "Secrétariat permanent du PNDES (SP/PNDES) et directions "
        "générales des études et des statistiques sectorielles (DGESS) des ministères",
    ),
    ("président CSD", "Présidents des cadres sectoriels de dialogue (CSD)"),
    ("DGCOOP", "Direction générale de la coopération"),
    ("coordonnateurs des clusters", "Coordonnateurs des clusters humanitaires"),
]

AXES = [
    (1, "Renforcer la concertation entre les partenaires techniques et financiers"),
    (2, "Elargir la troïka à tous les PTF du Burkina Faso"),
    (3, "Renforcer l'efficacité de l'aide publique au développement"),
    (4, "Veiller au bon fonctionnement du secrétariat technique de la troïka"),
]

PRODUCTS = [
    (
        1,
        "La coordination et le dialogue entre PTF sont renforcés",
        1,
        "la coordination et le dialogue entre PTF du développement et humanitaires sont renforcés ;",
    ),
    (
        2,
        "L'harmonisation entre les PTF est renforcée",
        1,
        "l'harmonisation entre les PTF est renforcée ;",
    ),
    (
        3,
        "D'autres PTF non-membres de la Troïka participent à ses travaux",
        2,
        "d'autres PTF non membres de la Troïka participent à ses travaux ;",
    ),
    (
        4,
        "Le dialogue entre les PTF et le Gouvernement et autres acteurs de développement est renforcé",
        3,
        "le dialogue entre les PTF et le Gouvernement est renforcé ;",
    ),
    (
        5,
        "L'alignement des PTF sur les outils et cadres nationaux de planification est renforcé",
        3,
        "l'alignement des PTF sur les outils et cadres nationaux de planification est renforcé ;",
    ),
    (
        6,
        "L'Aide publique au développement est mieux prévisible",
        3,
        "l'aide publique au développement est mieux prévisible ;",
    ),
    (
        7,
        "Le Secrétariat technique de la Troïka fonctionne de façon optimale",
        4,
        "le Secrétariat technique de la Troïka fonctionne de façon optimale.",
    ),
]

T, TT, ST = "Troïka", "Troïka technique", "Secrétariat technique"
QUARTERLY = m("2021-10", "2022-01", "2022-04", "2022-06")

# (seed code, label, product, bodies, months); seed code None = the unnumbered activity.
ACTIVITIES = [
    (
        "1.1",
        "Finaliser le processus de renouvellement des chefs de file sectoriels et de leurs suppléants",
        1,
        [T, ST],
        m("2021-09", "2021-10"),
    ),
    (
        "1.2",
        "Rencontre entre les chefs de files sectoriels pour la présentation des groupes thématiques",
        1,
        [
            "Troïka technique (élargi au groupe de réflexion)",
            "Chefs de file sectoriel",
            ST,
            "SP PNDES et DGESS ministères",
            "président CSD",
            "DGCOOP",
        ],
        m("2021-11", "2021-12"),
    ),
    (
        "1.3",
        "Finaliser le processus de renouvellement des chefs de file des groupes thématiques des CSD",
        1,
        [T, ST],
        m("2021-12", "2022-01"),
    ),
    (
        "1.3",
        "Organiser des réunions hebdomadaires entre le Président de la Troïka et le Secrétariat technique",
        1,
        [T, ST],
        ALL,
    ),
    (
        "1.4",
        "Organiser des rencontres d'échanges mensuels entre le Président de la Troïka, les "
        "vice-présidents, la Troïka technique et Secrétariat technique",
        1,
        [T, TT, ST],
        ALL,
    ),
    (
        "1.5",
        "Organiser des rencontres mensuelles des ambassadeurs, des chefs de missions, chefs "
        "d'agences, et chefs de coopération des PTF",
        1,
        [T, TT, ST],
        ALL,
    ),
    (
        "1.6",
        "Organiser des rencontres d'échanges trimestriels entre la Troïka technique, les chefs "
        "de file sectoriels et les coordonnateurs des clusters humanitaires",
        1,
        [TT, ST, "coordonnateurs des clusters"],
        QUARTERLY,
    ),
    (
        "2.1",
        "Identifier des préoccupations communes des PTF à soumettre à discussion avec le Gouvernement",
        2,
        [TT, ST],
        m("2021-10", "2022-03"),
    ),
    (
        "2.2",
        "Préparer la participation de la troïka technique à aux sessions du Comité technique "
        "national du PNDES II (Rédiger le discours des PTF)",
        2,
        [TT, ST],
        m("2022-02", "2022-03"),
    ),
    (
        None,
        "Coordonner la participation des PTF Chefs de file sectoriel aux cadres sectoriels de "
        "dialogue sur la mise en œuvre du PNDES",
        2,
        [TT, "Chefs de file sectoriel", ST],
        m("2022-04"),
    ),
    (
        "2.3",
        "Préparer la participation de la troïka aux sessions du Comité national de pilotage du "
        "PNDES II (Rédiger le discours des PTF, partager le discours au PTF)",
        2,
        [T, TT, ST],
        m("2022-04", "2022-05"),
    ),
    (
        "2.4",
        "Produire l'Aide-mémoire des Partenaires sur la revue annuelle du PNDES",
        2,
        [T, TT, ST],
        m("2022-05", "2022-06"),
    ),
    (
        "2.5",
        "Réaliser une cartographie des interventions des PTF (réaliser une étude réalisée avec "
        "l'appui d'un consultant)",
        2,
        [ST],
        m("2022-01", "2022-02", "2022-03", "2022-04"),
    ),
    (
        "2.6",
        "Partager les informations et de travaux analytiques, études thématiques de chaque PTF",
        2,
        [ST],
        ALL,
    ),
    (
        "2.7",
        "Coordonner la réponse des PTF aux diverses sollicitations des structures de l'administration",
        2,
        [ST],
        ALL,
    ),
    (
        "2.8",
        "Recruter des experts pour préparer des consultations autour des thèmes spécifiques retenus",
        2,
        [TT, ST],
        m("2022-01", "2022-02"),
    ),
    (
        "3.1",
        "Identifier avec l'appui du MINEFID, d'autres PTF non-membres de la Troïka",
        3,
        [TT, ST],
        m("2021-10", "2021-11"),
    ),
    ("3.2", "Présenter la Troïka aux PTF non-membres", 3, [T, ST], m("2021-12", "2022-01")),
    (
        "3.3",
        "Susciter la participation de nouveaux PTF aux travaux de la Troïka",
        3,
        [T, ST],
        m("2022-02", "2022-03", "2022-04", "2022-05", "2022-06"),
    ),
    (
        "3.4",
        "Renforcer la communication autour des travaux de la Troïka",
        3,
        [TT, ST],
        m("2021-11", "2022-02", "2022-05"),
    ),
    ("4.1", "Organiser des rencontres PTF - PM", 4, [T, TT, ST], m("2021-12", "2022-06")),
    (
        "4.2",
        "Organiser des rencontres Troïka - MINEFID",
        4,
        [T, TT, ST],
        m("2021-11", "2022-02", "2022-05"),
    ),
    (
        "4.3",
        "Accompagner les chefs de file sectoriel dans l'organisation de rencontres avec les "
        "ministres sectoriels",
        4,
        [T, TT, ST],
        m("2022-01", "2022-02", "2022-03"),
    ),
    (
        "4.4",
        "Organiser des rencontres périodiques entre la Troïka technique et des structures clés "
        "de l'administration (SP/PNDES, DGCOOP, DGEP, DGB, etc.)",
        4,
        [TT, ST],
        m("2021-10", "2022-01", "2022-04"),
    ),
    (
        "4.5",
        "Organiser des rencontres préparatoires aux rencontres Troïka - MINEFID et PTF - PM",
        4,
        [T, TT, ST],
        m("2021-11", "2021-12", "2022-02", "2022-05", "2022-06"),
    ),
    (
        "5.1",
        "Participer aux travaux techniques sur la mise en œuvre et le suivi-évaluation des "
        "politiques publiques",
        5,
        [TT, ST],
        m("2021-10", "2022-01", "2022-04"),
    ),
    (
        "5.2",
        "Suivre la transmission régulière par le MINEFID des documents et rapports convenus avec "
        "les partenaires ABG dans le cadre du CGAB (cadre général des appuis budgétaires)",
        5,
        [ST],
        m("2021-12", "2022-03", "2022-06"),
    ),
    (
        "6.1",
        "Elaborer et actualiser un tableau prévisionnel des décaissements d'aide budgétaire des "
        "années n à n+2",
        6,
        [ST],
        m("2021-10", "2021-11", "2022-04"),
    ),
    (
        "6.2",
        "Transmettre au MINEFID les tableaux prévisionnels des décaissements d'aide budgétaire "
        "des années n à n+2",
        6,
        [ST],
        m("2021-12", "2022-05"),
    ),
    (
        "7.1",
        "Elaborer et faire valider le Plan de travail annuel de la Troïka",
        7,
        [T, TT, ST],
        m("2021-09", "2021-10"),
    ),
    (
        "7.2",
        "Produire les rapports d'activités trimestriels du Secrétariat technique de la Troïka",
        7,
        [ST],
        m("2021-12", "2022-03", "2022-06"),
    ),
    ("7.3", "Produire le bilan annuel des activités de la Troïka", 7, [ST], m("2022-06")),
    (
        "7.4",
        "Redynamiser le site Web de la Troïka",
        7,
        [TT, ST],
        m("2022-01", "2022-02", "2022-03"),
    ),
    (
        "7.5",
        "Diffuser à l'ensemble des PTF les activités au sein des CSD et des partenaires à "
        "travers le Flash info",
        7,
        [ST],
        ALL,
    ),
]

TEXTS = [
    (
        "Introduction",
        "La mise en place de la Troïka des partenaires techniques et financiers résulte de la volonté "
        "du Gouvernement burkinabè de rationaliser et de rendre plus efficace le suivi de ses stratégies "
        "de développement et la coopération avec ses partenaires techniques et financiers (PTF). Il "
        "s'agit pour l'ensemble des PTF présents au Burkina Faso, de se concerter pour désigner chaque "
        "année en leur sein, trois (3) d'entre eux en qualité de porte-parole auprès du Gouvernement "
        "dans le cadre du suivi de la mise en œuvre du référentiel national de développement et de "
        "discuter de toute autres questions stratégiques dans le cadre de la coopération au développement.",
    ),
    (
        "Objectif global",
        "L'objectif global de la Troïka est de représenter les partenaires techniques et financiers et "
        "de coordonner leurs actions afin de contribuer à la bonne mise en œuvre du référentiel national "
        "de développement qu'est le PNDES II, en lien avec les engagements de la déclaration de Paris, "
        "du programme d'action d'Accra et du cadre partenarial de Busan. Elle poursuit les objectifs "
        "spécifiques suivants :",
    ),
    (
        "Objectifs spécifiques",
        "renforcer l'alignement des partenaires techniques et financiers sur "
        "les priorités nationales ainsi que sur les processus et systèmes nationaux ;",
    ),
    (
        "Objectifs spécifiques",
        "améliorer la concertation entre partenaires d'une part, et entre "
        "partenaires et Gouvernement d'autre part ;",
    ),
    (
        "Objectifs spécifiques",
        "renforcer l'harmonisation entre partenaires pour réduire notamment "
        "les coûts de transaction ;",
    ),
    ("Objectifs spécifiques", "mettre en œuvre le principe de la division du travail ;"),
    (
        "Objectifs spécifiques",
        "soutenir l'appropriation nationale dans la définition, la mise en "
        "œuvre et le suivi évaluation de la stratégie nationale de développement ;",
    ),
    ("Objectifs spécifiques", "renforcer la coordination avec les partenaires non traditionnels."),
    (
        "Cadre d'élaboration du PTA",
        "Conformément aux dispositions des termes de référence de la Troïka, il est établi chaque année "
        "un Plan de Travail en liaison étroite avec l'agenda du Gouvernement. C'est dans cet esprit "
        "qu'est élaboré le présent Plan de Travail Annuel pour la période 2021-2022.",
    ),
    (
        "Contexte",
        "Le Plan de Travail Annuel de la Troïka {years} intervient dans un contexte marqué par la "
        "persistance des attaques des groupes armés, la persistance de la maladie du Coronavirus. Il "
        "s'appuie sur les axes suivants :",
    ),
    (
        "Orientation du PTA",
        "Le PTA 2021-2022 vise à renforcer la concertation entre les PTF d'une part et la qualité du "
        "dialogue entre les PTF et le Gouvernement d'autre part notamment dans le cadre du suivi de la "
        "mise en œuvre de la stratégie nationale de développement.",
    ),
    (
        "Introduction des résultats attendus",
        "Les résultats suivants sont attendus à la fin du mandat 2021-2022 de la Troïka :",
    ),
]


def fill_plan(book, defects: bool = False) -> None:
    """Write the seed's plan into a blank workbook; ``defects`` keeps the seed's errors."""
    from pipeline.workbook.create import append_rows, set_parameters

    set_parameters(book, PARAMETERS)
    append_rows(
        book,
        "Textes",
        [
            {"heading": h, "text": t.format(years="2020-2021" if defects else "2021-2022")}
            for h, t in TEXTS
        ],
    )
    append_rows(book, "Responsables", [{"name": n, "full_name": f} for n, f in BODIES])
    append_rows(book, "Axes", [{"number": n, "title": t} for n, t in AXES])
    append_rows(
        book,
        "Produits",
        [
            {"number": n, "title": t, "axis": a, "result": None if defects and n == 6 else r}
            for n, t, a, r in PRODUCTS
        ],
    )
    append_rows(book, "Activités", activity_rows(defects))


def activity_rows(defects: bool = False) -> list[dict]:
    """Activity rows; without defects, the second 1.3 and the unnumbered activity get
    codes and the activities after them are renumbered within their product."""
    rows, rank = [], {}
    for code, title, product, bodies, months in ACTIVITIES:
        rank[product] = rank.get(product, 0) + 1
        if defects:
            if code is None:
                bodies = []
        else:
            code = f"{product}.{rank[product]}"
        rows.append(
            {"code": code, "title": title, "product": product, "bodies": bodies, "months": months}
        )
    return rows
