"""Importing a PTA written in Word: the project's own PTA comes back as a workbook
that builds the same text, and a PTA in the seed's layout imports with its defects,
which validation then reports by cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.build import build, check
from pipeline.cli import main
from pipeline.workbook import schema
from pipeline.workbook.create import set_parameters
from pipeline.workbook.pta_import import NOT_IN_PTA, PtaImportError, import_pta
from tests.conftest import SAMPLE, docx_text
from tests.seed_layout import build_seed_layout

DAY = dt.date(2022, 7, 15)


def complete_parameters(path, source) -> None:
    """What a secretary types after the import: the parameters a PTA does not print."""
    old = openpyxl.load_workbook(source)
    rows = {p.key: i for i, p in enumerate(schema.PARAMETERS, start=2)}
    book = openpyxl.load_workbook(path)
    set_parameters(
        book,
        {
            key: old[schema.PARAMETERS_SHEET].cell(row=rows[key], column=2).value
            for key in NOT_IN_PTA
        },
    )
    book.save(path)


def test_own_pta_imports_back_into_a_workbook_that_builds_the_same_pta(tmp_path):
    pta = build(SAMPLE, tmp_path / "avant", ["pta"], today=DAY).written[0]
    target = tmp_path / "importe.xlsx"
    result = import_pta(pta, target)
    assert result.activities == 34
    assert len(result.notes) == 1 and "à compléter" in result.notes[0]  # Paramètres only
    complete_parameters(target, SAMPLE)
    assert check(target).problems == []
    again = build(target, tmp_path / "apres", ["pta"], today=DAY).written[0]
    assert docx_text(again) == docx_text(pta)


def test_seed_layout_imports_and_validation_reports_its_defects(tmp_path):
    source = build_seed_layout(tmp_path / "pta_2021-2022.docx")
    target = tmp_path / "classeur.xlsx"
    result = import_pta(source, target)
    assert result.activities == 34
    book = openpyxl.load_workbook(target)
    activities = list(book["Activités"].iter_rows(min_row=2, values_only=True))
    headers = [c.value for c in book["Activités"][1]]
    assert headers[-10:][0] == "sept. 2021" and headers[-1] == "juin 2022"
    # Several bodies per cell, one per line; crosses "x" and "X"; merged axis cells.
    row_12 = activities[1]
    assert row_12[:3] == (
        "1.2",
        "Rencontre entre les chefs de files sectoriels pour la "
        "présentation des groupes thématiques",
        1,
    )
    assert row_12[3:9] == (
        "Troïka technique (élargi au groupe de réflexion)",
        "Chefs de file sectoriel",
        "Secrétariat technique",
        "SP PNDES et DGESS ministères",
        "président CSD",
        "DGCOOP",
    )
    assert [h for h, v in zip(headers, row_12) if v == "x"] == ["nov. 2021", "déc. 2021"]
    unnumbered = activities[9]
    assert unnumbered[0] is None and unnumbered[2] == 2
    assert [h for h, v in zip(headers, unnumbered) if v == "x"] == ["avr. 2022"]
    # The second table (after the page break) continues product 2, then the others.
    assert [r[2] for r in activities[10:16]] == [2] * 6 and activities[16][2] == 3
    axes = [r for r in book["Axes"].iter_rows(min_row=2, values_only=True)]
    assert axes[0] == (
        1,
        "Renforcer la concertation entre les partenaires techniques et financiers",
    )  # the narrative's spelling, not the table's capitals
    params = {r[0].value: r[1].value for r in book["Paramètres"].iter_rows(min_row=2)}
    assert params["Nom du groupe"] == "Troïka des partenaires techniques et financiers"
    assert params["Pays"] == "Burkina Faso"
    assert params["Date du document"] == dt.datetime(2022, 5, 31)
    texts = [r for r in book["Textes"].iter_rows(min_row=2, values_only=True)]
    assert [h for h, _t in texts].count("Objectifs spécifiques") == 6
    context_row = next(i for i, (h, t) in enumerate(texts, start=2) if h == "Contexte")

    found = {(p.code, p.location.sheet, p.location.cell) for p in check(target).problems}
    assert {
        ("duplicate-code", "Activités", "A5"),  # the second 1.3
        ("missing-value", "Activités", "A11"),  # the unnumbered activity...
        ("no-body", "Activités", "D11"),  # ...which has no responsible body
        ("other-mandate-years", "Textes", f"B{context_row}"),  # "2020-2021" for 2021-2022
        ("missing-result", "Produits", "D7"),  # six results for seven products
    } <= found
    # Besides the seed's defects, only the parameters the import said to complete.
    others = found - {
        ("duplicate-code", "Activités", "A5"),
        ("missing-value", "Activités", "A11"),
        ("no-body", "Activités", "D11"),
        ("other-mandate-years", "Textes", f"B{context_row}"),
        ("missing-result", "Produits", "D7"),
    }
    assert {(code, sheet) for code, sheet, _cell in others} == {("missing-value", "Paramètres")}


def test_what_cannot_be_read_is_reported_with_its_row(tmp_path):
    from docx import Document

    source = build_seed_layout(tmp_path / "pta.docx")
    document = Document(source)
    table = document.tables[0]
    table.rows[3].cells[4].text = "peut-être"  # 1.1 in September: not a mark
    table.rows[4].cells[2].text = "1.2bis"  # not a code
    document.save(source)
    result = import_pta(source, tmp_path / "classeur.xlsx")
    assert any(
        n.startswith("Tableau 1, ligne 4 : la cellule du mois de 09/2021") for n in result.notes
    )
    assert any(n.startswith("Tableau 1, ligne 5 : code « 1.2bis »") for n in result.notes)


def test_cli_imports_and_lists_the_problems(tmp_path):
    source = build_seed_layout(tmp_path / "pta.docx")
    target = tmp_path / "classeur.xlsx"
    result = CliRunner().invoke(main, ["importer-pta", str(source), str(target)])
    assert result.exit_code == 0, result.output
    assert "34 activités" in result.output and "'Activités'!A5" in result.output
    again = CliRunner().invoke(main, ["importer-pta", str(source), str(target)])
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_a_document_without_plan_table_is_refused(tmp_path):
    from docx import Document

    source = tmp_path / "lettre.docx"
    document = Document()
    document.add_paragraph("Une lettre.")
    document.save(source)
    with pytest.raises(PtaImportError):
        import_pta(source, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    (tmp_path / "faux.docx").write_text("pas un document")
    with pytest.raises(PtaImportError):
        import_pta(tmp_path / "faux.docx", tmp_path / "y.xlsx")


def test_headings_and_lists_numbered_by_word_are_read(tmp_path):
    """Word's automatic numbers and bullets are not in the text: headings without
    "1.", axes without their numbers, results starting with a capital."""
    from docx import Document

    source = build_seed_layout(tmp_path / "pta.docx")
    document = Document(source)
    for paragraph in document.paragraphs:
        text = paragraph.text
        if text in ("1. INTRODUCTION",) or text.startswith(("2. Présentation", "3. Résultats")):
            paragraph.text, paragraph.style = text[3:], "List Number"
        elif text[:2] in ("1.", "2.", "3.", "4.") and len(text) < 100:
            paragraph.text, paragraph.style = text[3:], "List Number"  # an axis
        elif paragraph.style.name == "List Bullet":
            paragraph.text = text[:1].upper() + text[1:]
    document.save(source)
    target = tmp_path / "classeur.xlsx"
    result = import_pta(source, target)
    assert not any("introuvable" in note for note in result.notes)
    book = openpyxl.load_workbook(target)
    headings = [h for h, _t in book["Textes"].iter_rows(min_row=2, values_only=True)]
    assert headings.count("Objectifs spécifiques") == 6
    assert {
        "Introduction",
        "Objectif global",
        "Cadre d'élaboration du PTA",
        "Contexte",
        "Orientation du PTA",
        "Introduction des résultats attendus",
    } <= set(headings)
    axes = list(book["Axes"].iter_rows(min_row=2, values_only=True))
    assert axes[1] == (2, "Elargir la troïka à tous les PTF du Burkina Faso")
    results = [r[3] for r in book["Produits"].iter_rows(min_row=2, values_only=True)]
    assert results[0].startswith("La coordination") and results[5] is None


def test_labels_merged_over_a_long_table_are_read_in_one_pass(tmp_path):
    """Axis and product labels merged over 1 200 more rows (python-docx's row.cells
    climbs every merge recursively: minutes, then RecursionError)."""
    import copy

    from docx import Document
    from docx.oxml.ns import qn

    source = build_seed_layout(tmp_path / "pta.docx")
    before = import_pta(source, tmp_path / "avant.xlsx").activities
    document = Document(source)
    tbl = document.tables[0]._tbl
    trs = tbl.tr_lst
    model = trs[3]  # an activity of product 1, its axis and product cells continuing a merge
    assert model.tc_lst[0].vMerge == "continue"
    for index in range(1200):
        tr = copy.deepcopy(model)
        code = tr.tc_lst[2]
        for t in code.iter(qn("w:t")):
            t.text = ""
        code.iter(qn("w:t")).__next__().text = f"1.{100 + index}"
        model.addnext(tr)
    document.save(source)
    target = tmp_path / "classeur.xlsx"
    assert import_pta(source, target).activities == before + 1200
    book = openpyxl.load_workbook(target, read_only=True)
    rows = list(book["Activités"].iter_rows(min_row=2, max_col=3, values_only=True))
    added = {r[0]: r[2] for r in rows if r[0] in {f"1.{100 + i}" for i in range(1200)}}
    assert len(added) == 1200 and set(added.values()) == {1}  # all under product 1


def test_a_word_file_that_unpacks_to_an_abnormal_size_is_refused_before_parsing(tmp_path):
    """A zip bomb: a few hundred KB on disk, 30 MB of XML once unpacked; refused by
    the one guard of everything unpacked, before python-docx reads it."""
    import zipfile

    from docx import Document

    from pipeline.exceptions import PipelineError

    plain = tmp_path / "plain.docx"
    Document().save(plain)
    source = tmp_path / "bombe.docx"
    with (
        zipfile.ZipFile(plain) as original,
        zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                with bomb.open(item.filename, "w") as stream:
                    stream.write(head + b"<w:body>")
                    for _ in range(30):
                        stream.write(b" " * 2**20)
                    stream.write(tail)
            else:
                bomb.writestr(item, data)
    assert source.stat().st_size < 2**20
    with pytest.raises(PipelineError, match="bombe.docx est anormalement volumineux"):
        import_pta(source, tmp_path / "classeur.xlsx")
    assert not (tmp_path / "classeur.xlsx").exists()


def test_swapped_arguments_never_write_a_workbook_under_a_word_name(tmp_path):
    source = build_seed_layout(tmp_path / "pta.docx")
    with pytest.raises(PtaImportError, match=r"\.xlsx"):
        import_pta(source, tmp_path / "classeur.docx")
    assert not (tmp_path / "classeur.docx").exists()
    result = CliRunner().invoke(main, ["importer-pta", str(source), str(tmp_path / "c.docx")])
    assert result.exit_code == 1 and "Erreur interne" not in result.output
