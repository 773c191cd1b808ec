"""Stage 4: rendering templates safely (escaping, merges, template errors)."""

from __future__ import annotations

import gc
import io

import pytest
from docx import Document
from docx.oxml.document import CT_Document
from docx.oxml.ns import qn

from pipeline.exceptions import TemplateProblem
from pipeline.render import make_environment, render_document
from pipeline.render.typography import french_spacing
from tests.conftest import ROOT


def make_template(
    tmp_path, *paragraphs: str, table: list[list[str]] | None = None, name: str = "modele.docx"
):
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    path = tmp_path / name
    doc.save(path)
    return path


def rendered(data: bytes) -> Document:
    return Document(io.BytesIO(data))


TRICKY = "A & B < C > \"guillemets\" 'apostrophe' {{ x }} {% if %} 😀 " + "é" * 30000


def test_data_comes_out_unchanged_and_is_never_evaluated(tmp_path):
    template = make_template(tmp_path, "{{ value }}")
    doc = rendered(render_document(template, {"value": TRICKY}))
    # The data's own characters; only its spaces before "%" follow French typography.
    assert doc.paragraphs[0].text == french_spacing(TRICKY) != TRICKY


def test_line_breaks_become_word_breaks(tmp_path):
    template = make_template(tmp_path, "{{ value }}")
    doc = rendered(render_document(template, {"value": "ligne 1\nligne 2 & fin"}))
    paragraph = doc.paragraphs[0]
    assert paragraph.text == "ligne 1\nligne 2 & fin"
    assert paragraph._p.findall(f".//{qn('w:br')}")


def test_fusion_merges_equal_neighbours_vertically(tmp_path):
    template = make_template(
        tmp_path,
        table=[
            ["{%tr for row in rows %}", ""],
            ["{{ row.group }}{{ fusion(row.group) }}", "{{ row.item }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    rows = [{"group": "A", "item": "1"}, {"group": "A", "item": "2"}, {"group": "B", "item": "3"}]
    doc = rendered(render_document(template, {"rows": rows}))
    table = doc.tables[0]
    merges = [tr.findall(f".//{qn('w:vMerge')}") for tr in table._tbl.tr_lst]
    # restart, then continue (an empty vMerge), then a new group with nothing to merge
    assert [[m.get(qn("w:val")) for m in found] for found in merges] == [["restart"], [None], []]
    assert [c.text for c in table.columns[1].cells] == ["1", "2", "3"]
    assert "\ue000" not in "".join(c.text for c in table.columns[0].cells)
    assert table.cell(2, 0).text == "B"


def test_misspelled_variable_names_template_and_variable(tmp_path):
    template = make_template(tmp_path, "Bonjour {{ plan.titre }}", name="pta.docx")
    with pytest.raises(TemplateProblem) as info:
        render_document(template, {"plan": {"title": "x"}})
    assert "pta.docx" in str(info.value) and "titre" in str(info.value)


def test_syntax_error_names_template_and_surrounding_text(tmp_path):
    template = make_template(tmp_path, "Avant", "{% for x in %}", "Après", name="rapport.docx")
    with pytest.raises(TemplateProblem) as info:
        render_document(template, {})
    message = str(info.value)
    assert "rapport.docx" in message and "syntaxe" in message


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ fusion.__globals__ }}",
        # str.format reads attributes too: the sandbox wraps it whatever path reaches it.
        "{{ '{0.__globals__}'.format(fusion) }}",
        "{{ '{f.__globals__}'.format_map({'f': fusion}) }}",
    ],
)
def test_template_injection_is_stopped_by_the_sandbox(tmp_path, payload):
    template = make_template(tmp_path, payload)
    with pytest.raises(TemplateProblem):
        render_document(template, {})


def test_missing_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateProblem, match="introuvable"):
        render_document(tmp_path / "absent.docx", {})


def test_tag_split_across_formatted_runs_still_renders(tmp_path):
    doc = Document()
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ val")
    paragraph.add_run("ue }}").bold = True
    path = tmp_path / "coupe.docx"
    doc.save(path)
    assert rendered(render_document(path, {"value": "ok"})).paragraphs[0].text == "ok"


@pytest.mark.parametrize(
    "content_type, word",
    [
        ("application/vnd.ms-word.document.macroEnabled.main+xml", ".docm"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
            ".dotx",
        ),
    ],
)
def test_docm_and_dotx_templates_are_refused_with_a_fix(tmp_path, content_type, word):
    import zipfile

    source = make_template(tmp_path, "{{ value }}")
    target = tmp_path / "pta.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    content_type.encode(),
                )
            dst.writestr(item, data)
    with pytest.raises(TemplateProblem) as info:
        render_document(target, {"value": "x"})
    assert word in str(info.value) and "pta.docx" in str(info.value)


def test_corrupt_template_is_refused(tmp_path):
    path = tmp_path / "pta.docx"
    path.write_bytes(b"pas un document")
    with pytest.raises(TemplateProblem, match="pas un document Word"):
        render_document(path, {})


def test_cell_properties_are_in_schema_order(tmp_path):
    template = make_template(tmp_path, table=[["{% cellbg 'FF0000' %}{% colspan 1 %}x"]])
    doc = rendered(render_document(template, {}))
    tc_pr = doc.tables[0]._tbl.tr_lst[0].tc_lst[0].tcPr
    tags = [child.tag.split("}")[1] for child in tc_pr]
    assert tags == ["tcW", "gridSpan", "shd"]


def test_a_cell_emptied_by_a_loop_keeps_a_paragraph(tmp_path):
    doc = Document()
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "{%p for x in items %}"
    cell.add_paragraph("{{ x }}")
    cell.add_paragraph("{%p endfor %}")
    path = tmp_path / "vide.docx"
    doc.save(path)
    out = rendered(render_document(path, {"items": []}))
    assert out.tables[0]._tbl.tr_lst[0].tc_lst[0].findall(qn("w:p"))


def test_table_properties_are_in_schema_order_without_duplicates(tmp_path):
    from docx.oxml import OxmlElement

    doc = Document()
    table = doc.add_table(rows=1, cols=1)
    table.autofit = False  # one tblLayout, in place
    extra = OxmlElement("w:tblLayout")
    extra.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(extra)  # a second one after tblLook, as a hand edit may leave
    path = tmp_path / "tableau.docx"
    doc.save(path)
    tbl_pr = rendered(render_document(path, {})).tables[0]._tbl.tblPr
    tags = [child.tag.split("}")[1] for child in tbl_pr]
    assert tags.count("tblLayout") == 1
    assert tags.index("tblLayout") < tags.index("tblLook")


def test_column_loop_keeps_the_fixed_columns_widths(tmp_path):
    from docx.shared import Cm

    doc = Document()
    table = doc.add_table(rows=1, cols=5)
    widths = [6, 1, 1, 1, 4]  # label, loop start, month, loop end, bodies
    texts = ["Libellé", "{%tc for m in months %}", "{{ m }}", "{%tc endfor %}", "Fin"]
    for cell, width, text in zip(table.rows[0].cells, widths, texts):
        cell.width = Cm(width)
        cell.text = text
    path = tmp_path / "colonnes.docx"
    doc.save(path)
    out = rendered(render_document(path, {"months": list("SONDJ")}))
    grid = [int(c.get(qn("w:w"))) for c in out.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 7
    assert grid[0] == max(grid) and grid[1:6] == [grid[1]] * 5  # label widest, months equal
    assert abs(grid[0] / grid[-1] - 6 / 4) < 0.05  # fixed columns keep their proportions


def test_tabs_in_the_data_become_word_tabs(tmp_path):
    template = make_template(tmp_path, "{{ value }}")
    paragraph = rendered(render_document(template, {"value": "avant\taprès"})).paragraphs[0]
    assert paragraph.text == "avant\taprès"
    assert paragraph._p.findall(f".//{qn('w:tab')}")


def test_documents_of_one_template_do_not_share_what_they_render(tmp_path):
    # What one document renders must never reach the next.
    doc = Document()
    doc.add_paragraph("Objet : {{ value }}")
    doc.sections[0].header.paragraphs[0].text = "En-tête : {{ value }}"
    doc.core_properties.title = "{{ value }}"
    path = tmp_path / "modele.docx"
    doc.save(path)
    first = render_document(path, {"value": "un"})
    second = rendered(render_document(path, {"value": "deux"}))
    assert render_document(path, {"value": "un"}) == first
    assert "deux" in second.paragraphs[0].text
    assert "deux" in second.sections[0].header.paragraphs[0].text
    assert second.core_properties.title == "deux"
    assert "un" in rendered(first).sections[0].header.paragraphs[0].text


def test_a_rendered_document_leaves_no_body_to_the_cycle_collector(tmp_path):
    # python-docx's parts refer to each other: whatever of a rendered document is left
    # waits for the cycle collector. Its body (1 GB for the 300-fold annual review) must
    # not, or a worker holds several large documents at once.
    template = make_template(tmp_path, "{{ value }}", table=[["a", "b"], ["c", "d"]])
    env = make_environment()  # keeps the prepared template, which is not garbage
    render_document(template, {"value": "texte"}, env)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        render_document(template, {"value": "texte"}, env)
        gc.collect()
        bodies = [len(o.body) for o in gc.garbage if isinstance(o, CT_Document)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert bodies and not any(bodies)


@pytest.mark.parametrize(
    "tag, code",
    [
        ("{{ 1/0 }}", "1/0"),
        ("{{ 'texte' + 1 }}", "'texte' + 1"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range(10**9)"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "range(100000)",
        ),
        ('{{ "x" * 10**9 }}', '"x" * 10**9'),
        ("{{ 10 ** 1000000 }}", "10 ** 1000000"),
        ('{{ "%999999999d" % 1 }}', "%999999999d"),
    ],
)
def test_runtime_error_in_a_tag_names_the_template_and_the_tag(tmp_path, tag, code):
    template = make_template(tmp_path, "Avant", tag, "Après", name="rapport.docx")
    with pytest.raises(TemplateProblem) as info:
        render_document(template, {})
    message = str(info.value)
    assert "rapport.docx" in message and code in message
    assert "Avant" not in message and "Après" not in message  # the tag, not its neighbours


def test_loop_budget_is_per_document(tmp_path):
    from pipeline.render import MAX_RANGE_ITEMS, make_environment

    env = make_environment()
    template = make_template(tmp_path, f"{{% for i in range({MAX_RANGE_ITEMS}) %}}{{% endfor %}}")
    for _ in range(3):  # each document has the whole budget
        render_document(template, {}, env)


def test_an_error_outside_the_tags_is_not_blamed_on_the_template(tmp_path, monkeypatch):
    from pipeline.render import core

    template = make_template(tmp_path, "{{ value }}")
    monkeypatch.setattr(core, "with_charts", lambda doc, value: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        render_document(template, {"value": 1})


# --- The two docxtpl methods replaced for speed, compared with docxtpl's own ---------

SHIPPED = sorted(p for p in (ROOT / "templates").glob("*.docx") if p.name != "charte.docx")


def _parts_docxtpl_cleans(path):
    """The XML that docxtpl's render hands to patch_xml: the body, headers, footers."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(path))
    doc.init_docx()
    sources = [doc.get_xml()]
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        sources += [doc.get_part_xml(part) for _key, part in doc.get_headers_footers(uri)]
    return doc, sources


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_patch_xml_gives_what_docxtpl_gives_on_every_shipped_template(path, tmp_path):
    """If this fails after a docxtpl upgrade, its patch_xml changed: the cached copy in
    pipeline.render.core._Template must follow it (see docs/maintenance.md)."""
    from docxtpl import DocxTemplate

    from pipeline.render.cache import Cache
    from pipeline.render.core import _Template

    plain, sources = _parts_docxtpl_cleans(path)
    ours = _Template(str(path), Cache(tmp_path))
    for source in sources:
        expected = DocxTemplate.patch_xml(plain, source)
        assert ours.patch_xml(source) == expected  # made
        assert ours.patch_xml(source) == expected  # read from the cache


def _png() -> bytes:
    """A 1×1 white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def with_pictures(tmp_path):
    """A template whose body holds pictures (drawings declare their own namespaces)."""
    doc = Document()
    for number in range(3):
        doc.add_paragraph(f"Image {number}")
        doc.add_picture(io.BytesIO(_png()))
    path = tmp_path / "images.docx"
    doc.save(path)
    return path


def test_map_tree_has_docxtpls_effect_with_drawings(with_pictures, monkeypatch):
    from pipeline.render import core

    _assert_map_tree_as_docxtpls(with_pictures)
    monkeypatch.setattr(core, "LINEAR_SWAP_FROM", 0)
    _assert_map_tree_as_docxtpls(with_pictures)


@pytest.mark.parametrize("linear_from", [0, 10**9], ids=["linéaire", "replace"])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_map_tree_has_docxtpls_effect_on_every_shipped_template(path, linear_from, monkeypatch):
    """If this fails after a docxtpl upgrade, its map_tree changed: the linear swap in
    pipeline.render.core._Template must follow it (see docs/maintenance.md)."""
    from pipeline.render import core

    monkeypatch.setattr(core, "LINEAR_SWAP_FROM", linear_from)
    _assert_map_tree_as_docxtpls(path)


def test_map_tree_keeps_text_that_looks_like_the_attribute(tmp_path, monkeypatch):
    from pipeline.render import core

    monkeypatch.setattr(core, "LINEAR_SWAP_FROM", 0)
    template = make_template(tmp_path, " {{ value }}", 'texte troika-espace="x"')
    doc = rendered(render_document(template, {"value": 'a xml:space="b'}))
    assert [p.text for p in doc.paragraphs] == [' a xml:space="b', 'texte troika-espace="x"']


_WP = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'


def _assert_map_tree_as_docxtpls(path):
    from docxtpl import DocxTemplate
    from lxml import etree

    from pipeline.render.cache import Cache
    from pipeline.render.core import _Template

    documents = []
    for doc in (DocxTemplate(str(path)), _Template(str(path), Cache(None))):
        doc.init_docx()
        # A new body as docxtpl's render makes it: the text parsed by its fix_tables.
        # Drawings placed by a tag declare namespaces the document's root declares too.
        xml = doc.get_xml().replace("</w:p>", "</w:p><w:p/>", 3)
        tree = doc.fix_tables(xml.replace("<wp:inline ", f"<wp:inline {_WP} "))
        doc.map_tree(tree)
        del tree  # as render() returns: the body's elements get python-docx's classes
        documents.append(doc.docx)
    theirs, ours = (etree.tostring(d.element, method="c14n", exclusive=True) for d in documents)
    assert ours == theirs
    assert b"<w:p></w:p>" in ours
    assert [p.text for p in documents[1].paragraphs] == [p.text for p in documents[0].paragraphs]


def test_docxtpl_still_renders_through_the_replaced_methods(tmp_path):
    """The replacements are used only while docxtpl's render calls them: once each part
    for patch_xml, once for map_tree, with the tree that becomes the body."""
    from pipeline.render.cache import Cache
    from pipeline.render.core import _Template

    doc_ = Document()
    doc_.add_paragraph("{{ value }}")
    doc_.sections[0].header.paragraphs[0].text = "En-tête {{ value }}"
    path = tmp_path / "modele.docx"
    doc_.save(path)
    calls = []

    class Spy(_Template):
        def patch_xml(self, src_xml):
            calls.append("patch_xml")
            return super().patch_xml(src_xml)

        def map_tree(self, tree):
            calls.append("map_tree")
            return super().map_tree(tree)

    doc = Spy(str(path), Cache(None))
    doc.render({"value": "un"}, autoescape=True)
    assert calls == ["patch_xml", "map_tree", "patch_xml"]
    buffer = io.BytesIO()
    doc.save(buffer)
    out = rendered(buffer.getvalue())
    assert out.paragraphs[0].text == "un"
    assert out.sections[0].header.paragraphs[0].text == "En-tête un"


# --- The passes before rendering -----------------------------------------------------


def test_direct_formatting_is_dropped_before_the_tags_are_read(tmp_path):
    from docx.shared import Pt, RGBColor

    doc = Document()
    run = doc.add_paragraph().add_run("{{ value }}")
    run.font.size, run.font.color.rgb, run.font.name, run.bold = (
        Pt(20),
        RGBColor(255, 0, 0),
        "Arial",
        True,
    )
    path = tmp_path / "forme.docx"
    doc.save(path)
    out = rendered(render_document(path, {"value": "texte"}))
    paragraph = out.paragraphs[0]
    assert paragraph.text == "texte"
    r_pr = paragraph.runs[0]._r.rPr
    assert [child.tag.split("}")[1] for child in r_pr] == ["b"]  # bold is allowed


def test_drop_direct_formatting_keeps_text_and_cell_fills_made_by_tags(tmp_path):
    from pipeline.render.charter import drop_direct_formatting

    template = make_template(tmp_path, table=[["{% cellbg 'FF0000' %}x"]])
    doc = Document(template)
    drop_direct_formatting(doc)  # on a template without direct formatting: nothing
    assert doc.tables[0].cell(0, 0).text == "{% cellbg 'FF0000' %}x"
    out = rendered(render_document(template, {}))
    shd = out.tables[0]._tbl.tr_lst[0].tc_lst[0].tcPr.find(qn("w:shd"))
    assert shd.get(qn("w:fill")) == "FF0000"


def test_the_charter_styles_replace_the_templates_and_its_own_styles_stay(tmp_path):
    from pipeline.render.charter import apply_styles, load_charter

    charter = load_charter(ROOT / "templates" / "charte.docx")
    doc = Document()
    normal = doc.styles["Normal"].element
    normal.get_or_add_rPr()  # the template's own Normal: replaced by the charter's
    doc.styles.add_style("Propre au modèle", 1)
    charter_ids = [s.get(qn("w:styleId")) for s in charter.styles.iter(qn("w:style"))]
    own = [
        s.get(qn("w:styleId"))
        for s in doc.styles.element.iter(qn("w:style"))
        if s.get(qn("w:styleId")) not in charter_ids
    ]
    assert "Normal" not in own and own[-1] == "Propreaumodèle"
    apply_styles(doc, charter)
    ids = [s.get(qn("w:styleId")) for s in doc.styles.element.iter(qn("w:style"))]
    assert ids == charter_ids + own
    charter_normal = next(
        s for s in charter.styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Normal"
    )
    from lxml import etree

    assert etree.tostring(doc.styles["Normal"].element, method="c14n") == etree.tostring(
        charter_normal, method="c14n"
    )


def test_a_column_loop_is_found_even_split_across_runs(tmp_path):
    from pipeline.render.tables import uses_column_loop

    doc = Document()
    paragraph = doc.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    paragraph.add_run("{%t")
    paragraph.add_run("c for m in months %}")
    assert uses_column_loop(doc)
    assert not uses_column_loop(Document(make_template(tmp_path, "{%p for m in months %}")))


# --- Caches that can never be wrong or in the way -------------------------------------


def _cache_files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def cached_template(tmp_path):
    """A template, its document rendered without any cache, and a cache folder."""
    from pipeline.render import make_environment
    from pipeline.render.cache import Cache
    from pipeline.render.core import _Environment

    template = make_template(
        tmp_path, "{%p if value %}", "Objet : {{ value }}", "{%p endif %}", table=[["{{ value }}"]]
    )
    env = make_environment(tmp_path / "cache")
    expected = render_document(template, {"value": "un"}, env)
    assert isinstance(env, _Environment) and isinstance(env.cache, Cache)
    return template, expected, tmp_path / "cache"


def test_the_cache_changes_nothing_in_the_document(cached_template, tmp_path):
    from pipeline.render import make_environment

    template, expected, folder = cached_template
    assert _cache_files(folder)
    # A new process's environment, reading what the first one kept.
    assert render_document(template, {"value": "un"}, make_environment(folder)) == expected
    env = make_environment(tmp_path / "absent" / "cache")
    assert render_document(template, {"value": "un"}, env) == expected


def test_the_next_run_reads_its_work_from_the_cache(cached_template, monkeypatch):
    from docxtpl import DocxTemplate

    from pipeline.render import make_environment

    template, expected, folder = cached_template
    env = make_environment(folder)
    monkeypatch.setattr(env, "compile", lambda *_a, **_k: pytest.fail("compiled again"))
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda *_a, **_k: pytest.fail("cleaned again"))
    assert render_document(template, {"value": "un"}, env) == expected


@pytest.mark.parametrize("damage", ["altérer", "tronquer", "vider", "supprimer", "échanger"])
def test_a_damaged_cache_entry_changes_no_document_and_is_replaced(cached_template, damage):
    from pipeline.render import make_environment

    template, expected, folder = cached_template
    files = _cache_files(folder)
    assert len(files) >= 3  # the body and the cleaned part, compiled; the properties
    contents = {path: path.read_bytes() for path in files}
    for index, path in enumerate(files):
        data = contents[path]
        if damage == "altérer":  # one byte of the value changed
            path.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
        elif damage == "tronquer":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "vider":
            path.write_bytes(b"")
        elif damage == "supprimer":
            path.unlink()
        else:  # an intact entry of another key under this key's name
            path.write_bytes(contents[files[(index + 1) % len(files)]])
    assert render_document(template, {"value": "un"}, make_environment(folder)) == expected
    assert {path: path.read_bytes() for path in _cache_files(folder)} == contents


def test_an_unwritable_or_unusable_cache_stops_no_build(cached_template, tmp_path, monkeypatch):
    import os

    from pipeline.render import cache, make_environment

    template, expected, folder = cached_template
    for path in _cache_files(folder):
        path.unlink()
    for directory in [folder, *folder.iterdir()]:
        directory.chmod(0o500)  # read-only (root writes anyway: see the refusal below)
    try:

        def refuse(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
        assert render_document(template, {"value": "un"}, make_environment(folder)) == expected
    finally:
        for directory in [folder, *folder.iterdir()]:
            directory.chmod(0o700)
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("x")
    assert render_document(template, {"value": "un"}, make_environment(not_a_folder)) == expected
    assert os.path.isfile(not_a_folder)


def test_other_versions_are_cleaned_and_the_cache_is_bounded(cached_template, monkeypatch):
    from pipeline.render import cache, make_environment

    template, expected, folder = cached_template
    old = folder / "ancienne-version"
    old.mkdir()
    (old / "entree").write_bytes(b"x" * 1000)
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    make_environment(folder)
    assert not old.exists()
    assert len(_cache_files(folder)) <= 1


def test_a_version_used_lately_keeps_its_entries(cached_template):
    # Two installed versions used in turn must not delete each other's work at every
    # run; a version left unused for a month is deleted.
    import os
    import time

    from pipeline.render import make_environment

    _template, _expected, folder = cached_template
    recent, stale = folder / "autre-version", folder / "version-oubliee"
    for other in (recent, stale):
        other.mkdir()
        (other / "entree").write_bytes(b"x")
    long_ago = time.time() - 30 * 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    make_environment(folder)
    assert (recent / "entree").exists()
    assert not stale.exists()


def test_a_template_edited_in_place_is_rendered_as_edited(tmp_path):
    """Same size, same modification time: a long-running process (the browser page)
    still renders the new text."""
    import os

    from pipeline.render import make_environment

    template = make_template(tmp_path, "Version AAAA : {{ value }}")
    env = make_environment(tmp_path / "cache")
    assert "AAAA" in rendered(render_document(template, {"value": "x"}, env)).paragraphs[0].text
    stat = template.stat()
    edited = make_template(tmp_path, "Version BBBB : {{ value }}", name="autre.docx").read_bytes()
    assert len(edited) == stat.st_size
    template.write_bytes(edited)
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert template.stat().st_mtime_ns == stat.st_mtime_ns
    assert "BBBB" in rendered(render_document(template, {"value": "x"}, env)).paragraphs[0].text
