"""Quarterly reports, annual review and minutes: figures found in the generated
documents, the chart as an image, the whole sample, and LibreOffice opening them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from tests.conftest import SAMPLE, SOFFICE, convert_to_pdf, docx_text
from docx import Document
from tests.rapports_data import BUILD_DATE, add_reporting

from pipeline.build import build
from pipeline.charts import rate_chart
from pipeline.formats import percent
from pipeline.render import Chart, render_document

D = dt.date
Q1 = "rapport_trimestriel_2021-09_2021-11.docx"
Q2 = "rapport_trimestriel_2021-12_2021-12.docx"
REVIEW = "bilan_annuel_2021.docx"
MINUTES = "comptes_rendus/cr_2021-09-15_r-01.docx"


@pytest.fixture
def built(make_workbook, tmp_path):
    out = tmp_path / "build"
    build(make_workbook(edit_rows=add_reporting), out,
          ["rapports-trimestriels", "bilan-annuel", "comptes-rendus"], today=BUILD_DATE)
    return out


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_due_periods_and_file_names(make_workbook, tmp_path):
    path = make_workbook(edit_rows=add_reporting)
    early = build(path, tmp_path / "a", ["rapports-trimestriels"], today=D(2021, 11, 30))
    assert [p.name for p in early.written] == [Q1]
    both = build(path, tmp_path / "b", ["rapports-trimestriels"], today=BUILD_DATE)
    assert [p.name for p in both.written] == [Q1, Q2]


def test_quarterly_report_places_the_computed_figures(built):
    text = _flat(docx_text(built / Q1))
    assert "du 1er septembre au 30 novembre 2021" in text
    assert f"Le taux d'exécution global sur la période est de {_flat(percent(2 / 3))}" in text
    assert percent(2 / 3) == "66,7\u00a0%"
    assert "activités réalisées, 2 sur 3 prises en compte" in text
    assert "Taux d'exécution de l'axe : 50 %" in text
    assert "Taux d'exécution de l'axe : 100 %" in text
    assert "Chefs de file désignés" in text  # results of 1.1
    assert "1.2 – Activité C : Calendrier chargé" in text  # difficulties
    assert "Texte des perspectives T1." in text
    # Meetings of the period, planned against held, and the overdue decision.
    assert "2 réunions ont été tenues du 1er septembre au 30 novembre 2021" in text
    doc = Document(built / Q1)
    follow = next(t for t in doc.tables if t.rows[0].cells[0].text == "Réunion")
    rows = [[c.text for c in r.cells] for r in follow.rows[1:]]
    # Open on 30 November: the late one first with its delay; the done one is gone.
    assert [(r[1], r[-1]) for r in rows] == [("Relancer la DGCOOP", "60 j"),
                                             ("Préparer la rencontre avec le MINEFID", "–")]
    # Perspectives: what the plan schedules next (2.1 in December).
    assert "Trimestre 2, du 1er décembre au 31 décembre 2021" in text and "2.1 – Activité D" in text


def test_quarterly_summary_table_rows(built):
    doc = Document(built / Q1)
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "Axe")
    rows = [[c.text for c in r.cells] for r in summary.rows[1:]]
    assert rows == [
        ["1. Premier axe", "2", "1", "1", "0 / 0", "0", "0", "50\u00a0%"],
        ["2. Second axe", "1", "1", "0", "0 / 0", "0", "0", "100\u00a0%"],
        ["Ensemble", "3", "2", "1", "0 / 0", "0", "0", "66,7\u00a0%"],
    ]


def test_period_with_nothing_to_count_says_so(built):
    text = _flat(docx_text(built / Q2))
    assert "Aucune activité n'était programmée sur la période" in text
    assert "Situation provisoire au 10 décembre 2021" in text  # period not over
    assert "Cette période est la dernière du mandat" in text


def test_annual_review_figures(built):
    text = _flat(docx_text(built / REVIEW))
    assert f"Le taux d'exécution global sur le mandat est de {_flat(percent(0.5))}" in text
    doc = Document(built / REVIEW)
    counts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Instance")
    assert [c.text for c in counts.rows[1].cells] == [
        "Réunion mensuelle de la Troïka", "mensuelle", "2.1", "4", "2", "50\u00a0%"]
    assert [c.text for c in counts.rows[2].cells][3:] == ["1", "0", "0\u00a0%"]
    decisions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statut")
    assert [[c.text for c in r.cells] for r in decisions.rows[1:]] == [
        ["à faire", "1"], ["en cours", "1"], ["réalisé", "1"], ["abandonné", "0"], ["Total", "3"]]
    assert "70 j" in text  # 1 October -> 10 December 2021
    assert "Une leçon du mandat." in text


def _inline_images(path) -> list:
    return list(Document(path).inline_shapes)


def test_chart_is_an_inline_image(built):
    for name in (Q1, REVIEW):
        shapes = _inline_images(built / name)
        assert len(shapes) == 1
        assert shapes[0].width > 0
        with zipfile.ZipFile(built / name) as archive:
            assert any(n.startswith("word/media/") and n.endswith(".png") for n in archive.namelist())


def test_minutes_of_a_meeting(built):
    text = _flat(docx_text(built / MINUTES))
    for expected in ("Compte rendu de réunion", "Réunion mensuelle de la Troïka", "15 septembre 2021",
                     "R-01", "Union européenne, Banque mondiale", "1. Lancement du PTA",
                     "Second paragraphe.", "Relancer la DGCOOP", "01/10/2021", "2.1 – Activité D"):
        assert expected in text, expected
    assert (built / "comptes_rendus" / "cr_2021-10-20_r-02.docx").exists()


def test_chart_context_value_becomes_an_image(tmp_path):
    """render.Chart is generic: any template placing {{ chart }} gets a picture."""
    from docx import Document as New

    template = tmp_path / "t.docx"
    doc = New()
    doc.add_paragraph("{{ chart }}")
    doc.add_paragraph("{% for c in charts %}{{ c }}{% endfor %}")
    doc.save(template)
    png = rate_chart(["Axe 1"], [0.5], "Ensemble", 0.5).png
    data = render_document(template, {"chart": Chart(png, 5), "charts": [Chart(png, 3)]})
    shapes = list(Document(io.BytesIO(data)).inline_shapes)
    assert len(shapes) == 2
    assert round(shapes[0].width.cm, 1) == 5.0 and round(shapes[1].width.cm, 1) == 3.0


def test_chart_png_is_reproducible():
    first = rate_chart(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    second = rate_chart(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    assert first.png == second.png
    assert first.png.startswith(b"\x89PNG") and b"Software" not in first.png
    assert b"Creation" not in first.png


def test_sample_builds_every_report_and_minutes(tmp_path):
    from pipeline.build import load
    from pipeline.report import Report

    report = Report()
    workbook = load(SAMPLE, report)
    assert report.problems == []
    assert len(workbook.reporting.meetings) >= 40
    out = tmp_path / "build"
    result = build(SAMPLE, out, today=D(2022, 7, 15))
    names = {str(p.relative_to(out)) for p in result.written}
    quarterly = {"rapport_trimestriel_2021-09_2021-11.docx",
                 "rapport_trimestriel_2021-12_2022-02.docx",
                 "rapport_trimestriel_2022-03_2022-05.docx",
                 "rapport_trimestriel_2022-06_2022-06.docx"}
    assert quarterly <= names
    assert "bilan_annuel_2021-2022.docx" in names
    minutes = {n for n in names if n.startswith("comptes_rendus/")}
    assert len(minutes) == len(workbook.reporting.meetings)
    # Every planned activity of every period has been followed up in the sample.
    for name in quarterly:
        summary = next(t for t in Document(out / name).tables if t.rows[0].cells[0].text == "Axe")
        assert summary.rows[-1].cells[0].text == "Ensemble"
        assert summary.rows[-1].cells[6].text == "0", name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) n'est pas installé")
def test_documents_open_in_libreoffice(built, tmp_path):
    paths = [built / Q1, built / REVIEW, built / MINUTES]
    pdfs = convert_to_pdf(paths, tmp_path)
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 5000
        assert pdf.read_bytes().startswith(b"%PDF")


def test_minutes_file_names_never_collide(make_workbook, tmp_path):
    from tests.rapports_data import MONTHLY

    def edit(rows):
        add_reporting(rows)
        rows["Réunions"].append({"id": "r 01", "date": D(2021, 9, 15), "type": MONTHLY})
    result = build(make_workbook(edit_rows=edit), tmp_path / "b", ["comptes-rendus"],
                   today=BUILD_DATE)
    assert sorted(p.name for p in result.written) == [
        "cr_2021-09-15_r-01-2.docx", "cr_2021-09-15_r-01.docx", "cr_2021-10-20_r-02.docx"]


def test_rendered_cell_properties_follow_the_schema_order(built):
    """docxtpl's cellbg puts w:shd first; the renderer restores the schema order."""
    from docx.oxml.ns import qn

    from pipeline.render import _TCPR_ORDER

    rank = _TCPR_ORDER  # {qualified tag: position in the schema}
    for name in (Q1, REVIEW):
        doc = Document(built / name)
        shaded = 0
        for tc_pr in doc.element.body.iter(qn("w:tcPr")):
            ranks = [rank[c.tag] for c in tc_pr if c.tag in rank]
            assert ranks == sorted(ranks)
            shaded += tc_pr.find(qn("w:shd")) is not None
        assert shaded >= 5  # the status cells, shaded by cellbg from the charter's colours


def test_chart_of_a_plan_with_many_axes_stays_one_page():
    from PIL import Image

    chart = rate_chart([f"Axe {i}" for i in range(400)], [0.5] * 400, "Ensemble", 0.5)
    width, height = Image.open(io.BytesIO(chart.png)).size
    assert height <= 9 * 150 + 1  # at most 9 inches at 150 dpi


# --- Figures agree with themselves and with their date, on the sample -------------------

RATE = re.compile(r"activités réalisées, (\d+) sur (\d+) prises en compte .*? Sont en cours : "
                  r"(\d+) ; non réalisées, reportées ou non renseignées : (\d+)\.")


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory):
    """The sample's reports built on three dates: during the first period, mid-mandate
    and after the mandate."""
    from pipeline.build import load
    from pipeline.report import Report

    workbook = load(SAMPLE, Report())
    builds = {}
    for day in (D(2021, 10, 15), D(2022, 1, 20), D(2022, 7, 15)):
        out = tmp_path_factory.mktemp(f"b{day:%Y%m%d}")
        build(SAMPLE, out, ["rapports-trimestriels", "bilan-annuel"], today=day)
        builds[day] = out
    return workbook, builds


def _contexts(workbook, day):
    from pipeline.documents.rapports import annual_context, due_periods, quarterly_context

    for period in due_periods(workbook.reporting, day):
        yield (f"rapport_trimestriel_{period.start:%Y-%m}_{period.end:%Y-%m}.docx",
               quarterly_context(workbook, period, day))
    yield "bilan_annuel_2021-2022.docx", annual_context(workbook, day)


def test_rate_sentences_add_up_and_match_the_tables(sample_reports):
    workbook, builds = sample_reports
    for day, out in builds.items():
        for name, context in _contexts(workbook, day):
            execution = context["execution"]
            text = _flat(docx_text(out / name))
            done, counted, in_progress, rest = map(int, RATE.search(text).groups())
            assert done + in_progress + rest == counted, (day, name)
            assert (done, counted, in_progress, rest) == (
                execution.carried_out, execution.counted, execution.in_progress,
                execution.not_done)
            summary = next(t for t in Document(out / name).tables
                           if t.rows[0].cells[0].text == "Axe")
            total = [c.text for c in summary.rows[-1].cells]
            assert total[1:7] == [str(execution.scheduled), str(execution.carried_out),
                                  str(execution.in_progress),
                                  f"{execution.not_carried_out} / {execution.postponed}",
                                  str(execution.cancelled), str(execution.not_reported)]
            assert total[7] == percent(execution.rate)


def test_no_report_shows_a_decision_closed_after_its_date(sample_reports):
    workbook, builds = sample_reports
    for day, out in builds.items():
        for name, context in _contexts(workbook, day):
            as_of = context["as_of"]
            doc = Document(out / name)
            for table in doc.tables:
                if [c.text for c in table.rows[0].cells][:1] != ["Réunion"]:
                    continue
                headers = [c.text for c in table.rows[0].cells]
                if "Retard" not in headers:
                    continue
                for row in table.rows[1:]:
                    cells = [c.text for c in row.cells]
                    held = dt.datetime.strptime(cells[0].split("\n")[-1], "%d/%m/%Y").date()
                    assert held <= as_of, (name, cells)
                    assert cells[4] in ("à faire", "en cours"), (name, cells)
            assert "réalisé le" not in docx_text(out / name)


def test_bilan_lists_as_overdue_only_what_was_due(sample_reports):
    workbook, builds = sample_reports
    out = builds[D(2022, 7, 15)]
    context = dict(_contexts(workbook, D(2022, 7, 15)))["bilan_annuel_2021-2022.docx"]
    doc = Document(out / "bilan_annuel_2021-2022.docx")
    late = next(t for t in doc.tables if "Retard" in [c.text for c in t.rows[0].cells])
    delays = [r.cells[-1].text for r in late.rows[1:]]
    assert len(delays) == len(context["overdue"]) > 0
    assert all(d.endswith(" j") for d in delays)
    text = _flat(docx_text(out / "bilan_annuel_2021-2022.docx"))
    assert f"non réalisées à leur échéance : {len(context['overdue'])}." in text
    assert f"sans être en retard au 30 juin 2022 : {len(context['pending'])}" in text


def test_bilan_period_table_shows_what_each_rate_is_computed_from(sample_reports):
    workbook, builds = sample_reports
    out = builds[D(2022, 7, 15)]
    doc = Document(out / "bilan_annuel_2021-2022.docx")
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Période")
    assert [c.text for c in table.rows[0].cells][2:6] == [
        "Activités programmées", "dont annulées", "Activités réalisées", "Taux d'exécution"]
    for row in table.rows[1:]:
        scheduled, cancelled, done, rate = (c.text for c in row.cells[2:6])
        assert rate == percent(int(done) / (int(scheduled) - int(cancelled)))


def test_no_report_tells_a_meeting_or_a_result_after_its_date(sample_reports):
    from pipeline.values import cites_after

    workbook, builds = sample_reports
    for day, out in builds.items():
        for name, context in _contexts(workbook, day):
            as_of = context["as_of"]
            for table in Document(out / name).tables:
                headers = [c.text for c in table.rows[0].cells]
                if headers[:2] in (["Date", "Instance"], ["N°", "Date"]):  # meetings, annex
                    column = headers.index("Date")
                    for row in table.rows[1:]:
                        held = dt.datetime.strptime(row.cells[column].text, "%d/%m/%Y").date()
                        assert held <= as_of, (day, name, held)
                if "Résultats obtenus et commentaires" in headers:
                    for row in table.rows[1:]:
                        assert not cites_after(row.cells[-1].text, as_of), (day, name)


def test_a_provisional_report_stops_at_the_build_date(make_workbook, tmp_path):
    def edit(rows):
        add_reporting(rows)
        rows["Suivi des activités"][0]["comment"] = "Validation prévue le 20 octobre 2021"
    out = tmp_path / "build"
    build(make_workbook(edit_rows=edit), out, ["rapports-trimestriels"], today=D(2021, 10, 1))
    text = _flat(docx_text(out / Q1))
    assert "Situation provisoire au 1er octobre 2021" in text
    assert "1 réunion a été tenue" in text  # R-02 of 20 October has not taken place yet
    assert "20/10/2021" not in text
    assert "Chefs de file désignés" in text and "20 octobre 2021" not in text
