"""Stage 4: rendering templates safely (escaping, merges, template errors)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.exceptions import TemplateProblem
from pipeline.render import render_document
from pipeline.render.typography import french_spacing


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


@pytest.mark.parametrize("months", ["", "S", "SON", "SONDJFMAMJJA"])
def test_grids_are_fitted_to_the_rows_as_docxtpl_fits_them(months):
    # Our fit_grids_to_rows replaces docxtpl's fix_tables (one parse instead of three):
    # the same tables must come out with the same grid, widened or narrowed.
    from docxtpl import DocxTemplate
    from lxml import etree

    from pipeline.render.tables import fit_grids_to_rows

    def cell(width, span=1):
        span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}</w:tcPr><w:p/></w:tc>'

    looped = "".join(cell(700) for _ in months)
    body = (
        f'<w:body xmlns:w="{qn("w:w")[1:].split("}")[0]}"><w:tbl><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in (3001, 701, 699, 2003))
        + f"</w:tblGrid><w:tr>{cell(3000)}{looped}{cell(2000)}</w:tr>"
        + f"<w:tr>{cell(3700, span=2)}{cell(2000)}</w:tr></w:tbl></w:body>"
    )
    theirs = DocxTemplate.fix_tables(None, body)
    ours = etree.fromstring(body)
    fit_grids_to_rows(list(ours.iter(qn("w:tbl"))))
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_tabs_in_the_data_become_word_tabs(tmp_path):
    template = make_template(tmp_path, "{{ value }}")
    paragraph = rendered(render_document(template, {"value": "avant\taprès"})).paragraphs[0]
    assert paragraph.text == "avant\taprès"
    assert paragraph._p.findall(f".//{qn('w:tab')}")


def test_documents_of_one_template_do_not_share_what_they_render(tmp_path):
    # Each document starts from a copy of the template parsed once (see
    # render._prepared_document): what one renders must never reach the next.
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


@pytest.fixture
def bytecode_cache(tmp_path, monkeypatch):
    """Jinja's compiled templates cached in a folder of the test's own."""
    from jinja2.bccache import FileSystemBytecodeCache

    from pipeline import render

    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(
        render, "_bytecode_cache", lambda: FileSystemBytecodeCache(str(folder), "troika-%s.jinja")
    )
    return folder


def test_the_next_run_loads_compiled_templates_instead_of_compiling(
    tmp_path, bytecode_cache, monkeypatch
):
    from pipeline.render import make_environment

    template = make_template(tmp_path, "{{ value }}")
    first = render_document(template, {"value": "un"}, make_environment())
    assert list(bytecode_cache.iterdir())
    env = make_environment()  # a new process's environment
    monkeypatch.setattr(env, "compile", lambda *_a, **_k: pytest.fail("compiled again"))
    assert render_document(template, {"value": "un"}, env) == first


def test_the_next_run_loads_cleaned_template_parts_instead_of_cleaning(
    tmp_path, bytecode_cache, monkeypatch
):
    from docxtpl import DocxTemplate

    from pipeline import render

    template = make_template(tmp_path, "{%p if value %}", "{{ value }}", "{%p endif %}")
    monkeypatch.setattr(render._Template, "_patched", {})
    first = render_document(template, {"value": "un"}, render.make_environment())
    monkeypatch.setattr(render._Template, "_patched", {})  # a new process's memory
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda *_a, **_k: pytest.fail("cleaned again"))
    assert render_document(template, {"value": "un"}, render.make_environment()) == first


def test_code_compiled_for_another_environment_is_not_loaded(tmp_path, bytecode_cache):
    from pipeline.render import make_environment

    template = make_template(tmp_path, "{{ value }}")
    render_document(template, {"value": "un"}, make_environment())
    env = make_environment()
    env.filters["nouveau"] = str  # compiled code depends on the filters
    compiled = []
    compile_ = env.compile
    env.compile = lambda *args, **kwargs: compiled.append(1) or compile_(*args, **kwargs)
    render_document(template, {"value": "un"}, env)
    assert compiled


@pytest.mark.parametrize("problem", ["pas un dossier", "disque plein"])
def test_an_unusable_cache_costs_time_not_the_build(tmp_path, monkeypatch, problem):
    import errno

    from jinja2.bccache import FileSystemBytecodeCache

    from pipeline import render

    class FullDisk(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket):
            raise OSError(errno.ENOSPC, "No space left on device")

    if problem == "pas un dossier":
        folder = tmp_path / "fichier"
        folder.write_text("x")
        cache = FileSystemBytecodeCache(str(folder), "troika-%s.jinja")
    else:
        cache = FullDisk(str(tmp_path), "troika-%s.jinja")
    monkeypatch.setattr(render, "_bytecode_cache", lambda: cache)
    template = make_template(tmp_path, "{{ value }}")
    assert rendered(render_document(template, {"value": "un"})).paragraphs[0].text == "un"


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
    from pipeline import render

    template = make_template(tmp_path, "{{ value }}")
    monkeypatch.setattr(render, "with_charts", lambda doc, value: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        render_document(template, {"value": 1})


# --- Large bodies, finished in groups of top-level elements ---


def _count_groups(monkeypatch) -> list[int]:
    """Record the size (characters) of each group the renderer finishes on its own."""
    from pipeline import render

    sizes: list[int] = []
    finish = render._Template._finish_group

    def counted(self, start_tag, group):
        sizes.append(sum(len(piece) for piece in group))
        return finish(self, start_tag, group)

    monkeypatch.setattr(render._Template, "_finish_group", counted)
    return sizes


def test_a_large_body_is_never_parsed_whole(tmp_path, monkeypatch):
    from pipeline import render

    template = make_template(
        tmp_path,
        "{%p for item in items %}",
        "Point {{ item }} : fait.",
        "{%p endfor %}",
        "Fin.",
        table=[
            ["{%tr for item in items %}", ""],
            ["{{ item }}", "ligne {{ item }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    items = list(range(2000))
    whole = render_document(template, {"items": items})
    monkeypatch.setattr(render, "PIECE_CHARS", 5_000)
    monkeypatch.setattr(render, "GROUP_CHARS", 20_000)
    sizes = _count_groups(monkeypatch)
    grouped = render_document(template, {"items": items})
    # The paragraphs are finished a few at a time (the table, one element, after them).
    assert len(sizes) >= 4
    assert max(sizes[:4]) < 20_000 + 5_000
    assert grouped == whole
    doc = rendered(grouped)
    assert [p.text for p in doc.paragraphs[:2]] == [
        french_spacing("Point 0 : fait."),
        french_spacing("Point 1 : fait."),
    ]
    assert doc.paragraphs[-1].text == "Fin."
    assert len(doc.tables[0].rows) == 2000


@pytest.mark.parametrize(
    "template",
    [
        "bilan_annuel.docx",
        "rapport_trimestriel.docx",
        "compte_rendu.docx",
        "pta.docx",
        "discours.docx",
        "aide_memoire.docx",
        "flash_info.docx",
    ],
)
def test_the_shipped_templates_give_the_same_bytes_in_groups(template, monkeypatch):
    """Every top-level element its own group: merged cells, layout rules, the signature
    kept with its paragraph, French spacing, drawings' numbering come out as whole."""
    import datetime as dt

    from pipeline import render
    from pipeline.build import TEMPLATES, load
    from pipeline.documents import Options, plan_outputs
    from pipeline.report import Report
    from tests.conftest import SAMPLE

    today = dt.date(2022, 7, 15)
    outputs = plan_outputs(load(SAMPLE, Report(), today), Options(today))
    output = next(o for o in outputs if o.template == template)
    env = render.make_environment()
    whole = render_document(TEMPLATES / template, output.context, env, day=today)
    monkeypatch.setattr(render, "PIECE_CHARS", 1)
    monkeypatch.setattr(render, "GROUP_CHARS", 0)
    sizes = _count_groups(monkeypatch)
    assert render_document(TEMPLATES / template, output.context, env, day=today) == whole
    assert len(sizes) > 1
