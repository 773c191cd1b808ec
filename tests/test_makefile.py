"""The Makefile, the Linux and macOS entry: every target asks troika, which decides by
content; workbook names with spaces work; French messages when Python lacks venv; the
environment is made from the locks, the test libraries only for the maintainers'
targets, and anew when a lock changes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_distribution_sheets import distribution_rows

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VENV = BIN.parent
STAMPS = {"runtime": ".installe-runtime", "test": ".installe-test"}
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
            *(f"-o{VENV / stamp}" for stamp in STAMPS.values()),
            f"VENV={VENV}",
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


# -- The environment ------------------------------------------------------------------


def planned(*args: str, venv: Path, **variables: str) -> str:
    """What ``make`` would run for ``args`` with the environment in ``venv`` (make -n)."""
    done = subprocess.run(
        ["make", "-n", f"VENV={venv}", *(f"{k}={v}" for k, v in variables.items()), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_documents_need_the_runtime_lock_alone_and_tests_the_test_lock(tmp_path):
    fresh = tmp_path / "venv"
    for target in ("reports", "distribute", "check", "check-templates", "interface", "site"):
        plan = planned(target, venv=fresh)
        assert "venv --clear" in plan and "--require-hashes -r requirements/runtime.txt" in plan
        assert "--no-deps -e ." in plan
        assert "requirements/test.txt" not in plan and "[test]" not in plan, target
    for target in ("test", "lint"):
        plan = planned(target, venv=fresh)
        assert "--require-hashes -r requirements/runtime.txt" in plan
        assert "--require-hashes -r requirements/test.txt" in plan, target


def test_a_changed_lock_makes_the_environment_anew(tmp_path):
    locks = tmp_path / "requirements"
    locks.mkdir()
    for name in ("runtime.txt", "test.txt"):
        shutil.copy2(ROOT / "requirements" / name, locks / name)
    venv = tmp_path / "venv"
    venv.mkdir()
    files = {"RUNTIME_LOCK": locks / "runtime.txt", "TEST_LOCK": locks / "test.txt"}

    def age(path: Path, when: float) -> None:
        os.utime(path, (when, when))

    # Installed after the locks and pyproject.toml were last changed: nothing to install.
    later = time.time() + 86400
    age(files["RUNTIME_LOCK"], 0)
    age(files["TEST_LOCK"], 0)
    (venv / STAMPS["runtime"]).touch()
    age(venv / STAMPS["runtime"], later)
    (venv / STAMPS["test"]).touch()
    age(venv / STAMPS["test"], later + 1)
    assert "pip install" not in planned("reports", "test", venv=venv, **files)

    age(files["TEST_LOCK"], later + 2)  # a new test lock: the test libraries again
    plan = planned("reports", "test", venv=venv, **files)
    assert "venv --clear" not in plan and f"-r {files['TEST_LOCK']}" in plan

    age(files["RUNTIME_LOCK"], later + 3)  # a new runtime lock: everything anew
    plan = planned("reports", venv=venv, **files)
    assert "venv --clear" in plan and f"-r {files['RUNTIME_LOCK']}" in plan


@pytest.mark.slow
def test_make_installs_the_tool_from_the_runtime_lock_alone(tmp_path):
    venv = tmp_path / "venv"
    done = subprocess.run(
        ["make", "-s", "environnement", f"VENV={venv}", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BuildBackendWarning" not in done.stderr  # no English notes for staff
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {line.split("==")[0].lower() for line in listed.splitlines() if "==" in line}
    assert {"docxtpl", "openpyxl", "troika-pipeline"} <= installed
    assert not installed & {"pytest", "hypothesis", "playwright", "ruff"}
    version = subprocess.run(
        [str(venv / "bin" / "troika"), "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and "troika" in version.stdout, version.stderr
    again = subprocess.run(
        ["make", "-n", "reports", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True
    )
    assert "pip install" not in again.stdout  # made once: the next command installs nothing
