"""Stage 5: the only module that writes to the output folder.

Documents arrive fully rendered in memory. They are first written to a staging
folder inside the output folder (same file system), then moved into place one by one
with atomic renames, so a reader never sees a half-written file and a failure while
writing (disk full, read-only folder) leaves the previous set untouched. Files that
an earlier build produced for the same document kinds and that this build no longer
produces are removed, so build/ never holds a stale document.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .exceptions import OutputError

# Which file belongs to which document kind, as of the last build.
INDEX = ".index.json"
# For each document kind: the SHA-256 of the workbook it was built from and the build
# date, so the distribution stage can refuse documents older than the workbook.
RECORD = ".construction.json"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_index(out_dir: Path) -> dict[str, str]:
    return _read_json(out_dir / INDEX)


def read_build(out_dir: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """What the last builds left in ``out_dir``: ``{file: kind}`` for the files that
    still exist, and ``{kind: {"classeur_sha256": ..., "date": "AAAA-MM-JJ"}}``."""
    out_dir = Path(out_dir)
    index = {name: kind for name, kind in _read_index(out_dir).items()
             if (out_dir / name).is_file()}
    return index, _read_json(out_dir / RECORD)


def _dump(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def write_outputs(files: Mapping[str, tuple[str, bytes]], out_dir: Path,
                  kinds: set[str], record: Mapping[str, object] | None = None) -> list[Path]:
    """Write ``{relative name: (kind, bytes)}`` into ``out_dir``; remove the files of
    ``kinds`` that the previous build wrote and this one did not. ``record`` (workbook
    hash, build date) is remembered for each of ``kinds``. Returns the paths written,
    in the given order."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".en-cours-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"Impossible d'écrire dans le dossier {out_dir} ({exc.strerror}). "
                          "Vérifiez qu'il n'est pas en lecture seule.") from exc
    try:
        for name, (_kind, data) in files.items():
            _write_file(staging / name, data)
        index = _read_index(out_dir)
        stale = [name for name, kind in index.items() if kind in kinds and name not in files]
        for name in stale:
            index.pop(name, None)
        index.update({name: kind for name, (kind, _data) in files.items()})
        _write_file(staging / INDEX, _dump(index))
        bookkeeping = [INDEX]
        if record is not None:
            records = _read_json(out_dir / RECORD)
            records.update({kind: dict(record) for kind in sorted(kinds)})
            _write_file(staging / RECORD, _dump(records))
            bookkeeping.append(RECORD)
        # Everything reaches the disk before any rename, so that a power cut cannot
        # leave a renamed but empty file: one sync for the batch, not one per file.
        os.sync()
        _swap_in(staging, out_dir, [*files, *bookkeeping], stale)
        return [out_dir / name for name in files]
    except OSError as exc:
        raise OutputError(f"L'écriture dans {out_dir} a échoué ({exc.strerror or exc}) ; les "
                          "documents précédents sont conservés. Libérez de l'espace disque ou "
                          "vérifiez les droits du dossier, puis relancez.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path, names: list[str], stale: list[str]) -> None:
    """Move the staged files into place and remove the stale ones, as one set: if
    anything stops it half-way (an error, Ctrl-C), every file is put back as it was."""
    backup = staging / ".precedents"
    done: list[tuple[Path, Path | None]] = []  # (target, saved previous version)

    def save(target: Path, name: str) -> Path | None:
        if not target.exists():
            return None
        saved = backup / name
        saved.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(target, saved)  # keeps the old version without ever removing it
        except OSError:
            shutil.copy2(target, saved)
        return saved

    try:
        for name in names:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            saved = save(target, name)
            os.replace(staging / name, target)
            done.append((target, saved))
        for name in stale:
            target = out_dir / name
            saved = save(target, name)
            target.unlink(missing_ok=True)
            done.append((target, saved))
    except BaseException:
        for target, saved in reversed(done):
            if saved is not None:
                os.replace(saved, target)
            else:
                target.unlink(missing_ok=True)
        raise


def replace_folder(files: Mapping[str, bytes], folder: Path) -> list[Path]:
    """Make ``folder`` hold exactly ``{relative name: bytes}``: everything is written
    to a staging folder next to it, then swapped in with renames, so the folder is
    never seen half-written and a failure leaves the previous one in place."""
    folder = Path(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".en-cours-", dir=folder.parent))
        # mkdtemp makes a private folder; the package is shared like the documents.
        staging.chmod(0o755)
    except OSError as exc:
        raise OutputError(f"Impossible d'écrire dans le dossier {folder.parent} ({exc.strerror}). "
                          "Vérifiez qu'il n'est pas en lecture seule.") from exc
    previous = folder.parent / f".ancien-{folder.name}"
    try:
        for name, data in files.items():
            _write_file(staging / name, data)
        shutil.rmtree(previous, ignore_errors=True)
        if folder.exists():
            os.replace(folder, previous)
        os.replace(staging, folder)
        return [folder / name for name in files]
    except OSError as exc:
        if previous.exists() and not folder.exists():
            os.replace(previous, folder)
        raise OutputError(f"L'écriture dans {folder} a échoué ({exc.strerror or exc}) ; le "
                          "dossier précédent est conservé. Libérez de l'espace disque ou "
                          "vérifiez les droits du dossier, puis relancez.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(previous, ignore_errors=True)
