"""Windows is a first-class platform: no Unix-only call in pipeline/, LibreOffice found
where Windows installs it, launchers that call real commands, Ctrl-C in French from
the first instant."""

from __future__ import annotations

import ast
import re
import signal
import subprocess
import sys
import time

import click
import pytest

from pipeline.cli import main
from pipeline.distribute import pdf
from tests.conftest import ROOT, SAMPLE

PACKAGE = ROOT / "pipeline"
# Calls and modules that do not exist (or do nothing useful) on Windows.
UNIX_ONLY_CALLS = {
    "os.sync",
    "os.fork",
    "os.forkpty",
    "os.getuid",
    "os.geteuid",
    "os.getgid",
    "os.setsid",
    "os.killpg",
    "os.getpgid",
    "os.setpgrp",
    "os.chown",
    "os.lchown",
    "os.mkfifo",
    "os.statvfs",
    "os.wait3",
    "os.wait4",
    "signal.alarm",
    "signal.setitimer",
    "signal.pause",
    "signal.siginterrupt",
}
UNIX_ONLY_MODULES = {
    "fcntl",
    "pwd",
    "grp",
    "resource",
    "termios",
    "tty",
    "pty",
    "posix",
    "syslog",
    "crypt",
}
UNIX_ONLY_SIGNALS = {
    "SIGHUP",
    "SIGKILL",
    "SIGQUIT",
    "SIGALRM",
    "SIGUSR1",
    "SIGUSR2",
    "SIGCHLD",
    "SIGPIPE",
    "SIGSTOP",
    "SIGTSTP",
}
UNIX_PATH = re.compile(r"^/(usr|bin|etc|tmp|opt|var|dev)(/|$)")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def unix_only_uses(source: str) -> list[str]:
    """Each use of a Unix-only call, module, signal or path in ``source``."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted(node) in UNIX_ONLY_CALLS:
            found.append(_dotted(node))
        elif isinstance(node, ast.Attribute) and node.attr in UNIX_ONLY_SIGNALS:
            found.append(_dotted(node))
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in UNIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in UNIX_ONLY_MODULES:
                found.append(node.module)
            if node.module == "os":
                found += [f"os.{a.name}" for a in node.names if f"os.{a.name}" in UNIX_ONLY_CALLS]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and UNIX_PATH.match(node.value)
        ):
            found.append(node.value)
    # A fork-only start method needs a fallback: the module must ask which methods exist.
    if (
        re.search(r"get_context\(\s*[\"']fork[\"']", source)
        and "get_all_start_methods" not in source
    ):
        found.append("get_context('fork') sans repli")
    return found


def test_the_detector_finds_what_it_looks_for():
    assert unix_only_uses("import os\nos.sync()") == ["os.sync"]
    assert unix_only_uses("import fcntl") == ["fcntl"]
    assert unix_only_uses("from os import getuid") == ["os.getuid"]
    assert unix_only_uses("import signal\nsignal.signal(signal.SIGHUP, f)") == ["signal.SIGHUP"]
    assert unix_only_uses("p = '/usr/bin/soffice'") == ["/usr/bin/soffice"]
    assert unix_only_uses("m.get_context('fork')") == ["get_context('fork') sans repli"]
    assert unix_only_uses("import os\nos.replace(a, b)") == []


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_unix_only_call_in_the_pipeline(module):
    assert unix_only_uses(module.read_text(encoding="utf-8")) == []


def test_libreoffice_of_a_standard_windows_install_is_found(tmp_path, monkeypatch):
    for variable in pdf.WINDOWS_FOLDERS:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv(pdf.SOFFICE_VARIABLE, raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "MAC_SOFFICE", tmp_path / "absent")
    monkeypatch.setattr(pdf, "WINDOWS_DEFAULTS", {})
    assert pdf.find_soffice() is None
    for variable, folder in [
        ("ProgramFiles(x86)", "Program Files (x86)"),
        ("ProgramFiles", "Program Files"),
    ]:
        program = tmp_path / folder / "LibreOffice" / "program" / "soffice.exe"
        program.parent.mkdir(parents=True)
        program.write_bytes(b"")
        monkeypatch.setenv(variable, str(tmp_path / folder))
        assert pdf.find_soffice() == str(program)
    console = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.com"
    console.write_bytes(b"")
    assert pdf.find_soffice() == str(console)  # the console program waits for the end


# -- The Windows launchers --------------------------------------------------------------

LAUNCHERS = sorted(ROOT.glob("*.bat"))
HELPER = ROOT / "scripts" / "lancer.bat"


def troika_calls(text: str) -> list[list[str]]:
    """The arguments each line gives to troika (directly or through lancer.bat)."""
    calls = []
    for line in text.splitlines():
        match = re.search(r'(?:troika(?:\.exe)?"?|lancer\.bat"?)\s+(.*)$', line, re.IGNORECASE)
        if match and not line.lstrip().lower().startswith(("rem", "echo", "set ")):
            calls.append(match[1].split())
    return calls


def test_launchers_call_real_commands_with_real_options():
    assert [p.name for p in LAUNCHERS] == [
        "Ouvrir la page de la Troika.bat",
        "Preparer la diffusion.bat",
        "Produire les documents.bat",
    ]
    for launcher in LAUNCHERS:
        text = launcher.read_text(encoding="utf-8")
        assert "pause" in text.lower()  # staff read the result before the window closes
        calls = troika_calls(text)
        assert calls, launcher.name
        for args in calls:
            command = main.commands.get(args[0])
            assert isinstance(command, click.Command), args
            options = {o for p in command.params for o in p.opts}
            assert all(a in options for a in args[1:] if a.startswith("-")), args
        assert 'scripts\\lancer.bat"' in text


def test_helper_creates_the_environment_and_runs_troika():
    text = HELPER.read_text(encoding="utf-8")
    assert 'set "PYTHON=py -3"' in text and "%PYTHON% -m venv" in text
    assert "-m pip install" in text and "-e ." in text
    # The exact versions of the runtime lock, made anew when it changes; no test library.
    assert 'set "LOCK=requirements\\runtime.txt"' in text
    assert '--require-hashes -r "%LOCK%"' in text and "--no-deps -e ." in text
    assert 'fc /b "%LOCK%"' in text and "-m venv --clear" in text
    assert "test.txt" not in text and "[test]" not in text
    assert '"%TROIKA%" %*' in text and r"\Scripts\troika.exe" in text
    assert "exit /b %errorlevel%" in text
    labels = set(re.findall(r"^:(\w+)", text, re.MULTILINE))
    assert set(re.findall(r"goto (\w+)", text)) <= labels


def test_batch_files_have_windows_line_ends():
    assert "*.bat text eol=crlf" in (ROOT / ".gitattributes").read_text()
    for path in [*LAUNCHERS, HELPER]:
        data = path.read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n"), path.name


# -- Ctrl-C from the first instant ---------------------------------------------------


def test_the_troika_program_starts_from_the_entry_point():
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^troika = "pipeline\.entry:main"$', project, re.MULTILINE)
    assert "entry" in (PACKAGE / "__main__.py").read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT envoyé par le test")
@pytest.mark.parametrize("delay", [0.15, 0.3, 0.6, 1.2])
def test_ctrl_c_at_any_moment_is_french_without_traceback(delay, tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "construire",
            "--classeur",
            str(SAMPLE),
            "--sortie",
            str(tmp_path / "build"),
            "--forcer",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    text = (out + err).decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert process.returncode in (0, 130), text
    if process.returncode == 130:
        assert "Interrompu" in text


def test_without_fork_rendering_falls_back_to_one_process(monkeypatch, tmp_path):
    import datetime as dt
    import multiprocessing

    from pipeline.build import build

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # Windows

    def no_fork(method=None):
        raise AssertionError("a fork-only start method was used")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    result = build(SAMPLE, tmp_path, today=dt.date(2022, 6, 30), workers=2)
    assert len(result.written) > 40  # enough documents to go parallel where fork exists


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT envoyé par le test")
def test_ctrl_c_while_python_shuts_down_prints_no_traceback():
    late = (
        "import io, os, signal, sys, zipfile\n"
        "sys.argv = ['troika', '--version']\n"
        "from pipeline import entry\n"
        "try:\n    entry.main()\nfinally:\n"
        "    archive = zipfile.ZipFile(io.BytesIO(), 'w')\n"
        "    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C once the work is done\n"
        "    del archive\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", late], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "troika" in done.stdout
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


def _troika_after(setup: str, *arguments: str) -> subprocess.CompletedProcess:
    """The ``troika`` program run with ``arguments`` through its entry point, after the
    Python lines ``setup`` (which may replace a function to send Ctrl-C at its moment)."""
    script = (
        f"import os, signal, sys, time\nsys.argv = {['troika', *arguments]!r}\n{setup}"
        "from pipeline import entry\nentry.main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _ctrl_c_inside(module: str, function: str, when_caught: str = "raise") -> str:
    """Setup lines for _troika_after: ``module.function`` (imported) replaced by one
    that presses Ctrl-C and waits for it to land, running ``when_caught`` if the
    interruption reaches it (as a library that catches every exception would), then
    the original function."""
    target = f"{module}.{function}"
    return (
        f"import {module}\noriginal = {target}\n"
        "def pressing_ctrl_c(*args, **kwargs):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(5)\n"
        "    except BaseException:\n"
        f"        {when_caught}\n"
        "    return original(*args, **kwargs)\n"
        f"{target} = pressing_ctrl_c\n"
    )


@pytest.mark.parametrize(
    "arguments, code",
    [
        (("verifier", "--classeur", str(SAMPLE)), 0),
        (("verifier", "--classeur", "absent.xlsx"), 1),
        (("inconnu",), 2),
    ],
)
def test_the_program_leaves_with_the_command_s_code_once_every_exit_handler_ran(
    arguments, code, tmp_path
):
    # Once done, the program skips Python's teardown (a tenth of a second): its exit
    # code, all it printed and the exit handlers the command registered are kept.
    marker = tmp_path / "fait"
    done = _troika_after(
        "import atexit, pipeline.cli\n"
        "parse = pipeline.cli.main.parse_args\n"
        "def parse_and_register(ctx, args):\n"
        f"    atexit.register(open, {str(marker)!r}, 'w')\n"
        "    return parse(ctx, args)\n"
        "pipeline.cli.main.parse_args = parse_and_register\n",
        *arguments,
    )
    assert done.returncode == code, done.stderr
    assert marker.exists()
    assert (
        (done.stdout + done.stderr)
        .rstrip()
        .endswith(
            {
                0: "(0 erreur et 0 avertissement).",
                1: "0 avertissement.",
                2: "Commande inconnue : 'inconnu'.",
            }[code]
        )
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT envoyé par le test")
def test_ctrl_c_that_a_library_turns_into_an_error_is_still_an_interruption():
    # openpyxl catches every exception while it reads and raises a TypeError instead:
    # Ctrl-C at that instant must still say « Interrompu », not « Erreur interne ».
    done = _troika_after(
        _ctrl_c_inside(
            "pipeline.validate", "read_workbook", "raise TypeError('expected MultiCellRange')"
        ),
        "verifier",
        "--classeur",
        str(SAMPLE),
    )
    assert done.returncode == 130, done.stderr
    assert "Interrompu" in done.stderr and "Erreur interne" not in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT envoyé par le test")
def test_ctrl_c_while_the_arguments_are_read_is_french():
    # Before the command starts, click would turn Ctrl-C into its "Aborted!" and code 1.
    done = _troika_after(_ctrl_c_inside("click", "Group.parse_args"), "verifier")
    assert done.returncode == 130, done.stderr
    assert "Interrompu avant le début du travail" in done.stderr


# -- Every way of stopping is as clean as Ctrl-C -------------------------------------


def _troika(*arguments: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,
    )


def _wait_for(found, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not found() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert found(), "le moment attendu n'est pas venu"


@pytest.mark.skipif(sys.platform == "win32", reason="signaux POSIX envoyés par le test")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_a_closed_terminal_during_a_build_leaves_build_as_it_was(stop, tmp_path):
    out = tmp_path / "build"
    process = _troika("construire", "--classeur", str(SAMPLE), "--sortie", str(out), "--forcer")
    _wait_for(lambda: any(out.glob(".en-cours-*")))  # documents being written
    process.send_signal(getattr(signal, stop))
    _out, err = process.communicate(timeout=120)
    text = err.decode()
    assert process.returncode in (0, 130), text
    assert "Traceback" not in text
    assert not list(out.glob(".en-cours-*")), "dossier de travail laissé dans build/"
    if process.returncode == 130:
        assert "Interrompu" in text
        assert not list(out.rglob("*.docx")), "des documents à moitié posés"


FAKE_SOFFICE = """#!/bin/sh
# A LibreOffice that never ends, with a child of its own, as soffice runs soffice.bin,
# and a temporary file of its own, as LibreOffice leaves when it is killed (lu*.tmp).
touch "${TMPDIR:-/tmp}/lu-troika-test.tmp"
sleep 600 &
echo $! >> "$TROIKA_TEST_PIDS"
echo $$ >> "$TROIKA_TEST_PIDS"
wait
"""


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="signaux POSIX envoyés par le test")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_a_closed_terminal_during_the_pdf_copies_leaves_no_libreoffice(stop, tmp_path):
    import datetime as dt
    import os

    from pipeline.build import build

    out = tmp_path / "build"
    build(SAMPLE, out, today=dt.date(2022, 6, 30))
    soffice, pids, temporary = tmp_path / "soffice", tmp_path / "pids", tmp_path / "tmp"
    soffice.write_text(FAKE_SOFFICE)
    soffice.chmod(0o755)
    temporary.mkdir()
    environment = {
        **os.environ,
        "TROIKA_SOFFICE": str(soffice),
        "TROIKA_TEST_PIDS": str(pids),
        "TMPDIR": str(temporary),
    }
    process = _troika("diffuser", "--classeur", str(SAMPLE), "--sortie", str(out), env=environment)
    _wait_for(lambda: pids.exists() and len(pids.read_text().split()) >= 2)
    process.send_signal(getattr(signal, stop))
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Interrompu" in err.decode(), err.decode()
    assert "Traceback" not in err.decode()
    started = [int(pid) for pid in pids.read_text().split()]
    _wait_for(lambda: not any(_alive(pid) for pid in started), limit=30)
    assert not list(temporary.glob("troika-pdf-*")), "dossier temporaire laissé"
    assert not list(temporary.rglob("lu-troika-test.tmp")), "fichier de LibreOffice laissé"
    assert not list(out.glob("diffusion/*"))


@pytest.mark.skipif(sys.platform == "win32", reason="tube fermé simulé à la manière POSIX")
def test_a_reader_that_stops_reading_is_not_an_internal_error(tmp_path):
    # troika construire | head -1: the documents are written, then the pipe is closed.
    out = tmp_path / "build"
    process = _troika("construire", "--classeur", str(SAMPLE), "--sortie", str(out))
    process.stdout.close()  # the reader is gone before the first line
    err = process.stderr.read().decode()
    process.wait(timeout=300)
    assert process.returncode == 0, err
    assert "Erreur interne" not in err and "Traceback" not in err and "BrokenPipe" not in err
    assert len(list(out.rglob("*.docx"))) > 40
