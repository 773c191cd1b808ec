"""The follow-up of the register of recommendations and commitments
(pipeline/documents/recommandations.py): the Word document and its Excel table, read
back from the built files, on a small register and on the sample at three dates."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import openpyxl
import pytest
from docx import Document

from pipeline.build import build
from pipeline.documents import KINDS, Options, plan_outputs
from pipeline.documents.listing import describe
from pipeline.formats import agree
from pipeline.validate import load_valid
from tests.conftest import SAMPLE, SOFFICE

D = dt.date
KIND = "etat-recommandations"
GOV, PTF, BOTH = "Gouvernement", "PTF", "Gouvernement et PTF"
REVIEW, CGAB = "Revue annuelle 2020", "Revue CGAB 2021"
STATUS_HEADINGS = ["Réalisés", "En cours", "À faire", "Abandonnés"]
STATUSES = ["réalisé", "en cours", "à faire", "abandonné"]


def add_register(rows: dict) -> None:
    """A register for the small plan (mandate Sept.–Dec. 2021):

    - RA-01 (review of 24 June 2021, carried from 2020-2021): en cours on 20 Sept.,
      réalisé on 15 Nov.; RA-02 (PTF): never changed, due 30 Sept. (late after it);
    - CG-01 (CGAB review of 15 Oct., both): abandonné on 1 Nov.; CG-02: en cours on
      1 Dec., no due date.
    """
    rows["Recommandations"] = [
        {
            "number": "RA-01",
            "text": "Transmettre le rapport de performance",
            "source_kind": "Revue annuelle",
            "source": REVIEW,
            "source_date": D(2021, 6, 24),
            "addressee": GOV,
            "responsible": "Troïka",
            "due": D(2021, 10, 31),
            "carried_from": "2020-2021",
        },
        {
            "number": "RA-02",
            "text": "Publier les prévisions de décaissements",
            "source_kind": "Revue annuelle",
            "source": REVIEW,
            "source_date": D(2021, 6, 24),
            "addressee": PTF,
            "responsible": "Secrétariat technique",
            "due": D(2021, 9, 30),
        },
        {
            "number": "CG-01",
            "text": "Actualiser la matrice de performance",
            "source_kind": "Revue CGAB",
            "source": CGAB,
            "source_date": D(2021, 10, 15),
            "addressee": BOTH,
            "responsible": "Troïka",
            "due": D(2021, 12, 31),
        },
        {
            "number": "CG-02",
            "text": "Adopter le décret sur le dialogue",
            "source_kind": "Revue CGAB",
            "source": CGAB,
            "source_date": D(2021, 10, 15),
            "addressee": GOV,
        },
    ]
    rows["Historique des statuts"] = [
        {"number": "RA-01", "date": D(2021, 9, 20), "status": "en cours", "comment": "Lancé"},
        {"number": "RA-01", "date": D(2021, 11, 15), "status": "réalisé", "comment": "Reçu"},
        {"number": "CG-01", "date": D(2021, 11, 1), "status": "abandonné", "comment": "Fusionnée"},
        {"number": "CG-02", "date": D(2021, 12, 1), "status": "en cours", "comment": "Projet"},
    ]


def _build(path, out, day):
    build(path, out, [KIND], today=day)
    stem = f"etat_des_recommandations_{day.isoformat()}"
    return out / f"{stem}.docx", out / f"{stem}.xlsx"


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _read_docx(path) -> dict:
    """The document as read: its text, the summary table and the annex rows by N°."""
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    summary = _rows(doc.tables[0])
    lines = {}
    for table in doc.tables[1:]:
        rows = _rows(table)
        assert rows[0][0] == "N°"
        for row in rows[1:]:
            lines[_flat(row[0].split("\n")[0])] = row
    return {"text": text, "summary": summary, "lines": lines}


def _flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from pipeline.workbook.create import append_rows, new_workbook, set_parameters
    from tests.conftest import SMALL_PARAMETERS, small_rows

    folder = tmp_path_factory.mktemp("registre")
    book = new_workbook(SMALL_PARAMETERS["mandate_start"], SMALL_PARAMETERS["mandate_end"])
    set_parameters(book, SMALL_PARAMETERS)
    rows = small_rows()
    add_register(rows)
    for sheet, sheet_rows in rows.items():
        append_rows(book, sheet, sheet_rows)
    path = folder / "classeur.xlsx"
    book.save(path)
    return path, folder


@pytest.mark.parametrize(
    "day, expected",
    [
        # N°: (status as printed, delay, last change, comment)
        (D(2021, 9, 10), {"RA-01": ("à faire", "–", "–", ""), "RA-02": ("à faire", "–", "–", "")}),
        (
            D(2021, 10, 31),
            {
                "RA-01": ("en cours", "–", "20/09/2021", "Lancé"),
                "RA-02": ("à faire", "31 j", "–", ""),
                "CG-01": ("à faire", "–", "–", ""),
                "CG-02": ("à faire", "–", "–", ""),
            },
        ),
        (
            D(2021, 12, 31),
            {
                "RA-01": ("réalisée", "–", "15/11/2021", "Reçu"),
                "RA-02": ("à faire", "92 j", "–", ""),
                "CG-01": ("abandonnée", "–", "01/11/2021", "Fusionnée"),
                "CG-02": ("en cours", "–", "01/12/2021", "Projet"),
            },
        ),
    ],
)
def test_each_line_shows_its_state_on_the_documents_date(small, tmp_path, day, expected):
    path, _folder = small
    docx, _xlsx = _build(path, tmp_path, day)
    lines = _read_docx(docx)["lines"]
    assert set(lines) == set(expected)  # nothing whose source comes after the date
    for number, (status, delay, changed, comment) in expected.items():
        row = [_flat(c) for c in lines[number]]
        assert row[4:] == [status, delay, changed, comment], number


def test_summary_groups_sources_and_marks_carried_items(small, tmp_path):
    path, _folder = small
    docx, _xlsx = _build(path, tmp_path, D(2021, 12, 31))
    read = _read_docx(docx)
    summary = read["summary"]
    assert summary[0] == ["Source", "Date", "Total", *STATUS_HEADINGS, "Taux de mise en œuvre"]
    assert [_flat(c) for c in summary[1]] == [REVIEW, "24/06/2021", "2", "1", "0", "1", "0", "50 %"]
    # CG-01 abandoned: 0 done out of 1 counted.
    assert [_flat(c) for c in summary[2]] == [CGAB, "15/10/2021", "2", "0", "1", "0", "1", "0 %"]
    assert [_flat(c) for c in summary[3]][2:] == ["4", "1", "1", "1", "1", "33,3 %"]
    assert len(summary) == 4
    # The carried items, counted apart in the synthesis and marked on their line.
    assert (
        "Recommandations et engagements repris du mandat 2020-2021 : 1 ; réalisés : 1 ; "
        "en cours : 0 ; à faire : 0 ; abandonnés : 0 ; taux de mise en œuvre : 100 %."
    ) in _flat(read["text"])
    assert "Recommandations et engagements : 2 (dont reprises du mandat précédent : 1) ;" in (
        _flat(read["text"])
    )
    assert "Reprise du mandat précédent (2020-2021)" in read["lines"]["RA-01"][1]
    assert "Reprise" not in read["lines"]["RA-02"][1]
    # Headings by source in date order, then by addressee.
    doc = Document(docx)
    headings = [
        p.text
        for p in doc.paragraphs
        if p.style.name in ("Titre de section", "Titre de sous-section")
    ]
    assert headings == [
        f"1. {REVIEW}",
        "Recommandations adressées au Gouvernement",
        "Engagements des partenaires techniques et financiers (PTF)",
        f"2. {CGAB}",
        "Recommandations adressées au Gouvernement",
        "Recommandations et engagements communs au Gouvernement et aux PTF",
    ]


def test_both_files_are_listed_titled_and_dated_by_the_build_date(small):
    path, _folder = small
    workbook, _report = load_valid(path, D(2021, 12, 31))
    outputs = plan_outputs(workbook, Options(D(2021, 12, 31)), [KIND])
    described = describe(outputs, workbook.plan)
    assert [(d.filename, d.title, d.date) for d in described] == [
        (
            "etat_des_recommandations_2021-12-31.docx",
            "État des recommandations et engagements au 31 décembre 2021",
            D(2021, 12, 31),
        ),
        (
            "etat_des_recommandations_2021-12-31.xlsx",
            "État des recommandations et engagements au 31 décembre 2021 (tableau Excel)",
            D(2021, 12, 31),
        ),
    ]
    assert KINDS[KIND].label == "État des recommandations et engagements"
    assert not any(o.empty for o in outputs)


def test_an_empty_register_gives_empty_documents(make_workbook, tmp_path):
    result = build(make_workbook(), tmp_path / "a", [KIND], today=D(2021, 12, 31))
    assert result.written == []
    assert len(result.empty) == 2
    # Asked for, they say so instead of showing empty tables.
    result = build(make_workbook(), tmp_path / "b", [KIND], today=D(2021, 12, 31), empty=True)
    docx = next(p for p in result.written if p.suffix == ".docx")
    text = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "Le registre ne compte aucune recommandation" in text
    assert len(Document(docx).tables) == 0


# --- The sample at three dates --------------------------------------------------------

SAMPLE_DATES = (D(2021, 12, 31), D(2022, 3, 31), D(2022, 6, 30))


def _history(path) -> tuple[dict, dict]:
    """The register read straight from the workbook's cells, not through the pipeline:
    each item's source date (the typed one, else its session's) and dated changes."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sessions = {
        r[0]: r
        for r in book["Sessions"].iter_rows(min_row=2, values_only=True)
        if r and r[0] is not None
    }
    header = [c.value for c in next(book["Sessions"].iter_rows(max_row=1))]
    session_dates = {code: row[header.index("Date")] for code, row in sessions.items()}
    items = {}
    rec_header = [c.value for c in next(book["Recommandations"].iter_rows(max_row=1))]
    for row in book["Recommandations"].iter_rows(min_row=2, values_only=True):
        if not row or row[0] is None:
            continue
        cells = dict(zip(rec_header, row))
        opened = cells["Date de la source"] or session_dates[cells["Source"]]
        items[cells["N°"]] = (_day(opened), _day(cells["Échéance"]))
    changes: dict[str, list] = {}
    for number, day, status, comment in book["Historique des statuts"].iter_rows(
        min_row=2, values_only=True
    ):
        if number in items:
            changes.setdefault(number, []).append((_day(day), status, comment or ""))
    return items, {n: sorted(c) for n, c in changes.items()}


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory):
    builds = {}
    for day in SAMPLE_DATES:
        out = tmp_path_factory.mktemp(f"r{day:%Y%m%d}")
        builds[day] = _build(SAMPLE, out, day)
    return builds


@pytest.mark.parametrize("day", SAMPLE_DATES)
def test_sample_statuses_are_those_known_on_each_date(sample_builds, day):
    items, changes = _history(SAMPLE)
    docx, _xlsx = sample_builds[day]
    lines = _read_docx(docx)["lines"]
    assert set(lines) == {n for n, (opened, _due) in items.items() if opened <= day}
    for number, row in lines.items():
        known = [c for c in changes.get(number, []) if c[0] <= day]
        status = known[-1][1] if known else "à faire"
        assert _flat(row[4]) == agree(status, "recommandation"), (day, number)
        assert _flat(row[6]) == (known[-1][0].strftime("%d/%m/%Y") if known else "–")
        assert _flat(row[7]) == (known[-1][2] if known else "")
        due = items[number][1]
        late = status not in ("réalisé", "abandonné") and due is not None and due < day
        assert _flat(row[5]) == (f"{(day - due).days} j" if late else "–"), (day, number)


@pytest.mark.parametrize("day", SAMPLE_DATES)
def test_sample_sentences_tables_and_excel_agree(sample_builds, day):
    docx, xlsx = sample_builds[day]
    read = _read_docx(docx)
    text = _flat(read["text"])
    lines = read["lines"]
    by_status = [
        sum(1 for row in lines.values() if _flat(row[4]) == agree(s, "recommandation"))
        for s in STATUSES
    ]
    # The sentence of the synthesis.
    said = re.search(
        r"suivis au .*? : (\d+), issus de (\d+) sources?\. Réalisés : (\d+) ; en cours : "
        r"(\d+) ; à faire : (\d+) ; abandonnés : (\d+)\.",
        text,
    )
    assert said, text
    total, sources, *counts = map(int, said.groups())
    assert total == len(lines) and counts == by_status
    summary = [[_flat(c) for c in row] for row in read["summary"]]
    assert len(summary) == 1 + sources + 1  # heading, sources, Ensemble (nothing carried)
    overall = summary[-1]
    assert overall[0] == "Ensemble"
    assert list(map(int, overall[2:7])) == [total, *by_status]
    for i in range(2, 7):  # each column of the summary adds up to its Ensemble
        assert sum(int(row[i]) for row in summary[1:-1]) == int(overall[i])
    # The same table in Excel: counts are formulas, stored with the document's figures.
    book = openpyxl.load_workbook(xlsx)
    cached = openpyxl.load_workbook(xlsx, data_only=True)
    assert book.sheetnames == ["État", "Registre"]
    ws, values = book["État"], cached["État"]
    assert [c.value for c in ws[4]] == [
        "Source",
        "Date",
        "Total",
        *STATUS_HEADINGS,
        "Taux de mise en œuvre",
    ]
    for offset, doc_row in enumerate(summary[1:], start=5):
        formulas = [ws.cell(offset, col).value for col in range(3, 9)]
        stored = [values.cell(offset, col).value for col in range(3, 8)]
        assert stored == list(map(int, doc_row[2:7])), offset
        if doc_row[0] == "Ensemble":
            assert formulas[:5] == [f"=SUM({c}5:{c}{offset - 1})" for c in "CDEFG"]
        else:
            assert all(f.startswith("=COUNTIFS('Registre'!") for f in formulas[:5]), formulas
        assert formulas[5].startswith("=IF(")
        rate = values.cell(offset, 8).value
        assert doc_row[7] == ("–" if rate == "–" else _flat(_percent(rate)))
    register = list(cached["Registre"].iter_rows(min_row=2, values_only=True))
    assert {r[0]: r[7] for r in register} == {n: _flat(row[4]) for n, row in lines.items()}


def _percent(ratio: float) -> str:
    from pipeline.formats import percent

    return percent(ratio)


# LibreOffice's setting that recalculates every formula of an .xlsx on opening.
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) n'est pas installé")
def test_excel_formulas_recalculate_to_the_stored_figures(small, tmp_path):
    """LibreOffice recalculates every formula on opening and saves the results: they
    are the figures stored by the pipeline (so the formulas count what they should)."""
    path, _folder = small
    _docx, xlsx = _build(path, tmp_path / "b", D(2021, 12, 31))
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    out = tmp_path / "recalcul"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    stored = openpyxl.load_workbook(xlsx, data_only=True)["État"]
    recalculated = openpyxl.load_workbook(out / xlsx.name, data_only=True)["État"]
    formulas = openpyxl.load_workbook(xlsx)["État"]
    checked = 0
    for row in formulas.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                mine = stored[cell.coordinate].value
                theirs = recalculated[cell.coordinate].value
                if isinstance(mine, float):
                    assert theirs == pytest.approx(mine), cell.coordinate
                else:
                    assert theirs == mine, (cell.coordinate, cell.value)
                checked += 1
    assert checked == 4 * 6  # two sources, the carried items and the whole, 6 figures each


def test_both_files_are_distributed_and_only_the_word_one_gets_a_pdf(tmp_path, monkeypatch):
    """Like the forecast's pair: the list that receives the follow-up gets the .docx, its
    PDF copy and the .xlsx, as attachments named by their titles."""
    from pipeline.distribute import distribute
    from pipeline.workbook.create import append_rows

    book = openpyxl.load_workbook(SAMPLE)
    append_rows(book, "Diffusion", [{"document": KIND, "list": "Gouvernement"}])
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    out = tmp_path / "build"
    build(path, out, today=D(2022, 6, 30))

    asked = []

    def fake_convert(documents, soffice, progress=None):
        asked.extend(documents)
        return {name: b"%PDF-1.7 " + name.encode() for name in documents}

    monkeypatch.setattr("pipeline.distribute._convert", fake_convert)
    package = distribute(path, out)
    stem = "etat_des_recommandations_2022-06-30"
    # The sample sends it to the Troïka's members; the row above adds the Government.
    receiving = [p for p in package.lists if KIND in p.mailing_list.kinds]
    assert {p.mailing_list.slug for p in receiving} >= {"gouvernement"} and len(receiving) == 2
    for p in receiving:
        slug = p.mailing_list.slug
        assert {f"{slug}/{stem}.{ext}" for ext in ("docx", "pdf", "xlsx")} <= set(p.files)
    assert f"{stem}.docx" in asked and f"{stem}.xlsx" not in asked
    others = [p for p in package.lists if KIND not in p.mailing_list.kinds]
    assert not any(stem in name for p in others for name in p.files)


def test_a_new_mandates_first_build_lists_the_carried_items_as_such(tmp_path):
    """From the sample, nouveau-classeur --depuis then a build in September 2022: the
    follow-up lists every item still open on 30 June 2022, each marked as carried over
    from 2021-2022, and no other."""
    from pipeline.workbook.migrate import carry_over

    end = D(2022, 6, 30)
    old, _report = load_valid(SAMPLE, today=end)
    items = [*old.reporting.recommendations, *old.reporting.decisions]
    open_numbers = {i.number for i in items if not i.state_on(end).closed}
    target = tmp_path / "troika_2022-2023.xlsx"
    carry_over(SAMPLE, target, D(2022, 9, 1), D(2023, 6, 30))
    day = D(2022, 9, 15)
    docx, _xlsx = _build(target, tmp_path / "build", day)
    read = _read_docx(docx)
    assert set(read["lines"]) == open_numbers
    for number, row in read["lines"].items():
        assert "Reprise du mandat précédent (2021-2022)" in _flat(row[1]), number
