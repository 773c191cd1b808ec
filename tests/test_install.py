"""Installing the tool: the locks in requirements/ pin what pyproject.toml allows, for
every platform; the running environment is the one the lock describes."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

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
