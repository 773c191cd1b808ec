"""The partners' documents: PTF speeches, aide-mémoire, disbursement forecast (Word and
Excel), and the validation of their sheets. Documents are read back from the build."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.shared import Pt

from pipeline import formats
from pipeline.build import build, check
from pipeline.documents import Output
from pipeline.documents.partners import AMOUNT_FORMAT, FONT
from pipeline.exceptions import InvalidWorkbook
from pipeline.report import Severity
from tests.conftest import SAMPLE, SOFFICE, convert_to_pdf, docx_text

# The small plan's mandate runs from September to December 2021: n = 2021.
YEARS = (2021, 2022, 2023)

PROTOCOL_CNP = [
    "Monsieur le Premier Ministre, Président du Comité national de pilotage",
    "Mesdames et Messieurs les membres du Gouvernement",
    "Excellences Mesdames et Messieurs les Ambassadeurs",
    "Mesdames et Messieurs",
]
PROTOCOL_CTN = [
    "Monsieur le Ministre, Président du Comité technique national",
    "Mesdames et Messieurs",
]

FORECASTS = [
    # partner, instrument, year, amount, status
    ("UE", "Appui budgétaire général", 2021, 12_500_000_000, "Ferme"),
    ("UE", "Appui budgétaire général", 2022, 10_000_000_000, "Indicatif"),
    ("UE", "Appui budgétaire sectoriel", 2021, 2_500_000_000, "Ferme"),
    ("BM", "Appui budgétaire programmatique", 2021, 30_000_000_000, "Ferme"),
    ("BM", "Appui budgétaire programmatique", 2023, 25_000_000_000, "Indicatif"),
]

DISBURSEMENTS = [
    # partner, instrument, year, amount: UE below its 2021 forecast, BM above it
    ("UE", "Appui budgétaire général", 2021, 10_000_000_000),
    ("BM", "Appui budgétaire programmatique", 2021, 32_000_000_000),
]


def partner_rows() -> dict[str, list[dict]]:
    """A small valid set of the partners' sheets, added to the small plan."""
    return {
        "Partenaires": [
            {
                "acronym": "BM",
                "name": "Banque mondiale",
                "kind": "Institution financière internationale",
                "troika": "Non",
                "head_name": "M. Daniel Okafor",
                "head_title": "Directeur des opérations",
            },
            {
                "acronym": "UE",
                "name": "Union européenne",
                "kind": "Multilatéral",
                "troika": "Oui",
                "head_name": "M. Laurent Mercier",
                "head_title": "Ambassadeur",
            },
            {
                "acronym": "SE",
                "name": "Suède",
                "kind": "Bilatéral",
                "troika": "Oui",
                "head_name": "Mme Ingrid Holmberg",
                "head_title": "Cheffe de la coopération",
            },
            {
                "acronym": "CH",
                "name": "Suisse",
                "kind": "Bilatéral",
                "troika": "Oui",
                "head_name": "M. Marc Favre",
                "head_title": "Directeur de la coopération",
            },
            {
                "acronym": "CA",
                "name": "Canada",
                "kind": "Bilatéral",
                "troika": "Non",
                "signatory": "Non",
            },
        ],
        "Sessions": [
            {
                "code": "CTN-1",
                "body": "CTN",
                "label": "session de revue annuelle 2020",
                "date": dt.date(2021, 10, 5),
                "place": "Ouagadougou",
                "chair_name": "M. A",
                "chair_title": "Ministre",
                "speaker_name": "Mme Ingrid Holmberg",
                "speaker_title": "Cheffe de la coopération",
                "speaker_org": "SE",
            },
            {
                "code": "CNP-1",
                "body": "CNP",
                "label": "session de revue annuelle 2020",
                "date": dt.date(2021, 11, 2),
                "place": "Ouagadougou",
                "chair_name": "M. B",
                "chair_title": "Premier Ministre",
                "speaker_name": "M. Laurent Mercier",
                "speaker_title": "Ambassadeur, Président de la Troïka",
                "speaker_org": "UE",
            },
        ],
        # Out of rank order on purpose: the speech must follow the ranks.
        "Protocole": [
            {"body": "CNP", "rank": 3, "salutation": PROTOCOL_CNP[2]},
            {"body": "CNP", "rank": 1, "salutation": PROTOCOL_CNP[0]},
            {"body": "CTN", "rank": 2, "salutation": PROTOCOL_CTN[1]},
            {"body": "CNP", "rank": 4, "salutation": PROTOCOL_CNP[3] + ","},
            {"body": "CNP", "rank": 2, "salutation": PROTOCOL_CNP[1]},
            {"body": "CTN", "rank": 1, "salutation": PROTOCOL_CTN[0]},
        ],
        "Préoccupations": [
            {
                "number": 1,
                "theme": "Décentralisation",
                "text": "texte décentralisation.",
                "priority": "Moyenne",
                "sessions": ["CNP-1"],
            },
            {
                "number": 2,
                "theme": "Sécurité",
                "text": "texte sécurité.",
                "priority": "Élevée",
                "sessions": ["CTN-1", "CNP-1"],
            },
            {
                "number": 3,
                "theme": "Statistiques",
                "text": "texte statistiques.",
                "priority": "Normale",
                "sessions": ["CTN-1"],
            },
            {
                "number": 4,
                "theme": "Genre",
                "text": "texte genre.",
                "priority": "Élevée",
                "sessions": [],
            },
        ],
        "Discours": [
            {"session": "CNP-1", "section": "Remerciements", "text": "Merci & bienvenue."},
            {"session": "CNP-1", "section": "Préoccupations", "text": "Nos préoccupations :"},
            {"session": "CNP-1", "section": "Conclusion", "text": "Plein succès."},
            {"session": "CNP-1", "section": "Appréciation des progrès", "text": "Des progrès."},
            {"session": "CTN-1", "section": "Remerciements", "text": "Merci au CTN."},
        ],
        "Aide-mémoire": [
            {"session": "CNP-1", "section": "Contexte", "text": "Le contexte."},
            {"session": "CNP-1", "section": "Recommandations", "text": "Une recommandation."},
        ],
        "Prévisions": [
            {"partner": p, "instrument": i, "year": y, "amount": a, "status": s}
            for p, i, y, a, s in FORECASTS
        ],
        "Décaissements": [
            {"partner": p, "instrument": i, "year": y, "amount": a} for p, i, y, a in DISBURSEMENTS
        ],
        "Taux de change": [],
    }


def with_partners(edit=None):
    """An edit_rows function adding the partners' sheets, then applying ``edit``."""

    def edit_rows(rows):
        rows.update(partner_rows())
        if edit:
            edit(rows)

    return edit_rows


@pytest.fixture
def built(make_workbook, tmp_path):
    out = tmp_path / "build"
    result = build(
        make_workbook(with_partners()),
        out,
        kinds=["discours", "aide-memoire", "previsions-decaissements"],
    )
    assert not result.report.errors
    return out


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(path).paragraphs if p.text.strip()]


# --- Documents ---


def test_outputs_and_file_names(built):
    names = sorted(p.name for p in built.iterdir() if not p.name.startswith("."))
    assert names == [
        "aide_memoire_revue_pndes_ii_2021-11-02.docx",
        "discours_cnp_2021-11-02.docx",
        "discours_ctn_2021-10-05.docx",
        "prevision_decaissements_2021-2023.docx",
        "prevision_decaissements_2021-2023.xlsx",
    ]


def test_speech_salutations_follow_protocol_order(built):
    texts = paragraphs(built / "discours_cnp_2021-11-02.docx")
    start = texts.index("Seul le prononcé fait foi") + 1
    salutations = texts[start : start + 4]
    expected = [line + "\u202f;" for line in PROTOCOL_CNP[:3]] + ["Mesdames et Messieurs,"]
    assert salutations == expected
    ctn = paragraphs(built / "discours_ctn_2021-10-05.docx")
    assert PROTOCOL_CTN[0] + "\u202f;" in ctn
    assert not any(PROTOCOL_CNP[1] in t for t in ctn)


def test_speech_title_date_and_closing(built):
    texts = paragraphs(built / "discours_cnp_2021-11-02.docx")
    assert (
        "Discours des partenaires techniques et financiers à l'occasion de la session de "
        "revue annuelle 2020 du Comité national de pilotage du PNDES\u00a0II"  # never cut
    ) in texts
    assert "Ouagadougou, le 2 novembre 2021" in texts
    assert texts[-1] == "Je vous remercie de votre aimable attention."
    assert "Merci & bienvenue." in texts  # escaped data comes back intact


def test_speech_concerns_numbered_by_priority_after_their_section(built):
    texts = paragraphs(built / "discours_cnp_2021-11-02.docx")
    numbered = [t for t in texts if t[:2] in ("1.", "2.", "3.")]
    # Only the CNP's concerns, highest priority first, numbered from 1.
    assert numbered == [
        "1.\tSécurité\u00a0: texte sécurité.",
        "2.\tDécentralisation\u00a0: texte décentralisation.",
    ]
    order = [
        texts.index(t)
        for t in (
            "Merci & bienvenue.",
            "Des progrès.",
            "Nos préoccupations\u00a0:",
            numbered[0],
            numbered[1],
            "Plein succès.",
        )
    ]
    assert order == sorted(order)
    ctn = paragraphs(built / "discours_ctn_2021-10-05.docx")
    assert [t for t in ctn if t[:2] in ("1.", "2.")] == [
        "1.\tSécurité\u00a0: texte sécurité.",
        "2.\tStatistiques\u00a0: texte statistiques.",
    ]


def test_speech_is_set_for_reading_aloud(built):
    doc = Document(built / "discours_cnp_2021-11-02.docx")
    speech = [p for p in doc.paragraphs if p.text.startswith("Merci & bienvenue")]
    assert speech, "the speech's first paragraph"
    style = speech[0].style  # the charter's "Discours" style, applied by the build
    assert style.name == "Discours"
    assert style.font.size >= Pt(14)
    assert style.paragraph_format.line_spacing >= 1.5
    assert style.paragraph_format.keep_together is True


def test_memo_sections_concerns_and_signatories(built):
    path = built / "aide_memoire_revue_pndes_ii_2021-11-02.docx"
    texts = paragraphs(path)
    headings = [p.text for p in Document(path).paragraphs if p.style.name == "Titre de partie"]
    assert headings == [
        "1. Contexte",
        "2. Préoccupations communes des partenaires",
        "3. Recommandations",
        "Organisations signataires",
    ]
    # Every concern, even one raised in no speech, by priority then number.
    assert [t.split("\u00a0:")[0] for t in texts if ".\t" in t[:3]] == [
        "1.\tSécurité",
        "2.\tGenre",
        "3.\tDécentralisation",
        "4.\tStatistiques",
    ]
    table = Document(path).tables[0]
    organisations = [row.cells[0].paragraphs[0].text for row in table.rows[1:]]
    # Troïka members first, in sheet order; Canada is not a signatory.
    assert organisations == [
        "Union européenne (UE)",
        "Suède (SE)",
        "Suisse (CH)",
        "Banque mondiale (BM)",
    ]


def _expected_totals():
    by_partner = {}
    for partner, _i, year, amount, _s in FORECASTS:
        by_partner.setdefault(partner, dict.fromkeys(YEARS, 0))[year] += amount
    year_totals = [sum(p[y] for p in by_partner.values()) for y in YEARS]
    return by_partner, year_totals, sum(year_totals)


def test_forecast_word_table_and_totals(built):
    doc = Document(built / "prevision_decaissements_2021-2023.docx")
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Partenaire", "Instrument(s)", "2021", "2022", "2023", "Total 2021 – 2023"]
    by_partner, year_totals, grand = _expected_totals()
    # Partners in sheet order (BM before UE); an indicative amount is starred.
    assert rows[1][0] == "Banque mondiale (BM)"
    assert rows[1][2:] == [
        formats.amount(30_000_000_000),
        "–",
        formats.amount(25_000_000_000) + "\u00a0*",
        formats.amount(sum(by_partner["BM"].values())),
    ]
    assert rows[2][0] == "Union européenne (UE)"
    assert rows[2][1] == "Appui budgétaire général, Appui budgétaire sectoriel"
    assert rows[2][2] == formats.amount(15_000_000_000)
    assert rows[-1][0] == "Total"
    assert rows[-1][2:] == [formats.amount(v) for v in (*year_totals, grand)]
    status = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert status[1][0] == "Ferme" and status[1][-1] == formats.amount(45_000_000_000)
    assert status[2][0] == "Indicatif" and status[2][-1] == formats.amount(35_000_000_000)
    assert status[-1][-1] == formats.amount(grand)
    assert len(doc.tables[2].rows) == 1 + len(FORECASTS)


def test_amount_format_is_french():
    # Babel's narrow spaces between thousands; the unit kept on the number's line.
    assert formats.amount(12_500_000_000) == "12\u202f500\u202f000\u202f000\u00a0FCFA"


FORECAST_XLSX = "prevision_decaissements_2021-2023.xlsx"


def test_forecast_xlsx_table_and_totals(built):
    book = openpyxl.load_workbook(built / FORECAST_XLSX)  # formulas
    cached = openpyxl.load_workbook(built / FORECAST_XLSX, data_only=True)  # their results
    assert book.sheetnames == ["Prévisions", "Détail"]
    ws, values = book["Prévisions"], cached["Prévisions"]
    assert [c.value for c in ws[4]] == [
        "Partenaire",
        "Sigle",
        "Instrument(s)",
        "2021",
        "2022",
        "2023",
        "Total 2021-2023",
    ]
    by_partner, year_totals, grand = _expected_totals()
    assert [c.value for c in values[5]][1:] == [
        "BM",
        "Appui budgétaire programmatique",
        30_000_000_000,
        0,
        25_000_000_000,
        55_000_000_000,
    ]
    assert [c.value for c in values[6]][3:] == [
        *by_partner["UE"].values(),
        sum(by_partner["UE"].values()),
    ]
    assert [c.value for c in values[7]] == ["Total", None, None, *year_totals, grand]
    # Every figure of the summary is a formula over the detail, stored with its value.
    assert ws["D5"].value == (
        "=SUMIFS('Détail'!$E$2:$E$6,'Détail'!$B$2:$B$6,$B5,'Détail'!$D$2:$D$6,2021)"
    )
    assert ws["G5"].value == "=SUM(D5:F5)"
    assert [c.value for c in ws[7]][3:] == [
        "=SUM(D5:D6)",
        "=SUM(E5:E6)",
        "=SUM(F5:F6)",
        "=SUM(G5:G6)",
    ]
    status = [[c.value for c in row] for row in values.iter_rows(min_row=10, max_row=13)]
    assert status == [
        ["Statut", None, None, "2021", "2022", "2023", "Total 2021-2023"],
        ["Ferme", None, None, 45_000_000_000, 0, 0, 45_000_000_000],
        ["Indicatif", None, None, 0, 10_000_000_000, 25_000_000_000, 35_000_000_000],
        ["Total", None, None, *year_totals, grand],
    ]
    assert ws["D11"].value.startswith("=SUMIFS('Détail'!$E$2:$E$6,'Détail'!$F$2:$F$6,$A11,")
    assert ws["G13"].value == "=SUM(G11:G12)"
    # Named fonts (an unnamed one is a serif in LibreOffice), French amounts everywhere.
    assert {ws[c].font.name for c in ("A1", "A2", "A4", "A5", "D5", "A7", "G7")} == {FONT}
    assert ws["A1"].font.b and ws["A4"].font.b
    for cell in ("D5", "G5", "G7", "D11", "G13"):
        assert ws[cell].number_format == AMOUNT_FORMAT, cell
    assert "," not in AMOUNT_FORMAT  # "," would be the reader's own separator
    detail = book["Détail"]
    assert detail.max_row == 1 + len(FORECASTS)
    assert sum(r[4].value for r in detail.iter_rows(min_row=2)) == grand
    assert {detail.cell(2, col).font.name for col in range(1, 7)} == {FONT}
    # French spacing in the workbook's own text too.
    assert "Montants en FCFA\u202f; n = 2021" in ws["A2"].value


# LibreOffice's setting that recalculates every formula of an .xlsx on opening (by
# default it shows the results stored in the file).
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _libreoffice_text(xlsx, folder, recalculate: bool) -> str:
    """The text of the PDF LibreOffice prints from ``xlsx``, with a profile of our own
    (other LibreOffice processes may run at the same time)."""
    profile = folder / "profil"
    if recalculate:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / (xlsx.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) ou pdftotext n'est pas installé",
)
@pytest.mark.parametrize("recalculate", [False, True], ids=["valeurs-stockees", "recalcul"])
def test_forecast_xlsx_shows_french_amounts_in_libreoffice(built, tmp_path, recalculate):
    # Stored results, then the formulas recalculated by LibreOffice: the same figures.
    text = _libreoffice_text(built / FORECAST_XLSX, tmp_path, recalculate)
    _by_partner, year_totals, grand = _expected_totals()
    french = [f"{value:,}".replace(",", " ") for value in (*year_totals, grand)]
    assert french[-1] == "80 000 000 000"
    total_line = next(line for line in text.splitlines() if line.startswith("Total "))
    assert " ".join(total_line.split()[1:]) == " ".join(french)
    assert "30 000 000 000" in text and "12 500 000 000" in text
    assert not re.search(r"\d,\d{3}", text)  # no "80,000,000,000", whatever the locale


def test_output_takes_a_template_or_data():
    Output("k", "a.docx", "a.docx", {})
    Output("k", "a.xlsx", data=b"x")
    with pytest.raises(ValueError):
        Output("k", "a.xlsx")
    with pytest.raises(ValueError):
        Output("k", "a.xlsx", "a.docx", {}, data=b"x")


def test_xlsx_bytes_are_written_as_given_and_reproducible(make_workbook, tmp_path):
    path = make_workbook(with_partners())
    first = build(path, tmp_path / "a", kinds=["previsions-decaissements"])
    second = build(path, tmp_path / "b", kinds=["previsions-decaissements"])
    a = (tmp_path / "a" / "prevision_decaissements_2021-2023.xlsx").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(a)).testzip() is None
    assert a == (tmp_path / "b" / "prevision_decaissements_2021-2023.xlsx").read_bytes()
    assert len(first.written) == len(second.written) == 2


def test_no_partner_data_gives_no_partner_documents(make_workbook, tmp_path):
    result = build(make_workbook(), tmp_path / "out")
    assert result.written  # the plan's own documents are built
    assert not [
        p.name
        for p in result.written
        if p.name.startswith(("discours", "aide_memoire", "prevision"))
    ]


# --- Validation: codes and locations ---


def _problems(make_workbook, edit, parameters=None):
    report = check(make_workbook(with_partners(edit), parameters=parameters))
    return {(p.code, p.location.sheet, p.location.cell) for p in report.problems}


def _replace(sheet, index, **values):
    def edit(rows):
        rows[sheet][index].update(values)

    return edit


def _append(sheet, row):
    def edit(rows):
        rows[sheet].append(row)

    return edit


CASES = [
    (
        "speech for an unknown session",
        _replace("Discours", 1, session="CNP-9"),
        ("unknown-session", "Discours", "A3"),
    ),
    (
        "aide-mémoire for an unknown session",
        _replace("Aide-mémoire", 0, session="XX"),
        ("unknown-session", "Aide-mémoire", "A2"),
    ),
    (
        "session with no protocol",
        _replace("Sessions", 1, body="CGAB"),
        ("no-protocol", "Sessions", "B3"),
    ),
    (
        "concern sent to an unknown session",
        _replace("Préoccupations", 1, sessions=["CTN-1", "CNP-7"]),
        ("unknown-session", "Préoccupations", "F3"),
    ),
    (
        "negative amount",
        _replace("Prévisions", 2, amount=-5),
        ("negative-amount", "Prévisions", "D4"),
    ),
    (
        "non-numeric amount",
        _replace("Prévisions", 0, amount="douze milliards"),
        ("bad-number", "Prévisions", "D2"),
    ),
    (
        "unknown partner",
        _replace("Prévisions", 3, partner="JICA"),
        ("unknown-partner", "Prévisions", "A5"),
    ),
    (
        "year after n+2",
        _replace("Prévisions", 4, year=2024),
        ("forecast-year-outside", "Prévisions", "C6"),
    ),
    (
        "year before n",
        _replace("Prévisions", 0, year=2020),
        ("forecast-year-outside", "Prévisions", "C2"),
    ),
    (
        "duplicate partner acronym",
        _append(
            "Partenaires",
            {
                "acronym": "ue",
                "name": "Commission européenne",
                "kind": "Multilatéral",
                "troika": "Non",
            },
        ),
        ("duplicate-partner", "Partenaires", "A7"),
    ),
    (
        "duplicate partner name",
        _append(
            "Partenaires",
            {"acronym": "WB", "name": "Banque Mondiale", "kind": "Multilatéral", "troika": "Non"},
        ),
        ("duplicate-partner", "Partenaires", "B7"),
    ),
    (
        "unknown speaker organisation",
        _replace("Sessions", 0, speaker_org="OCDE"),
        ("unknown-partner", "Sessions", "J2"),
    ),
    (
        "duplicate protocol rank",
        _replace("Protocole", 2, rank=1),
        ("duplicate-rank", "Protocole", "B7"),
    ),
    (
        "currency other than FCFA",
        _replace("Prévisions", 0, currency="EUR"),
        ("bad-choice", "Prévisions", "E2"),
    ),
    (
        "status outside the list",
        _replace("Prévisions", 0, status="Probable"),
        ("bad-choice", "Prévisions", "F2"),
    ),
    (
        "section outside the list",
        _replace("Discours", 0, section="Salutations"),
        ("bad-choice", "Discours", "B2"),
    ),
    (
        "duplicate session code",
        _replace("Sessions", 1, code="ctn-1"),
        ("duplicate-code", "Sessions", "A3"),
    ),
    (
        "disbursement outside the mandate",
        _replace("Décaissements", 0, year=2022),
        ("disbursement-year-outside", "Décaissements", "C2"),
    ),
    (
        "negative disbursement",
        _replace("Décaissements", 1, amount=-1),
        ("negative-amount", "Décaissements", "D3"),
    ),
    (
        "disbursement of an unknown partner",
        _replace("Décaissements", 1, partner="JICA"),
        ("unknown-partner", "Décaissements", "A3"),
    ),
    (
        "currency that is no code",
        _append("Taux de change", {"currency": "dollar", "date": dt.date(2021, 1, 4), "rate": 540}),
        ("bad-currency", "Taux de change", "A2"),
    ),
    (
        "rate of zero",
        _append("Taux de change", {"currency": "USD", "date": dt.date(2021, 1, 4), "rate": 0}),
        ("bad-rate", "Taux de change", "C2"),
    ),
    (
        "two rates of a currency on one day",
        lambda rows: rows["Taux de change"].extend(
            [{"currency": "USD", "date": dt.date(2021, 1, 4), "rate": r} for r in (540, 541)]
        ),
        ("duplicate-rate", "Taux de change", "B3"),
    ),
]


@pytest.mark.parametrize("edit, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_codes_and_locations(make_workbook, edit, expected):
    report = check(make_workbook(with_partners(edit)))
    found = [p for p in report.problems if (p.code, p.location.sheet, p.location.cell) == expected]
    assert found, [str(p) for p in report.problems]
    assert found[0].severity is Severity.ERROR


def test_valid_partner_sheets_have_no_problem(make_workbook):
    assert _problems(make_workbook, None) == set()


def test_disbursement_without_forecast_is_a_warning_naming_its_cell(make_workbook):
    def edit(rows):
        rows["Prévisions"] = [r for r in rows["Prévisions"] if r["partner"] != "BM"]

    report = check(make_workbook(with_partners(edit)))
    found = [p for p in report.problems if p.code == "disbursement-without-forecast"]
    assert [(p.location.sheet, p.location.cell, p.severity) for p in found] == [
        ("Décaissements", "C3", Severity.WARNING)
    ]


def test_rows_not_kept_do_not_count(make_workbook):
    """« Retenu » = Non: a row kept for the record (an IATI proposal) is not counted."""
    from pipeline.model import forecast_table, predictability_table
    from pipeline.validate import load_valid

    def edit(rows):
        rows["Prévisions"].append(
            {
                "partner": "UE",
                "instrument": "Appui budgétaire général",
                "year": 2021,
                "amount": 99,
                "status": "Ferme",
                "kept": "Non",
                "iati_activity": "XI-IATI-EC_INTPA-1",
            }
        )
        rows["Décaissements"].append(
            {"partner": "BM", "instrument": "x", "year": 2021, "amount": 7, "kept": "non"}
        )

    workbook, report = load_valid(make_workbook(with_partners(edit)))
    assert report.problems == []
    table = forecast_table(workbook.partners)
    assert table.grand_total == sum(f[3] for f in FORECASTS)
    predictability = predictability_table(workbook.partners)
    assert [
        (r.partner.acronym, r.year, r.scheduled, r.disbursed, r.ratio) for r in predictability.rows
    ] == [
        ("BM", 2021, 30_000_000_000, 32_000_000_000, 1.0),  # sheet order: BM first
        ("UE", 2021, 15_000_000_000, 10_000_000_000, 10 / 15),
    ]
    (total,) = predictability.totals
    assert (total.scheduled, total.disbursed, total.within) == (
        45_000_000_000,
        42_000_000_000,
        40_000_000_000,
    )


def test_all_problems_in_one_pass(make_workbook, tmp_path):
    def edit(rows):
        for _label, case, _expected in CASES[:9]:
            case(rows)

    path = make_workbook(with_partners(edit))
    with pytest.raises(InvalidWorkbook) as caught:
        build(path, tmp_path / "out")
    found = {(p.code, p.location.sheet, p.location.cell) for p in caught.value.report.problems}
    assert {expected for _l, _c, expected in CASES[:9]} <= found
    assert not (tmp_path / "out").exists()


def test_missing_column_is_reported_not_fatal(make_workbook):
    def edit_book(book):
        book["Prévisions"]["E1"] = None  # the "Devise" header
        book["Sessions"]["J1"] = "Organisation"  # misspelt "Organisation de l'orateur"

    report = check(make_workbook(with_partners(), edit_book=edit_book))
    found = {(p.code, p.location.sheet) for p in report.problems}
    # "Devise" is optional: its absence is a warning, the column reads as empty (FCFA).
    assert {("missing-optional-column", "Prévisions"), ("missing-column", "Sessions")} <= found


def test_blank_workbook_has_the_partner_sheets_and_lists():
    from pipeline.workbook.create import new_workbook

    book = new_workbook(dt.date(2022, 9, 1), dt.date(2023, 6, 30))
    for sheet in (
        "Partenaires",
        "Sessions",
        "Protocole",
        "Préoccupations",
        "Discours",
        "Aide-mémoire",
        "Prévisions",
    ):
        assert sheet in book.sheetnames
    assert [c.value for c in book["Préoccupations"][1]][4:] == [
        "Session 1",
        "Session 2",
        "Session 3",
    ]
    lists = {c.value for col in book["Listes"].iter_cols() for c in col}
    assert {"CNP", "Préoccupations", "Indicatif", "Oui"} <= lists
    formulas = {v.formula1 for v in book["Prévisions"].data_validations.dataValidation}
    assert "='Partenaires'!$A$2:$A$1000" in formulas or "=Partenaires!$A$2:$A$1000" in formulas


def test_warnings_troika_size_and_session_without_speech(make_workbook):
    def edit(rows):
        rows["Partenaires"][3]["troika"] = "Non"
        rows["Discours"] = [r for r in rows["Discours"] if r["session"] != "CTN-1"]

    problems = _problems(make_workbook, edit)
    assert ("troika-size", "Partenaires", "D1") in problems
    assert ("no-speech", "Sessions", "A2") in problems


def test_forecast_years_follow_the_mandate_end(make_workbook):
    # A mandate ending in 2022 moves the window to 2022–2024: 2021 is now outside.
    problems = _problems(make_workbook, None, parameters={"mandate_end": dt.date(2022, 6, 30)})
    assert ("forecast-year-outside", "Prévisions", "C2") in problems
    assert ("forecast-year-outside", "Prévisions", "C3") not in problems


# --- The sample workbook and LibreOffice ---


def test_sample_builds_the_partner_documents(tmp_path):
    result = build(
        SAMPLE, tmp_path / "out", kinds=["discours", "aide-memoire", "previsions-decaissements"]
    )
    assert not result.report.problems
    assert sorted(p.name for p in result.written) == [
        "aide_memoire_revue_pndes_ii_2022-04-28.docx",
        "discours_cnp_2022-04-28.docx",
        "discours_ctn_2022-03-24.docx",
        "prevision_decaissements_2022-2024.docx",
        "prevision_decaissements_2022-2024.xlsx",
    ]
    text = docx_text(tmp_path / "out" / "discours_cnp_2022-04-28.docx")
    assert "Seul le prononcé fait foi" in text
    assert "8.\t" not in text  # the CNP speech raises its own concerns, not all eight


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) n'est pas installé")
def test_documents_open_in_libreoffice(built, tmp_path):
    documents = sorted(built.glob("*.docx"))
    pdfs = convert_to_pdf(documents, tmp_path / "pdf")
    # The .xlsx shares its stem with the .docx: convert it into its own folder.
    pdfs += convert_to_pdf([built / "prevision_decaissements_2021-2023.xlsx"], tmp_path / "xlsx")
    for pdf in pdfs:
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), pdf.name


# --- The forecast is true as of its own date -------------------------------------------


def test_forecast_carries_its_own_situation_date(built):
    text = docx_text(built / "prevision_decaissements_2021-2023.docx")
    assert "Situation au 15 novembre 2021." in text
    created = Document(built / "prevision_decaissements_2021-2023.docx").core_properties.created
    assert created.date() == dt.date(2021, 11, 15)
    ws = openpyxl.load_workbook(built / "prevision_decaissements_2021-2023.xlsx")["Prévisions"]
    assert "Situation au 15 novembre 2021." in ws["A2"].value


def test_workbook_without_the_forecast_date_row_still_builds(make_workbook, tmp_path):
    """An older workbook has no « Date de situation des prévisions » row: the forecast
    takes the build date, with a warning on the Paramètres sheet."""

    def drop_row(book):
        ws = book["Paramètres"]
        row = next(c.row for c in ws["A"] if c.value == "Date de situation des prévisions")
        ws.delete_rows(row)

    path = make_workbook(with_partners(), drop_row)
    result = build(
        path, tmp_path / "out", kinds=["previsions-decaissements"], today=dt.date(2023, 4, 12)
    )
    assert [(p.code, p.location.sheet, p.location.cell) for p in result.report.problems] == [
        ("no-forecast-date", "Paramètres", None)
    ]
    assert result.report.problems[0].severity is Severity.WARNING
    text = docx_text(tmp_path / "out" / "prevision_decaissements_2021-2023.docx")
    assert "Situation au 12 avril 2023." in text
    assert "15 septembre 2021" not in text  # never the PTA's own date


def test_empty_forecast_date_is_a_warning_naming_its_cell(make_workbook):
    problems = _problems(make_workbook, None, parameters={"forecast_date": None})
    assert problems == {("no-forecast-date", "Paramètres", "B11")}


# --- Aid predictability: the forecast document and the bilan ---


def _predictability(doc) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Taux de prévisibilité")
    return [[c.text for c in row.cells] for row in table.rows[1:]]


EXPECTED_PREDICTABILITY = [
    # BM disbursed more than scheduled: capped at 100 %; UE 10 of 15 billion.
    ["Banque mondiale (BM)", "2021", formats.number(30e9), formats.number(32e9), "100\u00a0%"],
    ["Union européenne (UE)", "2021", formats.number(15e9), formats.number(10e9), "66,7\u00a0%"],
    ["Ensemble des partenaires", "2021", formats.number(45e9), formats.number(42e9), "88,9\u00a0%"],
]


def test_forecast_document_states_predictability_and_its_rule(built):
    doc = Document(built / "prevision_decaissements_2021-2023.docx")
    assert _predictability(doc) == EXPECTED_PREDICTABILITY
    text = docx_text(built / "prevision_decaissements_2021-2023.docx")
    assert "plafonné à 100" in text and "Prévisibilité de l'aide" in text


def test_bilan_shows_predictability(make_workbook, tmp_path):
    out = tmp_path / "build"
    result = build(make_workbook(with_partners()), out, kinds=["bilan-annuel"])
    (path,) = result.written
    assert _predictability(Document(path)) == EXPECTED_PREDICTABILITY


# --- Documents dated by their event; drafts while it is ahead --------------------------


def _header(path) -> str:
    return Document(path).sections[0].header.paragraphs[0].text


def test_a_document_whose_event_is_ahead_is_a_draft_marked_projet(make_workbook, tmp_path):
    """Built on 20 October 2021: the CTN (5 October) has taken place, the CNP (2
    November) has not, and the aide-mémoire has no adoption date yet."""
    out = tmp_path / "out"
    result = build(
        make_workbook(with_partners()),
        out,
        kinds=["discours", "aide-memoire"],
        today=dt.date(2021, 10, 20),
    )
    assert not result.report.errors
    ctn, cnp = out / "discours_ctn_2021-10-05.docx", out / "discours_cnp_2021-11-02.docx"
    memo = out / "aide_memoire_revue_pndes_ii_2021-11-02.docx"
    assert "Ouagadougou, le 5 octobre 2021" in paragraphs(ctn)
    assert not _header(ctn).startswith("Projet")
    for draft in (cnp, memo):
        assert _header(draft).startswith("Projet – ")
        assert "Projet – version du 20 octobre 2021" in paragraphs(draft)
        assert "le 2 novembre 2021" not in docx_text(draft)


def test_the_aide_memoire_is_dated_by_its_adoption(make_workbook, tmp_path):
    def adopted(rows):
        rows["Sessions"][1]["memo_date"] = dt.date(2021, 11, 20)

    out = tmp_path / "out"
    build(
        make_workbook(with_partners(adopted)),
        out,
        kinds=["aide-memoire"],
        today=dt.date(2021, 12, 10),
    )
    memo = out / "aide_memoire_revue_pndes_ii_2021-11-02.docx"
    assert "Ouagadougou, le 20 novembre 2021" in paragraphs(memo)
    assert not _header(memo).startswith("Projet")


def test_speeches_of_two_bodies_have_distinct_titles(make_workbook):
    from pipeline.documents import Options, plan_outputs
    from pipeline.report import Report
    from pipeline.validate import load

    today = dt.date(2021, 12, 10)
    workbook = load(make_workbook(with_partners()), Report(), today)
    outputs = plan_outputs(workbook, Options(today=today), ["discours", "aide-memoire"])
    titles = [o.title for o in outputs]
    assert titles == [
        "Discours des PTF – Comité technique national (CTN), session de revue annuelle 2020",
        "Discours des PTF – Comité national de pilotage (CNP), session de revue annuelle 2020",
        "Projet – Aide-mémoire des PTF – Comité national de pilotage (CNP), session de "
        "revue annuelle 2020",
    ]


# --- The follow-up of the last review's recommendations (register) ----------------------
#
# The sample's register: the CTN and CNP sessions of the 2021 review look back at the
# « Revue annuelle 2020 du PNDES II » (24 June 2021), RA20-01 to RA20-04: RA20-03 carried
# out on 14 Dec. 2021, RA20-02 on 15 Feb. 2022, RA20-01 on 8 March 2022; RA20-04 in
# progress since 16 Dec. 2021. The CTN's own item (CTN22-01) is of the same review: never
# in this section.

REVIEW_HEADING = "Suivi des recommandations de la revue précédente"
SPEECH_REVIEW = "S'agissant des recommandations et engagements issus de la précédente revue"
CTN_SPEECH, CNP_SPEECH = "discours_ctn_2022-03-24.docx", "discours_cnp_2022-04-28.docx"
MEMO = "aide_memoire_revue_pndes_ii_2022-04-28.docx"
# « 3 ont été réalisés », « 1 est en cours »... as the summary sentence says them.
_SAID = re.compile(
    r"(\d+|l'unique \w+) (a été réalisée?|ont été réalisée?s|est en cours|sont en cours|"
    r"reste à faire|restent à faire|a été abandonnée?|ont été abandonnée?s)"
)
_SAID_STATUS = {
    "réalis": "Réalisés",
    "en cours": "En cours",
    "à faire": "À faire",
    "abandon": "Abandonnés",
}


def _said_counts(sentence: str) -> dict[str, int]:
    """The count of each status a summary sentence gives (absent statuses: 0)."""
    counts = dict.fromkeys(_SAID_STATUS.values(), 0)
    for number, verb in _SAID.findall(sentence):
        key = next(label for stem, label in _SAID_STATUS.items() if stem in verb)
        counts[key] = 1 if number.startswith("l'unique") else int(number)
    return counts


def _with_history(tmp_path, *changes) -> Path:
    """A copy of the sample with more dated status changes (number, day, status)."""
    from pipeline.workbook.create import append_rows

    book = openpyxl.load_workbook(SAMPLE)
    rows = [{"number": n, "date": d, "status": s, "comment": "Test."} for n, d, s in changes]
    append_rows(book, "Historique des statuts", rows)
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    return path


def _build_sample(path, out, day):
    result = build(path, out, kinds=["discours", "aide-memoire"], today=day)
    assert not result.report.errors
    return out


def memo_review(path) -> dict:
    """The aide-mémoire's review section read back: its paragraphs, the counts table
    ({label: value}) and the rows of the table of open items."""
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.endswith(REVIEW_HEADING))
    end = texts.index("Organisations signataires")
    counts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statut")
    open_table = [t for t in doc.tables if t.rows[0].cells[0].text == "N°"]
    return {
        "heading": texts[start],
        "paragraphs": [t for t in texts[start + 1 : end] if t.strip()],
        "counts": {r.cells[0].text: r.cells[1].text for r in counts.rows[1:]},
        "open": [[c.text for c in r.cells] for r in open_table[0].rows[1:]] if open_table else [],
    }


def speech_review(path) -> tuple[str, list[str]]:
    """The speech's review paragraph and its list of open points (« Discours – point »
    paragraphs that follow it, before the next plain paragraph)."""
    paragraphs = Document(path).paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text.startswith(SPEECH_REVIEW))
    points = []
    for p in paragraphs[index + 1 :]:
        if p.style.name == "Discours – point" and re.match(r"RA\d", p.text):
            points.append(p.text)
        elif p.style.name == "Discours – point" or (points and p.text.strip()):
            break
    return paragraphs[index].text, points


@pytest.fixture(scope="module")
def sample_on(tmp_path_factory):
    """The sample's speeches and aide-mémoire built on three dates."""
    days = (dt.date(2022, 1, 31), dt.date(2022, 3, 31), dt.date(2022, 6, 30))
    return {
        day: _build_sample(SAMPLE, tmp_path_factory.mktemp(f"revue-{day}"), day) for day in days
    }


def test_memo_review_section_counts_equal_its_tables(sample_on):
    for day, out in sample_on.items():
        section = memo_review(out / MEMO)
        summary, counts = section["paragraphs"][0], section["counts"]
        assert "Revue annuelle 2020 du PNDES\u00a0II (24 juin 2021)" in summary, day
        said = _said_counts(summary)
        for label, count in said.items():
            assert int(counts[label]) == count, (day, label)
        assert int(counts["Total"]) == sum(said.values()) == 4
        assert f"sur les {counts['Total']} recommandations et engagements" in summary
        # The rate, worked out under the table from the table's counts.
        done, total, dropped = counts["Réalisés"], counts["Total"], counts["Abandonnés"]
        rate = f"{formats.percent(int(done) / (int(total) - int(dropped)))}"
        assert f"= {done} ÷ ({total} − {dropped}) = {rate}\u202f;" in section["paragraphs"][2]
        assert f"taux de mise en œuvre de {rate}" in summary
        # The open items: as many as in progress and to do, none of them closed.
        open_count = int(counts["En cours"]) + int(counts["À faire"])
        assert len(section["open"]) == open_count
        assert any(t.endswith(f"\u00a0: {open_count}.") for t in section["paragraphs"])
        assert {row[4].split(",")[0] for row in section["open"]} <= {"en cours", "à faire"}


def test_memo_and_speeches_give_the_statuses_known_on_their_own_date(sample_on):
    """Each document takes the register as it stood on the date it carries: a draft the
    build date, a speech its session, the aide-mémoire its adoption (29 June 2022)."""
    expected = {
        # build date: {document: (date in the sentence, carried out, open numbers)}
        dt.date(2022, 1, 31): {
            CTN_SPEECH: ("31 janvier 2022", 1, ["RA20-01", "RA20-02", "RA20-04"]),
            CNP_SPEECH: ("31 janvier 2022", 1, ["RA20-01", "RA20-02", "RA20-04"]),
            MEMO: ("31 janvier 2022", 1, ["RA20-01", "RA20-02", "RA20-04"]),
        },
        dt.date(2022, 3, 31): {
            CTN_SPEECH: ("24 mars 2022", 3, ["RA20-04"]),
            CNP_SPEECH: ("31 mars 2022", 3, ["RA20-04"]),
            MEMO: ("31 mars 2022", 3, ["RA20-04"]),
        },
        dt.date(2022, 6, 30): {
            CTN_SPEECH: ("24 mars 2022", 3, ["RA20-04"]),
            CNP_SPEECH: ("28 avril 2022", 3, ["RA20-04"]),
            MEMO: ("29 juin 2022", 3, ["RA20-04"]),
        },
    }
    for day, documents in expected.items():
        for name, (on, done, open_numbers) in documents.items():
            if name == MEMO:
                section = memo_review(sample_on[day] / MEMO)
                summary = section["paragraphs"][0]
                numbers = [row[0] for row in section["open"]]
            else:
                summary, points = speech_review(sample_on[day] / name)
                numbers = [p.split("\t")[0] for p in points]
            assert f"Au {on}" in summary or f"qu'au {on}" in summary, (day, name, summary)
            assert _said_counts(summary)["Réalisés"] == done, (day, name)
            assert [n.replace(formats.NB_HYPHEN, "-") for n in numbers] == open_numbers


def test_speech_review_paragraph_counts_equal_its_list(sample_on):
    summary, points = speech_review(sample_on[dt.date(2022, 1, 31)] / CNP_SPEECH)
    said = _said_counts(summary)
    assert said == {"Réalisés": 1, "En cours": 3, "À faire": 0, "Abandonnés": 0}
    assert len(points) == said["En cours"] + said["À faire"]
    assert "taux de mise en œuvre de 25\u00a0%" in summary
    # Placed after the appreciation of progress, before the concerns.
    texts = paragraphs(sample_on[dt.date(2022, 1, 31)] / CNP_SPEECH)
    review = next(i for i, t in enumerate(texts) if t.startswith(SPEECH_REVIEW))
    assert review < next(i for i, t in enumerate(texts) if t.startswith("1.\t"))


def test_a_change_after_a_document_s_date_is_not_in_it(tmp_path):
    """RA20-04 carried out on 16 May 2022: the speeches (March, April) still list it as
    open, the aide-mémoire adopted on 29 June no longer does."""
    path = _with_history(tmp_path, ("RA20-04", dt.date(2022, 5, 16), "réalisé"))
    out = _build_sample(path, tmp_path / "out", dt.date(2022, 6, 30))
    for name in (CTN_SPEECH, CNP_SPEECH):
        summary, points = speech_review(out / name)
        assert _said_counts(summary)["Réalisés"] == 3
        assert [p.split("\t")[0] for p in points] == [f"RA20{formats.NB_HYPHEN}04"]
    section = memo_review(out / MEMO)
    assert section["counts"]["Réalisés"] == "4"
    assert "= 4 ÷ (4 − 0) = 100\u00a0%\u202f;" in section["paragraphs"][2]
    assert section["open"] == []
    assert (
        "Aucun point de cette revue ne reste à mettre en œuvre au 29 juin 2022."
        in (section["paragraphs"])
    )


def _register(*items):
    """An edit adding register items (number, source, source date) to the small plan."""

    def edit(rows):
        rows["Recommandations"] = [
            {
                "number": number,
                "text": f"Texte de {number}",
                "source_kind": "Revue annuelle",
                "source": source,
                "source_date": day,
                "addressee": "Gouvernement",
                "due": dt.date(2021, 12, 31),
            }
            for number, source, day in items
        ]

    return with_partners(edit)


def test_no_earlier_review_leaves_the_section_out(make_workbook, tmp_path):
    """The small plan's register holds only an item of the CTN of the same review as the
    CNP: neither speech nor the aide-mémoire has a review section, not even its heading."""
    path = make_workbook(_register(("CTN-01", "CTN-1", None)))
    out = tmp_path / "out"
    assert not build(path, out, kinds=["discours", "aide-memoire"]).report.errors
    for name in (
        "discours_ctn_2021-10-05.docx",
        "discours_cnp_2021-11-02.docx",
        "aide_memoire_revue_pndes_ii_2021-11-02.docx",
    ):
        text = docx_text(out / name)
        assert REVIEW_HEADING not in text and "précédente revue" not in text, name
        assert "revue précédente" not in text, name
        assert "CTN-01" not in text.replace(formats.NB_HYPHEN, "-")
    # The same speeches with an earlier review in the register have the section.
    path = make_workbook(
        _register(("CTN-01", "CTN-1", None), ("RA19-01", "Revue 2019", dt.date(2020, 6, 1)))
    )
    assert not build(path, tmp_path / "with", kinds=["discours", "aide-memoire"]).report.errors
    summary, points = speech_review(tmp_path / "with" / "discours_cnp_2021-11-02.docx")
    assert "l'unique recommandation reste à faire" in summary
    assert [p.split("\t")[0] for p in points] == [f"RA19{formats.NB_HYPHEN}01"]
    memo = memo_review(tmp_path / "with" / "aide_memoire_revue_pndes_ii_2021-11-02.docx")
    # Numbered after the memo's three sections (context, concerns, recommendations).
    assert memo["heading"] == f"4. {REVIEW_HEADING}"
    assert memo["counts"]["À faire"] == "1" and len(memo["open"]) == 1
