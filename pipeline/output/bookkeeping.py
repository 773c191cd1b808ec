"""build/'s records, which nothing can corrupt, and the decision to rebuild.

Two files in the output folder say what the builds left there:

- ``.index.json``: ``{file: document kind}``, every file the builds wrote;
- ``.construction.json``: for each document kind, the SHA-256 of the workbook it was
  built from, the build date, the fingerprint of everything the build depended on
  and the SHA-256 of each file written.

Every change to them happens under one lock (``.verrou``, a cross-platform file lock
that the system releases when a process dies), so builds and distributions started
at the same time take turns instead of losing each other's entries. Every writer of
the output folder holds it (the writer's documents and packages, the website, the
clean-up): a staging folder found while holding it was left by a killed process. They are only
ever replaced whole (written aside, then renamed). What they say is never trusted
blindly: an entry naming a file outside the output folder (``../x``, an absolute
path, a link leading out) is ignored, so no build deletes and no distribution copies
a file outside it.

A build is up to date when the fingerprint of its inputs (workbook, templates,
pipeline code and libraries, build date, options) equals the recorded one and the
files are still those it wrote: decisions by content, never by file dates, so a
corrected workbook copied from a USB key with an old date is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from ..exceptions import OutputError, describe_os_error
from ..progress import WAITING, Progress, ignore

INDEX = ".index.json"
RECORD = ".construction.json"
LOCK = ".verrou"
# Folders a build or a distribution writes before moving their contents into place;
# any found when the lock is free were left by a killed process.
STAGING_PREFIX = ".en-cours-"
# In a build's staging folder: the moves about to be made, and the previous versions
# of the files they replace, so that the next start can undo a build killed half-way.
JOURNAL = ".journal.json"
BACKUP = ".precedents"
PREVIOUS_PREFIX = ".ancien-"
LOCK_TIMEOUT = 600  # seconds to wait for another build to finish writing
SHA256_CHUNK = 1 << 20
PACKAGE = Path(__file__).resolve().parent.parent  # the whole pipeline package
# Libraries whose version can change the bytes of a document.
LIBRARIES = (
    "docxtpl",
    "python-docx",
    "jinja2",
    "openpyxl",
    "xlsxwriter",
    "babel",
    "python-pptx",
    "lxml",
)

_locks: dict[Path, FileLock] = {}
_locks_guard = threading.Lock()


@contextmanager
def locked(out_dir: Path, progress: Progress = ignore) -> Iterator[None]:
    """Hold the output folder's lock (re-entrant within a process), creating the
    folder if needed; ``progress`` hears of a wait for another process (WAITING)."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        key = out_dir.resolve()
        with _locks_guard:
            lock = _locks.setdefault(key, FileLock(str(key / LOCK)))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            progress(WAITING, 0, 1)
            lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout as exc:
        raise OutputError(
            f"Une autre construction, diffusion ou production du site écrit dans {out_dir} depuis "
            f"plus de {LOCK_TIMEOUT // 60} minutes : attendez qu'elle se termine "
            "(ou fermez-la), puis relancez."
        ) from exc
    except OSError as exc:
        raise OutputError(
            f"Impossible d'écrire dans le dossier {out_dir}. {describe_os_error(exc, out_dir)}"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def member(out_dir: Path, name: object) -> Path | None:
    """The path of a recorded file ``name`` when it lies inside ``out_dir``, else None."""
    if not isinstance(name, str) or not name or "\\" in name or ":" in name or "\0" in name:
        return None
    parts = name.split("/")
    if PurePosixPath(name).is_absolute() or any(p in ("", ".", "..") for p in parts):
        return None
    path = Path(out_dir, *parts)
    try:
        path.resolve().relative_to(Path(out_dir).resolve())
    except (ValueError, OSError):
        return None  # a link leading out of the folder
    return path


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_index(out_dir: Path) -> dict[str, str]:
    """``{file: kind}`` as recorded, without the entries pointing outside ``out_dir``."""
    return {
        name: kind
        for name, kind in _read_json(Path(out_dir) / INDEX).items()
        if isinstance(kind, str) and member(out_dir, name) is not None
    }


def read_records(out_dir: Path) -> dict[str, dict]:
    """``{kind: record}`` as recorded (only well-formed records)."""
    return {
        kind: record
        for kind, record in _read_json(Path(out_dir) / RECORD).items()
        if isinstance(record, dict)
    }


def dump(data: Mapping) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def new_bookkeeping(
    out_dir: Path,
    files: Mapping[str, tuple[str, bytes | str]],
    kinds: set[str],
    record: Mapping[str, object] | None,
) -> tuple[dict, dict | None, list[str]]:
    """The index and records after writing ``files`` for ``kinds``, and the files of
    those kinds that the previous build wrote and this one does not (to remove).
    Call it under the lock."""
    index = read_index(out_dir)
    stale = [name for name, kind in index.items() if kind in kinds and name not in files]
    for name in stale:
        index.pop(name)
    index.update({name: kind for name, (kind, _data) in files.items()})
    if record is None:
        return index, None, stale
    records = read_records(out_dir)
    for kind in sorted(kinds):
        # A file's bytes, or their SHA-256 already computed (documents streamed to disk).
        written = {
            name: data if isinstance(data, str) else sha256_bytes(data)
            for name, (k, data) in files.items()
            if k == kind
        }
        records[kind] = {**record, "fichiers": written}
    return index, records, stale


def clean_leftovers(out_dir: Path) -> list[Path]:
    """Remove what a killed build or distribution left in ``out_dir`` (staging
    folders, the previous package kept during a swap); the folders removed. Call it
    under the lock: then no living process is using them."""
    out_dir = Path(out_dir)
    removed = []
    for folder in (out_dir, out_dir / "diffusion"):
        if not folder.is_dir():
            continue
        for leftover in folder.iterdir():
            if leftover.name.startswith((STAGING_PREFIX, PREVIOUS_PREFIX)) and leftover.is_dir():
                if leftover.name.startswith(PREVIOUS_PREFIX):
                    _restore_previous(leftover)
                elif (leftover / JOURNAL).is_file():
                    _finish_or_undo(leftover, folder)
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
    return removed


def clean_leftovers_if_free(out_dir: Path) -> None:
    """:func:`clean_leftovers`, unless another process is writing right now (it will
    clean them itself). Never creates the folder."""
    out_dir = Path(out_dir)
    if not (out_dir / LOCK).exists() and not any(out_dir.glob(f"{STAGING_PREFIX}*")):
        return  # nothing was ever locked, or nothing to clean: spare the lock
    lock = FileLock(str(out_dir.resolve() / LOCK))
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return
    try:
        clean_leftovers(out_dir)
    finally:
        lock.release()


def _finish_or_undo(staging: Path, out_dir: Path) -> None:
    """Complete the swap of a build killed after its records were moved in (it had
    finished), or put every file back as it was before it (it had not)."""
    journal = _read_json(staging / JOURNAL)
    moved = [n for n in journal.get("deplaces", []) if member(out_dir, n) is not None]
    stale = [n for n in journal.get("supprimes", []) if member(out_dir, n) is not None]
    records = [n for n in journal.get("registres", []) if n in (INDEX, RECORD)]
    if any(not (staging / name).exists() for name in records):
        for name in records:  # committed: the last records follow the first
            if (staging / name).exists():
                os.replace(staging / name, out_dir / name)
        for name in stale:
            (out_dir / name).unlink(missing_ok=True)
        return
    for name in [*moved, *stale]:
        target, saved = out_dir / name, staging / BACKUP / name
        was_moved = not (staging / name).exists() if name in moved else not target.exists()
        if not was_moved:
            continue
        if saved.exists():
            os.replace(saved, target)
        elif name in moved:
            target.unlink(missing_ok=True)


def _restore_previous(previous: Path) -> None:
    # Killed between moving the old package aside and moving the new one in: the
    # old one goes back, rather than nothing.
    target = previous.with_name(previous.name[len(PREVIOUS_PREFIX) :])
    if not target.exists():
        os.replace(previous, target)


# -- Fingerprints: what a build depends on -------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(SHA256_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _tree_sha256(folder: Path, pattern: str = "*") -> str:
    digest = hashlib.sha256()
    for path in sorted(
        p for p in Path(folder).rglob(pattern) if p.is_file() and "__pycache__" not in p.parts
    ):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update((sha256_file(path) or "").encode() + b"\0")
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    return versions


def fingerprint(workbook_sha256: str | None, templates: Path, options: Mapping[str, object]) -> str:
    """One digest of everything a build's documents depend on: the workbook, the
    templates, the pipeline's code and libraries, and the options (build date...)."""
    facts = {
        "classeur": workbook_sha256,
        "modeles": _tree_sha256(templates),
        "code": _tree_sha256(PACKAGE, "*.py"),
        "bibliotheques": _library_versions(),
        "options": dict(options),
    }
    return sha256_bytes(dump(facts))


def is_up_to_date(out_dir: Path, kinds: list[str], print_: str) -> bool:
    """Whether every kind of ``kinds`` was last built with fingerprint ``print_`` and
    its files are still exactly the ones that build wrote."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return False
    index, records = read_index(out_dir), read_records(out_dir)
    for kind in kinds:
        record = records.get(kind, {})
        files = record.get("fichiers")
        if record.get("empreinte") != print_ or not isinstance(files, dict):
            return False
        if {n for n, k in index.items() if k == kind} != set(files):
            return False
        for name, digest in files.items():
            path = member(out_dir, name)
            if path is None or sha256_file(path) != digest:
                return False
    return True


def remove_outputs(out_dir: Path) -> tuple[list[Path], list[Path]]:
    """Remove what builds and distributions wrote in ``out_dir``: the recorded
    documents, the dated distribution folders, the records, the leftovers. Files the
    pipeline did not write stay. Returns (removed files, files left in place)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return [], []
    removed: list[Path] = []
    with locked(out_dir):
        removed += clean_leftovers(out_dir)
        for name in read_index(out_dir):
            path = member(out_dir, name)
            if path is not None and path.is_file():
                path.unlink()
                removed.append(path)
        packages = out_dir / "diffusion"
        for folder in sorted(packages.iterdir()) if packages.is_dir() else []:
            if folder.is_dir() and (folder / "manifeste.csv").is_file():
                removed += [p for p in folder.rglob("*") if p.is_file()]
                shutil.rmtree(folder)
        for name in (INDEX, RECORD):
            if (out_dir / name).is_file():
                (out_dir / name).unlink()
                removed.append(out_dir / name)
    (out_dir / LOCK).unlink(missing_ok=True)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    kept = sorted(p for p in out_dir.rglob("*") if p.is_file())
    if not kept and not any(out_dir.iterdir()):
        out_dir.rmdir()
    return removed, kept
