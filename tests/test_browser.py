"""In a real browser: Debian's Chromium, driven headless by Playwright (never a browser
that Playwright downloads). The secretariat's page from workbook to documents, a page
of another site trying to start a build, and the static site at desktop and phone
widths. Screenshots are saved under the test's temporary folder (and copied to
$TROIKA_CAPTURES when set) so that a person can look at them."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import shutil
import threading
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from pipeline.build import load
from pipeline.report import Report
from pipeline.web.interface import Server
from pipeline.web.site import PAGES, build_site

from .conftest import ROOT, SAMPLE, docx_text

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium absent : installez le paquet Debian « chromium » "
    "(.ci/run l'installe, ces tests y tournent)",
)
# Nothing leaves the machine, nothing is remembered between runs.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAY = dt.date(2022, 7, 15)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 300_000


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("profil-chromium")  # new and empty
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            accept_downloads=True,
            viewport=DESKTOP,
            locale="fr-FR",
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("captures")


def capture(page, folder: Path, name: str) -> Path:
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("TROIKA_CAPTURES"):
        target = Path(os.environ["TROIKA_CAPTURES"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / name)
    return path


@pytest.fixture
def server(tmp_path):
    server = Server(ROOT / "inputs", tmp_path / "build", today=DAY).start()
    yield server
    server.stop()


def test_from_workbook_to_documents_in_the_page(browser, server, captures, tmp_path):
    page = browser.new_page()
    page.goto(server.url)
    # Locators, not evaluated strings: the page's CSP forbids eval, even to Playwright.
    expect(page.locator("#nom-classeur")).to_have_text(SAMPLE.name)

    # A workbook with one seeded error, chosen on the computer.
    book = openpyxl.load_workbook(SAMPLE)
    book["Réunions"]["B2"] = "le 32 du mois"
    seeded = tmp_path / "classeur à corriger.xlsx"
    book.save(seeded)
    page.set_input_files("#fichier", str(seeded))
    expect(page.locator("#nom-classeur")).to_have_text(seeded.name)
    page.click("#verifier")
    row = page.locator('tr.erreur[data-code="bad-date"]')
    row.wait_for()
    cells = row.locator("td").all_text_contents()
    assert cells[:2] == ["erreur", "B2"] and cells[-1] == "bad-date"
    assert "le 32 du mois" in cells[2]
    heading = row.locator("xpath=ancestor::div[@class='groupe']/h3").text_content()
    assert heading.startswith("Feuille « Réunions »")
    capture(page, captures, "interface-verification.png")

    # Back to the workbook of inputs/, then build.
    page.click("#defaut")
    expect(page.locator("#nom-classeur")).to_have_text(SAMPLE.name)
    page.click("#produire")
    page.locator("#progression").wait_for(state="visible")
    assert page.is_disabled("#verifier")
    pta_link = page.locator('ul[data-type="pta"] a').first
    pta_link.wait_for()
    assert page.locator('ul[data-type="rapports-trimestriels"] li').count() == 4
    capture(page, captures, "interface-documents.png")
    with page.expect_download() as download:
        pta_link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("pta_") and saved.suffix == ".docx"
    workbook = load(SAMPLE, Report())
    assert workbook.plan.activities[0].title in docx_text(saved)

    # Distribution: each list with its links.
    page.click("#diffuser")
    # The same bar as the build, with the counts of each stage (PDF copies, lists).
    page.locator("#progression-diffuser").wait_for(state="visible")
    expect(page.locator("#etape-diffuser")).to_contain_text(" sur ")
    page.locator("#resultat-diffuser .liste").first.wait_for()
    assert page.is_hidden("#progression-diffuser")
    assert page.locator("#resultat-diffuser .liste a[href*='.zip?jeton=']").count() >= 1
    assert page.locator("#resultat-diffuser .liste").count() == len(
        [m for m in workbook.distribution.lists if m.kinds]
    )
    capture(page, captures, "interface-diffusion.png")

    page.click("#quitter")
    page.get_by_text("L'outil est arrêté").wait_for()
    assert server.wait(10)


def test_a_page_of_another_site_cannot_start_a_build(browser, server, tmp_path):
    """A page served from another origin posts to the interface, as a hostile site
    could: with a form and with fetch. Nothing starts."""
    (tmp_path / "index.html").write_text(f"""<!DOCTYPE html><html lang="fr"><body>
<form id="f" method="post" action="{server.url}api/produire"></form>
<script>
fetch("{server.url}api/produire", {{method: "POST", mode: "no-cors"}})
  .finally(() => document.getElementById("f").submit());
</script></body></html>""")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = lambda *a, **k: Quiet(*a, directory=str(tmp_path), **k)  # noqa: E731
    hostile = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=hostile.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{hostile.server_port}/index.html")
        page.wait_for_url(f"{server.url}api/produire")
        assert "refusée" in page.text_content("body")
        assert server.session.job is None
    finally:
        hostile.shutdown()
        hostile.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(SAMPLE, tmp_path_factory.mktemp("site"), DAY).folder


def test_site_at_desktop_and_phone_widths(browser, site, captures):
    expected_images = {"index.html": 2 + len(load(SAMPLE, Report()).reporting.periods)}
    for name, viewport in (("bureau", DESKTOP), ("telephone", PHONE)):
        page = browser.new_page()
        page.set_viewport_size(viewport)
        for item in PAGES:
            page.goto((site / item.file).as_uri())
            page.wait_for_load_state("load")
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{item.file} ({name}) défile horizontalement"
            images = page.evaluate("""Array.from(document.images).map(i => ({
                src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0,
                alt: i.alt, shown: i.getBoundingClientRect().width}))""")
            assert len(images) == expected_images.get(item.file, 0), item.file
            for image in images:
                assert image["ok"] and image["alt"], image
                assert 0 < image["shown"] <= viewport["width"], image
            if item.file in ("index.html", "plan.html", "documents.html"):
                capture(page, captures, f"site-{item.file.removesuffix('.html')}-{name}.png")
        page.close()


def test_a_page_whose_tool_was_closed_says_how_to_reopen_it(browser, tmp_path):
    server = Server(ROOT / "inputs", tmp_path / "build", today=DAY).start()
    page = browser.new_page()
    page.goto(server.url)
    expect(page.locator("#nom-classeur")).to_have_text(SAMPLE.name)
    server.stop()  # the tool's window closed
    page.click("#verifier")
    message = page.locator("#message")
    expect(message).to_contain_text("« Ouvrir la page de la Troïka »")
    assert "Failed to fetch" not in message.text_content()
    page.close()
