"""File names that are valid on Windows, derived deterministically from any text.

The secretariat opens build/ in the Windows Explorer, unzips the packages there and
attaches the files to Outlook messages, so every name the pipeline makes must be one
Windows accepts: no reserved device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, in any
case and with any extension: ``nul.eml`` is the device NUL), none of ``<>:"/\\|?*``
or control characters, no trailing dot or space, and a bounded length so that the
whole path stays under Windows' classic 260-character limit.

The same text always gives the same name, so two builds of one workbook write the
same files, and two different texts never give the same shortened name (a digest
of the full text is kept).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

# The devices Windows reserves; "COM¹" and friends count too.
RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{d}" for d in "123456789¹²³"),
        *(f"lpt{d}" for d in "123456789¹²³"),
    }
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# One file or folder name, extension included. With build/diffusion/<date>/<list>/
# and a sub-folder, a generated path stays far below MAX_PATH.
MAX_COMPONENT = 64
# Windows' classic limit for a whole path (without the terminating NUL).
MAX_PATH = 259
# Whether to enforce MAX_PATH on whole paths (a module attribute so tests can turn it on).
WINDOWS = os.name == "nt"
_DIGEST = 8  # hex digits of the full name kept in a shortened name


def windows_name(name: str, max_length: int = MAX_COMPONENT) -> str:
    """``name`` as one file or folder name valid on Windows; unchanged when it already is."""
    text = unicodedata.normalize("NFC", str(name))
    cleaned = _FORBIDDEN.sub("_", text).strip(" ").rstrip(". ") or "_"
    # Windows ignores what follows the first dot when it looks for a device name.
    stem, dot, rest = cleaned.partition(".")
    if stem.rstrip(" ").casefold() in RESERVED:
        cleaned = f"{stem}_{dot}{rest}"
    if len(cleaned) > max_length:
        cleaned = _shorten(cleaned, text, max_length)
    return cleaned


def _shorten(cleaned: str, original: str, max_length: int) -> str:
    """The start of ``cleaned``, a digest of ``original``, then the extension."""
    base, dot, extension = cleaned.rpartition(".")
    if not dot or len(extension) > 8 or not base:
        base, extension = cleaned, ""
    suffix = "." + extension if extension else ""
    digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:_DIGEST]
    keep = max(1, max_length - len(suffix) - _DIGEST - 1)
    return f"{base[:keep].rstrip('. ')}-{digest}{suffix}"


def windows_path(relative: str) -> str:
    """A relative path (``/``-separated) whose every part is a valid Windows name.
    ``..`` and empty parts cannot survive: they become ``_``."""
    return "/".join(windows_name(part) for part in str(relative).split("/"))


def is_windows_name(name: str) -> bool:
    """Whether ``name`` is a file or folder name Windows accepts as is."""
    return bool(name) and windows_name(name, max_length=255) == name and len(name) <= 255
