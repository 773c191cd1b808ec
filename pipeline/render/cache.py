"""A cache of values made from content, on disk, that can never be wrong or in the way.

Rendering makes two things again and again from the same templates: docxtpl's cleaned
XML of each template part (a chain of regular expressions over the whole part, for
every document) and Jinja's compiled code of that XML. Both are pure functions of
their source text, the libraries' versions and this package's code, so they are kept
here, in the user's cache folder (``platformdirs.user_cache_dir("troika")``), between
runs and across the worker processes of one build.

What makes it safe:

- the folder of entries is named after a *version*: a digest of Python's, docxtpl's,
  Jinja's, python-docx's and lxml's versions and of this package's source files.
  Entries made by another version are never read: their folders are deleted when a
  cache is opened, once that version has not been used for OTHER_VERSIONS_KEPT_FOR
  (two installed versions used in turn, such as the secretariat's and a maintainer's,
  would otherwise delete each other's entries at every run: a third more time for the
  sample's build);
- an entry's file name is the digest of its key (the source text and what else the
  value depends on); its content starts with a digest of the key and the value, checked
  on every read. An entry that is missing, unreadable, truncated, altered or renamed is
  made again and replaced: never an error, never a different value;
- nothing that goes wrong with the folder (absent, read-only, full, not a folder) stops
  a build: the value is then made without the cache;
- the folder is bounded: when a cache is opened, the oldest entries of all versions
  beyond MAX_BYTES are deleted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024  # all entries, at most (the sample needs 0.5 MB)
OTHER_VERSIONS_KEPT_FOR = 7 * 24 * 3600  # seconds since another version was last opened
_MAGIC = b"troika-cache-1\n"
_DIGEST = hashlib.sha256().digest_size
_LIBRARIES = ("docxtpl", "Jinja2", "python-docx", "lxml", "MarkupSafe")


def default_folder() -> Path | None:
    """The user's cache folder for the documents' rendering, or None when there is none."""
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("troika", appauthor=False)) / "rendu"
    except Exception:  # noqa: BLE001 - no cache is a slower build, never a failed one
        return None


def code_version() -> str:
    """What every cached value depends on besides its key: Python's and the libraries'
    versions, and the source of this package (the rendering code)."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:24]


class Cache:
    """Values made from content, kept in ``folder`` (see the module's docstring); a
    Cache of ``None`` keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = None
        if folder is None:
            return
        self.folder = Path(folder) / code_version()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)  # when this version was last used (see _clean)
            _clean(Path(folder), keep=self.folder.name)
        except OSError:
            pass  # reads and writes fail alike below, and the values are made

    def get(self, key: bytes, make: Callable[[], bytes]) -> bytes:
        """The value of ``key``: read from the cache when an intact entry holds it, else
        ``make()``, kept for the next time."""
        if self.folder is None:
            return make()
        key_digest = hashlib.sha256(key).digest()
        path = self.folder / key_digest.hex()
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        value = _checked(data, key_digest)
        if value is not None:
            return value
        value = make()
        _write(path, _MAGIC + hashlib.sha256(key_digest + value).digest() + value)
        return value


def _checked(data: bytes, key_digest: bytes) -> bytes | None:
    """The value of an entry's bytes ``data``, or None unless they are intact and made
    for the key whose digest is ``key_digest``."""
    head = len(_MAGIC) + _DIGEST
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    value = data[head:]
    if hashlib.sha256(key_digest + value).digest() != data[len(_MAGIC) : head]:
        return None
    return value


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a reader in another process never
    sees half an entry); a folder that refuses it costs the next run some time only."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ecriture-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _clean(root: Path, keep: str) -> None:
    """Delete under ``root`` the folders of versions other than ``keep`` left unused for
    OTHER_VERSIONS_KEPT_FOR, anything else that is not a folder, and the oldest entries
    of all versions beyond MAX_BYTES (then the folders of other versions left empty)."""
    now = time.time()
    folders = []
    for child in root.iterdir():
        if child.name == keep:
            folders.append(child)
        elif not child.is_dir():
            child.unlink(missing_ok=True)
        elif now - child.stat().st_mtime > OTHER_VERSIONS_KEPT_FOR:
            shutil.rmtree(child, ignore_errors=True)
        else:
            folders.append(child)
    entries = []
    for folder in folders:
        for child in folder.iterdir():
            try:
                stat = child.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, child))
    total = sum(size for _time, size, _child in entries)
    for _time, size, child in sorted(entries):
        if total <= MAX_BYTES:
            break
        child.unlink(missing_ok=True)
        total -= size
    for folder in folders:
        if folder.name != keep and not any(folder.iterdir()):
            folder.rmdir()
