"""Every generated document opens in LibreOffice (converted to PDF, headless)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.build import build
from tests.conftest import SAMPLE, SOFFICE, convert_to_pdf

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) absent : conversion PDF non vérifiée")


def test_every_document_of_the_sample_converts_to_pdf(tmp_path):
    result = build(SAMPLE, tmp_path / "build", today=dt.date(2022, 6, 30))
    documents = [p for p in result.written if p.suffix == ".docx"]
    pdfs = convert_to_pdf(documents, tmp_path / "pdf")
    for pdf in pdfs:
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), pdf.name
        assert pdf.stat().st_size > 5000, pdf.name
