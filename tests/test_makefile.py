"""The Makefile, the Linux and macOS entry: every target asks troika, which decides by
content; workbook names with spaces work; French messages when Python lacks venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_distribution_sheets import distribution_rows

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (BIN / "troika").exists(),
    reason="make ou la commande troika de l'environnement de test est absent",
)


def make(
    *args: str, out: Path, workbook: Path, date: str | None = "2021-12-31"
) -> subprocess.CompletedProcess:
    # -o: never reinstall the environment from a test.
    dates = [f"DATE={date}"] if date else []
    return subprocess.run(
        [
            "make",
            "-o",
            f"{BIN}/troika",
            f"BIN={BIN}",
            f"SORTIE={out}",
            f"CLASSEUR={workbook}",
            *dates,
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_always_asks_troika_which_decides_by_content(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    out = tmp_path / "sortie"
    first = make("reports", out=out, workbook=workbook)
    assert first.returncode == 0, first.stderr
    assert "produit : " in first.stdout
    again = make("reports", out=out, workbook=workbook)
    assert again.returncode == 0 and "à jour" in again.stdout and "produit : " not in again.stdout
    assert "Nothing to be done" not in again.stdout + again.stderr

    # A corrected workbook copied in with an older date (USB key, Explorer) is rebuilt.
    corrected = make_workbook(edit_rows=distribution_rows, parameters={"place": "Bobo-Dioulasso"})
    older = os.stat(workbook).st_mtime - 86400 * 30
    shutil.copyfile(corrected, workbook)
    os.utime(workbook, (older, older))
    rebuilt = make("reports", out=out, workbook=workbook)
    assert rebuilt.returncode == 0 and "produit : " in rebuilt.stdout, rebuilt.stderr


def test_workbook_names_with_spaces_work(make_workbook, tmp_path):
    folder = tmp_path / "mes classeurs"
    folder.mkdir()
    workbook = folder / "PTA Troïka 2021-2022 - Copie.xlsx"
    shutil.copyfile(make_workbook(edit_rows=distribution_rows), workbook)
    out = tmp_path / "dossier de sortie"
    done = make("reports", "distribute", "DIFFUSER_OPTIONS=--sans-pdf", out=out, workbook=workbook)
    assert done.returncode == 0, done.stderr
    assert (out / "pta_2021.docx").is_file()
    assert (out / "diffusion" / "2021-12-31" / "manifeste.csv").is_file()


def test_distribute_packages_the_build_with_its_own_date(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    out = tmp_path / "sortie"
    assert make("reports", out=out, workbook=workbook, date="2021-11-30").returncode == 0
    done = make("distribute", "DIFFUSER_OPTIONS=--sans-pdf", out=out, workbook=workbook, date=None)
    assert done.returncode == 0, done.stderr
    assert "construire" not in done.stdout  # no rebuild for today
    assert [p.name for p in (out / "diffusion").iterdir()] == ["2021-11-30"]


def test_the_makefile_leaves_the_work_to_troika():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "$(shell" not in code and "$(wildcard" not in code  # no file dates, no globbing
    for command in ("date", "find", "rm", "touch \\$\\(SORTIE", "cp", "mv"):
        assert not re.search(rf"(^|[\s;&|(]){command}\s", code, re.MULTILINE), command
    assert ".construit" not in code and ".diffuse" not in code


def test_clean_removes_the_documents_through_troika(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    out = tmp_path / "sortie"
    assert make("reports", out=out, workbook=workbook).returncode == 0
    cleaned = make("clean", out=out, workbook=workbook)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not out.exists()


def test_a_python_without_venv_gets_a_french_message(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text(
        f'#!/bin/sh\ncase "$*" in *ensurepip*) echo "No module named ensurepip" >&2; '
        f'exit 1;; esac\nexec "{sys.executable}" "$@"\n'
    )
    fake.chmod(0o755)
    result = subprocess.run(
        ["make", "-s", "python-check", f"PYTHON={fake}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "module venv" in result.stderr and "python3-venv" in result.stderr
    assert "No module named" not in result.stderr
    missing = subprocess.run(
        ["make", "-s", "python-check", f"PYTHON={tmp_path}/absent"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode != 0 and "introuvable" in missing.stderr
