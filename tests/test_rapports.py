"""Quarterly reports, annual review and minutes: figures found in the generated
documents, the chart as a native Word chart read back, the whole sample, and
LibreOffice opening them."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from pipeline.build import build
from pipeline.documents.charts import BLUE, FONT, NOTHING_SCHEDULED, rate_chart, rate_png
from pipeline.formats import percent
from pipeline.render import render_document
from tests.conftest import SAMPLE, SOFFICE, convert_to_pdf, docx_text
from tests.rapports_data import BUILD_DATE, add_reporting

D = dt.date
Q1 = "rapport_trimestriel_2021-09_2021-11.docx"
Q2 = "rapport_trimestriel_2021-12_2021-12.docx"
REVIEW = "bilan_annuel_2021.docx"
MINUTES = "comptes_rendus/cr_2021-09-15_r-01.docx"


@pytest.fixture
def built(make_workbook, tmp_path):
    out = tmp_path / "build"
    build(
        make_workbook(edit_rows=add_reporting),
        out,
        ["rapports-trimestriels", "bilan-annuel", "comptes-rendus"],
        today=BUILD_DATE,
    )
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
    assert [(r[1], r[-1]) for r in rows] == [
        ("Relancer la DGCOOP", "60\u202fj"),
        ("Préparer la rencontre avec le MINEFID", "–"),
    ]
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


def test_annual_review_without_budget_support_data_says_so(built):
    text = _flat(docx_text(built / REVIEW))
    assert "6. Prévisibilité de l'aide" in text
    assert "Aucune prévision ni aucun décaissement d'appui budgétaire" in text


def test_annual_review_figures(built):
    text = _flat(docx_text(built / REVIEW))
    assert f"Le taux d'exécution global sur le mandat est de {_flat(percent(0.5))}" in text
    doc = Document(built / REVIEW)
    counts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Instance")
    assert [c.text for c in counts.rows[1].cells] == [
        "Réunion mensuelle de la Troïka",
        "mensuelle",
        "2.1",
        "4",
        "2",
        "50\u00a0%",
    ]
    assert [c.text for c in counts.rows[2].cells][3:] == ["1", "0", "0\u00a0%"]
    decisions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statut")
    assert [[c.text for c in r.cells] for r in decisions.rows[1:]] == [
        ["à faire", "1"],
        ["en cours", "1"],
        ["réalisée", "1"],  # a décision: the status agrees with its noun
        ["abandonnée", "0"],
        ["Total", "3"],
    ]
    assert "70 j" in text  # 1 October -> 10 December 2021
    assert "Une leçon du mandat." in text


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _charts(data) -> list[dict]:
    """Every chart placed in a .docx (path or bytes), read back from the archive: the
    inline that places it, the chart part it names and that part's figures."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    doc = Document(data if not isinstance(data, bytes) else io.BytesIO(data))
    found = []
    for inline in doc.element.body.iter(qn("wp:inline")):
        graphic = inline.find(f"{qn('a:graphic')}/{qn('a:graphicData')}")
        if graphic.get("uri") != CHART_URI:
            continue
        r_id = graphic.find(f"{C}chart").get(qn("r:id"))
        relationship = doc.part.rels[r_id]
        assert relationship.reltype == RT.CHART
        part = relationship.target_part
        assert part.content_type == CT.DML_CHART
        space = etree.fromstring(part.blob)
        points = space.find(f".//{C}ser")
        labels = {
            int(label.find(f"{C}idx").get("val")): "".join(label.itertext()).strip()
            for label in points.iter(f"{C}dLbl")
        }
        external = space.find(f"{C}externalData")
        found.append(
            {
                "part": str(part.partname),
                "width_cm": int(inline.find(qn("wp:extent")).get("cx")) / 360000,
                "description": inline.find(qn("wp:docPr")).get("descr"),
                "categories": [v.text for v in points.find(f"{C}cat").iter(f"{C}v")],
                "values": [float(v.text) for v in points.find(f"{C}val").iter(f"{C}v")],
                "labels": [labels[i] for i in sorted(labels)],
                "dark": [
                    int(p.find(f"{C}idx").get("val"))
                    for p in points.iter(f"{C}dPt")
                    if p.find(f".//{A}srgbClr").get("val") == BLUE.lstrip("#")
                ],
                "title": "".join(space.find(f".//{C}valAx/{C}title").itertext()).strip(),
                "fonts": {f.get("typeface") for f in space.iter(f"{A}latin")},
                "workbook": (
                    part.rels[external.get(qn("r:id"))].target_part.blob
                    if external is not None
                    else None
                ),
            }
        )
    return found


def _summary(path) -> list[list[str]]:
    table = next(t for t in Document(path).tables if t.rows[0].cells[0].text == "Axe")
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def test_chart_is_a_native_word_chart_of_the_tables_figures(built):
    from openpyxl import load_workbook

    for name in (Q1, REVIEW):
        charts = _charts(built / name)
        assert len(charts) == 1
        chart = charts[0]
        assert chart["part"] == "/word/charts/chart1.xml"
        assert round(chart["width_cm"], 2) == 15.5
        # The bars are the summary table's rows: "Axe n" for each axis, overall last
        # in the dark colour, each labelled with the table's own percent text.
        rows = _summary(built / name)
        assert chart["categories"] == [f"Axe {r[0].split('.')[0]}" for r in rows[:-1]] + [
            "Ensemble"
        ]
        assert chart["labels"] == [NOTHING_SCHEDULED if r[-1] == "–" else r[-1] for r in rows]
        assert [
            percent(v) if label != NOTHING_SCHEDULED else label
            for v, label in zip(chart["values"], chart["labels"])
        ] == chart["labels"]
        assert chart["dark"] == [len(rows) - 1]
        assert chart["description"].startswith("Taux d'exécution par axe")
        # The embedded workbook (Word's « Modifier les données ») holds the same data.
        sheet = load_workbook(io.BytesIO(chart["workbook"])).active
        column = [sheet.cell(i + 2, 2).value for i in range(len(rows))]
        assert column == pytest.approx(chart["values"])
        with zipfile.ZipFile(built / name) as archive:
            assert not any(n.startswith("word/media/") for n in archive.namelist())
    assert _charts(built / Q1)[0]["values"] == pytest.approx([0.5, 1.0, 2 / 3])
    assert NOTHING_SCHEDULED in _charts(built / REVIEW)[0]["labels"]  # an axis of nothing


def test_chart_of_a_period_with_nothing_scheduled_says_so(built):
    charts = _charts(built / Q2)  # its own chart only, though Q1 came from the same template
    assert len(charts) == 1 and charts[0]["part"] == "/word/charts/chart1.xml"
    chart = charts[0]
    assert chart["labels"] == [NOTHING_SCHEDULED] * len(chart["categories"])
    assert set(chart["values"]) == {0.0}
    assert chart["title"] == "Taux d'exécution"


def test_chart_scale_uses_babels_french_percent():
    from pipeline.documents.charts import TICK_FORMAT

    # The scale's number format: the integer, then the same space as Babel before « % ».
    number_part, space, sign = TICK_FORMAT.split('"')
    assert number_part + space + sign == "0\u00a0%"
    assert percent(0.25, 0) == "25" + space + "%"


def test_chart_text_uses_the_charters_font():
    from lxml import etree

    from pipeline.render.charter import CHARTER_NAME
    from tests.conftest import ROOT

    styles = etree.fromstring(
        zipfile.ZipFile(ROOT / "templates" / CHARTER_NAME).read("word/styles.xml")
    )
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}rFonts")
    assert fonts.get(f"{w}ascii") == FONT
    chart = rate_chart(["Axe 1"], [0.5], "Ensemble", 0.5)
    data = render_document(_template_placing_charts(), {"chart": chart, "charts": []})
    assert _charts(data)[0]["fonts"] == {FONT}


def test_minutes_of_a_meeting(built):
    text = _flat(docx_text(built / MINUTES))
    for expected in (
        "Compte rendu de réunion",
        "Réunion mensuelle de la Troïka",
        "15 septembre 2021",
        "R\u201101",  # never cut at its hyphen
        "Union européenne, Banque mondiale",
        "1. Lancement du PTA",
        "Second paragraphe.",
        "Relancer la DGCOOP",
        "01/10/2021",
        "2.1 – Activité D",
    ):
        assert expected in text, expected
    assert (built / "comptes_rendus" / "cr_2021-10-20_r-02.docx").exists()


_TEMPLATES: dict[str, Path] = {}


def _template_placing_charts() -> Path:
    """A bare template placing {{ chart }}, then each of {{ charts }} in one paragraph."""
    import tempfile

    from docx import Document as New

    if "t" not in _TEMPLATES:
        doc = New()
        doc.add_paragraph("{{ chart }}")
        doc.add_paragraph("{% for c in charts %}{{ c }}{% endfor %}")
        _TEMPLATES["t"] = Path(tempfile.mkdtemp()) / "t.docx"
        doc.save(_TEMPLATES["t"])
    return _TEMPLATES["t"]


def test_chart_context_value_becomes_a_chart():
    """render.Chart is generic: any template placing {{ chart }} gets a chart, each in
    its own part."""
    chart = rate_chart(["Axe 1"], [0.5], "Ensemble", 0.5)
    data = render_document(
        _template_placing_charts(),
        {"chart": replace(chart, width_cm=5), "charts": [replace(chart, width_cm=3), chart]},
    )
    charts = _charts(data)
    assert [round(c["width_cm"], 1) for c in charts] == [5.0, 3.0, 15.5]
    assert [c["part"] for c in charts] == [f"/word/charts/chart{i}.xml" for i in (1, 2, 3)]
    ids = [
        s.get("id")
        for s in Document(io.BytesIO(data)).element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(set(ids)) == 3


def test_chart_is_reproducible():
    first = rate_chart(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    second = rate_chart(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    assert first == second and first.xml == second.xml and first.workbook == second.workbook
    # The embedded workbook carries no clock time (xlsxwriter stamps "created" with it).
    core = zipfile.ZipFile(io.BytesIO(first.workbook)).read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:created[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"]
    template = _template_placing_charts()
    assert render_document(template, {"chart": first, "charts": []}) == render_document(
        template, {"chart": second, "charts": []}
    )


def test_website_chart_png_is_reproducible():
    first = rate_png(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    second = rate_png(["Axe 1", "Axe 2"], [0.875, None], "Ensemble", 0.5)
    assert first == second
    assert first.startswith(b"\x89PNG") and b"Software" not in first
    assert b"Creation" not in first


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
    quarterly = {
        "rapport_trimestriel_2021-09_2021-11.docx",
        "rapport_trimestriel_2021-12_2022-02.docx",
        "rapport_trimestriel_2022-03_2022-05.docx",
        "rapport_trimestriel_2022-06_2022-06.docx",
    }
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
    import shutil
    import subprocess

    paths = [built / Q1, built / REVIEW, built / MINUTES]
    pdfs = convert_to_pdf(paths, tmp_path)
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 5000
        assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        # LibreOffice drew the native chart: its percent scale, in French, is in the PDF.
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdfs[0]), "-"], check=True, capture_output=True, text=True
        ).stdout.replace("\u00a0", " ")
        assert re.search(r"0 ?%\s+25 %\s+50 %\s+75 %\s+100 %", text)


def test_minutes_file_names_never_collide(make_workbook, tmp_path):
    from tests.rapports_data import MONTHLY

    def edit(rows):
        add_reporting(rows)
        rows["Réunions"].append({"id": "r 01", "date": D(2021, 9, 15), "type": MONTHLY})

    result = build(
        make_workbook(edit_rows=edit), tmp_path / "b", ["comptes-rendus"], today=BUILD_DATE
    )
    assert sorted(p.name for p in result.written) == [
        "cr_2021-09-15_r-01-2.docx",
        "cr_2021-09-15_r-01.docx",
        "cr_2021-10-20_r-02.docx",
    ]


def test_rendered_cell_properties_follow_the_schema_order(built):
    """docxtpl's cellbg puts w:shd first; the renderer restores the schema order."""
    from docx.oxml.ns import qn

    from pipeline.render.tables import _TCPR_ORDER

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

    rates = [0.5] * 400
    rates[3] = None
    template = _template_placing_charts()
    chart = _charts(
        render_document(
            template,
            {
                "chart": rate_chart([f"Axe {i}" for i in range(1, 401)], rates, "Ensemble", 0.5),
                "charts": [],
            },
        )
    )[0]
    # The first 30 axes, then the overall bar; the table lists the other 370.
    assert chart["categories"] == [f"Axe {i}" for i in range(1, 31)] + ["Ensemble"]
    assert chart["labels"][3] == NOTHING_SCHEDULED and chart["labels"][-1] == "50\u00a0%"
    assert chart["dark"] == [30]
    assert chart["title"] == "Taux d'exécution – 370 autres axes dans le tableau"
    assert rate_chart([f"Axe {i}" for i in range(400)], rates, "Ensemble", 0.5).height_cm <= (
        9 * 2.54
    )
    png = rate_png([f"Axe {i}" for i in range(400)], [0.5] * 400, "Ensemble", 0.5)
    width, height = Image.open(io.BytesIO(png)).size
    assert height <= 9 * 150 + 1  # at most 9 inches at 150 dpi


# --- Figures agree with themselves and with their date, on the sample -------------------

RATE = re.compile(
    r"activités réalisées, (\d+) sur (\d+) prises en compte .*? Sont en cours : "
    r"(\d+) ; non réalisées, reportées ou non renseignées : (\d+)\."
)


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
        yield (
            f"rapport_trimestriel_{period.start:%Y-%m}_{period.end:%Y-%m}.docx",
            quarterly_context(workbook, period, day),
        )
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
                execution.carried_out,
                execution.counted,
                execution.in_progress,
                execution.not_done,
            )
            summary = next(
                t for t in Document(out / name).tables if t.rows[0].cells[0].text == "Axe"
            )
            total = [c.text for c in summary.rows[-1].cells]
            assert total[1:7] == [
                str(execution.scheduled),
                str(execution.carried_out),
                str(execution.in_progress),
                f"{execution.not_carried_out} / {execution.postponed}",
                str(execution.cancelled),
                str(execution.not_reported),
            ]
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
    assert all(d.endswith("\u202fj") for d in delays)  # never alone on a line
    text = _flat(docx_text(out / "bilan_annuel_2021-2022.docx"))
    assert f"non réalisées à leur échéance : {len(context['overdue'])}." in text
    assert f"sans être en retard au 30 juin 2022 : {len(context['pending'])}" in text


def test_bilan_period_table_shows_what_each_rate_is_computed_from(sample_reports):
    workbook, builds = sample_reports
    out = builds[D(2022, 7, 15)]
    doc = Document(out / "bilan_annuel_2021-2022.docx")
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Période")
    assert [c.text for c in table.rows[0].cells][2:6] == [
        "Activités programmées",
        "dont annulées",
        "Activités réalisées",
        "Taux d'exécution",
    ]
    for row in table.rows[1:]:
        scheduled, cancelled, done, rate = (c.text for c in row.cells[2:6])
        assert rate == percent(int(done) / (int(scheduled) - int(cancelled)))


def test_no_report_tells_a_meeting_or_a_result_after_its_date(sample_reports):
    from pipeline.workbook.values import cites_after

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


def test_the_percent_scale_crosses_the_last_category():
    # The categories are reversed (first axis at the top); the percent scale stays at
    # the bottom only when the value axis crosses them at their maximum. Set through a
    # private method of python-pptx (pinned <1.1): this test fails loudly if it changes.
    chart = rate_chart(["Axe 1", "Axe 2"], [0.5, 0.75], "Ensemble", 0.6)
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    root = etree.fromstring(chart.xml)
    value_axis = root.find(f".//{c}valAx")
    assert value_axis.find(f"{c}crosses").get("val") == "max"
    assert root.find(f".//{c}catAx/{c}scaling/{c}orientation").get("val") == "maxMin"


def test_every_document_of_the_sample_has_its_own_title():
    """The page, the letters and the site name documents by their title: two documents
    with one title (the CTN and CNP speeches, the minutes of one body) cannot be told
    apart there."""
    import collections

    from pipeline.documents import Options, plan_outputs
    from pipeline.report import Report
    from pipeline.validate import load
    from tests.conftest import SAMPLE

    today = dt.date(2022, 6, 30)
    outputs = plan_outputs(load(SAMPLE, Report(), today), Options(today=today))
    titles = collections.Counter(o.title for o in outputs if o.filename.endswith(".docx"))
    assert [t for t, n in titles.items() if n > 1] == []


def test_a_status_agrees_with_the_noun_it_qualifies():
    from pipeline.formats import agree

    assert agree("réalisé", "décision") == "réalisée"
    assert agree("abandonné", "décision") == "abandonnée"
    assert agree("réalisée", "activité") == "réalisée"
    assert agree("reportée", "document") == "reporté"
    assert agree("à faire", "décision") == "à faire"
    assert agree("réalisé", "inconnu") == "réalisé"


def test_codes_units_and_slash_words_are_never_cut():
    from pipeline.formats import keep_together

    assert keep_together("CR-2021-001") == "CR\u20112021\u2011001"
    assert keep_together("PTA 2022-2024") == "PTA 2022\u20112024"
    assert keep_together("coordonnateur/s") == "coordonnateur/\u2060s"
    assert keep_together("du PNDES II ;") == "du PNDES\u00a0II ;"
    assert keep_together("Louis XIV") == "Louis XIV"
    assert keep_together("12 500 FCFA, 60 j") == "12 500\u00a0FCFA, 60\u00a0j"
    assert keep_together("Troïka – MINEFID, chef-lieu") == "Troïka – MINEFID, chef-lieu"


def test_meeting_numbers_in_the_reports_do_not_break(built):
    assert "R\u201101" in docx_text(built / REVIEW)


def test_a_document_with_nothing_in_it_is_written_only_when_asked(make_workbook, tmp_path):
    """A new mandate's first build: the plan is there, no follow-up, meeting or text yet.
    The reports are left out and named; `--vides` writes them."""
    from click.testing import CliRunner

    from pipeline.cli import main

    path = make_workbook()
    kinds = ["pta", "rapports-trimestriels", "bilan-annuel"]
    result = build(path, tmp_path / "a", kinds, today=BUILD_DATE)
    assert [p.name for p in result.written] == ["pta_2021.docx"]
    assert result.empty == [
        "Rapport d'activités trimestriel – Trimestre 1 (du 1er septembre au 30 novembre 2021)",
        "Rapport d'activités trimestriel – Trimestre 2 (du 1er décembre au 31 décembre 2021)",
        "Bilan annuel des activités 2021",
    ]
    result = build(path, tmp_path / "b", kinds, today=BUILD_DATE, empty=True)
    assert len(result.written) == 4 and result.empty == []

    args = ["construire", *kinds, "--classeur", path, "--date", "2021-12-10", "--sortie"]
    said = CliRunner().invoke(main, [*map(str, args), str(tmp_path / "c")]).output
    assert "non produit, car vide" in said and "--vides" in said
    said = CliRunner().invoke(main, [*map(str, args), str(tmp_path / "d"), "--vides"]).output
    assert "non produit" not in said


@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) ou pdftotext n'est pas installé",
)
def test_meeting_numbers_are_whole_on_the_printed_page(tmp_path):
    """The annex lists every meeting by its number: « CR-2021-00 » on one line and « 1 »
    on the next is what a reader must never see (the column fits the unbreakable code)."""
    import subprocess

    build(SAMPLE, tmp_path, ["bilan-annuel"], today=D(2022, 6, 30))
    (pdf,) = convert_to_pdf([tmp_path / "bilan_annuel_2021-2022.docx"], tmp_path)
    lines = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert [line for line in lines if re.fullmatch(r"CR.\d{4}.?\d{0,2}", line.strip())] == []
    assert len([line for line in lines if re.fullmatch(r"CR.\d{4}.\d{3}", line.strip())]) >= 74


def test_minutes_of_a_meeting_still_ahead_are_a_draft(make_workbook, tmp_path):
    """Built on 1 October 2021: R-01 (15 September) took place, R-02 (20 October) not."""
    out = tmp_path / "out"
    build(make_workbook(edit_rows=add_reporting), out, ["comptes-rendus"], today=D(2021, 10, 1))
    held = Document(out / MINUTES)
    ahead = Document(out / "comptes_rendus" / "cr_2021-10-20_r-02.docx")
    assert not held.sections[0].header.paragraphs[0].text.startswith("Projet")
    assert "Ouagadougou, le 15 septembre 2021" in [p.text for p in held.paragraphs]
    assert ahead.sections[0].header.paragraphs[0].text.startswith("Projet – ")
    assert "Projet – version du 1er octobre 2021" in [p.text for p in ahead.paragraphs]


# === Register: the bilan's implementation rate (issue 23, reg-sections) ==================
#
# The sample's register on 31 March 2022: 7 items (the 2020 annual review's 4, the CGAB
# review's 2, the CTN's 1); on 30 June 2022, the mandate's end, 10 (the CNP's 3 added) and
# CTN22-01 abandoned on 26 April.

REGISTER_HEADER = "Source"
BILAN = "bilan_annuel_2021-2022.docx"


def register_table(path) -> dict[str, list[str]]:
    """The bilan's implementation table read back: {source: [date, points, carried out,
    in progress, to do, abandoned, rate]}."""
    table = next(t for t in Document(path).tables if t.rows[0].cells[0].text == REGISTER_HEADER)
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "Source",
        "Date",
        "Points",
        "Réalisés",
        "En cours",
        "À faire",
        "Abandonnés",
        "Taux de mise en œuvre",
    ]
    return {
        r.cells[0].text.replace("\u00a0", " "): [c.text for c in r.cells[1:]]
        for r in table.rows[1:]
    }


def register_sentence(path) -> str:
    return next(p.text for p in Document(path).paragraphs if p.text.startswith("Le registre"))


@pytest.fixture(scope="module")
def bilans(tmp_path_factory):
    out = {}
    for day in (D(2022, 3, 31), D(2022, 6, 30)):
        folder = tmp_path_factory.mktemp(f"bilan-{day}")
        assert not build(SAMPLE, folder, ["bilan-annuel"], today=day).report.errors
        out[day] = folder / BILAN
    return out


def test_bilan_register_rates_per_source_on_its_date(bilans):
    r20, cgab = "Revue annuelle 2020 du PNDES II", "Revue conjointe CGAB 2021"
    ctn = "CTN du 24 mars 2022 (session de revue annuelle 2021)"
    cnp = "CNP du 28 avril 2022 (session de revue annuelle 2021)"
    assert register_table(bilans[D(2022, 3, 31)]) == {
        r20: ["24/06/2021", "4", "3", "1", "0", "0", "75\u00a0%"],
        cgab: ["18/11/2021", "2", "1", "1", "0", "0", "50\u00a0%"],
        ctn: ["24/03/2022", "1", "0", "0", "1", "0", "0\u00a0%"],
        "Ensemble": ["", "7", "4", "2", "1", "0", "57,1\u00a0%"],
    }
    assert register_table(bilans[D(2022, 6, 30)]) == {
        r20: ["24/06/2021", "4", "3", "1", "0", "0", "75\u00a0%"],
        cgab: ["18/11/2021", "2", "1", "1", "0", "0", "50\u00a0%"],
        ctn: ["24/03/2022", "1", "0", "0", "0", "1", "–"],  # abandoned: no rate
        cnp: ["28/04/2022", "3", "0", "1", "2", "0", "0\u00a0%"],
        "Ensemble": ["", "10", "4", "3", "2", "1", "44,4\u00a0%"],
    }


def test_bilan_register_sentence_equals_its_table(bilans):
    for day, path in bilans.items():
        table = register_table(path)
        _, total, done, in_progress, to_do, dropped, rate = table.pop("Ensemble")
        # The total row is the sum of the sources' rows.
        for column, value in enumerate((total, done, in_progress, to_do, dropped), start=1):
            assert sum(int(row[column]) for row in table.values()) == int(value), (day, column)
        sentence = register_sentence(path)
        numbers = re.findall(r"(\d+) (?:recommandations?|réalisés?|abandonnés?)", sentence)
        assert numbers == [total, done, dropped], (day, sentence)
        assert f"taux de mise en œuvre de {rate}" in sentence


def test_bilan_keeps_the_decisions_sections(bilans):
    text = docx_text(bilans[D(2022, 6, 30)])
    assert "5. Décisions et recommandations" in text
    assert text.index("5. Décisions et recommandations") < text.index("Le registre compte")
    assert text.index("Le registre compte") < text.index("6. Prévisibilité de l'aide")


def _register_rows(rows):
    """Two items of the small plan's register: one carried over from 2020-2021, one of
    the CGAB review, carried out on 15 November 2021."""
    item = {"source_kind": "Revue CGAB", "addressee": "Gouvernement", "public": "Non"}
    rows["Recommandations"] = [
        {
            **item,
            "number": "CG20-01",
            "text": "Reprise.",
            "source": "Revue CGAB 2020",
            "source_date": D(2020, 11, 20),
            "carried_from": "2020-2021",
        },
        {
            **item,
            "number": "CG21-01",
            "text": "Nouvelle.",
            "source": "Revue CGAB 2021",
            "source_date": D(2021, 10, 10),
        },
    ]
    rows["Historique des statuts"] = [
        {"number": "CG21-01", "date": D(2021, 11, 15), "status": "réalisé", "comment": ""}
    ]


def test_bilan_shows_items_carried_from_the_previous_mandate(make_workbook, tmp_path):
    out = tmp_path / "out"
    result = build(
        make_workbook(edit_rows=_register_rows), out, ["bilan-annuel"], today=D(2022, 1, 10)
    )
    assert not result.report.errors
    assert register_table(out / "bilan_annuel_2021.docx") == {
        "Reprises du mandat précédent": ["mandat 2020-2021", "1", "0", "0", "1", "0", "0\u00a0%"],
        "Revue CGAB 2021": ["10/10/2021", "1", "1", "0", "0", "0", "100\u00a0%"],
        "Ensemble": ["", "2", "1", "0", "1", "0", "50\u00a0%"],
    }


def test_bilan_without_register_has_no_register_table(make_workbook, tmp_path):
    out = tmp_path / "out"
    result = build(make_workbook(), out, ["bilan-annuel"], today=D(2022, 1, 10), empty=True)
    assert not result.report.errors
    text = docx_text(out / "bilan_annuel_2021.docx")
    assert "Le registre compte" not in text
    assert "Mise en œuvre des recommandations et engagements des revues" not in text
