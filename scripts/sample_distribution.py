"""Illustrative distribution data for the sample workbook: mailing lists, recipients
and which document goes to which list.

The organisations are real partners and services of Burkina Faso in 2021–2022; the
contact names are fictitious and every address ends in ".example" (a domain reserved
for examples), so nothing can reach a real mailbox even if someone sends the sample.
"""

from __future__ import annotations

TROIKA, PARTNERS, GOVERNMENT = "Membres de la Troïka", "Ensemble des PTF", "Gouvernement"

LISTS = [
    {
        "name": TROIKA,
        "bcc": "non",
        "description": "Les trois partenaires de la Troïka et leurs chefs de coopération "
        "(Troïka technique)",
    },
    # Left empty: copie cachée, since the list has more than ten addresses.
    {
        "name": PARTNERS,
        "description": "Tous les partenaires techniques et financiers présents au Burkina Faso",
    },
    {
        "name": GOVERNMENT,
        "bcc": "non",
        "description": "Ministère de l'Économie, des Finances et du Développement (MINEFID) et "
        "ses directions générales",
    },
]

# (organisation, contact, title, e-mail, partner acronym or None, lists). The Troïka list
# holds the three members of the Partenaires sheet (UE, Suède, SNU) and the Secrétariat.
RECIPIENTS = [
    (
        "Délégation de l'Union européenne",
        "Claire Dumont",
        "Cheffe de coopération",
        "claire.dumont@ue-delegation.example",
        "UE",
        [TROIKA, PARTNERS],
    ),
    (
        "Délégation de l'Union européenne",
        "Laurent Mercier",
        "Ambassadeur, Chef de la Délégation de l'Union européenne",
        "laurent.mercier@ue-delegation.example",
        "UE",
        [TROIKA, PARTNERS],
    ),
    (
        "Ambassade de Suède",
        "Ingrid Holmberg",
        "Cheffe de la coopération",
        "ingrid.holmberg@suede-ouaga.example",
        "SE",
        [TROIKA, PARTNERS],
    ),
    (
        "Bureau de la Coordonnatrice résidente du Système des Nations unies",
        "Nadia Kaboré",
        "Cheffe du bureau",
        "nkabore@snu-bf.example",
        "SNU",
        [TROIKA, PARTNERS],
    ),
    (
        "Secrétariat technique de la Troïka",
        "Issouf Sawadogo",
        "Coordonnateur",
        "secretariat@troika-ptf.example",
        None,
        [TROIKA, PARTNERS],
    ),
    (
        "Coopération suisse (DDC)",
        "Martin Keller",
        "Chef de coopération",
        "martin.keller@ddc-suisse.example",
        "CH",
        [PARTNERS],
    ),
    (
        "Banque mondiale",
        "Fatimata Sanou",
        "Économiste principale",
        "fsanou@banquemondiale-bf.example",
        "BM",
        [PARTNERS],
    ),
    (
        "Agence française de développement",
        "Julien Moreau",
        "Directeur d'agence adjoint",
        "julien.moreau@afd-ouaga.example",
        "FR",
        [PARTNERS],
    ),
    (
        "Banque africaine de développement",
        "Moussa Traoré",
        "Chargé des opérations",
        "m.traore@bad-bureau-bf.example",
        "BAD",
        [PARTNERS],
    ),
    (
        "Fonds monétaire international",
        "Clara Rossi",
        "Représentante résidente",
        "crossi@fmi-bf.example",
        "FMI",
        [PARTNERS],
    ),
    (
        "Ambassade du Royaume des Pays-Bas",
        "Eva de Vries",
        "Cheffe de la coopération",
        "eva.devries@pays-bas-ouaga.example",
        "NL",
        [PARTNERS],
    ),
    (
        "Ambassade du Danemark",
        "Søren Nielsen",
        "Chef de la coopération",
        "soren.nielsen@danemark-ouaga.example",
        "DK",
        [PARTNERS],
    ),
    (
        "Ambassade d'Allemagne",
        "Jonas Becker",
        "Chef de la coopération",
        "jonas.becker@allemagne-ouaga.example",
        "DE",
        [PARTNERS],
    ),
    (
        "Coopération luxembourgeoise",
        "Claire Weber",
        "Chargée d'affaires",
        "claire.weber@lux-dev-bf.example",
        "LU",
        [PARTNERS],
    ),
    (
        "Ambassade du Canada",
        "Julie Tremblay",
        "Cheffe de coopération",
        "julie.tremblay@canada-ouaga.example",
        "CA",
        [PARTNERS],
    ),
    (
        "Agence japonaise de coopération internationale (JICA)",
        "Kenji Sato",
        "Représentant résident",
        "kenji.sato@jica-bf.example",
        "JP",
        [PARTNERS],
    ),
    (
        "Agence des États-Unis pour le développement international (USAID)",
        "Michael Carter",
        "Directeur",
        "michael.carter@usaid-bf.example",
        "US",
        [PARTNERS],
    ),
    (
        "Bureau de la coopération autrichienne",
        "Katharina Huber",
        "Cheffe du bureau",
        "katharina.huber@ada-bf.example",
        "AT",
        [PARTNERS],
    ),
    (
        "Programme des Nations unies pour le développement (PNUD)",
        "Fatou Ndiaye",
        "Représentante résidente adjointe",
        "fatou.ndiaye@pnud-bf.example",
        "SNU",
        [PARTNERS],
    ),
    (
        "UNICEF",
        "Paul Mensah",
        "Chef des politiques sociales",
        "pmensah@unicef-bf.example",
        "SNU",
        [PARTNERS],
    ),
    (
        "MINEFID – Secrétariat général",
        "Rasmané Ouédraogo",
        "Secrétaire général",
        "sg@minefid-bf.example",
        None,
        [GOVERNMENT],
    ),
    (
        "Direction générale de la coopération (DGCOOP)",
        "Awa Kaboré",
        "Directrice générale",
        "dgcoop@minefid-bf.example",
        None,
        [GOVERNMENT],
    ),
    (
        "Direction générale de l'économie et de la planification (DGEP)",
        "Salif Compaoré",
        "Directeur général",
        "dgep@minefid-bf.example",
        None,
        [GOVERNMENT],
    ),
    (
        "Direction générale du budget (DGB)",
        "Mariam Zongo",
        "Directrice générale",
        "dgb@minefid-bf.example",
        None,
        [GOVERNMENT],
    ),
    (
        "Secrétariat permanent du PNDES (SP/PNDES)",
        "Boukary Ilboudo",
        "Secrétaire permanent",
        "sp-pndes@pndes-bf.example",
        None,
        [GOVERNMENT],
    ),
]

# Which document kind goes to which lists. Only the kinds the pipeline registers get a
# row, so the sample follows the documents actually available.
ROUTES = {
    "pta": [TROIKA, PARTNERS, GOVERNMENT],
    "rapports-trimestriels": [TROIKA],
    "bilan-annuel": [TROIKA, PARTNERS],
    "comptes-rendus": [TROIKA],
    "discours": [PARTNERS],
    "aide-memoire": [PARTNERS],
    "previsions-decaissements": [GOVERNMENT],
    "flash-info": [PARTNERS],
    "etat-recommandations": [TROIKA],
}

# Published on the Troïka's website by `troika site` (column Public of Diffusion): the
# plan and its reports. Speeches, aide-mémoire, minutes and forecasts stay internal.
PUBLIC = ("pta", "rapports-trimestriels", "bilan-annuel", "flash-info")
# The reference documents go with every period's distribution; the others with their
# period's only.
ALWAYS_SENT_KINDS = {"pta", "previsions-decaissements"}

ILLUSTRATIVE = [
    "Les feuilles Listes de diffusion, Destinataires et Diffusion sont illustratives : les "
    "organisations sont de vrais partenaires et services de l'État, mais les noms des contacts "
    "sont fictifs et toutes les adresses se terminent par « .example », un domaine réservé aux "
    "exemples qui ne mène à aucune boîte aux lettres. Remplacez-les par vos vrais contacts.",
]


def fill_distribution(book) -> None:
    """Write the illustrative lists, recipients and routes into a workbook."""
    from pipeline.documents import KINDS
    from pipeline.workbook.create import append_rows
    from pipeline.workbook.schema import ALWAYS_SENT, PER_PERIOD

    append_rows(book, "Listes de diffusion", LISTS)
    append_rows(
        book,
        "Destinataires",
        [
            {
                "organisation": org,
                "contact": contact,
                "title": title,
                "email": email,
                "partner": partner,
                "lists": lists,
            }
            for org, contact, title, email, partner, lists in RECIPIENTS
        ],
    )
    append_rows(
        book,
        "Diffusion",
        [
            {
                "document": kind,
                "list": name,
                "public": "Oui" if kind in PUBLIC else None,
                "routing": ALWAYS_SENT if kind in ALWAYS_SENT_KINDS else PER_PERIOD,
            }
            for kind in KINDS
            for name in ROUTES.get(kind, [])
        ],
    )
