"""The Word templates as sources: the charter defines every style once, the build
applies it, `verifier-modeles` checks the templates, and a round trip through
LibreOffice changes nothing in the documents."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from pipeline.build import build, check_templates
from pipeline.render.charter import load_charter
from tests.conftest import ROOT, SAMPLE, SOFFICE

TEMPLATES = ROOT / "templates"
DAY = dt.date(2022, 6, 30)


@pytest.fixture
def templates(tmp_path) -> Path:
    """A copy of templates/ to edit."""
    target = tmp_path / "modeles"
    shutil.copytree(TEMPLATES, target)
    return target


def codes(findings, template: str | None = None) -> set[str]:
    return {f.code for f in findings if template is None or f.template == template}


def _styles_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/styles.xml").decode("utf-8")


# --- The templates as committed --------------------------------------------------------------


def test_shipped_templates_pass_every_check():
    findings = check_templates(SAMPLE, DAY)
    assert [str(f) for f in findings] == []


def test_no_code_writes_a_template():
    """The .docx are the source: no script or Makefile target regenerates them."""
    offenders = []
    for path in [*ROOT.joinpath("scripts").rglob("*.py"), *ROOT.joinpath("pipeline").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"templates[/\\]|TEMPLATES\b", text) and re.search(
            r"\.save\(|write_bytes\(", text
        ):
            offenders.append(path.name)
    assert offenders == []
    assert not re.search(r"^templates:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def test_every_template_uses_only_charter_styles_with_french_names():
    charter = load_charter(TEMPLATES / "charte.docx")
    for name in (
        "Titre de partie",
        "Cellule",
        "En-tête de tableau",
        "Tableau Troïka",
        "Lieu et date",
        "Signataire",
        "Note",
        "Puce",
    ):
        assert charter.style_id(name), name
    for template in TEMPLATES.glob("*.docx"):
        used = set(
            re.findall(
                r'<w:(?:pStyle|tblStyle|rStyle) w:val="([^"]+)"',
                zipfile.ZipFile(template).read("word/document.xml").decode(),
            )
        )
        assert used <= set(charter.ids.values()), template.name


def test_status_colours_are_defined_once_in_the_charter():
    charter = load_charter(TEMPLATES / "charte.docx")
    assert charter.colour("réalisée") not in ("auto", "FFFFFF")
    assert charter.colour("mois programmé") not in ("auto", "FFFFFF")
    for template in TEMPLATES.glob("*.docx"):
        xml = zipfile.ZipFile(template).read("word/document.xml").decode()
        assert "dict(" not in xml and not re.search(r"cellbg '[0-9A-F]{6}'", xml), template.name


# --- The checker finds what is wrong --------------------------------------------------------


def test_unknown_style_direct_formatting_and_unknown_variable_are_reported(templates):
    path = templates / "compte_rendu.docx"
    doc = Document(path)
    doc.styles.add_style("Mon style", 1)
    doc.add_paragraph("Texte libre", style="Mon style")
    run = doc.add_paragraph().add_run("Texte rouge en 8 pt")
    run.font.size, run.font.color.rgb = Pt(8), RGBColor(0xFF, 0, 0)
    # A branch the sample's data never reaches: only the static check can see it.
    doc.add_paragraph("{%p if meeting.agenda and false %}")
    doc.add_paragraph("{{ meeting.lieu }}")
    doc.add_paragraph("{%p endif %}")
    doc.save(path)
    findings = check_templates(SAMPLE, DAY, templates=templates)
    assert codes(findings, "compte_rendu.docx") == {
        "style-inconnu",
        "mise-en-forme-directe",
        "variable-inconnue",
    }
    assert all(f.error for f in findings)
    assert any("meeting.lieu" in f.message for f in findings)
    assert codes(findings) == codes(findings, "compte_rendu.docx")  # the others are clean


def test_a_template_that_does_not_render_is_reported(templates):
    doc = Document(templates / "pta.docx")
    doc.add_paragraph("{% for x in %}")
    doc.save(templates / "pta.docx")
    findings = check_templates(SAMPLE, DAY, templates=templates)
    assert "rendu" in codes(findings, "pta.docx")


def _drop_row_flags(path: Path) -> None:
    doc = Document(path)
    for tr in doc.element.body.iter(qn("w:tr")):
        tr_pr = tr.find(qn("w:trPr"))
        if tr_pr is not None:
            tr.remove(tr_pr)
    doc.save(path)


def test_lost_header_rows_are_reported_and_restored_by_the_build(templates, tmp_path):
    _drop_row_flags(templates / "rapport_trimestriel.docx")
    findings = check_templates(SAMPLE, DAY, templates=templates)
    assert codes(findings) == {"en-tete-non-repete"}
    assert not any(f.error for f in findings)
    out = tmp_path / "build"
    build(SAMPLE, out, ["rapports-trimestriels"], today=DAY, templates=templates)
    doc = Document(out / "rapport_trimestriel_2021-09_2021-11.docx")
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Axe"]
    assert tables
    for table in tables:
        trs = table._tbl.tr_lst
        assert trs[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in trs)
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for tr in trs[1:])


# --- One edit in the charter restyles every document -----------------------------------------


def test_a_style_change_in_the_charter_changes_every_document(templates, tmp_path):
    charter = Document(templates / "charte.docx")
    charter.styles["Titre de partie"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    table_style = charter.styles["Tableau Troïka"].element
    header_fill = table_style.find(f"{qn('w:tblStylePr')}/{qn('w:tcPr')}/{qn('w:shd')}")
    header_fill.set(qn("w:fill"), "006400")
    # The colour table: a completed activity becomes blue.
    colours = next(t for t in charter.tables if t.rows[0].cells[0].text == "Statut ou repère")
    row = next(r for r in colours.rows if r.cells[0].text == "réalisée")
    row.cells[1]._tc.tcPr.find(qn("w:shd")).set(qn("w:fill"), "BDD7EE")
    charter.save(templates / "charte.docx")

    out = tmp_path / "build"
    result = build(SAMPLE, out, today=DAY, templates=templates)
    documents = [p for p in result.written if p.suffix == ".docx"]
    assert len(documents) > 80
    for path in documents:
        doc = Document(path)
        assert doc.styles["Titre de partie"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00), path.name
        assert 'w:fill="006400"' in _styles_xml(path), path.name
    report = Document(out / "rapport_trimestriel_2021-09_2021-11.docx")
    fills = {shd.get(qn("w:fill")) for shd in report.element.body.iter(qn("w:shd"))}
    assert "BDD7EE" in fills and "E2EFDA" not in fills


# --- Page layout the build guarantees ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("documents")
    build(SAMPLE, out, today=DAY)
    return out


def _size(styles, style) -> float:
    """A paragraph style's font size in points, following its basedOn chain."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 11.0  # the charter's default (docDefaults)


def test_table_text_is_at_least_9_points(sample_documents):
    for path in sample_documents.rglob("*.docx"):
        doc = Document(path)
        ids = {s.style_id: s for s in doc.styles if s.type == 1}
        for tc in doc.element.body.iter(qn("w:tc")):
            for p in tc.iter(qn("w:p")):
                if not "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
                    continue
                ref = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                style = ids.get(ref.get(qn("w:val")) if ref is not None else "Normal")
                assert _size(doc.styles, style) >= 9, (path.name, style.name if style else None)
                assert p.find(f".//{qn('w:sz')}") is None, path.name  # no direct size


def test_the_text_before_a_signature_stays_with_it(sample_documents):
    names = [
        "rapport_trimestriel_2021-12_2022-02.docx",
        "bilan_annuel_2021-2022.docx",
        *[str(p.relative_to(sample_documents)) for p in sample_documents.glob("comptes_rendus/*")][
            :3
        ],
    ]
    for name in names:
        doc = Document(sample_documents / name)
        paragraphs = doc.paragraphs
        dated = [i for i, p in enumerate(paragraphs) if p.style.name == "Lieu et date"]
        assert len(dated) == 1, name
        before = paragraphs[dated[0] - 1]
        assert before.text.strip(), name
        assert (
            before.paragraph_format.keep_with_next or before.style.paragraph_format.keep_with_next
        )
        assert paragraphs[dated[0]].style.paragraph_format.keep_with_next


def test_single_signatory_is_aligned_with_the_date(sample_documents):
    doc = Document(sample_documents / "rapport_trimestriel_2021-12_2022-02.docx")
    date = next(p for p in doc.paragraphs if p.style.name == "Lieu et date")
    signatory = next(p for p in doc.paragraphs if p.style.name == "Signataire seul")
    assert signatory.text == "Le Secrétariat technique"
    assert date.style.paragraph_format.alignment == signatory.style.paragraph_format.alignment


def test_long_tables_keep_their_first_and_last_rows_together(sample_documents):
    doc = Document(sample_documents / "bilan_annuel_2021-2022.docx")
    table = max(doc.tables, key=lambda t: len(t.rows))
    trs = table._tbl.tr_lst

    def kept(tr):
        return all(
            p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p"))
        )

    assert len(trs) > 20
    assert kept(trs[0]) and kept(trs[1]) and kept(trs[-2]) and kept(trs[-3])
    assert not kept(trs[len(trs) // 2]) and not kept(trs[-1])


def test_a_row_kept_with_the_next_gets_one_keep_next_per_paragraph_in_schema_order():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from pipeline.render.charter import _keep_with_next

    tr = parse_xml(
        f"<w:tr {nsdecls('w')}><w:tc>"
        '<w:p><w:pPr><w:pStyle w:val="X"/><w:keepNext/></w:pPr></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="X"/><w:spacing w:after="0"/></w:pPr></w:p>'
        '<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>'
        "<w:p/></w:tc></w:tr>"
    )
    _keep_with_next(tr)
    local = [[child.tag.split("}")[1] for child in p.find(qn("w:pPr"))] for p in tr.iter(qn("w:p"))]
    assert local == [
        ["pStyle", "keepNext"],
        ["pStyle", "keepNext", "spacing"],
        ["keepNext", "jc"],
        ["keepNext"],
    ]


def test_headings_keep_with_next():
    charter = Document(TEMPLATES / "charte.docx")
    for name in (
        "Titre de partie",
        "Titre de section",
        "Titre de sous-section",
        "Introduction de tableau",
        "Lieu et date",
        "Signataire",
    ):
        assert charter.styles[name].paragraph_format.keep_with_next, name


# --- A round trip through LibreOffice ---------------------------------------------------------


def _summary(path: Path):
    """What a round trip must keep: the text, the paragraph styles, each table's style
    and options, and each row's repeat/unsplittable flags."""
    body = Document(path).element.body
    paragraphs = []
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text:  # LibreOffice may fold an empty section-break paragraph into the previous one
            ref = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            paragraphs.append((text, ref.get(qn("w:val")) if ref is not None else "Normal"))
    rows = [
        (
            tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None,
            tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None,
        )
        for tr in body.iter(qn("w:tr"))
    ]
    tables = []
    for tbl in body.iter(qn("w:tbl")):
        style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        look = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}")
        tables.append(
            (
                style.get(qn("w:val")) if style is not None else None,
                tuple(look.get(qn(f"w:{k}")) for k in ("firstRow", "lastRow", "firstColumn"))
                if look is not None
                else None,
            )
        )
    return paragraphs, rows, tables


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent")
def test_templates_saved_by_libreoffice_build_the_same_documents(tmp_path, sample_documents):
    saved = tmp_path / "enregistres"
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"  # LibreOffice runs concurrently elsewhere
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            *map(str, sorted(TEMPLATES.glob("*.docx"))),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.copy(TEMPLATES / "courriel.txt", saved)
    assert sorted(p.name for p in saved.glob("*.docx")) == sorted(
        p.name for p in TEMPLATES.glob("*.docx")
    )
    # Staff may edit in LibreOffice: what it writes must not make verifier-modeles refuse.
    assert not [str(f) for f in check_templates(SAMPLE, DAY, templates=saved) if f.error]
    out = tmp_path / "build"
    build(SAMPLE, out, today=DAY, templates=saved)
    originals = sorted(sample_documents.rglob("*.docx"))
    assert len(originals) > 80
    for original in originals:
        again = out / original.relative_to(sample_documents)
        assert _summary(again) == _summary(original), original.name


# --- Template files that are missing or not Word documents -------------------------------------


def test_a_missing_template_and_files_that_are_not_word_are_named(templates):
    (templates / "flash_info.docx").unlink()
    (templates / "discours.docx").write_text("pas un document Word")
    shutil.copy(SAMPLE, templates / "pta.docx")  # a workbook renamed .docx
    findings = check_templates(SAMPLE, DAY, templates=templates)
    assert codes(findings, "flash_info.docx") == {"modele-absent"}
    assert codes(findings, "discours.docx") == {"fichier-invalide"}
    assert codes(findings, "pta.docx") == {"fichier-invalide"}
    assert all(f.template in f.message for f in findings)
    assert codes(findings, "bilan_annuel.docx") == set()  # the others are checked as usual


def test_the_build_names_a_damaged_template_before_rendering(templates, tmp_path):
    from pipeline.exceptions import TemplateProblem

    with zipfile.ZipFile(TEMPLATES / "discours.docx") as original:
        parts = {item.filename: original.read(item) for item in original.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"][:-40]  # truncated XML
    with zipfile.ZipFile(templates / "discours.docx", "w") as damaged:
        for name, data in parts.items():
            damaged.writestr(name, data)
    for workers in (1, 2):
        with pytest.raises(TemplateProblem, match="discours.docx est endommagé"):
            build(
                SAMPLE, tmp_path / f"out{workers}", today=DAY, templates=templates, workers=workers
            )
    findings = check_templates(SAMPLE, DAY, templates=templates)
    assert codes(findings, "discours.docx") == {"fichier-invalide"}


def test_facts_in_the_templates_own_words_are_reported(templates):
    """A count, a frequency or a judgement in a template's fixed text is the same in every
    document, whatever happened: a warning names the wording and its paragraph."""
    path = templates / "rapport_trimestriel.docx"
    doc = Document(path)
    doc.add_paragraph("Numéros du Flash info diffusés chaque mois.")
    doc.add_paragraph("La revue s'est tenue à bonne date ; 4 numéros ont paru.")
    doc.add_paragraph("{{ execution.carried_out }} activités réalisées, page 1 sur 1.")
    doc.add_paragraph("Pour chaque partenaire et chaque année du mandat : le taux.")
    doc.save(path)
    findings = [
        f for f in check_templates(SAMPLE, DAY, templates=templates) if f.template == path.name
    ]
    assert {f.code for f in findings} == {"fait-dans-le-modele"}
    assert not any(f.error for f in findings)
    said = " ".join(f.message for f in findings)
    assert "« chaque mois »" in said and "« à bonne date »" in said and "« 4 numéros »" in said
    # A tag's number, « 1 sur 1 » and « chaque année du mandat » are not the template's facts.
    assert len(findings) == 3
