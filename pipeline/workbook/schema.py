"""The workbook's schema: sheets, columns, parameters and drop-down lists.

This module is the single description of the workbook. The blank-workbook maker
(:mod:`pipeline.workbook.create`), the reader and the README all follow it. An optional column
or parameter may be added without changing ``SCHEMA_VERSION`` (older workbooks read it
as empty). Bump ``SCHEMA_VERSION`` whenever a sheet or a column is renamed or removed,
or a required one is added, and add the upgrade step to ``pipeline.workbook.migrate.UPGRADES``.

Version 2 added the sheets ``Décaissements`` and ``Taux de change``, the optional
« Identifiant IATI » column of ``Partenaires`` and the optional source columns of
``Prévisions`` (rows proposed by ``troika importer-iati``).

Version 3 added the register of recommendations and commitments (``Recommandations``)
and the dated status changes of its items and of the meeting decisions (``Historique
des statuts``); ``Décisions`` gained a number and lost its single status, date of
completion and comment, which became one dated change each.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 3

# Value kinds understood by the reader/validator.
TEXT, INT, DATE, MONTH, CODE, EMAIL, NUMBER = (
    "text",
    "int",
    "date",
    "month",
    "code",
    "email",
    "number",
)


@dataclass(frozen=True)
class Column:
    key: str  # attribute name in code
    header: str  # French header, row 1 of the sheet
    kind: str = TEXT
    required: bool = True
    choices: str | None = None  # name of a drop-down list (see LISTS / REFERENCES)
    width: int = 18
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str = ""
    # A column repeated as "<prefix> 1", "<prefix> 2"... (e.g. several responsible bodies).
    repeated: Column | None = None
    repeated_count: int = 0
    # One column per month of the mandate after the fixed ones (activity schedule).
    months: bool = False

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    kind: str = TEXT
    required: bool = True
    help: str = ""


INSTRUCTIONS = "Instructions"
PARAMETERS_SHEET = "Paramètres"
LISTS_SHEET = "Listes"

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "group_name", "Nom du groupe", help="Ex. : Troïka des partenaires techniques et financiers"
    ),
    Parameter("country", "Pays", help="Ex. : Burkina Faso"),
    Parameter("framework", "Référentiel national (sigle)", help="Ex. : PNDES II"),
    Parameter(
        "framework_full",
        "Référentiel national (nom complet)",
        help="Ex. : Plan national de développement économique et social 2021–2025",
    ),
    Parameter(
        "mandate_start", "Début du mandat", MONTH, help="Premier mois du mandat, ex. : 01/09/2021"
    ),
    Parameter(
        "mandate_end", "Fin du mandat", MONTH, help="Dernier mois du mandat, ex. : 30/06/2022"
    ),
    Parameter(
        "document_date",
        "Date du document",
        DATE,
        help="Date portée sur le PTA (le mois et l'année sont affichés), ex. : 31/05/2022",
    ),
    Parameter("place", "Lieu", help="Ville où les documents sont établis, ex. : Ouagadougou"),
    Parameter(
        "schema_version",
        "Version du modèle de classeur",
        INT,
        help="Ne pas modifier : sert à vérifier que le classeur correspond à l'outil",
    ),
    # Optional, added after version 1: an older workbook without this row still reads.
    Parameter(
        "forecast_date",
        "Date de situation des prévisions",
        DATE,
        required=False,
        help="Date à laquelle les montants de la feuille Prévisions sont arrêtés, ex. : "
        "29/04/2022 ; vide = date de production",
    ),
    # Optional (required=False): a workbook without these lines stays valid.
    Parameter(
        "secretariat_email",
        "Courriel du secrétariat",
        EMAIL,
        required=False,
        help="Adresse du secrétariat, destinataire « À » des courriels envoyés en copie "
        "cachée, ex. : secretariat@troika-ptf.org",
    ),
    Parameter(
        "max_mail_size",
        "Taille maximale d'un courriel (Mo)",
        NUMBER,
        required=False,
        help="Au-delà, l'envoi est découpé en plusieurs courriels. Vide : 10 Mo",
    ),
    # Optional: an older workbook without this row publishes no list of meetings.
    Parameter(
        "publish_meetings",
        "Publier la liste des réunions sur le site",
        required=False,
        help="Oui : le site web a une page « Réunions » (date, instance et lieu de chaque "
        "réunion) ; vide ou Non : il n'en a pas",
    ),
)
# Default of the "Taille maximale d'un courriel" parameter, in megabytes (10^6 bytes).
DEFAULT_MAX_MAIL_SIZE = 10

# Headings of the narrative texts (sheet "Textes"): key -> label shown in the workbook.
# Several rows with the same heading make several paragraphs (or list items).
TEXT_HEADINGS: dict[str, str] = {
    "introduction": "Introduction",
    "objectif_global": "Objectif global",
    "objectifs_specifiques": "Objectifs spécifiques",
    "cadre": "Cadre d'élaboration du PTA",
    "contexte": "Contexte",
    "orientation": "Orientation du PTA",
    "resultats_intro": "Introduction des résultats attendus",
}
# Headings every plan needs; a missing one is a warning.
REQUIRED_HEADINGS = (
    "introduction",
    "objectif_global",
    "objectifs_specifiques",
    "contexte",
    "resultats_intro",
)

SHEETS: dict[str, Sheet] = {}


def _register(sheet: Sheet) -> Sheet:
    SHEETS[sheet.name] = sheet
    return sheet


TEXTS = _register(
    Sheet(
        "Textes",
        (
            Column(
                "heading",
                "Rubrique",
                choices="headings",
                width=34,
                help="Choisissez la rubrique dans la liste",
            ),
            Column(
                "text", "Texte", width=110, help="Un paragraphe (ou un élément de liste) par ligne"
            ),
        ),
        help="Textes rédigés du PTA : une ligne par paragraphe, dans l'ordre de lecture.",
    )
)

AXES = _register(
    Sheet(
        "Axes",
        (
            Column("number", "N°", INT, width=6),
            Column("title", "Intitulé de l'axe", width=80),
        ),
        help="Les axes stratégiques du plan, numérotés 1, 2, 3…",
    )
)

PRODUCTS = _register(
    Sheet(
        "Produits",
        (
            Column("number", "N°", INT, width=6),
            Column("title", "Intitulé du produit", width=70),
            Column("axis", "Axe", INT, choices="axes", width=8),
            Column(
                "result",
                "Résultat attendu",
                required=False,
                width=80,
                help="Phrase reprise dans la section 3 « Résultats attendus »",
            ),
        ),
        help="Les produits (résultats) de chaque axe, numérotés 1, 2, 3… sur tout le plan.",
    )
)

BODIES = _register(
    Sheet(
        "Responsables",
        (
            Column("name", "Responsable", width=40, help="Nom tel qu'il apparaît dans le PTA"),
            Column("full_name", "Nom complet", width=80),
        ),
        help="Les structures responsables des activités.",
    )
)

ACTIVITIES = _register(
    Sheet(
        "Activités",
        (
            Column(
                "code",
                "Code",
                CODE,
                width=8,
                help="Numéro du produit, un point, le rang : 1.1, 1.2…",
            ),
            Column("title", "Intitulé de l'activité", width=50),
            Column("product", "Produit", INT, choices="products", width=9),
        ),
        repeated=Column("bodies", "Responsable", required=False, choices="bodies", width=18),
        repeated_count=6,
        months=True,
        help="Une ligne par activité ; un « x » dans chaque mois où elle est programmée.",
    )
)

FLASH_SECTIONS = (
    "Vie de la Troïka",
    "Dialogue avec le Gouvernement",
    "Cadres sectoriels de dialogue",
    "Nouvelles des partenaires",
    "Publications et études",
)

FLASH = _register(
    Sheet(
        "Flash info",
        (
            Column(
                "issue",
                "Numéro",
                INT,
                width=9,
                help="Numéro du Flash info auquel appartient la brève",
            ),
            Column("date", "Date de parution", DATE, width=16),
            Column("section", "Rubrique", choices="flash_sections", width=30),
            Column("title", "Titre", width=50),
            Column("text", "Texte", width=100),
            Column("source", "Source", required=False, width=30),
        ),
        help="Les brèves du bulletin « Flash info » (activité 7.5) : une ligne par brève ; "
        "les brèves de même numéro forment un bulletin.",
    )
)

# --- Speeches, aide-mémoire and budget-support forecasts (PTF documents) ---

# Bodies at whose sessions the partners speak: acronym (drop-down value) -> full name.
SESSION_BODIES: dict[str, str] = {
    "CTN": "Comité technique national",
    "CNP": "Comité national de pilotage",
    "CGAB": "Cadre général des appuis budgétaires",
    "CSD": "Cadre sectoriel de dialogue",
}
# Sections of a speech, in reading order: key -> label shown in the workbook.
SPEECH_SECTIONS: dict[str, str] = {
    "remerciements": "Remerciements",
    "appreciation": "Appréciation des progrès",
    "preoccupations": "Préoccupations",
    "recommandations": "Recommandations",
    "engagement": "Engagement des PTF",
    "conclusion": "Conclusion",
}
# Sections of the aide-mémoire on the annual review, in reading order.
MEMO_SECTIONS: dict[str, str] = {
    "contexte": "Contexte",
    "appreciation": "Appréciation",
    "recommandations": "Recommandations",
}
# Priorities of the common concerns, highest first (the order they are raised in).
PRIORITIES = ("Élevée", "Moyenne", "Normale")
PARTNER_KINDS = (
    "Bilatéral",
    "Multilatéral",
    "Institution financière internationale",
    "Système des Nations unies",
    "Autre",
)
YES, NO = "Oui", "Non"
FORECAST_STATUSES = ("Ferme", "Indicatif")
DEFAULT_CURRENCY = "FCFA"
# How many years a disbursement forecast covers: n, n+1, n+2.
FORECAST_YEARS = 3

PARTNERS = _register(
    Sheet(
        "Partenaires",
        (
            Column("acronym", "Sigle", width=14, help="Nom court, unique : UE, BM, BAD…"),
            Column("name", "Nom", width=40, help="Nom officiel, ex. : Union européenne"),
            Column("kind", "Catégorie", choices="partner_kinds", width=24),
            Column("troika", "Membre de la Troïka", choices="yes_no", width=12),
            Column("head_name", "Chef de la coopération", required=False, width=30),
            Column(
                "head_title",
                "Fonction",
                required=False,
                width=40,
                help="Ex. : Ambassadeur, Chef de la délégation de l'Union européenne",
            ),
            Column(
                "signatory",
                "Signataire de l'aide-mémoire",
                required=False,
                choices="yes_no",
                width=14,
                help="Vide = Oui",
            ),
            Column(
                "iati_id",
                "Identifiant IATI",
                required=False,
                width=22,
                help="Identifiant IATI de l'organisation qui publie ses activités (ex. : 44000 "
                "pour la Banque mondiale, FR-3 pour l'AFD) ; plusieurs séparés par « ; ». "
                "Sert à troika importer-iati",
            ),
        ),
        help="Les partenaires techniques et financiers (membres de la Troïka et autres) : "
        "orateurs des discours, signataires de l'aide-mémoire, prévisions de décaissements.",
    )
)

SESSIONS = _register(
    Sheet(
        "Sessions",
        (
            Column("code", "Code", width=12, help="Code court et unique, ex. : CNP-2022"),
            Column("body", "Instance", choices="session_bodies", width=10),
            Column(
                "label",
                "Intitulé de la session",
                width=44,
                help="Suit « à l'occasion de la » dans le titre, ex. : session annuelle 2022",
            ),
            Column("date", "Date", DATE, width=12),
            Column("place", "Lieu", width=16),
            Column("chair_name", "Président de séance", width=28),
            Column("chair_title", "Fonction du président", width=40),
            Column("speaker_name", "Orateur des PTF", width=28),
            Column("speaker_title", "Fonction de l'orateur", width=40),
            Column("speaker_org", "Organisation de l'orateur", choices="partners", width=14),
            Column(
                "activity",
                "Activité du plan",
                CODE,
                required=False,
                choices="activities",
                width=10,
                help="Code de l'activité du PTA qui prépare la session (ex. : 2.4) : l'outil "
                "vérifie que son suivi ne dit pas la session reportée ou non tenue",
            ),
            # Optional, added after version 1: an older workbook reads it as empty.
            Column(
                "memo_date",
                "Adoption de l'aide-mémoire",
                DATE,
                required=False,
                width=14,
                help="Date à laquelle les PTF ont adopté l'aide-mémoire de la session (ex. : "
                "29/06/2022) : c'est la date de l'aide-mémoire ; vide, ou après la date de "
                "production = l'aide-mémoire est produit comme projet",
            ),
        ),
        help="Les sessions où les PTF prennent la parole (CTN, CNP…) : un discours par session.",
    )
)

PROTOCOL = _register(
    Sheet(
        "Protocole",
        (
            Column("body", "Instance", choices="session_bodies", width=10),
            Column("rank", "Rang", INT, width=8, help="1 = la personnalité saluée en premier"),
            Column(
                "salutation",
                "Formule",
                width=90,
                help="Ex. : Monsieur le Premier Ministre, Président du Comité national de pilotage",
            ),
        ),
        help="Les personnalités saluées en ouverture des discours, par instance et dans l'ordre "
        "protocolaire (rang 1, 2, 3…), sans ponctuation finale.",
    )
)

CONCERNS = _register(
    Sheet(
        "Préoccupations",
        (
            Column("number", "N°", INT, width=6),
            Column("theme", "Thème", width=30),
            Column("text", "Texte", width=100),
            Column("priority", "Priorité", choices="priorities", width=12),
        ),
        repeated=Column("sessions", "Session", required=False, choices="sessions", width=12),
        repeated_count=3,
        help="Les préoccupations communes des PTF à soumettre au Gouvernement ; la colonne "
        "« Session » désigne les discours où chacune est exprimée.",
    )
)

SPEECHES = _register(
    Sheet(
        "Discours",
        (
            Column("session", "Session", choices="sessions", width=12),
            Column("section", "Partie", choices="speech_sections", width=26),
            Column(
                "text", "Texte", width=110, help="Un paragraphe par ligne, dans l'ordre de lecture"
            ),
        ),
        help="Les textes des discours, par session et par partie ; les préoccupations sont "
        "reprises de la feuille Préoccupations après les textes de la partie « Préoccupations ».",
    )
)

MEMO = _register(
    Sheet(
        "Aide-mémoire",
        (
            Column(
                "session",
                "Session",
                choices="sessions",
                width=12,
                help="La session qui examine la revue annuelle (en général le CNP)",
            ),
            Column("section", "Rubrique", choices="memo_sections", width=20),
            Column(
                "text", "Texte", width=110, help="Un paragraphe par ligne, dans l'ordre de lecture"
            ),
        ),
        help="L'aide-mémoire des PTF sur la revue annuelle du référentiel national ; les "
        "préoccupations et les signataires sont repris des autres feuilles.",
    )
)

# Optional columns of the rows proposed by ``troika importer-iati`` (Prévisions and
# Décaissements): where a row comes from, and whether it counts. A typed row leaves
# them empty (it counts); an imported row names its IATI activity, file and update.
SOURCE_COLUMNS = (
    Column(
        "kept",
        "Retenu",
        required=False,
        choices="yes_no",
        width=10,
        help="Vide = Oui. Non : la ligne est gardée pour mémoire mais ne compte pas "
        "(ligne proposée par l'import IATI quand un montant est déjà saisi)",
    ),
    Column(
        "iati_activity",
        "Activité IATI",
        required=False,
        width=28,
        help="Rempli par troika importer-iati : identifiant IATI de l'activité source",
    ),
    Column(
        "iati_file",
        "Fichier IATI",
        required=False,
        width=24,
        help="Rempli par troika importer-iati : fichier d'où vient la ligne",
    ),
    Column(
        "iati_updated",
        "Mise à jour IATI",
        DATE,
        required=False,
        width=14,
        help="Rempli par troika importer-iati : dernière mise à jour de l'activité publiée",
    ),
)

FORECASTS = _register(
    Sheet(
        "Prévisions",
        (
            Column("partner", "Partenaire", choices="partners", width=14),
            Column("instrument", "Instrument", width=36, help="Ex. : Appui budgétaire général"),
            Column("year", "Année", INT, width=8),
            Column("amount", "Montant", NUMBER, width=20, help="Montant sans espace ni devise"),
            Column(
                "currency",
                "Devise",
                required=False,
                choices="currencies",
                width=8,
                help="Vide = FCFA",
            ),
            Column("status", "Statut", choices="forecast_statuses", width=12),
            *SOURCE_COLUMNS,
        ),
        help="Les prévisions de décaissements d'appui budgétaire des années n à n+2 "
        "(n = année de fin du mandat), en FCFA.",
    )
)

DISBURSEMENTS = _register(
    Sheet(
        "Décaissements",
        (
            Column("partner", "Partenaire", choices="partners", width=14),
            Column("instrument", "Instrument", width=36, help="Ex. : Appui budgétaire général"),
            Column("year", "Année", INT, width=8, help="Année du décaissement, dans le mandat"),
            Column(
                "amount",
                "Montant",
                NUMBER,
                width=20,
                help="Montant effectivement décaissé, en FCFA, sans espace ni devise",
            ),
            Column("date", "Date", DATE, required=False, width=12, help="Date du versement"),
            *SOURCE_COLUMNS,
        ),
        help="Les décaissements d'appui budgétaire effectivement reçus, par partenaire et "
        "par année du mandat, en FCFA : comparés aux prévisions, ils donnent la "
        "prévisibilité de l'aide.",
    )
)

EXCHANGE_RATES = _register(
    Sheet(
        "Taux de change",
        (
            Column(
                "currency",
                "Devise",
                width=10,
                help="Code ISO 4217 à trois lettres, ex. : USD (l'euro et le franc CFA "
                "n'en ont pas besoin)",
            ),
            Column("date", "Date", DATE, width=12, help="Date du taux"),
            Column(
                "rate", "Taux", NUMBER, width=14, help="Nombre de FCFA pour une unité, ex. : 612,5"
            ),
            Column("source", "Source", required=False, width=30, help="Ex. : BCEAO"),
        ),
        help="Les taux de change des devises autres que le FCFA et l'euro (parité fixe "
        "655,957), pour convertir les montants lus par troika importer-iati.",
    )
)

# Distribution: who receives which document (see pipeline.distribute).
# How a document is routed in a distribution for one period (`troika diffuser --periode`).
ALWAYS_SENT, PER_PERIOD = "toujours envoyé", "selon la période"
# Document kinds the site never publishes, whatever the Diffusion sheet says: the
# follow-up of the register holds every item, internal ones too (the items marked
# « Publique » have their own page on the site).
NEVER_PUBLIC_KINDS = ("etat-recommandations",)
# A list without an explicit choice puts its addresses in Bcc above this many.
BCC_THRESHOLD = 10

MAILING_LISTS = _register(
    Sheet(
        "Listes de diffusion",
        (
            Column(
                "name", "Liste", width=30, help="Nom court de la liste, ex. : Membres de la Troïka"
            ),
            Column("description", "Description", required=False, width=60),
            Column(
                "bcc",
                "Copie cachée (Cci)",
                required=False,
                choices="yes_no",
                width=16,
                help="oui : les adresses en copie cachée ; non : dans « À » ; vide : copie "
                f"cachée au-delà de {BCC_THRESHOLD} adresses",
            ),
        ),
        help="Les listes de diffusion des documents : membres de la Troïka, ensemble des PTF, "
        "Gouvernement…",
    )
)

RECIPIENTS = _register(
    Sheet(
        "Destinataires",
        (
            Column("organisation", "Organisation", width=40),
            Column("contact", "Nom du contact", required=False, width=28),
            Column("title", "Fonction", required=False, width=32),
            Column("email", "Courriel", EMAIL, width=36),
            Column(
                "partner",
                "Partenaire",
                required=False,
                choices="partners",
                width=12,
                help="Sigle du partenaire (feuille Partenaires) pour qui travaille le "
                "destinataire ; vide pour l'administration et le Secrétariat technique",
            ),
        ),
        repeated=Column("lists", "Liste", required=False, choices="mailing_lists", width=26),
        repeated_count=4,
        help="Une ligne par destinataire, avec les listes de diffusion auxquelles il appartient.",
    )
)

DISTRIBUTION = _register(
    Sheet(
        "Diffusion",
        (
            Column(
                "document",
                "Document",
                choices="document_kinds",
                width=28,
                help="Le type de document, choisi dans la liste (ex. : discours)",
            ),
            Column("list", "Liste de diffusion", choices="mailing_lists", width=30),
            Column(
                "public",
                "Public",
                required=False,
                choices="yes_no",
                width=10,
                help="oui : ce document est aussi publié sur le site web de la Troïka "
                "(troika site) ; vide ou non : il reste interne",
            ),
            Column(
                "routing",
                "Envoi",
                required=False,
                choices="routings",
                width=20,
                help=f"« {ALWAYS_SENT} » : joint à chaque envoi ; « {PER_PERIOD} » : seulement "
                "dans l'envoi de la période du document. Vide : selon le document "
                "(le PTA et les prévisions toujours, les autres par période)",
            ),
        ),
        help="Quel document va à quelle liste : une ligne par couple document – liste. "
        "La colonne Public choisit les documents publiés sur le site web.",
    )
)


# The one documented mark of a scheduled month (x or X), in the Instructions sheet, the
# cells' input message and docs/classeur.md.
SCHEDULE_MARK = "x"
# Other marks that plainly mean "scheduled" (compared case- and accent-free): read as
# scheduled, each with an ``other-mark`` warning naming its cell, so that nobody
# believes they are ignored nor that they are the rule. A Cyrillic « х » and a
# multiplication sign look like an x. Anything else in a month cell is an error
# (``bad-mark``), never ignored. The PTA import (importer-pta) reads the same marks.
OTHER_SCHEDULE_MARKS = (
    "oui",
    "1",
    "vrai",
    "true",
    "✓",
    "✔",
    "✗",
    "✘",
    "×",
    "\u0445",  # Cyrillic х
    "•",
    "■",
    "●",
)
SCHEDULE_MARKS = (SCHEDULE_MARK, *OTHER_SCHEDULE_MARKS)


# --- Follow-up of the plan: meetings, decisions, activity follow-up, reports -------------

# Statuses, exactly as offered in the drop-down lists (compared accent- and case-free).
MEETING_CADENCES = ("hebdomadaire", "mensuelle", "trimestrielle", "ponctuelle")
DECISION_STATUSES = ("à faire", "en cours", "réalisé", "abandonné")
# An item (decision, recommendation, commitment) with one of these statuses is closed:
# no later change may follow.
CLOSED_STATUSES = ("réalisé", "abandonné")
DONE_STATUS = CLOSED_STATUSES[0]
# What a recommendation or commitment comes from. An annual review of the national
# plan is held as CTN then CNP sessions; the budget-support framework (CGAB) has its
# joint reviews and performance matrix; sector dialogue frameworks (CSD) their own.
SOURCE_KINDS = (
    "Revue annuelle",
    "Revue CGAB",
    "Cadre sectoriel de dialogue",
    "Réunion",
    "Autre",
)
# The kind of source each session body's recommendations are filed under: the speech and
# aide-mémoire of a session look back at the last source of this kind.
SESSION_SOURCE_KINDS: dict[str, str] = {
    "CTN": "Revue annuelle",
    "CNP": "Revue annuelle",
    "CGAB": "Revue CGAB",
    "CSD": "Cadre sectoriel de dialogue",
}
MEETING_SOURCE = "Réunion"
ADDRESSEES = ("Gouvernement", "PTF", "Gouvernement et PTF")
ACTIVITY_STATUSES = ("réalisée", "en cours", "non réalisée", "reportée", "annulée")
# The statuses as the documents print them, agreed with the noun they qualify: the
# workbook keeps one form per status (its drop-down list), a document writes « réalisée »
# for a décision and « réalisé » for a document. status -> (masculine, feminine).
STATUS_AGREEMENT: dict[str, tuple[str, str]] = {
    "à faire": ("à faire", "à faire"),
    "en cours": ("en cours", "en cours"),
    "réalisé": ("réalisé", "réalisée"),
    "abandonné": ("abandonné", "abandonnée"),
    "réalisée": ("réalisé", "réalisée"),
    "non réalisée": ("non réalisé", "non réalisée"),
    "reportée": ("reporté", "reportée"),
    "annulée": ("annulé", "annulée"),
}
# The gender of the nouns a status qualifies in the documents ("f" or "m").
NOUN_GENDERS: dict[str, str] = {
    "décision": "f",
    "recommandation": "f",
    "activité": "f",
    "réunion": "f",
    "document": "m",
    "rapport": "m",
}

# Headings of the reports' free texts (sheet "Textes des rapports").
REPORT_TEXT_HEADINGS: dict[str, str] = {
    "difficultes": "Difficultés",
    "perspectives": "Perspectives",
    "lecons": "Leçons apprises",
    "recommandations": "Recommandations pour le prochain mandat",
    "conclusion": "Conclusion",
}

PERIODS = _register(
    Sheet(
        "Périodes",
        (
            Column("label", "Libellé", width=22, help="Nom de la période, ex. : Trimestre 1"),
            Column("start", "Premier jour", DATE, width=16),
            Column("end", "Dernier jour", DATE, width=16),
        ),
        help="Les périodes des rapports trimestriels. Par défaut, les trimestres du mandat ; "
        "vous pouvez les remplacer par vos propres périodes (sans chevauchement ni trou). "
        "Si la feuille est vide, les trimestres sont déduits des dates du mandat.",
    )
)

MEETING_TYPES = _register(
    Sheet(
        "Instances",
        (
            Column("name", "Instance", width=60, help="Nom de l'instance ou du type de réunion"),
            Column("cadence", "Périodicité", choices="cadences", width=16),
            Column(
                "activity",
                "Activité du plan",
                CODE,
                required=False,
                choices="activities",
                width=12,
                help="Code de l'activité du plan qui prévoit ces réunions",
            ),
            Column(
                "planned",
                "Nombre prévu sur le mandat",
                INT,
                required=False,
                width=16,
                help="Laissez vide pour le déduire du calendrier de l'activité",
            ),
        ),
        help="Les instances qui se réunissent et leur périodicité : elles servent à comparer les "
        "réunions tenues aux réunions prévues.",
    )
)

MEETINGS = _register(
    Sheet(
        "Réunions",
        (
            Column("id", "N° de réunion", width=14, help="Identifiant unique, ex. : R-2021-09-01"),
            Column("date", "Date", DATE, width=13),
            Column("type", "Instance", choices="meeting_types", width=45),
            Column("place", "Lieu", required=False, width=22),
            Column("chair", "Présidence", required=False, width=22),
            Column(
                "participants",
                "Organisations participantes",
                required=False,
                width=45,
                help="Séparées par des points-virgules",
            ),
            Column(
                "agenda",
                "Ordre du jour",
                required=False,
                width=45,
                help="Un point par ligne (Alt+Entrée) ou séparés par des points-virgules",
            ),
            Column(
                "summary",
                "Synthèse des échanges",
                required=False,
                width=70,
                help="Un paragraphe par ligne (Alt+Entrée)",
            ),
        ),
        repeated=Column(
            "activities", "Activité", CODE, required=False, choices="activities", width=10
        ),
        repeated_count=3,
        help="Une ligne par réunion tenue : elle donne son compte rendu.",
    )
)

DECISIONS = _register(
    Sheet(
        "Décisions",
        (
            Column("meeting", "N° de réunion", choices="meetings", width=14),
            Column(
                "number",
                "N°",
                width=18,
                help="Numéro unique de la décision, ex. : CR-2021-001-1 (n° de la réunion, "
                "un tiret, le rang) ; il sert à dater ses changements de statut dans la "
                "feuille Historique des statuts",
            ),
            Column("text", "Décision ou recommandation", width=80),
            Column("responsible", "Responsable", required=False, choices="bodies", width=30),
            Column("deadline", "Échéance", DATE, required=False, width=13),
        ),
        help="Les décisions et recommandations de chaque réunion ; leur statut se suit, "
        "daté, dans la feuille Historique des statuts.",
    )
)

RECOMMENDATIONS = _register(
    Sheet(
        "Recommandations",
        (
            Column(
                "number",
                "N°",
                width=14,
                help="Numéro unique, ex. : RA21-01 ; il est gardé d'un mandat à l'autre et "
                "sert à dater les changements de statut (feuille Historique des statuts)",
            ),
            Column("text", "Recommandation ou engagement", width=80),
            Column(
                "source_kind",
                "Nature de la source",
                choices="source_kinds",
                width=24,
                help="Revue annuelle (CTN, CNP), revue CGAB (matrice de performance), cadre "
                "sectoriel de dialogue, réunion de la Troïka ou autre",
            ),
            Column(
                "source",
                "Source",
                width=30,
                help="Code de la session (feuille Sessions), n° de la réunion (feuille "
                "Réunions) ou intitulé, ex. : Revue annuelle 2020 du PNDES II",
            ),
            Column(
                "source_date",
                "Date de la source",
                DATE,
                required=False,
                width=13,
                help="Vide = date de la session ou de la réunion ; obligatoire pour une "
                "source qui n'est dans aucune de ces feuilles",
            ),
            Column("addressee", "Destinataire", choices="addressees", width=20),
            Column(
                "responsible",
                "Structure responsable",
                required=False,
                choices="bodies",
                width=30,
                help="Structure de la feuille Responsables chargée du suivi",
            ),
            Column(
                "activity",
                "Activité du plan",
                CODE,
                required=False,
                choices="activities",
                width=10,
                help="Code de l'activité du PTA qui en assure le suivi, ex. : 2.4",
            ),
            Column("due", "Échéance", DATE, required=False, width=13),
            Column(
                "public",
                "Publique",
                required=False,
                choices="yes_no",
                width=10,
                help="Oui : publiée sur le site web de la Troïka ; vide ou Non : interne",
            ),
            Column(
                "carried_from",
                "Reprise du mandat",
                required=False,
                width=14,
                help="Rempli par troika nouveau-classeur --depuis : le mandat d'où la "
                "recommandation est reprise, ex. : 2021-2022",
            ),
        ),
        help="Le registre des recommandations adressées au Gouvernement et des engagements "
        "des PTF (revues annuelles, revues CGAB, cadres sectoriels) ; leur statut se suit, "
        "daté, dans la feuille Historique des statuts.",
    )
)

STATUS_HISTORY = _register(
    Sheet(
        "Historique des statuts",
        (
            Column(
                "number",
                "N°",
                width=18,
                help="N° de la recommandation (feuille Recommandations) ou de la décision "
                "(feuille Décisions)",
            ),
            Column("date", "Date", DATE, width=13, help="Date du changement de statut"),
            Column("status", "Statut", choices="decision_statuses", width=13),
            Column("comment", "Commentaire", required=False, width=60),
        ),
        help="Une ligne par changement de statut d'une recommandation ou d'une décision : "
        "le statut à une date est celui du dernier changement à cette date ou avant "
        "(sans changement : « à faire »).",
    )
)

FOLLOW_UP = _register(
    Sheet(
        "Suivi des activités",
        (
            Column("activity", "Code activité", CODE, choices="activities", width=10),
            Column("period", "Période", choices="periods", width=16),
            Column("status", "Statut", choices="activity_statuses", width=15),
            Column("results", "Résultats obtenus", required=False, width=70),
            Column("difficulties", "Difficultés", required=False, width=50),
            Column("comment", "Commentaire", required=False, width=40),
        ),
        help="Pour chaque période, l'état d'avancement de chaque activité programmée.",
    )
)

REPORT_TEXTS = _register(
    Sheet(
        "Textes des rapports",
        (
            Column("heading", "Rubrique", choices="report_headings", width=34),
            Column(
                "period",
                "Période",
                required=False,
                choices="periods",
                width=16,
                help="Vide : texte du bilan annuel",
            ),
            Column("text", "Texte", width=110, help="Un paragraphe par ligne"),
        ),
        help="Textes libres des rapports trimestriels (avec une période) et du bilan annuel "
        "(sans période).",
    )
)

# Drop-down lists whose values are the key column of another sheet.
REFERENCES: dict[str, tuple[str, str]] = {
    "axes": ("Axes", "number"),
    "products": ("Produits", "number"),
    "bodies": ("Responsables", "name"),
    "partners": ("Partenaires", "acronym"),
    "sessions": ("Sessions", "code"),
    "mailing_lists": ("Listes de diffusion", "name"),
    "activities": ("Activités", "code"),
    "meeting_types": ("Instances", "name"),
    "meetings": ("Réunions", "id"),
    "periods": ("Périodes", "label"),
}

# Fixed drop-down lists, written to the hidden "Listes" sheet. One more list,
# "document_kinds", comes from the registry of documents (pipeline.documents.KINDS),
# which the schema cannot import: workbook.list_values() adds it, and the
# distribution validator checks it.
LISTS: dict[str, tuple[str, ...]] = {
    "headings": tuple(TEXT_HEADINGS.values()),
    "flash_sections": FLASH_SECTIONS,
    "session_bodies": tuple(SESSION_BODIES),
    "speech_sections": tuple(SPEECH_SECTIONS.values()),
    "memo_sections": tuple(MEMO_SECTIONS.values()),
    "priorities": PRIORITIES,
    "partner_kinds": PARTNER_KINDS,
    "yes_no": (YES, NO),
    "forecast_statuses": FORECAST_STATUSES,
    "currencies": (DEFAULT_CURRENCY,),
    "cadences": MEETING_CADENCES,
    "decision_statuses": DECISION_STATUSES,
    "source_kinds": SOURCE_KINDS,
    "addressees": ADDRESSEES,
    "activity_statuses": ACTIVITY_STATUSES,
    "report_headings": tuple(REPORT_TEXT_HEADINGS.values()),
    "routings": (ALWAYS_SENT, PER_PERIOD),
}


# Text columns whose cells may hold several lines (Alt+Entrée): paragraphs, lists, and
# the long activity titles of the PTA table (where a manual line break is layout).
# Every other text cell, and every parameter, is one line (a name, a title, an
# address, a code…): a line break there would cut an e-mail header or a file name.
MULTILINE_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("Activités", "title"),
        ("Produits", "result"),
        ("Textes", "text"),
        ("Flash info", "text"),
        ("Préoccupations", "text"),
        ("Discours", "text"),
        ("Aide-mémoire", "text"),
        ("Listes de diffusion", "description"),
        ("Réunions", "participants"),
        ("Réunions", "agenda"),
        ("Réunions", "summary"),
        ("Décisions", "text"),
        ("Recommandations", "text"),
        ("Historique des statuts", "comment"),
        ("Suivi des activités", "results"),
        ("Suivi des activités", "difficulties"),
        ("Suivi des activités", "comment"),
        ("Textes des rapports", "text"),
    }
)

# Cells whose text becomes part of a file or folder name (through values.slug), with
# whether the name stands alone (a folder, a .zip): then it must not be a name that
# Windows reserves (CON, NUL…).
FILE_NAME_COLUMNS: dict[tuple[str, str], bool] = {
    ("Listes de diffusion", "name"): True,  # its folder, .zip and .eml
    ("Réunions", "id"): False,  # comptes_rendus/cr_<date>_<id>.docx
}
FILE_NAME_PARAMETERS: dict[str, bool] = {"framework": False}  # aide_memoire_revue_<sigle>_…
