"""End to end: the shipped sample builds the PTA in the official layout; a defective
workbook builds nothing and leaves build/ as it was."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import signal
import sys

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from pipeline.build import build, load
from pipeline.exceptions import InvalidWorkbook, TemplateProblem
from pipeline.render.typography import french_spacing
from pipeline.report import Report
from tests.conftest import FIXTURES, SAMPLE, docx_text

BUILD_DATE = dt.date(2022, 6, 30)


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = build(SAMPLE, out, today=BUILD_DATE)
    return out, result


@pytest.fixture(scope="module")
def pta(sample_build):
    out, _ = sample_build
    return Document(out / "pta_2021-2022.docx")


def _cell_text(tc) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p"))]


def plan_rows(doc):
    """The plan table's rows as lists of <w:tc>, header rows first."""
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "AXES")
    return [tr.findall(qn("w:tc")) for tr in table._tbl.tr_lst]


def test_title_block_and_sections(pta):
    text = docx_text_of(pta)
    assert (
        "Plan de travail annuel 2021 – 2022\nde la Troïka des partenaires techniques et "
        "financiers du Burkina Faso"
    ) in text
    assert "Mai 2022" in text
    headings = [p.text for p in pta.paragraphs if p.style.name == "Titre de partie"]
    assert headings[0] == "1. Introduction"
    assert headings[1].startswith("2. Présentation du Plan de travail annuel (PTA) 2021-2022")
    assert headings[2] == "3. Résultats attendus du mandat 2021-2022"
    bullets = [p.text for p in pta.paragraphs if p.style.name == "Puce"]
    assert "mettre en œuvre le principe de la division du travail\u202f;" in bullets
    assert "l'aide publique au développement est mieux prévisible\u202f;" in bullets
    assert "4. Veiller au bon fonctionnement du secrétariat technique de la troïka." in text


def docx_text_of(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_every_activity_with_its_code_label_and_bodies(pta):
    plan = load(SAMPLE, Report()).plan
    rows = plan_rows(pta)[2:]
    assert len(rows) == 34
    for activity, cells in zip(plan.activities, rows):
        assert _cell_text(cells[2]) == [activity.code]
        assert _cell_text(cells[3]) == [activity.title]
        assert _cell_text(cells[-1]) == [b.name for b in activity.bodies]
    assert _cell_text(rows[1][3]) == [
        "Rencontre entre les chefs de files sectoriels pour la présentation des groupes thématiques"
    ]
    assert _cell_text(rows[1][-1]) == [
        "Troïka technique (élargi au groupe de réflexion)",
        "Chefs de file sectoriel",
        "Secrétariat technique",
        "SP PNDES et DGESS ministères",
        "président CSD",
        "DGCOOP",
    ]


def test_scheduled_months_are_shaded(pta):
    plan = load(SAMPLE, Report()).plan
    months = plan.mandate.months
    for activity, cells in zip(plan.activities, plan_rows(pta)[2:]):
        month_cells = cells[4 : 4 + len(months)]
        shaded = [
            m
            for m, tc in zip(months, month_cells)
            if any(s.get(qn("w:fill")) not in (None, "auto") for s in tc.iter(qn("w:shd")))
        ]
        assert set(shaded) == activity.months, activity.code


def test_month_headers_grouped_by_year(pta):
    head1, head2 = plan_rows(pta)[:2]
    years = [
        (_cell_text(tc)[0], tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")) for tc in head1[4:-1]
    ]
    assert [(y, int(span.get(qn("w:val")))) for y, span in years] == [("2021", 4), ("2022", 6)]
    assert [_cell_text(tc)[0] for tc in head2[4:-1]] == list("SONDJFMAMJ")


def test_axes_and_products_span_their_rows(pta):
    rows = plan_rows(pta)[2:]

    def starts(column):
        return [
            _cell_text(cells[column])[0]
            for cells in rows
            if cells[column].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is not None
            and cells[column].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"
        ]

    axes = starts(0)
    assert len(axes) == 4 and axes[1] == "2. Elargir la troïka à tous les PTF du Burkina Faso"
    assert len(starts(1)) == 7
    continued = [
        cells
        for cells in rows
        if cells[1].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is not None
        and cells[1].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) is None
    ]
    assert len(continued) == 34 - 7
    assert all(_cell_text(cells[1]) == [""] for cells in continued)


def test_landscape_table_with_repeated_header_and_unsplittable_rows(pta):
    portrait, landscape = pta.sections[0], pta.sections[-1]
    assert portrait.orientation == WD_ORIENT.PORTRAIT
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert landscape.page_width > landscape.page_height
    table = next(t for t in pta.tables if t.rows[0].cells[0].text == "AXES")
    trs = table._tbl.tr_lst
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in trs[:2])
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in trs)
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for tr in trs[2:])


def test_running_header_and_page_x_of_y_footer(pta):
    section = pta.sections[0]
    assert (
        "Troïka des partenaires techniques et financiers – Burkina Faso"
        in section.header.paragraphs[0].text
    )
    instructions = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "sur" in section.footer.paragraphs[0].text


def test_document_properties_come_from_the_data(pta):
    assert pta.core_properties.title == "Plan de travail annuel 2021 – 2022"


def test_defective_workbook_builds_nothing_and_keeps_build(tmp_path):
    out = tmp_path / "build"
    build(SAMPLE, out, today=BUILD_DATE)
    before = snapshot(out)
    with pytest.raises(InvalidWorkbook) as info:
        build(FIXTURES / "pta_defauts_du_document_source.xlsx", out, today=BUILD_DATE)
    assert {"duplicate-code", "no-body", "missing-value"} <= set(info.value.report.codes())
    assert snapshot(out) == before


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_strict_turns_warnings_into_errors(make_workbook, tmp_path):
    path = make_workbook(edit_rows=lambda rows: rows["Produits"][0].update(result=None))
    assert build(path, tmp_path / "a").written
    with pytest.raises(InvalidWorkbook):
        build(path, tmp_path / "b", strict=True)
    assert not (tmp_path / "b").exists()


def test_small_workbook_escapes_and_builds(make_workbook, tmp_path):
    result = build(make_workbook(), tmp_path, kinds=["pta"])
    assert [p.name for p in result.written] == ["pta_2021.docx"]
    assert "Activité A & <B>" in docx_text(result.written[0])


def test_stale_documents_are_removed(make_workbook, tmp_path):
    build(SAMPLE, tmp_path, today=BUILD_DATE)
    assert (tmp_path / "pta_2021-2022.docx").exists()
    build(make_workbook(), tmp_path)  # another mandate: other file names
    assert not (tmp_path / "pta_2021-2022.docx").exists()
    assert not list(tmp_path.rglob("*2022*.docx"))  # nothing left from the 2021-2022 sample
    assert (tmp_path / "pta_2021.docx").exists()


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_interruption_at_document_k_of_n_keeps_the_previous_set(tmp_path, monkeypatch, failure):
    out = tmp_path / "build"
    build(SAMPLE, out, today=BUILD_DATE)
    before = snapshot(out)
    import pipeline.build as build_module

    real = build_module.render_document
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise failure("arrêt au document 3")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "render_document", failing)
    with pytest.raises(failure):
        build(SAMPLE, out, today=BUILD_DATE, workers=1, force=True)
    assert calls["n"] == 3 and len(before) > 3
    assert snapshot(out) == before


def test_failure_in_a_worker_process_keeps_the_previous_set(tmp_path, monkeypatch):
    out = tmp_path / "build"
    build(SAMPLE, out, today=BUILD_DATE, workers=1)
    before = snapshot(out)
    import pipeline.build as build_module

    real = build_module.render_document

    def failing(template, context, *args, **kwargs):
        if "meeting" in context and context["meeting"].id.endswith("040"):
            raise TemplateProblem("Modèle compte_rendu.docx : arrêt provoqué.")
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(build_module, "render_document", failing)  # inherited by the fork
    with pytest.raises(TemplateProblem, match="arrêt provoqué"):
        build(SAMPLE, out, today=BUILD_DATE, workers=2, force=True)
    assert snapshot(out) == before


def test_parallel_and_sequential_builds_give_the_same_bytes(tmp_path):
    build(SAMPLE, tmp_path / "a", today=BUILD_DATE, workers=1)
    build(SAMPLE, tmp_path / "b", today=BUILD_DATE, workers=2)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


PASTED = 'Réunion « PTF & Gouvernement » <urgent> "citée" {{ plan }} {% if x %} 😀 ' + "é" * 30000


def test_pasted_text_comes_out_unchanged_and_controls_are_cleaned(make_workbook, tmp_path):
    def edit(book):
        book["Activités"]["B2"] = PASTED
        book["Activités"]["B3"] = "Première ligne_x000B_seconde ligne_x0007_"  # Word's breaks
        book["Produits"]["B2"] = "2"  # a number stored as text elsewhere is fine too
        book["Produits"]["A2"] = "1"

    result = build(make_workbook(edit_book=edit), tmp_path, kinds=["pta"])
    assert [(p.code, p.location.cell) for p in result.report.problems] == [("bad-text", "B3")]
    rows = plan_rows(Document(result.written[0]))[2:]
    assert _cell_text(rows[0][3]) == [french_spacing(PASTED)]  # French spacing aside
    cell = rows[1][3]
    assert [t.text for t in cell.iter(qn("w:t"))] == ["Première ligne", "seconde ligne"]
    assert cell.findall(f".//{qn('w:br')}")  # the vertical tab became a line break


def _add_month_column_twice(book):
    ws = book["Activités"]
    ws.cell(row=1, column=ws.max_column + 1, value="nov. 2021")


SLIPS = {
    # slip: (edit of the openpyxl book, the problem it must raise)
    "month column present twice": (
        _add_month_column_twice,
        ("duplicate-column", "Activités", "N1"),
    ),
    # openpyxl saves a formula with an empty value, as any script that does not calculate.
    "formula without its value": (
        lambda book: book["Produits"].__setitem__("C3", "=1+1"),
        ("formula-without-value", "Produits", "C3"),
    ),
    "month marked with an unknown mark": (
        lambda book: book["Activités"].__setitem__("M3", "prévu"),
        ("bad-mark", "Activités", "M3"),
    ),
    "code typed as a number": (
        lambda book: book["Activités"].__setitem__("A3", 1.2),
        ("code-as-number", "Activités", "A3"),
    ),
}


@pytest.mark.parametrize("slip", SLIPS)
def test_slips_that_would_change_a_document_fail_the_build_and_keep_build(
    make_workbook, tmp_path, slip
):
    edit, expected = SLIPS[slip]
    out = tmp_path / "build"
    build(make_workbook(), out, ["pta"])
    before = snapshot(out)
    with pytest.raises(InvalidWorkbook) as info:
        build(make_workbook(edit_book=edit), out, ["pta"])
    assert expected in {
        (p.code, p.location.sheet, p.location.cell) for p in info.value.report.errors
    }
    assert snapshot(out) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_hears_of_every_document_in_order(tmp_path, workers):
    from pipeline.progress import RENDERING

    heard = []
    result = build(
        SAMPLE,
        tmp_path,
        today=BUILD_DATE,
        workers=workers,
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )
    total = len(result.written)
    assert total >= 40  # enough documents for the parallel path
    assert heard[0] == (RENDERING, 0, total) and heard[-1] == (RENDERING, total, total)
    assert [done for _stage, done, _total in heard] == list(range(total + 1))


def test_each_document_is_staged_before_the_next_is_made(tmp_path, monkeypatch):
    """The build never holds the rendered documents together: memory stays that of
    one document, whatever the size of the workbook."""
    from pipeline import build as build_module
    from pipeline.output import writer

    made, staged, outstanding = [], [], []
    render = build_module._render
    write_file = writer._write_file

    def rendering(output, *args):
        made.append(output.filename)
        outstanding.append(len(made) - len(staged))
        return render(output, *args)

    def staging(path, data, *args, **kwargs):
        if path.suffix in (".docx", ".xlsx"):
            staged.append(path.name)
        write_file(path, data, *args, **kwargs)

    monkeypatch.setattr(build_module, "_render", rendering)
    monkeypatch.setattr(writer, "_write_file", staging)
    result = build(SAMPLE, tmp_path, today=BUILD_DATE, workers=1)
    assert len(made) == len(staged) == len(result.written) >= 40
    assert max(outstanding) == 1


@pytest.mark.skipif(
    not hasattr(signal, "SIGINT")
    or sys.platform == "win32"
    or "fork" not in multiprocessing.get_all_start_methods(),
    reason="the worker pool and os.kill(SIGINT) of Unix",
)
@pytest.mark.parametrize("after", [1, "all"])
def test_ctrl_c_while_workers_render_stops_between_documents(after):
    # Raised at any instant, KeyboardInterrupt could land in the pool's machinery (a fork
    # hook, a lock) and be lost or hang the pool: it must come out of the iteration at
    # the next document, or on leaving it after the last one, and Ctrl-C be given back.
    from pipeline.build import TEMPLATES, iter_rendered
    from pipeline.documents import Options, plan_outputs

    day = dt.date(2022, 6, 30)
    outputs = plan_outputs(load(SAMPLE, Report(), day), Options(day))
    handler = signal.getsignal(signal.SIGINT)
    rendered = iter_rendered(outputs, TEMPLATES, day, workers=2)
    documents = [next(rendered)] if after == 1 else [next(rendered) for _ in outputs]
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the caller holds a document
    with pytest.raises(KeyboardInterrupt):
        next(rendered)
    assert documents[0][:2] == b"PK"
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_charter_edited_in_place_is_applied_by_the_next_rendering(tmp_path):
    # A long-running process (the browser page) renders with the charter as it is now,
    # even when an edit keeps its size and modification time.
    import shutil
    import zipfile

    from pipeline.build import TEMPLATES, iter_rendered
    from pipeline.documents import Options, plan_outputs

    templates = tmp_path / "modeles"
    shutil.copytree(TEMPLATES, templates)
    charter = templates / "charte.docx"
    day = dt.date(2022, 6, 30)
    outputs = [o for o in plan_outputs(load(SAMPLE, Report(), day), Options(day)) if o.template][:1]

    def styles() -> bytes:
        (data,) = iter_rendered(outputs, templates, day, workers=1)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("word/styles.xml")

    before = styles()
    stat = charter.stat()
    with zipfile.ZipFile(charter) as archive:
        members = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(charter, "w") as archive:
        for info, data in members.items():
            if info.filename == "word/styles.xml":
                assert b'w:ascii="Arial"' in data
                data = data.replace(b'w:ascii="Arial"', b'w:ascii="Arail"')
            archive.writestr(info, data)
    os.utime(charter, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = styles()
    assert b'w:ascii="Arail"' in after and b'w:ascii="Arail"' not in before


# --- The register of recommendations: documents that agree with each other ------------


def _summary_rows(doc, heading: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for the rows of the tables whose first header
    cell is ``heading``."""
    rows = {}
    for table in doc.tables:
        if table.rows[0].cells[0].text.strip() != heading:
            continue
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            rows.setdefault(cells[0], cells[1:])
    return rows


def test_the_register_figures_agree_across_the_documents_of_one_date(sample_build):
    # The follow-up document, the bilan and the aide-mémoire are all dated in the last
    # days of June 2022 with no status change in between: the same source, the same
    # counts, the same rate, in every one of them (« two documents never say opposite
    # things »).
    out, _ = sample_build
    follow_up = _summary_rows(Document(out / "etat_des_recommandations_2022-06-30.docx"), "Source")
    bilan = _summary_rows(Document(out / "bilan_annuel_2021-2022.docx"), "Source")
    memo_path = out / "aide_memoire_revue_pndes_ii_2022-04-28.docx"
    memo = Document(memo_path)
    review = "Revue annuelle 2020 du PNDES\u00a0II"
    # Date, total, carried out, in progress, to do, abandoned, rate.
    assert follow_up["Ensemble"][1:] == bilan["Ensemble"][1:]
    assert follow_up[review.replace("\u00a0", " ")][:] == bilan[review][:]
    memo_counts = _summary_rows(memo, "Statut")
    total, done, ongoing, to_do, dropped, rate = follow_up[review.replace("\u00a0", " ")][1:]
    assert [memo_counts[s][0] for s in ("Réalisés", "En cours", "À faire", "Abandonnés")] == [
        done,
        ongoing,
        to_do,
        dropped,
    ]
    assert memo_counts["Total"][0] == total
    assert f"soit un taux de mise en œuvre de {rate}" in docx_text(memo_path)
