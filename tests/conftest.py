"""Shared fixtures: small workbooks built in code, the shipped sample, and a guard
that the tests never modify inputs/."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from pipeline.workbook.create import append_rows, new_workbook, set_parameters

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "troika_2021-2022.xlsx"
FIXTURES = ROOT / "tests" / "fixtures"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SEP, OCT, NOV, DEC = (dt.date(2021, m, 1) for m in (9, 10, 11, 12))

SMALL_PARAMETERS = {
    "group_name": "Troïka des partenaires techniques et financiers",
    "country": "Burkina Faso",
    "framework": "PNDES II",
    "framework_full": "Plan national de développement économique et social",
    "mandate_start": SEP,
    "mandate_end": dt.date(2021, 12, 31),
    "document_date": dt.date(2021, 9, 15),
    "place": "Ouagadougou",
    "forecast_date": dt.date(2021, 11, 15),
}


def small_rows() -> dict[str, list[dict]]:
    """A tiny valid plan: 2 axes, 2 products, 3 activities over Sept.–Dec. 2021."""
    return {
        "Textes": [
            {"heading": "Introduction", "text": "Texte d'introduction."},
            {"heading": "Objectif global", "text": "Objectif global."},
            {"heading": "Objectifs spécifiques", "text": "premier objectif ;"},
            {"heading": "Objectifs spécifiques", "text": "second objectif."},
            {"heading": "Contexte", "text": "Le PTA 2021-2021 intervient dans un contexte."},
            {"heading": "Introduction des résultats attendus", "text": "Résultats :"},
        ],
        "Responsables": [
            {"name": "Troïka", "full_name": "Troïka des PTF"},
            {"name": "Secrétariat technique", "full_name": "Secrétariat technique de la Troïka"},
        ],
        "Axes": [{"number": 1, "title": "Premier axe"}, {"number": 2, "title": "Second axe"}],
        "Produits": [
            {"number": 1, "title": "Produit un", "axis": 1, "result": "résultat un"},
            {"number": 2, "title": "Produit deux", "axis": 2, "result": "résultat deux"},
        ],
        "Activités": [
            {
                "code": "1.1",
                "title": "Activité A & <B>",
                "product": 1,
                "bodies": ["Troïka", "Secrétariat technique"],
                "months": {SEP, OCT},
            },
            {
                "code": "1.2",
                "title": "Activité C",
                "product": 1,
                "bodies": ["Secrétariat technique"],
                "months": {NOV},
            },
            {
                "code": "2.1",
                "title": "Activité D",
                "product": 2,
                "bodies": ["Troïka"],
                "months": {SEP, OCT, NOV, DEC},
            },
        ],
    }


@pytest.fixture
def make_workbook(tmp_path):
    """Build a workbook file from the small plan, after ``edit(book, rows)`` changes it.

    ``edit`` may change the row dicts (before writing) and the openpyxl book (after).
    """
    counter = iter(range(1000))

    def make(edit_rows=None, edit_book=None, parameters=None) -> Path:
        params = {**SMALL_PARAMETERS, **(parameters or {})}
        book = new_workbook(params["mandate_start"], params["mandate_end"])
        set_parameters(book, params)
        rows = small_rows()
        if edit_rows:
            edit_rows(rows)
        for sheet, sheet_rows in rows.items():
            append_rows(book, sheet, sheet_rows)
        if edit_book:
            edit_book(book)
        path = tmp_path / f"classeur_{next(counter)}.xlsx"
        book.save(path)
        return path

    return make


def docx_text(path: Path) -> str:
    """All text of a .docx: body paragraphs, tables, headers and footers."""
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def convert_to_pdf(paths: list[Path], out_dir: Path) -> list[Path]:
    """Convert documents with LibreOffice headless; the PDFs that came out. Each call
    has its own LibreOffice profile: a profile shared with another LibreOffice running
    at the same time makes the conversion fail."""
    profile = Path(out_dir) / ".lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return [out_dir / (p.stem + ".pdf") for p in paths]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def inputs_untouched():
    """inputs/ must be byte-identical after every test."""
    before = _digest(ROOT / "inputs")
    yield
    assert _digest(ROOT / "inputs") == before, "ce test a modifié inputs/"
