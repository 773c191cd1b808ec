"""PDF copies by LibreOffice: one process for the batch, fonts embedded."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from pipeline.build import build
from pipeline.distribute import distribute, pdf
from pipeline.exceptions import ConversionError
from tests.conftest import SAMPLE, convert_to_pdf
from tests.test_distribution_sheets import distribution_rows

DAY = dt.date(2021, 12, 31)
SOFFICE = pdf.find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) absent : conversion PDF non testée"
)


@needs_soffice
def test_one_libreoffice_run_converts_the_batch_with_fonts_embedded(
    make_workbook, tmp_path, monkeypatch
):
    workbook = make_workbook(edit_rows=distribution_rows)
    build(workbook, tmp_path / "un", today=DAY)
    build(
        make_workbook(parameters={"document_date": dt.date(2021, 11, 2)}),
        tmp_path / "deux",
        today=DAY,
    )
    documents = {
        "un/pta_2021.docx": (tmp_path / "un" / "pta_2021.docx").read_bytes(),
        "deux/pta_2021.docx": (tmp_path / "deux" / "pta_2021.docx").read_bytes(),
    }
    calls = []
    real_run = subprocess.Popen

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", counting_run)
    pdfs = pdf.convert_to_pdf(documents, instances=1)
    assert len(calls) == 1  # one LibreOffice start for the whole batch
    assert set(pdfs) == set(documents)
    assert all(data.startswith(b"%PDF") for data in pdfs.values())

    target = tmp_path / "copie.pdf"
    target.write_bytes(pdfs["un/pta_2021.docx"])
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Activité A & <B>" in text
    if shutil.which("pdffonts"):
        lines = subprocess.run(
            ["pdffonts", str(target)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
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


# --- Several instances, crashes and hangs, with a stand-in for LibreOffice ----------

FAKE_SOFFICE = """#!{python}
import pathlib, sys, time
args = sys.argv[1:]
profile = next(a for a in args if a.startswith("-env:UserInstallation="))
log = pathlib.Path({log!r})
with log.open("a") as handle:
    handle.write(profile + " " + " ".join(pathlib.Path(a).name for a in args if a.endswith(".docx")) + "\\n")
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
for name in (a for a in args if a.endswith(".docx")):
    data = pathlib.Path(name).read_bytes()
    if b"CRASH" in data or (b"ONCE" in data and not pathlib.Path({flag!r}).exists()):
        pathlib.Path({flag!r}).touch()
        sys.exit(81)
    if b"HANG" in data:
        (out / (pathlib.Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.7 partial")
        time.sleep(60)
    (out / (pathlib.Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.7 " + data + b" %%EOF")
"""


@pytest.fixture
def fake_soffice(tmp_path):
    import sys

    program = tmp_path / "soffice"
    log = tmp_path / "appels.txt"
    program.write_text(
        FAKE_SOFFICE.format(python=sys.executable, log=str(log), flag=str(tmp_path / "deja"))
    )
    program.chmod(0o755)
    return str(program), log


def test_documents_are_shared_among_instances_with_their_own_profiles(fake_soffice):
    program, log = fake_soffice
    documents = {f"doc{i}.docx": b"x" * (100 * (i + 1)) for i in range(6)}
    pdfs = pdf.convert_to_pdf(documents, soffice=program, instances=2)
    assert pdfs == {name: b"%PDF-1.7 " + data + b" %%EOF" for name, data in documents.items()}
    calls = log.read_text().splitlines()
    assert len(calls) == 2
    profiles = [line.split()[0] for line in calls]
    assert len(set(profiles)) == 2
    converted = [name for line in calls for name in line.split()[1:]]
    assert sorted(converted) == [f"{i:04d}.docx" for i in range(6)]


def test_a_crashed_instance_is_restarted_for_the_documents_it_left(fake_soffice):
    program, log = fake_soffice
    documents = {"a.docx": b"un", "b.docx": b"ONCE", "c.docx": b"trois"}
    pdfs = pdf.convert_to_pdf(documents, soffice=program, instances=1)
    assert set(pdfs) == set(documents)
    assert len(log.read_text().splitlines()) == 2  # the first instance died at b.docx


def test_a_document_that_always_crashes_is_named(fake_soffice):
    program, _log = fake_soffice
    documents = {"bon.docx": b"un", "dossier/mauvais.docx": b"CRASH", "autre.docx": b"deux"}
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf(documents, soffice=program, instances=2)
    message = str(caught.value)
    assert "dossier/mauvais.docx" in message and "code 81" in message
    assert "bon.docx" not in message and "autre.docx" not in message


def test_a_hung_instance_is_killed_and_its_document_named(fake_soffice):
    program, _log = fake_soffice
    documents = {"bon.docx": b"un", "bloque.docx": b"HANG"}
    with pytest.raises(ConversionError, match=r"bloque\.docx \(LibreOffice ne répondait plus"):
        pdf.convert_to_pdf(documents, soffice=program, instances=2, timeout=3)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands for LibreOffice")
def test_progress_counts_the_pdfs_as_libreoffice_writes_them(tmp_path, monkeypatch):
    from pipeline.progress import CONVERSION

    fake = tmp_path / "soffice"  # writes one PDF every 0.3 s, like a slow LibreOffice
    fake.write_text(r"""#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out=$2; mkdir -p "$out"; shift;;
    *.docx) sleep 0.3; printf '%%PDF %%%%EOF' > "$out/$(basename "$1" .docx).pdf";;
  esac
  shift
done
""")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "POLL_SECONDS", 0.1)
    heard = []
    pdfs = pdf.convert_to_pdf(
        {f"d{i}.docx": b"x" for i in range(6)},
        soffice=str(fake),
        instances=1,
        progress=lambda *step: heard.append(step),
    )
    assert sorted(pdfs) == [f"d{i}.docx" for i in range(6)]
    assert heard[0] == (CONVERSION, 0, 6) and heard[-1] == (CONVERSION, 6, 6)
    counts = [done for _stage, done, _total in heard]
    assert counts == sorted(counts) and len(set(counts)) > 3  # seen moving, not all at once
