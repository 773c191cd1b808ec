"""Follow-up rows for the small plan of conftest (mandate Sept.–Dec. 2021, default
periods Trimestre 1 = Sept.–Nov., Trimestre 2 = Dec.), with known figures:

- Trimestre 1: 1.1 réalisée, 1.2 en cours, 2.1 réalisée -> axis 1: 50 %, axis 2: 100 %,
  overall 66,7 %.
- Trimestre 2: only 2.1 is scheduled and it is cancelled -> no rate.
- Mandate (built on 10 December 2021): 1.1 réalisée, 1.2 en cours, 2.1 annulée -> 50 %.
- "Réunion mensuelle" follows 2.1 (4 months): 3 planned in T1, 4 over the mandate; 2 held.
- Decision "Relancer la DGCOOP" (deadline 1 October 2021, à faire): 60 days late on
  30 November 2021, 70 days on 10 December 2021.
- Decision statuses are dated rows of « Historique des statuts » (:func:`change`):
  R-01-1 has none (« à faire »), R-01-2 « réalisé » on 5 October 2021, R-02-1
  « en cours » from its meeting (20 October 2021).
"""

from __future__ import annotations

import datetime as dt

D = dt.date
BUILD_DATE = D(2021, 12, 10)
MONTHLY = "Réunion mensuelle de la Troïka"
HISTORY = "Historique des statuts"


def change(number: str, day: dt.date, status: str, comment: str = "") -> dict:
    """A row of « Historique des statuts »: the status of item ``number`` from ``day``."""
    return {"number": number, "date": day, "status": status, "comment": comment}


def set_status(index: int, status: str, day: dt.date, comment: str = ""):
    """An edit of the rows giving the ``index``-th decision the status ``status`` from
    ``day``, in place of its own changes (as its single status did before version 3)."""

    def edit(rows: dict) -> None:
        number = rows["Décisions"][index]["number"]
        rows[HISTORY] = [c for c in rows.get(HISTORY, []) if c["number"] != number]
        rows[HISTORY].append(change(number, day, status, comment))

    return edit


def add_reporting(rows: dict) -> None:
    rows["Instances"] = [
        {"name": MONTHLY, "cadence": "mensuelle", "activity": "2.1"},
        {"name": "Rencontre PTF – PM", "cadence": "ponctuelle", "planned": 1},
    ]
    rows["Réunions"] = [
        {
            "id": "R-01",
            "date": D(2021, 9, 15),
            "type": MONTHLY,
            "place": "Ouagadougou",
            "chair": "Président de la Troïka",
            "participants": "Union européenne ; Banque mondiale",
            "agenda": "Lancement du PTA\nDivers",
            "summary": "Premier paragraphe.\nSecond paragraphe.",
            "activities": ["2.1", "1.1"],
        },
        {"id": "R-02", "date": D(2021, 10, 20), "type": MONTHLY, "activities": ["2.1"]},
    ]
    rows["Décisions"] = [
        {
            "meeting": "R-01",
            "number": "R-01-1",
            "text": "Relancer la DGCOOP",
            "responsible": "Troïka",
            "deadline": D(2021, 10, 1),
        },
        {
            "meeting": "R-01",
            "number": "R-01-2",
            "text": "Diffuser le PTA",
            "responsible": "Secrétariat technique",
            "deadline": D(2021, 10, 1),
        },
        {
            "meeting": "R-02",
            "number": "R-02-1",
            "text": "Préparer la rencontre avec le MINEFID",
            "deadline": D(2021, 12, 31),
        },
    ]
    rows[HISTORY] = [
        change("R-01-2", D(2021, 10, 5), "réalisé"),
        change("R-02-1", D(2021, 10, 20), "en cours"),
    ]
    rows["Suivi des activités"] = [
        {
            "activity": "1.1",
            "period": "Trimestre 1",
            "status": "réalisée",
            "results": "Chefs de file désignés",
        },
        {
            "activity": "1.2",
            "period": "Trimestre 1",
            "status": "en cours",
            "difficulties": "Calendrier chargé",
        },
        {"activity": "2.1", "period": "Trimestre 1", "status": "réalisée"},
        {
            "activity": "2.1",
            "period": "Trimestre 2",
            "status": "annulée",
            "comment": "Annulée faute de quorum",
        },
    ]
    rows["Textes des rapports"] = [
        {"heading": "Perspectives", "period": "Trimestre 1", "text": "Texte des perspectives T1."},
        {"heading": "Leçons apprises", "text": "Une leçon du mandat."},
    ]
