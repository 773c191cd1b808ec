"""PDF copies of the Word documents, made by LibreOffice instances running side by side.

Starting LibreOffice costs seconds, so each instance converts a whole batch with one
``soffice --convert-to pdf`` call; there are as many instances as cores, the
documents split between them (largest first, to the least loaded). Each instance
has its own throw-away user profile: two instances sharing a profile would hand
their work to one another, and a LibreOffice window the user has open would
swallow the request and convert nothing. An instance that crashes or hangs (past a
timeout) is killed; the documents it had not converted are tried again in fresh
instances, then one by one, so that a failure names the document that caused it.
Fonts are embedded (LibreOffice embeds the fonts it uses; the option below adds the
14 standard PDF fonts too), so the PDF reads the same on any machine. Conversion
happens in a temporary folder; the caller hands the bytes to the writer.

The instances never outlive the conversion: each runs in a process group (a session on
POSIX, a new process group on Windows) of its own, so that Ctrl-C or a closed terminal
reaches the program alone, and whatever stops the conversion (an error, Ctrl-C, a
closed window: see :mod:`pipeline.stopping`) kills every instance with its children
before the temporary folder is removed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from .. import stopping
from ..exceptions import ConversionError, describe_os_error
from ..progress import CONVERSION, Progress, ignore

# Environment variable naming the LibreOffice program when it is not on the PATH.
SOFFICE_VARIABLE = "TROIKA_SOFFICE"
EXPORT_FILTER = 'pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"}}'
# An instance gets this long to start, plus so long per document of its batch.
START_TIMEOUT = 120  # seconds
DOCUMENT_TIMEOUT = 60  # seconds
MAC_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
# Where the LibreOffice installer puts the program on Windows, under each of these
# folders (64-bit, 32-bit, per-user install); no registry needed.
WINDOWS_FOLDERS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA")
WINDOWS_DEFAULTS = {
    "ProgramFiles": r"C:\Program Files",
    "ProgramFiles(x86)": r"C:\Program Files (x86)",
}

INSTALL_HINT = (
    "Installez LibreOffice (gratuit) : sous Windows ou macOS depuis "
    "https://fr.libreoffice.org/download/telecharger-libreoffice/ ; sous Debian ou Ubuntu avec "
    "« sudo apt install libreoffice-writer ». Si LibreOffice est installé ailleurs, indiquez "
    f"le programme soffice dans la variable d'environnement {SOFFICE_VARIABLE}."
)


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
    return [
        base / "LibreOffice" / "program" / name
        for base in folders
        for name in ("soffice.com", "soffice.exe")
    ]


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


@dataclass
class _Batch:
    """What one LibreOffice instance converts."""

    numbers: list[int]  # documents, by their number in the scratch folder
    outcome: str = ""  # why it stopped, when it did not convert everything


def _split(sizes: dict[int, int], instances: int) -> list[list[int]]:
    """Documents shared among ``instances`` batches of similar total size."""
    batches: list[list[int]] = [[] for _ in range(max(1, min(instances, len(sizes))))]
    loads = [0] * len(batches)
    for number in sorted(sizes, key=lambda n: (-sizes[n], n)):
        lightest = loads.index(min(loads))
        batches[lightest].append(number)
        loads[lightest] += sizes[number]
    return [sorted(batch) for batch in batches if batch]


def _own_group() -> dict:
    """Popen options that start an instance in a process group of its own."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _kill(process: subprocess.Popen) -> None:
    """Stop an instance and whatever it started (soffice runs soffice.bin)."""
    # The whole group: killing soffice alone would leave soffice.bin running.
    kill_group = getattr(os, "killpg", None)
    if kill_group is not None:
        try:
            kill_group(process.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        except OSError:
            pass
    elif os.name == "nt":  # no process groups to signal: end the tree by its root
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    try:
        process.kill()
    except OSError:
        pass


class _Instances:
    """The LibreOffice instances of one conversion, started and killed together: once
    :meth:`kill_all` has run, none is left and none starts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self._stopped = False

    def start(self, command: list[str], scratch: Path) -> subprocess.Popen | None:
        """Start an instance whose own temporary files go to ``scratch`` (removed with
        the conversion, even when the instance is killed before it cleans up)."""
        temporary = scratch / "tmp"
        temporary.mkdir(exist_ok=True)
        environment = {**os.environ, **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), str(temporary))}
        with self._lock:
            if self._stopped:
                return None
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment,
                **_own_group(),
            )
            self._running.add(process)
            return process

    def done(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def kill_all(self) -> None:
        with self._lock:
            self._stopped = True
            running, self._running = list(self._running), set()
        for process in running:
            _kill(process)


def _run_instance(
    soffice: str,
    batch: _Batch,
    source: Path,
    target: Path,
    profile: Path,
    timeout: float,
    instances: _Instances,
) -> None:
    """Convert one batch in one instance with its own profile; records the outcome."""
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        EXPORT_FILTER,
        "--outdir",
        str(target),
        *(str(source / f"{n:04d}.docx") for n in batch.numbers),
    ]
    process = instances.start(command, profile.parent)
    if process is None:  # the conversion is being stopped
        batch.outcome = "conversion arrêtée"
        return
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        batch.outcome = f"LibreOffice ne répondait plus après {int(timeout)} secondes"
        return
    finally:
        instances.done(process)
    if process.returncode != 0:
        detail = (err or out).decode(errors="replace").strip()[-300:]
        batch.outcome = f"LibreOffice s'est arrêté (code {process.returncode}" + (
            f" : {detail})" if detail else ")"
        )


# How often the conversion's progress is looked at (PDFs counted in the output folder).
POLL_SECONDS = 0.5


def _convert_batches(
    soffice: str,
    batches: list[list[int]],
    source: Path,
    target: Path,
    scratch: Path,
    attempt: int,
    timeout: float | None,
    progress: Progress = ignore,
    total: int = 0,
) -> dict[int, str]:
    """Run the batches side by side; the documents left without a PDF, with why.
    ``progress`` hears how many of the ``total`` PDFs are in ``target`` meanwhile."""
    runs = [_Batch(numbers) for numbers in batches]
    instances = _Instances()
    with ThreadPoolExecutor(len(runs)) as pool:
        running = set()
        try:
            for index, run in enumerate(runs):
                profile = scratch / f"profil-{attempt}-{index}"
                limit = timeout or START_TIMEOUT + DOCUMENT_TIMEOUT * len(run.numbers)
                running.add(
                    pool.submit(
                        _run_instance, soffice, run, source, target, profile, limit, instances
                    )
                )
            while running:
                _finished, running = wait(running, timeout=POLL_SECONDS)
                progress(CONVERSION, min(len(list(target.glob("*.pdf"))), total), total)
        except BaseException:
            # Ctrl-C, a closed window, the page stopping: no instance may outlive this
            # (the pool then waits for threads whose instance is dead, a moment).
            instances.kill_all()
            raise
    left = {}
    for run in runs:
        for number in run.numbers:
            if not _complete(target / f"{number:04d}.pdf"):
                left[number] = run.outcome or "aucun fichier PDF produit"
    return left


def _complete(path: Path) -> bool:
    """Whether a PDF was written to its end (an instance killed while writing leaves a
    truncated file: a PDF ends with its %%EOF marker)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def instance_count() -> int:
    """How many LibreOffice instances to run at once: one per core."""
    return max(1, os.cpu_count() or 1)


def convert_to_pdf(
    documents: Mapping[str, bytes],
    soffice: str | None = None,
    instances: int | None = None,
    timeout: float | None = None,
    progress: Progress = ignore,
) -> dict[str, bytes]:
    """PDF bytes for each ``{name: .docx bytes}``, keyed by the same names, made by
    ``instances`` LibreOffice instances at once (default: one per core). ``timeout``
    overrides the time an instance gets for its batch; ``progress`` hears how many
    PDFs are written so far.

    Raises ConversionError (French message naming the documents that failed, or saying
    how to install LibreOffice when it is missing)."""
    if not documents:
        return {}
    soffice = soffice or find_soffice()
    if soffice is None:
        raise ConversionError(
            "LibreOffice est introuvable : les copies PDF n'ont pas été "
            "produites (les documents Word le sont). " + INSTALL_HINT
        )
    if not (Path(soffice).is_file() or shutil.which(soffice)):
        raise ConversionError(
            f"Le programme LibreOffice {soffice} ne peut pas être lancé. " + INSTALL_HINT
        )
    instances = instances or instance_count()
    with stopping.deferred():  # known before a stop signal can land, so always removed
        scratch_folder = tempfile.TemporaryDirectory(prefix="troika-pdf-")
    with scratch_folder as scratch:
        scratch = Path(scratch)
        source, target = scratch / "docx", scratch / "pdf"
        source.mkdir()
        target.mkdir()
        # Numbered copies: two documents with the same name in different folders, or
        # names LibreOffice would mangle, cannot collide.
        names = list(documents)
        sizes = {}
        for number, name in enumerate(names):
            (source / f"{number:04d}.docx").write_bytes(documents[name])
            sizes[number] = len(documents[name])
        try:
            progress(CONVERSION, 0, len(names))
            left = _convert_batches(
                soffice,
                _split(sizes, instances),
                source,
                target,
                scratch,
                1,
                timeout,
                progress,
                len(names),
            )
            if left:  # a crash or a hang: the rest again, in fresh instances
                left = _convert_batches(
                    soffice,
                    _split({n: sizes[n] for n in left}, instances),
                    source,
                    target,
                    scratch,
                    2,
                    timeout,
                )
            if left:  # still failing: one document per instance, to find the culprit
                for start in range(0, len(left), instances):
                    group = sorted(left)[start : start + instances]
                    failed = _convert_batches(
                        soffice, [[n] for n in group], source, target, scratch, 3 + start, timeout
                    )
                    for number in group:
                        if number not in failed:
                            del left[number]
                        else:
                            left[number] = failed[number]
        except OSError as exc:
            raise ConversionError(
                f"Le programme LibreOffice {soffice} ne peut pas être lancé : "
                f"{describe_os_error(exc, soffice)} " + INSTALL_HINT
            ) from exc
        if left:
            detail = " ; ".join(f"{names[n]} ({why})" for n, why in sorted(left.items()))
            raise ConversionError(
                f"LibreOffice n'a pas converti en PDF : {detail}. Vérifiez que ce"
                f"{'s' if len(left) > 1 else ''} document{'s' if len(left) > 1 else ''} "
                "s'ouvre" + ("nt" if len(left) > 1 else "") + " dans Word ou LibreOffice, "
                "puis relancez."
            )
        progress(CONVERSION, len(names), len(names))
        return {
            name: (target / f"{number:04d}.pdf").read_bytes() for number, name in enumerate(names)
        }
