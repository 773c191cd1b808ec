"""PDF copies of the Word documents, made by LibreOffice in one headless process.

Starting LibreOffice costs seconds, so the whole batch is converted by a single
``soffice --convert-to pdf`` call. It runs with a throw-away user profile: a
LibreOffice window the user has open would otherwise swallow the request and
convert nothing. Fonts are embedded (LibreOffice embeds the fonts it uses; the
option below adds the 14 standard PDF fonts too), so the PDF reads the same on any
machine. Conversion happens in a temporary folder; the caller hands the bytes to the
writer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .exceptions import ConversionError

# Environment variable naming the LibreOffice program when it is not on the PATH.
SOFFICE_VARIABLE = "TROIKA_SOFFICE"
EXPORT_FILTER = 'pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"}}'
TIMEOUT = 900  # seconds, for the whole batch
MAC_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
# Where the LibreOffice installer puts the program on Windows, under each of these
# folders (64-bit, 32-bit, per-user install); no registry needed.
WINDOWS_FOLDERS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA")
WINDOWS_DEFAULTS = {"ProgramFiles": r"C:\Program Files",
                    "ProgramFiles(x86)": r"C:\Program Files (x86)"}

INSTALL_HINT = (
    "Installez LibreOffice (gratuit) : sous Windows ou macOS depuis "
    "https://fr.libreoffice.org/download/telecharger-libreoffice/ ; sous Debian ou Ubuntu avec "
    "« sudo apt install libreoffice-writer ». Si LibreOffice est installé ailleurs, indiquez "
    f"le programme soffice dans la variable d'environnement {SOFFICE_VARIABLE}.")


def windows_candidates(environ=os.environ) -> list[Path]:
    """Where a standard Windows install of LibreOffice keeps its program. soffice.com
    first: the console program waits for the conversion to end."""
    folders = []
    for variable in WINDOWS_FOLDERS:
        folder = environ.get(variable) or WINDOWS_DEFAULTS.get(variable)
        if not folder:
            continue
        base = Path(folder) / ("Programs" if variable == "LOCALAPPDATA" else "")
        if base not in folders:
            folders.append(base)
    return [base / "LibreOffice" / "program" / name
            for base in folders for name in ("soffice.com", "soffice.exe")]


def find_soffice() -> str | None:
    """The LibreOffice program: $TROIKA_SOFFICE, else soffice or libreoffice on the PATH,
    else the standard install folders of macOS and Windows."""
    named = os.environ.get(SOFFICE_VARIABLE)
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in [MAC_SOFFICE, *windows_candidates()]:
        if candidate.is_file():
            return str(candidate)
    return None


def convert_to_pdf(documents: Mapping[str, bytes], soffice: str | None = None) -> dict[str, bytes]:
    """PDF bytes for each ``{name: .docx bytes}``, keyed by the same names.

    Raises ConversionError (French message, with how to install LibreOffice when it
    is missing)."""
    if not documents:
        return {}
    soffice = soffice or find_soffice()
    if soffice is None:
        raise ConversionError("LibreOffice est introuvable : les copies PDF n'ont pas été "
                              "produites (les documents Word le sont). " + INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="troika-pdf-") as scratch:
        scratch = Path(scratch)
        source, target, profile = scratch / "docx", scratch / "pdf", scratch / "profil"
        source.mkdir()
        # Numbered copies: two documents with the same name in different folders, or
        # names LibreOffice would mangle, cannot collide.
        names = {}
        for number, (name, data) in enumerate(documents.items()):
            path = source / f"{number:04d}.docx"
            path.write_bytes(data)
            names[name] = target / f"{number:04d}.pdf"
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", EXPORT_FILTER, "--outdir", str(target),
                   *sorted(str(p) for p in source.iterdir())]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False,
                                  stdin=subprocess.DEVNULL)
        except FileNotFoundError as exc:
            raise ConversionError(f"Le programme LibreOffice {soffice} ne peut pas être lancé. "
                                  + INSTALL_HINT) from exc
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice n'a pas terminé la conversion en PDF en "
                                  f"{TIMEOUT // 60} minutes ; fermez LibreOffice s'il est "
                                  "ouvert et relancez.") from exc
        missing = [name for name, pdf in names.items() if not pdf.is_file()]
        if done.returncode != 0 or missing:
            detail = (done.stderr or done.stdout).decode(errors="replace").strip()[-400:]
            raise ConversionError(
                f"LibreOffice n'a pas converti en PDF : {', '.join(missing) or 'tous les documents'}"
                f" (code {done.returncode}{' : ' + detail if detail else ''}). Vérifiez que "
                "les documents s'ouvrent dans Word ou LibreOffice, puis relancez.")
        return {name: pdf.read_bytes() for name, pdf in names.items()}
