"""Installing the tool: the locks in requirements/ pin what pyproject.toml allows, for
every platform; the running environment is the one the lock describes; the templates
in use follow one documented rule (pipeline.locations); and the tool installed like any
Python tool, from its wheel, builds the sample from another folder."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline import locations
from pipeline.cli import main
from tests.conftest import ROOT, SAMPLE
from tests.golden import GOLDEN, describe, documents

if sys.version_info >= (3, 11):
    import tomllib
else:  # the test lock brings tomli on Python 3.10
    import tomli as tomllib

RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: Path) -> list[tuple[str, str, Marker | None]]:
    """(name, version, marker) of each package the lock pins, with hashes checked present."""
    found = []
    entry = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            entry = [canonicalize_name(match[1]), match[2], match[3], 0]
            found.append(entry)
        elif line.strip().startswith("--hash=sha256:") and entry is not None:
            entry[3] += 1
    assert found, f"{lock} ne fixe aucune version"
    unhashed = [name for name, _, _, hashes in found if not hashes]
    assert not unhashed, f"{lock.name} : versions sans empreinte : {unhashed}"
    return [
        (name, version, Marker(marker) if marker else None) for name, version, marker, _ in found
    ]


def applicable(lock: Path, environment: dict[str, str] | None = None) -> dict[str, str]:
    """The versions the lock installs in ``environment`` (default: this interpreter),
    one per package."""
    chosen: dict[str, str] = {}
    for name, version, marker in pins(lock):
        if marker is None or marker.evaluate(environment):
            assert name not in chosen, f"{lock.name} fixe {name} deux fois ici"
            chosen[name] = version
    return chosen


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in listed]


# Where the secretariat and the maintainers run the tool: Windows above all.
PLATFORMS = {
    f"{system} {python}": {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": platform,
        "platform_system": system,
        "os_name": "nt" if platform == "win32" else "posix",
        "platform_machine": "AMD64" if platform == "win32" else "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    for system, platform in [("Windows", "win32"), ("Linux", "linux"), ("Darwin", "darwin")]
    for python in ["3.10", "3.11", "3.12", "3.13"]
}


@pytest.mark.parametrize("where", sorted(PLATFORMS))
def test_the_locks_pin_every_declared_library_within_its_range(where):
    environment = PLATFORMS[where]
    runtime = applicable(RUNTIME_LOCK, environment)
    everything = applicable(TEST_LOCK, environment)
    for lock, chosen, requirements in [
        (RUNTIME_LOCK, runtime, declared()),
        (TEST_LOCK, everything, declared() + declared("test")),
    ]:
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in chosen, f"{lock.name} ne fixe pas {name} pour {where}"
            assert requirement.specifier.contains(chosen[name], prereleases=True), (
                f"{lock.name} fixe {name}=={chosen[name]}, hors de « {requirement} » "
                "(pyproject.toml) : lancez make mettre-a-jour"
            )
    # The test lock adds to the runtime lock without moving any of its versions.
    moved = {n: (v, everything.get(n)) for n, v in runtime.items() if everything.get(n) != v}
    assert not moved, f"versions différentes entre les deux verrous : {moved}"


UV = Path(sys.executable).parent / ("uv.exe" if os.name == "nt" else "uv")
needs_uv = pytest.mark.skipif(not UV.exists(), reason="uv (bibliothèques de test) absent")


def _uv(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """uv with its cache alone when it holds everything (no network), else online."""
    for offline in (["--offline"], []):
        done = subprocess.run(
            [str(UV), *args, *offline], cwd=cwd, capture_output=True, text=True, timeout=600
        )
        if done.returncode == 0:
            return done
    raise AssertionError(f"uv {' '.join(args)} : {done.stderr}")


@pytest.mark.slow  # a minute and a half the first time, while uv fetches the indexes
@needs_uv
@pytest.mark.parametrize(
    "platform", ["x86_64-pc-windows-msvc", "x86_64-manylinux_2_28", "aarch64-apple-darwin"]
)
def test_the_runtime_lock_installs_from_ready_made_wheels_everywhere(platform, tmp_path):
    # A secretary's computer has no compiler: every pinned library must have a wheel for
    # the Python she downloads today, whichever it is.
    for python in ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]:
        _uv("pip", "compile", str(RUNTIME_LOCK), "--python-platform", platform,
            "--python-version", python, "--only-binary", ":all:", "--quiet", cwd=tmp_path)  # fmt: skip


def test_the_running_environment_is_the_one_the_lock_describes():
    # The test suite runs in the environment `make test` makes from the test lock.
    different = {}
    for name, version in applicable(TEST_LOCK).items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            different[name] = f"verrou {version}, installé {installed or 'absent'}"
    assert not different, (
        "L'environnement ne correspond pas à requirements/test.txt (make test le refait) : "
        f"{different}"
    )


# -- Which templates ----------------------------------------------------------------------


def _templates_copy(folder: Path) -> Path:
    shutil.copytree(locations.shipped_templates(), folder / "templates")
    return folder / "templates"


def test_templates_come_from_the_option_then_the_current_folder_then_the_tool(tmp_path):
    shipped = locations.shipped_templates()
    assert (shipped / "charte.docx").is_file() and (shipped / "courriel.txt").is_file()
    assert locations.find_templates(here=tmp_path) == shipped
    # A templates/ folder without the charter is someone else's (a web project's...).
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p></p>")
    assert locations.find_templates(here=tmp_path) == shipped
    shutil.rmtree(tmp_path / "templates")
    edited = _templates_copy(tmp_path)
    assert locations.find_templates(here=tmp_path) == edited
    chosen = tmp_path / "ailleurs"
    assert locations.find_templates(chosen, here=tmp_path) == chosen


def test_the_version_and_the_build_summary_name_the_templates_in_use(tmp_path, monkeypatch):
    shown = CliRunner().invoke(main, ["--version"])
    assert shown.exit_code == 0, shown.output
    assert str(locations.find_templates()) in shown.output

    edited = _templates_copy(tmp_path)
    document = Document(edited / "flash_info.docx")
    document.add_paragraph("Version du secrétariat")
    document.save(edited / "flash_info.docx")
    out = tmp_path / "sortie"
    monkeypatch.chdir(tmp_path)
    built = CliRunner().invoke(
        main,
        ["construire", "flash-info", "--classeur", str(SAMPLE), "--sortie", str(out), "--modeles",
         str(edited), "--date", "2022-06-30"],
    )  # fmt: skip
    assert built.exit_code == 0, built.output
    assert f"Modèles Word : {edited}" in built.output
    flash = next(out.rglob("flash*.docx"))
    assert "Version du secrétariat" in [p.text for p in Document(flash).paragraphs]


# -- Installed like any Python tool ------------------------------------------------------

SOURCES = ["pyproject.toml", "setup.py", "README.md", "pipeline", "templates"]


@pytest.mark.slow
@needs_uv
def test_the_installed_wheel_builds_the_sample_from_another_folder(tmp_path):
    # The wheel, built from a copy of the sources (the repository is left as it is).
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "~$*")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    _uv("build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(source), cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("*.whl")

    # A new environment outside the repository: the runtime lock, then the wheel alone.
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _uv("pip", "install", "--python", str(python), "--require-hashes", "-r", str(RUNTIME_LOCK),
        cwd=tmp_path)  # fmt: skip
    _uv("pip", "install", "--python", str(python), "--no-deps", str(wheel), cwd=tmp_path)

    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}

    def troika(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(scripts / ("troika.exe" if os.name == "nt" else "troika")), *args],
            cwd=elsewhere,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    version = troika("--version")
    assert version.returncode == 0, version.stderr
    assert "modèles livrés avec l'outil" in version.stdout
    assert str(venv) in version.stdout  # the installed package, not the repository

    out = tmp_path / "out"
    built = troika(
        "construire", "--classeur", str(SAMPLE), "--sortie", str(out), "--date", "2022-06-30"
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "91 document(s) produit(s)" in built.stdout
    assert "modèles livrés avec l'outil" in built.stdout
    made = documents(out)
    references = {p.relative_to(GOLDEN).as_posix()[: -len(".txt")] for p in GOLDEN.rglob("*.txt")}
    assert set(made) == references
    changed = [
        name
        for name, path in made.items()
        if describe(path).splitlines()
        != (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    ]
    assert not changed, changed
    # The page's and the website's own files came along (package data of pipeline.web).
    site = troika("site", "--classeur", str(SAMPLE), "--sortie", str(out), "--date", "2022-06-30")
    assert site.returncode == 0, site.stdout + site.stderr
    assert (out / "site" / "index.html").is_file() and (out / "site" / "style.css").is_file()

    # The project's inputs/ is the current folder's for an installed tool: still protected.
    (elsewhere / "inputs").mkdir()
    shutil.copy2(SAMPLE, elsewhere / "inputs")
    refused = troika("construire", "--sortie", "inputs/documents", "--date", "2022-06-30")
    assert refused.returncode != 0 and "dossier des classeurs" in refused.stderr
    assert not (elsewhere / "inputs" / "documents").exists()

    # The secretariat's templates/ in the current folder win over the shipped ones.
    shutil.copytree(locations.shipped_templates(), elsewhere / "templates")
    assert f"{elsewhere / 'templates'} (dossier templates/ du dossier courant)" in (
        troika("--version").stdout
    )
