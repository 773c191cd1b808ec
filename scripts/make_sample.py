"""Regenerate the shipped sample workbook and the seed-defects test fixture.

    .venv/bin/python scripts/make_sample.py

The .xlsx files are committed: staff edit the workbook in Excel, not this script.
Run it only when the schema changes, then commit the regenerated files.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sample_distribution import ILLUSTRATIVE as DISTRIBUTION_NOTE  # noqa: E402
from sample_distribution import fill_distribution  # noqa: E402
from sample_flash import fill_flash  # noqa: E402
from sample_partners import fill_partners  # noqa: E402
from sample_plan import PARAMETERS, activity_rows, fill_plan  # noqa: E402
from sample_rapports import ILLUSTRATIVE as ILLUSTRATIVE_FOLLOW_UP  # noqa: E402
from sample_rapports import fill_rapports  # noqa: E402
from sample_recommendations import ILLUSTRATIVE as ILLUSTRATIVE_REGISTER  # noqa: E402

from pipeline.workbook.create import add_instructions, new_workbook  # noqa: E402

SAMPLE = ROOT / "inputs" / "troika_2021-2022.xlsx"
DEFECTS = ROOT / "tests" / "fixtures" / "pta_defauts_du_document_source.xlsx"

ILLUSTRATIVE = [
    "",
    "À propos de ce classeur d'exemple",
    "Ce classeur reprend le Plan de travail annuel 2021 – 2022 de la Troïka (mai 2022). "
    "Les intitulés des axes, produits et activités et leurs responsables sont ceux du document. "
    "Le document source avait perdu la plupart des croix du calendrier : seules celles de "
    "l'activité 1.2 (novembre et décembre 2021) et de l'activité 2.3 (avril 2022) en proviennent. "
    "Les autres mois programmés sont illustratifs, déduits de l'intitulé de chaque activité "
    "(réunions hebdomadaires ou mensuelles : chaque mois ; trimestrielles : une fois par trimestre).",
    "Les défauts de numérotation du document source ont été corrigés : la seconde activité 1.3 "
    "et les suivantes ont été renumérotées (1.4 à 1.7), l'activité sans numéro du produit 2 est "
    "devenue 2.3 (les suivantes 2.4 à 2.9) et a reçu ses responsables.",
    "Les brèves de la feuille Flash info sont illustratives.",
]


def build(defects: bool):
    book = new_workbook(PARAMETERS["mandate_start"], PARAMETERS["mandate_end"])
    fill_plan(book, defects=defects)
    if not defects:
        fill_partners(book)
        fill_flash(book)
        fill_rapports(book, activity_rows())
        fill_distribution(book)
        add_instructions(
            book,
            ILLUSTRATIVE + ILLUSTRATIVE_FOLLOW_UP + ILLUSTRATIVE_REGISTER + DISTRIBUTION_NOTE,
        )
    return book


def main() -> None:
    build(defects=False).save(SAMPLE)
    build(defects=True).save(DEFECTS)
    print(f"Écrit : {SAMPLE.relative_to(ROOT)}, {DEFECTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
