"""French typography: non-breaking spaces before « : ; ! ? % » and inside « », in the
text of templates and data, across runs, never in URLs, times or field codes; and a
scan of every document of the sample build."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.build import build
from pipeline.render import render_document
from pipeline.render.typography import (
    NBSP,
    NNBSP,
    french_spacing,
    paragraphs_to_space,
    space_paragraph,
)
from tests.conftest import SAMPLE

SAMPLE_DATE = dt.date(2022, 6, 30)  # every kind of document is due: all quarters, review


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Source : ST", f"Source{NBSP}: ST"),
        ("75 % des activités", f"75{NBSP}% des activités"),
        (
            "réalisées ; en cours ! vraiment ?",
            f"réalisées{NNBSP}; en cours{NNBSP}! vraiment{NNBSP}?",
        ),
        ("« Gouvernement »", f"«{NBSP}Gouvernement{NBSP}»"),
        ("«Gouvernement»", f"«{NBSP}Gouvernement{NBSP}»"),  # guillemets get their spaces
        ("« – »", f"«{NBSP}–{NBSP}»"),
        ("Note  :", f"Note{NBSP}:"),  # several spaces become one
        (f"Note{NNBSP}:", f"Note{NBSP}:"),  # the wrong kind of space is corrected
        (f"pilotage{NBSP};", f"pilotage{NNBSP};"),
        ("« :", f"«{NBSP}:"),
    ],
)
def test_spaces_before_high_marks_and_inside_guillemets(typed, expected):
    assert french_spacing(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "Réunion à 10:30",
        "https://www.example.org/page?id=3&x=%20",
        "contact@dgcoop.bf",
        "Note: en anglais",
        "Ratio 3:1",
        "Quoi?!",
        "«»",
        "fin «",
        "» début",
    ],
)
def test_never_adds_a_space_where_none_was_typed(typed):
    # A mark without a space before it is a time, a URL, an address: left as typed.
    assert french_spacing(typed) == typed


def _paragraph(runs: str):
    return parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>")


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _texts(p) -> list[str]:
    return [t.text for t in p.iter(qn("w:t"))]


def test_text_split_across_runs_is_spaced_where_the_space_was():
    p = _paragraph(
        _run("Source")
        + _run(" ")
        + _run(": Secrétariat")
        + _run("75 ")
        + "<w:r><w:rPr><w:b/></w:rPr><w:t>%</w:t></w:r>"
        + _run("«")
        + _run("x »")
    )
    space_paragraph(p)
    assert _texts(p) == ["Source", NBSP, ": Secrétariat", f"75{NBSP}", "%", f"«{NBSP}", f"x{NBSP}»"]
    # A run now ending with a space says so, or Word would drop it.
    assert all(
        t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
        for t in p.iter(qn("w:t"))
        if t.text[:1] == NBSP or t.text[-1:] == NBSP
    )


def test_tabs_breaks_and_field_codes_are_left_alone():
    instruction = ' HYPERLINK "https://ex.org/a?b=1" \\o "Aide : voir" '
    p = _paragraph(
        _run("Libellé ")
        + "<w:r><w:tab/></w:r>"
        + _run(": après une tabulation")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run("10:30")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    space_paragraph(p)
    assert _texts(p) == ["Libellé ", ": après une tabulation", "10:30"]
    assert p.find(f".//{qn('w:instrText')}").text == instruction


def test_text_box_text_is_spaced_by_its_own_paragraph_only():
    # A text box's paragraph sits inside a run of the outer one: its text is neither
    # joined with the outer text around it nor left unspaced.
    box = (
        "<w:r><w:pict><w:txbxContent><w:p>"
        + _run("Encadré ")
        + _run(": note")
        + "</w:p></w:txbxContent></w:pict></w:r>"
    )
    p = _paragraph(_run("Avant ") + box + _run(": après") + _run("Fin ") + _run("; ici"))
    space_paragraph(p)
    inner = p.find(f".//{qn('w:txbxContent')}/{qn('w:p')}")
    assert _texts(p) == ["Avant ", "Encadré ", ": note", ": après", f"Fin{NNBSP}", "; ici"]
    space_paragraph(inner)
    assert _texts(inner) == [f"Encadré{NBSP}", ": note"]


def test_rendering_spaces_template_text_data_and_headers(tmp_path):
    doc = Document()
    doc.add_paragraph("Taux : {{ taux }} ; thème « {{ theme }} »")
    doc.sections[0].header.paragraphs[0].text = "Rapport : {{ titre }}"
    template = tmp_path / "modele.docx"
    doc.save(template)
    context = {"taux": "50 %", "theme": "Objet : suivi", "titre": "T1 ?"}
    result = Document(io.BytesIO(render_document(template, context)))
    assert result.paragraphs[0].text == (
        f"Taux{NBSP}: 50{NBSP}%{NNBSP}; thème «{NBSP}Objet{NBSP}: suivi{NBSP}»"
    )
    assert result.sections[0].header.paragraphs[0].text == f"Rapport{NBSP}: T1{NNBSP}?"


# --- Every document of the sample build ---

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# An ordinary space where French needs a non-breaking one, or the other kind of one.
ORDINARY_SPACE = re.compile(r" (?=[:;!?%»])|(?<=«) ")
WRONG_KIND = re.compile(f"{NBSP}(?=[;!?])|{NNBSP}(?=[:%»])|(?<=«){NNBSP}")
SPACED = re.compile(f"{NBSP}[:%»]|{NNBSP}[;!?]|«{NBSP}")
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _paragraph_texts(path):
    """What a reader sees, paragraph by paragraph, in every text part of a .docx."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if TEXT_PARTS.search(name):
                root = etree.fromstring(archive.read(name))
                for p in root.iter(W + "p"):
                    yield "".join(t.text or "" for t in p.iter(W + "t"))


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    build(SAMPLE, out, today=SAMPLE_DATE)
    return out


def test_no_ordinary_space_before_high_marks_in_the_sample(sample_build):
    sample_documents = sorted(sample_build.rglob("*.docx"))
    assert len(sample_documents) > 80  # every kind of document, every minute
    found, spaced = [], 0
    for path in sample_documents:
        for text in _paragraph_texts(path):
            spaced += len(SPACED.findall(text))
            for match in [*ORDINARY_SPACE.finditer(text), *WRONG_KIND.finditer(text)]:
                found.append(f"{path.name}: …{text[max(0, match.start() - 30) : match.end() + 5]}")
    assert not found, "\n".join(found[:20])
    assert spaced > 300  # the marks are there, with their non-breaking spaces


def test_the_forecast_workbook_text_is_spaced_too(sample_build):
    workbook = next(sample_build.glob("prevision_decaissements_*.xlsx"))
    texts = [
        cell.value
        for sheet in openpyxl.load_workbook(workbook)
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert any(NNBSP + ";" in text for text in texts)
    assert not [text for text in texts if ORDINARY_SPACE.search(text) or WRONG_KIND.search(text)]


_TYPED = st.text(alphabet=st.sampled_from(list("ab1 :;!?%«»/\u00a0\u202f")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=_TYPED, cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=5))
def test_runs_get_the_spacing_of_their_joined_text(text, cuts):
    # However Word split the text into runs, the runs end up as the whole text would.
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    p = _paragraph("".join(_run(escape(piece)) for piece in pieces))
    space_paragraph(p)
    assert "".join(_texts(p)) == french_spacing(text)
    # Only spaces change, and a second pass changes nothing.
    assert re.sub(r"[ \u00a0\u202f]", "", french_spacing(text)) == re.sub(
        r"[ \u00a0\u202f]", "", text
    )
    assert french_spacing(french_spacing(text)) == french_spacing(text)


@settings(max_examples=300, deadline=None)
@given(text=_TYPED, cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=5))
@example(text="a«b", cuts=[2]).via("a guillemet ends a run")
@example(text="a :b", cuts=[2]).via("a colon starts a run")
def test_paragraphs_left_unread_need_no_spacing(text, cuts):
    # paragraphs_to_space leaves out a paragraph whose marked runs are each spaced
    # right on their own: its joined text must then need no edit either.
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    p = _paragraph("".join(_run(escape(piece)) for piece in pieces))
    if not paragraphs_to_space(p.iter(qn("w:t"))):
        assert french_spacing(text) == text
