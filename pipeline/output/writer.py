"""Stage 5: the only module that writes to the output folder.

Documents arrive fully rendered in memory. They are first written to a staging
folder inside the output folder (same file system), then moved into place one by one
with atomic renames, so a reader never sees a half-written file and a failure while
writing (disk full, read-only folder, a document open in Word) leaves the previous
set untouched. Files that an earlier build produced for the same document kinds and
that this build no longer produces are removed, so build/ never holds a stale
document. All of it happens under the output folder's lock, with the records of
:mod:`pipeline.output.bookkeeping` moved in last.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import stopping
from ..exceptions import OutputError, describe_os_error
from ..progress import Progress, ignore
from . import names
from .bookkeeping import (
    BACKUP,
    INDEX,
    JOURNAL,
    PREVIOUS_PREFIX,
    RECORD,
    STAGING_PREFIX,
    clean_leftovers,
    dump,
    locked,
    member,
    new_bookkeeping,
    read_index,
    read_records,
    sha256_bytes,
)


def read_build(out_dir: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """What the last builds left in ``out_dir``: ``{file: kind}`` for the files that
    still exist inside it, and ``{kind: {"classeur_sha256": ..., "date": "AAAA-MM-JJ",
    ...}}``."""
    out_dir = Path(out_dir)
    index = {
        name: kind for name, kind in read_index(out_dir).items() if member(out_dir, name).is_file()
    }
    return index, read_records(out_dir)


def read_catalogue(out_dir: Path) -> dict[str, dict]:
    """``{file: {"titre": ..., "date": "AAAA-MM-JJ", "periode": ... or None}}`` as the
    last builds recorded them (nothing for files built before the catalogue existed)."""
    catalogue: dict[str, dict] = {}
    for record in read_records(Path(out_dir)).values():
        entries = record.get("catalogue")
        if isinstance(entries, dict):
            catalogue.update(
                {name: entry for name, entry in entries.items() if isinstance(entry, dict)}
            )
    return catalogue


def _write_file(path: Path, data: bytes, sync: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        # On disk before any rename, so a power cut cannot leave a renamed but empty
        # file (os.fsync exists on every platform; os.sync does not on Windows).
        if sync:
            os.fsync(handle.fileno())


def _sync_files(paths: list[Path]) -> None:
    """Put written files on disk (see _write_file), several at a time: one fsync after
    another waits for one journal commit each (a third of a second for the sample's 89
    documents on a busy disk), concurrent ones share commits."""

    def sync(path: Path) -> None:
        with open(path, "rb+") as handle:  # Windows flushes only a handle that may write
            os.fsync(handle.fileno())

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(sync, paths))  # raises the first error


def _check_names(out_dir: Path, names_: list[str]) -> None:
    """Refuse a name that would leave the output folder or exceed Windows' path limit."""
    for name in names_:
        path = member(out_dir, name)
        if path is None:
            raise OutputError(
                f"Nom de fichier refusé : « {name} » sortirait du dossier "
                f"{out_dir}. Merci de signaler ce problème au mainteneur."
            )
        if names.WINDOWS and len(str(path.resolve())) > names.MAX_PATH:
            raise OutputError(
                f"Le chemin de {path} dépasse {names.MAX_PATH} caractères, la "
                "limite de Windows : placez l'outil dans un dossier au chemin plus "
                "court (par exemple C:\\Troika) ou choisissez un dossier de sortie "
                "plus court avec --sortie."
            )


def write_outputs(
    files: Mapping[str, tuple[str, bytes]] | Iterable[tuple[str, tuple[str, bytes]]],
    out_dir: Path,
    kinds: set[str],
    record: Mapping[str, object] | None = None,
    catalogue: Mapping[str, dict] | None = None,
    progress: Progress = ignore,
) -> list[Path]:
    """Write ``{relative name: (kind, bytes)}`` into ``out_dir``; remove the files of
    ``kinds`` that the previous build wrote and this one did not. ``record`` (workbook
    hash, build date) is remembered for each of ``kinds``, with the ``catalogue``
    entries (title, date, period) of its files. Returns the paths written, in the
    given order. ``progress`` hears of a wait for another build (see bookkeeping.locked).

    ``files`` may also be an iterable of ``(name, (kind, bytes))`` that renders each
    document when asked: each one is staged as it comes, so the documents are never
    all in memory, and an error while making them leaves ``out_dir`` untouched."""
    out_dir = Path(out_dir)
    if isinstance(files, Mapping):
        _check_names(out_dir, list(files))
    with locked(out_dir, progress):
        clean_leftovers(out_dir)
        staging = None
        try:
            with stopping.deferred():
                staging = _staging_folder(out_dir)
            staged: dict[str, tuple[str, str]] = {}  # name -> (kind, SHA-256)
            for name, (kind, data) in files.items() if isinstance(files, Mapping) else files:
                _check_names(out_dir, [name])
                _write_file(staging / name, data, sync=False)
                staged[name] = (kind, sha256_bytes(data))
            _sync_files([staging / name for name in staged])
            files = staged
            index, records, stale = new_bookkeeping(out_dir, files, kinds, record)
            if records is not None and catalogue is not None:
                for kind in kinds:
                    records[kind]["catalogue"] = {
                        name: catalogue[name]
                        for name in records[kind].get("fichiers", {})
                        if name in catalogue
                    }
            _write_file(staging / INDEX, dump(index))
            bookkeeping = [INDEX]
            if records is not None:
                _write_file(staging / RECORD, dump(records))
                bookkeeping.append(RECORD)
            _swap_in(staging, out_dir, list(files), stale, bookkeeping)
            return [out_dir / name for name in files]
        except OSError as exc:
            raise OutputError(
                f"L'écriture dans {out_dir} a échoué : {describe_os_error(exc)} Les "
                "documents précédents sont conservés."
            ) from exc
        finally:
            _remove(staging)


def _staging_folder(parent: Path) -> Path:
    """A new staging folder in ``parent``. Call it inside ``stopping.deferred()``, and
    note the folder there: a stop signal (Ctrl-C...) then waits until the caller knows
    the folder it must remove."""
    try:
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as exc:
        raise OutputError(
            f"Impossible d'écrire dans le dossier {parent}. {describe_os_error(exc, parent)}"
        ) from exc


def _remove(*folders: Path | None) -> None:
    """Remove staging folders, to the end even if Ctrl-C (or another stop) comes meanwhile."""
    with stopping.deferred():
        for folder in folders:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def _refused(target: Path, exc: OSError) -> OutputError:
    # Windows refuses to replace or delete a file another program holds open.
    return OutputError(
        f"Impossible de remplacer {target} : le fichier est ouvert dans un autre "
        "programme ou protégé en écriture. S'il est ouvert dans Word, fermez-le "
        "dans Word, puis relancez. Aucun document n'a été remplacé : les documents "
        f"précédents sont conservés. ({describe_os_error(exc)})"
    )


def _swap_in(
    staging: Path, out_dir: Path, names_: list[str], stale: list[str], bookkeeping: list[str]
) -> None:
    """Move the staged documents into place, remove the stale ones, then move the
    records in, as one set: if anything stops it half-way (an error, a file open in
    Word, Ctrl-C), every file is put back as it was. The records come last: once
    they are in place, the build is complete."""
    backup = staging / BACKUP
    done: list[tuple[Path, Path | None]] = []  # (target, saved previous version)
    # If the process is killed (no chance to undo), the next start reads this.
    _write_file(
        staging / JOURNAL, dump({"deplaces": names_, "supprimes": stale, "registres": bookkeeping})
    )

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
        for name in [*names_, *stale, *bookkeeping]:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            saved = save(target, name)
            try:
                if name in stale:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(staging / name, target)
            except PermissionError as exc:
                raise _refused(target, exc) from exc
            done.append((target, saved))
    except BaseException:
        with stopping.deferred():  # every file back, even if stopped again meanwhile
            for target, saved in reversed(done):
                if saved is not None:
                    os.replace(saved, target)
                else:
                    target.unlink(missing_ok=True)
        raise


def replace_folder(
    files: Mapping[str, bytes], folder: Path, out_dir: Path, progress: Progress = ignore
) -> list[Path]:
    """Make ``folder`` (inside the output folder ``out_dir``) hold exactly ``{relative
    name: bytes}``: everything is written to a staging folder next to it, then swapped
    in with renames, so the folder is never seen half-written and a failure leaves the
    previous one in place. As every writer of the output folder, it holds the folder's
    lock: a build starting meanwhile neither takes its staging folder for a leftover of
    a killed process nor removes it (``progress`` hears of a wait, see
    :func:`pipeline.output.bookkeeping.locked`)."""
    folder = Path(folder)
    with locked(out_dir, progress):
        clean_leftovers(out_dir)
        return _replace_folder(files, folder)


def _replace_folder(files: Mapping[str, bytes], folder: Path) -> list[Path]:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Impossible d'écrire dans le dossier {folder.parent}. "
            f"{describe_os_error(exc, folder.parent)}"
        ) from exc
    previous = folder.parent / f"{PREVIOUS_PREFIX}{folder.name}"
    staging = None
    try:
        with stopping.deferred():
            staging = _staging_folder(folder.parent)
        # mkdtemp makes a private folder; the package is shared like the documents.
        staging.chmod(0o755)
        for name, data in files.items():
            _write_file(staging / name, data)
        shutil.rmtree(previous, ignore_errors=True)
        if folder.exists():
            try:
                os.replace(folder, previous)
            except PermissionError as exc:
                raise OutputError(
                    f"Impossible de remplacer le dossier {folder} : un de ses fichiers est ouvert "
                    "dans un autre programme (Word, l'Explorateur, une archive…). Fermez-le, "
                    f"puis relancez ; le dossier précédent est conservé. ({describe_os_error(exc)})"
                ) from exc
        os.replace(staging, folder)
        return [folder / name for name in files]
    except BaseException as exc:
        with stopping.deferred():  # the previous folder back, even if stopped meanwhile
            if previous.exists() and not folder.exists():
                os.replace(previous, folder)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(
            f"L'écriture dans {folder} a échoué : {describe_os_error(exc)} Le "
            "dossier précédent est conservé."
        ) from exc
    finally:
        _remove(staging, previous)
