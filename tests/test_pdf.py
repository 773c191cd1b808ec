"""PDF copies by LibreOffice: one process for the batch, fonts embedded."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from pipeline import pdf
from pipeline.build import build
from pipeline.distribute import distribute
from pipeline.exceptions import ConversionError
from tests.conftest import SAMPLE, convert_to_pdf
from tests.test_distribution_sheets import distribution_rows

DAY = dt.date(2021, 12, 31)
SOFFICE = pdf.find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) absent : conversion PDF non testée")


@needs_soffice
def test_one_libreoffice_run_converts_the_batch_with_fonts_embedded(make_workbook, tmp_path,
                                                                    monkeypatch):
    workbook = make_workbook(edit_rows=distribution_rows)
    build(workbook, tmp_path / "un", today=DAY)
    build(make_workbook(parameters={"document_date": dt.date(2021, 11, 2)}), tmp_path / "deux",
          today=DAY)
    documents = {"un/pta_2021.docx": (tmp_path / "un" / "pta_2021.docx").read_bytes(),
                 "deux/pta_2021.docx": (tmp_path / "deux" / "pta_2021.docx").read_bytes()}
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", counting_run)
    pdfs = pdf.convert_to_pdf(documents)
    assert len(calls) == 1  # one LibreOffice start for the whole batch
    assert set(pdfs) == set(documents)
    assert all(data.startswith(b"%PDF") for data in pdfs.values())

    target = tmp_path / "copie.pdf"
    target.write_bytes(pdfs["un/pta_2021.docx"])
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Activité A & <B>" in text
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines, "aucune police dans le PDF"
        # Columns: name type encoding emb sub uni object ID; "emb" must be yes everywhere.
        assert all(line.split()[-5] == "yes" for line in lines), lines


@needs_soffice
def test_package_has_a_pdf_next_to_each_word_document(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    build(workbook, tmp_path, today=DAY)
    package = distribute(workbook, tmp_path)
    assert package.pdf_problem is None
    folder = package.folder
    for name in ("membres-de-la-troika", "gouvernement"):
        assert (folder / name / "pta_2021.pdf").read_bytes().startswith(b"%PDF")
    assert "PDF" in (folder / "gouvernement.eml").read_text(encoding="ascii")


def test_missing_program_is_a_conversion_error_saying_how_to_install(tmp_path):
    with pytest.raises(ConversionError, match="LibreOffice") as caught:
        pdf.convert_to_pdf({"a.docx": b"x"}, soffice=str(tmp_path / "soffice"))
    assert "libreoffice.org" in str(caught.value)


@needs_soffice
def test_every_document_of_the_sample_converts_to_pdf(tmp_path):
    result = build(SAMPLE, tmp_path / "build", today=dt.date(2022, 6, 30))
    documents = [p for p in result.written if p.suffix in (".docx", ".xlsx")]
    (tmp_path / "pdf").mkdir()
    pdfs = convert_to_pdf(documents, tmp_path / "pdf")
    for pdf_path in pdfs:
        assert pdf_path.exists() and pdf_path.read_bytes().startswith(b"%PDF"), pdf_path.name
        assert pdf_path.stat().st_size > 5000, pdf_path.name
