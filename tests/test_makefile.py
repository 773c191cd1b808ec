"""`make reports` and `make distribute` redo work only when an input changed."""

from __future__ import annotations

import os
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
    reason="make ou la commande troika de l'environnement de test est absent")


def make(*args: str, out: Path, workbook: Path) -> subprocess.CompletedProcess:
    # -o: never reinstall the environment from a test.
    return subprocess.run(["make", "-o", f"{BIN}/troika", f"BIN={BIN}", f"SORTIE={out}",
                           f"CLASSEUR={workbook}", "DATE=2021-12-31", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_reports_and_distribute_run_only_when_inputs_change(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    out = tmp_path / "sortie"
    assert make("-q", "reports", out=out, workbook=workbook).returncode == 1
    done = make("reports", "distribute", "DIFFUSER_OPTIONS=--sans-pdf", out=out, workbook=workbook)
    assert done.returncode == 0, done.stderr
    assert (out / "pta_2021.docx").is_file()
    assert (out / "diffusion" / "2021-12-31" / "manifeste.csv").is_file()

    # Nothing changed: both targets are up to date, and a real run does nothing.
    assert make("-q", "reports", out=out, workbook=workbook).returncode == 0
    assert make("-q", "distribute", out=out, workbook=workbook).returncode == 0
    again = make("reports", out=out, workbook=workbook)
    assert "troika construire" not in again.stdout

    # Another build date is another build.
    other = subprocess.run(["make", "-q", "-o", f"{BIN}/troika", f"BIN={BIN}", f"SORTIE={out}",
                            f"CLASSEUR={workbook}", "DATE=2022-01-15", "reports"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert other.returncode == 1

    # A saved workbook is newer than the stamps: both targets are out of date.
    later = os.stat(workbook).st_mtime + 10
    os.utime(workbook, (later, later))
    assert make("-q", "reports", out=out, workbook=workbook).returncode == 1
    assert make("-q", "distribute", out=out, workbook=workbook).returncode == 1


def test_another_workbook_is_another_build(make_workbook, tmp_path):
    out = tmp_path / "sortie"
    first = make_workbook(edit_rows=distribution_rows)
    assert make("reports", out=out, workbook=first).returncode == 0
    second = make_workbook(edit_rows=lambda rows: rows["Activités"][0].update(code="1.2"))
    os.utime(second, (os.stat(first).st_mtime - 100,) * 2)  # older than the stamp
    failed = make("reports", out=out, workbook=second)
    assert failed.returncode != 0  # it was built (and refused), not skipped
    assert "duplicate-code" in failed.stderr
