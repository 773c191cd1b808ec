"""The static website (troika site): reproducible bytes, valid HTML, accessible pages,
the same figures as the reports, and only the documents marked public."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import html5lib
import pytest

from pipeline import formats
from pipeline.build import load
from pipeline.documents import figures
from pipeline.documents.rapports import annual_context, quarterly_context
from pipeline.exceptions import InvalidWorkbook
from pipeline.formats import percent
from pipeline.report import Report
from pipeline.web.site import PAGES, build_site

from .conftest import SAMPLE, SOFFICE, docx_text

DAY = dt.date(2022, 7, 15)
ROUTES = "Diffusion"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(SAMPLE, out, DAY)
    return out / "site"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def parse(data: bytes):
    """Strict HTML5 parsing (html5lib, the WHATWG algorithm): any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data.decode("utf-8"))


def test_same_workbook_and_date_give_the_same_bytes(sample_site, tmp_path):
    """Every file but the PDF copies, where LibreOffice writes its time of conversion."""
    again = build_site(SAMPLE, tmp_path, DAY).folder

    def reproducible(folder):
        return {k: v for k, v in _files(folder).items() if not k.endswith(".pdf")}

    assert reproducible(again) == reproducible(sample_site)


def test_every_page_is_strictly_valid_html(sample_site):
    for page in PAGES:
        data = (sample_site / page.file).read_bytes()
        assert data.startswith(b"<!DOCTYPE html>")
        parse(data)  # raises html5lib's ParseError on any error


def test_pages_are_accessible_and_self_contained(sample_site):
    files = _files(sample_site)
    for page in PAGES:
        tree = parse(files[page.file])
        assert tree.get("lang") == "fr"
        assert len(tree.findall(".//h1")) == 1, page.file
        for th in tree.iter("th"):
            assert th.get("scope") in ("col", "row"), page.file
        for table in tree.iter("table"):
            assert table.find("caption") is not None
        for img in tree.iter("img"):
            assert img.get("alt"), page.file
            assert img.get("src") in files  # the image is part of the site
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for node in tree.iter(tag):
                target = node.get(attribute)
                if target is None or target.startswith("#"):
                    continue
                assert "//" not in target and ":" not in target, f"{page.file}: {target}"
                assert target.split("#")[0] in files, f"{page.file}: lien cassé {target}"
        assert not list(tree.iter("script")), "le site ne doit pas dépendre de JavaScript"
    css = files["style.css"].decode()
    assert "url(" not in css and "@import" not in css


def _rates(html: bytes, caption: str) -> dict[str, str]:
    """{row heading: rate} of the table with this caption (the rate is the first cell)."""
    tree = parse(html)
    for table in tree.iter("table"):
        if "".join(table.find("caption").itertext()) == caption:
            rows = table.findall("./tbody/tr") + table.findall("./tfoot/tr")
            return {
                next(row.iter("th")).text.strip(): "".join(row.findall("td")[0].itertext())
                for row in rows
            }
    raise AssertionError(f"pas de tableau « {caption} »")


def test_rates_are_those_of_the_quarterly_reports_and_annual_review(sample_site):
    workbook = load(SAMPLE, Report())
    index = (sample_site / "index.html").read_bytes()
    annual = annual_context(workbook, DAY)
    by_axis = _rates(index, "Taux d’exécution par axe sur le mandat")
    assert by_axis == {
        **{f"Axe {a.axis.number}": percent(a.execution.rate) for a in annual["axes"]},
        "Ensemble du plan": percent(annual["execution"].rate),
    }
    by_period = _rates(index, "Taux d’exécution par période")
    periods = workbook.reporting.periods
    assert len(by_period) == len(periods) + 1
    for period in periods:
        quarterly = quarterly_context(workbook, period, DAY)
        assert by_period[period.label] == percent(quarterly["execution"].rate)
        detail = _rates(index, f"Taux d’exécution par axe, {period.label}")
        assert detail == {
            **{f"Axe {a.axis.number}": percent(a.execution.rate) for a in quarterly["axes"]},
            "Ensemble": percent(quarterly["execution"].rate),
        }


def test_every_chart_is_there_with_its_figures_in_the_alt_text(sample_site):
    tree = parse((sample_site / "index.html").read_bytes())
    images = {img.get("src"): img.get("alt") for img in tree.iter("img")}
    periods = load(SAMPLE, Report()).reporting.periods
    assert len(images) == 2 + len(periods)
    for src, alt in images.items():
        assert (sample_site / src).read_bytes().startswith(b"\x89PNG")
        assert re.search(r"\d+(,\d)?\s%", alt), alt  # \s: the non-breaking space too


def test_plan_page_lists_every_activity_with_its_months(sample_site):
    workbook = load(SAMPLE, Report())
    text = "".join(parse((sample_site / "plan.html").read_bytes()).itertext())
    for activity in workbook.plan.activities:
        assert activity.code in text and activity.title in text
    assert "sept." in text and "2021" in text


def test_meetings_and_latest_flash_info(sample_site):
    workbook = load(SAMPLE, Report())
    meetings = parse((sample_site / "reunions.html").read_bytes())
    rows = meetings.findall(".//table")[1].findall("./tbody/tr")
    assert len(rows) == len(workbook.reporting.meetings)
    counts = figures.meeting_counts(
        workbook.reporting,
        workbook.plan.mandate.start,
        workbook.plan.mandate.end,
        whole_mandate=True,
    )
    first = meetings.findall(".//table")[0].findall("./tbody/tr")[0]
    assert [c.text for c in first.findall("td")][-1] == str(counts[0].held)
    latest = max((i for i in workbook.flash if i.date <= DAY), key=lambda i: i.date)
    flash = "".join(parse((sample_site / "flash.html").read_bytes()).itertext())
    assert f"Flash info n° {latest.number}" in flash
    assert latest.sections[0].items[0].title in flash


def test_only_documents_marked_public_are_published(sample_site):
    published = sorted(
        p.relative_to(sample_site / "documents").as_posix()
        for p in (sample_site / "documents").rglob("*.docx")
    )
    assert any(name.startswith("pta_") for name in published)
    assert any(name.startswith("rapport_trimestriel_") for name in published)
    assert not any("discours" in n or "cr_" in n or "aide_memoire" in n for n in published)
    pta = next(n for n in published if n.startswith("pta_"))
    first = load(SAMPLE, Report()).plan.activities[0]
    assert first.title in docx_text(sample_site / "documents" / pta)
    links = [
        a.get("href")
        for a in parse((sample_site / "documents.html").read_bytes()).iter("a")
        if a.get("href", "").startswith("documents/") and a.get("href").endswith(".docx")
    ]
    assert sorted(link.removeprefix("documents/") for link in links) == published


def test_nothing_is_public_without_the_column(make_workbook, tmp_path):
    def routes(rows):
        rows["Listes de diffusion"] = [{"name": "Troïka"}]
        rows["Destinataires"] = [
            {"organisation": "UE", "email": "ue@ue.example", "lists": ["Troïka"]}
        ]
        rows[ROUTES] = [
            {"document": "pta", "list": "Troïka"},
            {"document": "discours", "list": "Troïka"},
        ]

    folder = build_site(make_workbook(edit_rows=routes), tmp_path, dt.date(2021, 10, 1)).folder
    assert not (folder / "documents").exists()
    text = "".join(parse((folder / "documents.html").read_bytes()).itertext())
    assert "Aucun document n’est publié" in text


def test_a_workbook_with_errors_leaves_the_previous_site(make_workbook, tmp_path):
    good = build_site(make_workbook(), tmp_path, dt.date(2021, 10, 1)).folder
    before = _files(good)

    def break_axis(rows):
        rows["Produits"][0]["axis"] = 9

    with pytest.raises(InvalidWorkbook) as caught:
        build_site(make_workbook(edit_rows=break_axis), tmp_path, dt.date(2021, 10, 1))
    assert "unknown-axis" in caught.value.report.codes()
    assert _files(good) == before


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_have_at_least_the_wcag_aa_contrast(sample_site):
    """Every rule's text colour against its own background, else against every background
    of the opposite lightness it can sit on (dark text on the light ones, white text on
    the banner): at least 4.5:1 (WCAG 2 AA for body text)."""
    css = (sample_site / "style.css").read_text()
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    backgrounds = {"#fff", *re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", css)}
    checked = 0
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour is None:
            continue
        own = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", body)
        light_text = _luminance(colour[1]) > 0.5
        others = (
            [own[1]] if own else [b for b in backgrounds if (_luminance(b) > 0.5) != light_text]
        )
        for background in others:
            assert _contrast(colour[1], background) >= 4.5, (
                selector.strip(),
                colour[1],
                background,
            )
            checked += 1
    assert checked >= 5


def test_the_site_takes_build_s_lock_as_every_writer_does(make_workbook, tmp_path, monkeypatch):
    # A build running meanwhile holds build/'s lock, and removes staging folders it finds
    # while holding it: the site must wait for it, never write beside it.
    import subprocess
    import sys

    from pipeline.exceptions import OutputError
    from pipeline.output import bookkeeping

    workbook = make_workbook()
    out = tmp_path / "build"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom filelock import FileLock\n"
            "lock = FileLock(sys.argv[1]); lock.acquire(); print('pris', flush=True)\n"
            "time.sleep(600)\n",
            str((out / bookkeeping.LOCK).resolve()),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "pris"
        monkeypatch.setattr(bookkeeping, "LOCK_TIMEOUT", 0.2)
        with pytest.raises(OutputError):
            build_site(workbook, out, dt.date(2021, 10, 1))
        assert not (out / "site").exists() and not list(out.glob(".en-cours-*"))
    finally:
        holder.kill()
        holder.wait()
    result = build_site(workbook, out, dt.date(2021, 10, 1))  # the lock is free again
    assert (result.folder / "index.html").is_file()


def test_aid_predictability_as_in_the_bilan(sample_site):
    """The bilan is public in the sample: its predictability table is on the home page."""
    workbook = load(SAMPLE, Report())
    doc = annual_context(workbook, DAY)["predictability"]
    html = parse((sample_site / "index.html").read_bytes())
    table = next(
        t for t in html.iter("table") if "décaissés" in "".join(t.find("caption").itertext())
    )
    rows = [["".join(c.itertext()) for c in tr] for tr in table.iter("tr")][1:]
    expected = [
        [f"{r.partner.name} ({r.partner.acronym})", str(r.year), formats.number(r.scheduled)]
        + [formats.number(r.disbursed) if r.disbursed else "–", percent(r.ratio)]
        for r in doc.rows
    ]
    assert rows[: len(expected)] == expected
    assert rows[-1][0] == "Ensemble des partenaires" and rows[-1][-1] == percent(
        doc.totals[0].ratio
    )
    assert "plafonné à 100" in "".join(html.itertext())


def test_predictability_stays_internal_unless_a_document_showing_it_is_public(
    make_workbook, tmp_path
):
    from tests.test_partners import with_partners

    folder = build_site(make_workbook(with_partners()), tmp_path, dt.date(2021, 12, 1)).folder
    assert "Prévisibilité" not in (folder / "index.html").read_text(encoding="utf-8")


def test_plan_page_lists_the_specific_objectives(sample_site):
    """« … les objectifs spécifiques suivants : » is followed by the objectives of the
    Textes sheet, not by the axes."""
    objectives = load(SAMPLE, Report()).plan.text("objectifs_specifiques")
    assert len(objectives) == 6
    page = parse((sample_site / "plan.html").read_bytes())
    listed = ["".join(li.itertext()) for li in page.findall(".//ul[@class='objectifs']/li")]
    assert listed == objectives


def test_the_meetings_page_only_when_the_workbook_says_so(make_workbook, tmp_path):
    day = dt.date(2021, 10, 1)
    folder = build_site(make_workbook(), tmp_path / "a", day).folder
    assert not (folder / "reunions.html").exists()
    assert "reunions.html" not in (folder / "index.html").read_text(encoding="utf-8")
    path = make_workbook(parameters={"publish_meetings": "Oui"})
    folder = build_site(path, tmp_path / "b", day).folder
    assert (folder / "reunions.html").exists()
    assert 'href="reunions.html"' in (folder / "index.html").read_text(encoding="utf-8")


def test_a_yes_no_setting_accepts_only_oui_or_non(make_workbook):
    report = Report()
    load(make_workbook(parameters={"publish_meetings": "peut-être"}), report)
    assert [(p.code, p.location.sheet) for p in report.problems] == [("bad-choice", "Paramètres")]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) n'est pas installé")
def test_each_public_word_document_has_its_pdf_next_to_it(sample_site):
    documents = sample_site / "documents"
    words = sorted(documents.rglob("*.docx"))
    assert words
    for word in words:
        pdf = word.with_suffix(".pdf")
        assert pdf.read_bytes().startswith(b"%PDF"), pdf.name
    links = {a.get("href") for a in parse((sample_site / "documents.html").read_bytes()).iter("a")}
    assert {
        f"documents/{w.relative_to(documents).with_suffix('.pdf').as_posix()}" for w in words
    } <= links


# --- The public recommendations ----------------------------------------------------------
#
# The sample's register marks RA20-03, CG21-01 and CG21-02 not public.

PRIVATE = ("RA20-03", "CG21-01", "CG21-02")


def _public_table(folder: Path) -> dict[str, str]:
    """The recommendations page: {number: status cell}."""
    tree = parse((folder / "recommandations.html").read_bytes())
    return {
        "".join(row.find("th").itertext()).replace(formats.NB_HYPHEN, "-"): "".join(
            row.findall("td")[-1].itertext()
        )
        for row in tree.iter("tr")
        if row.find("th") is not None and row.find("th").get("scope") == "row"
    }


def test_non_public_recommendations_appear_nowhere_on_the_site(sample_site):
    workbook = load(SAMPLE, Report())
    private = [r for r in workbook.reporting.recommendations if r.number in PRIVATE]
    assert len(private) == 3 and not any(r.public for r in private)
    for name, data in _files(sample_site).items():
        if not name.endswith(".html"):
            continue
        text = data.decode("utf-8").replace(formats.NB_HYPHEN, "-")
        for item in private:
            assert item.number not in text, (name, item.number)
            assert item.text not in text, (name, item.number)
    public = sorted(r.number for r in workbook.reporting.recommendations if r.public)
    assert sorted(_public_table(sample_site)) == public


def test_public_recommendations_with_their_status_on_the_site_s_date(tmp_path):
    """CTN22-01 (CTN of 24 March 2022) is to do on 31 March, abandoned on 26 April; the
    CNP's items (28 April) are not there yet on 31 March."""
    march = _public_table(build_site(SAMPLE, tmp_path / "a", dt.date(2022, 3, 31)).folder)
    june = _public_table(build_site(SAMPLE, tmp_path / "b", dt.date(2022, 6, 30)).folder)
    assert march["CTN22-01"] == "à faire"
    assert june["CTN22-01"] == "abandonnée le 26/04/2022"
    assert march["RA20-01"] == "réalisée le 08/03/2022"
    assert not any(n.startswith("CNP22") for n in march)
    assert june["CNP22-03"].startswith("en cours depuis le 14/06/2022")
    assert june["CNP22-01"] == "à faire"


def test_the_recommendations_page_is_in_the_navigation(sample_site):
    for page in PAGES:
        assert 'href="recommandations.html"' in (sample_site / page.file).read_text("utf-8")


def test_no_public_recommendation_no_page(make_workbook, tmp_path):
    def register(rows):
        rows["Recommandations"] = [
            {
                "number": "R-01",
                "text": "Recommandation interne.",
                "source_kind": "Autre",
                "source": "Revue interne",
                "source_date": dt.date(2021, 9, 10),
                "addressee": "PTF",
            }
        ]

    folder = build_site(make_workbook(edit_rows=register), tmp_path, dt.date(2021, 10, 1)).folder
    assert not (folder / "recommandations.html").exists()
    for data in _files(folder).values():
        assert b"recommandations.html" not in data
        assert b"Recommandation interne" not in data
