"""Every message the CLI prints is French, click's own included; NO_COLOR is honoured;
progress is drawn on a terminal only; a build ends with one summary."""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import ROOT, SAMPLE

# Words of English that French shares: they may appear in a French message.
SHARED = {
    "option",
    "options",
    "argument",
    "arguments",
    "version",
    "message",
    "format",
    "type",
    "date",
    "commande",
    "extra",
    "confirmation",
    "d",
    "s",
    "e",
    "j",
    "a",
    "prog",
}


def _english_words() -> set[str]:
    """Every word of every message click marks for translation (its English)."""
    words: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        text = re.sub(r"\{[^}]*\}|%\([^)]*\)s", " ", arg.value)
                        words |= set(re.findall(r"[a-z]+", text.lower()))
    # The names of its value types, shown as metavars ("--port INTEGER RANGE").
    words |= {
        "integer",
        "range",
        "float",
        "text",
        "boolean",
        "choice",
        "datetime",
        "filename",
        "uuid",
        "path",
    }
    return words - SHARED


ENGLISH = _english_words()


def _usage_errors() -> list[list[str]]:
    """Each kind of usage error, for every command that can have it."""
    cases = [["construir"], ["--inconnue"], ["construire", "--classeur"]]
    for name, command in main.commands.items():
        options = [
            p for p in command.params if isinstance(p, click.Option) and "--help" not in p.opts
        ]
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        valued = [o for o in options if not o.is_flag]
        flags = [o for o in options if o.is_flag]
        required = [a for a in arguments if a.required]
        cases.append([name, "--inconnue"])  # unknown option
        if valued:
            cases.append([name, valued[0].opts[0] + "x"])  # "Did you mean"
            cases.append([name, valued[-1].opts[0]])  # option without its value
        else:
            cases.append([name, "--hel"])  # "Did you mean --help"
        if flags:
            cases.append([name, flags[0].opts[0] + "=oui"])  # a flag takes no value
        if required:
            cases.append([name])  # missing argument
        elif not arguments:
            cases.append([name, "en-trop"])  # extra argument
        if any(o.required for o in options):
            cases.append([name, "fichier.xlsx"])  # missing option
        for argument in arguments:
            if isinstance(argument.type, click.Choice):
                cases.append([name, "inconnu"])  # bad choice
        for option in valued:
            if option.name in ("today", "debut", "fin"):
                cases.append(
                    [
                        name,
                        "fichier.xlsx",
                        "--debut",
                        "2022-09",
                        "--fin",
                        "2023-06",
                        option.opts[0],
                        "13/2022",
                    ]
                    if name == "nouveau-classeur"
                    else [name, option.opts[0], "31/12/2022"]
                )  # bad date
            if isinstance(option.type, click.Path) and option.type.exists:
                cases.append([name, option.opts[0], "absent.ini"])  # missing file
    return cases


USAGE_ERRORS = _usage_errors()


def english_in(output: str) -> set[str]:
    # What the user typed and the names of options are quoted or start with --.
    # (An apostrophe after a letter is French elision, not a quote: « l'aide ».)
    text = re.sub(r"(?<![^\W\d_])'[^'\n]*'|«[^»\n]*»|--?[\w-]+|\S+\.(?:xlsx|ini)", " ", output)
    return set(re.findall(r"[^\W\d_]+", text.lower())) & ENGLISH


def test_the_english_vocabulary_is_found():
    assert {"missing", "such", "mean", "invalid", "usage", "try"} <= ENGLISH
    assert english_in("Error: No such option: --x. Did you mean --y?") == {
        "error",
        "no",
        "such",
        "did",
        "you",
        "mean",
    }
    assert english_in("Essayez l'aide.\nErreur : No such option '--x'.") == {"no", "such"}


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_every_usage_error_is_french(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)  # a command that wrongly succeeds writes nothing here
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert english_in(result.output) == set(), result.output


def test_every_help_is_french():
    for args in ([], *([name] for name in main.commands)):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0
        assert english_in(result.output) == set(), result.output


def test_every_click_message_has_a_french_translation():
    from pipeline.click_fr import FRENCH

    missing = []
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                missing += [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and a.value not in FRENCH
                ]
    assert missing == []


def test_french_confirmation_accepts_oui(monkeypatch):
    from pipeline import cli

    for answer, expected in [
        ("o\n", True),
        ("oui\n", True),
        ("\n", False),
        ("n\n", False),
        ("y\n", False),
    ]:

        @click.command()
        def ask():
            click.echo("OUI" if cli._confirm("Envoyer ?") else "NON")

        result = CliRunner().invoke(ask, input=answer)
        assert result.output.strip().endswith("OUI" if expected else "NON"), result.output
        assert "[o/N]" in result.output and "y/N" not in result.output


def test_no_color_is_honoured(tmp_path):
    args = ["verifier", "--classeur", SAMPLE]
    coloured = CliRunner().invoke(main, args, color=True)
    assert "\x1b[" in coloured.output  # the test can see colours
    plain = CliRunner().invoke(main, args, color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 0 and "\x1b[" not in plain.output
    error = CliRunner().invoke(
        main,
        ["verifier", "--classeur", tmp_path / "absent.xlsx"],
        color=True,
        env={"NO_COLOR": "1"},
    )
    assert error.exit_code == 1 and "\x1b[" not in error.output


def test_progress_stays_quiet_when_not_on_a_terminal(tmp_path):
    from pipeline.progress import RENDERING

    result = CliRunner().invoke(
        main, ["construire", "--classeur", SAMPLE, "--sortie", tmp_path, "--date", "2022-06-30"]
    )
    assert result.exit_code == 0, result.output
    assert RENDERING not in result.output and "\r" not in result.output


def test_a_wait_for_another_build_is_said_even_in_a_log():
    import io

    from pipeline.cli import _ProgressBar
    from pipeline.progress import WAITING

    log = io.StringIO()  # not a terminal: no bars
    with _ProgressBar(log) as progress:
        progress(WAITING, 0, 1)
        progress("Documents produits", 1, 2)
    assert log.getvalue() == f"{WAITING}…\n"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are Unix-only")
def test_progress_bar_with_counts_on_a_terminal(tmp_path):
    import pty
    import subprocess

    from pipeline.progress import RENDERING

    primary, secondary = pty.openpty()
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "construire",
        "--classeur",
        str(SAMPLE),
        "--sortie",
        str(tmp_path),
        "--date",
        "2022-06-30",
    ]
    process = subprocess.Popen(
        command,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=600) == 0
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    total = len([p for p in tmp_path.rglob("*.docx")]) + len(list(tmp_path.rglob("*.xlsx")))
    assert RENDERING in shown and f"{total}/{total}" in shown, shown[-2000:]
    assert f"1/{total}" in shown  # drawn as it goes, not only at the end


def test_a_build_ends_with_the_count_and_the_warnings_cells(make_workbook, tmp_path):
    from tests.test_distribution_sheets import distribution_rows

    def edit(rows):
        distribution_rows(rows)
        rows["Destinataires"][0]["organisation"] = "Union\neuropéenne"
        rows["Produits"][1]["result"] = None  # missing-result

    workbook = make_workbook(edit_rows=edit)
    result = CliRunner().invoke(
        main,
        [
            "construire",
            "--classeur",
            workbook,
            "--sortie",
            tmp_path / "build",
            "--date",
            "2021-12-31",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    last_document = max(i for i, line in enumerate(lines) if line.startswith("  produit"))
    summary = "\n".join(lines[last_document + 1 :])
    written = sum(1 for p in (tmp_path / "build").rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert str(written) in summary
    assert "2 " in summary and "'Produits'!D3" in summary and "'Destinataires'!A2" in summary
    assert summary.index("'Produits'!D3") < summary.index("'Destinataires'!A2")  # sheet order


def test_a_new_workbook_s_advice_is_a_command_not_make(tmp_path):
    target = tmp_path / "nouveau classeur.xlsx"
    result = CliRunner().invoke(
        main, ["nouveau-classeur", "--debut", "2022-09", "--fin", "2023-06", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert f'troika construire --classeur "{target}"' in result.output
    assert "« Produire les documents »" in result.output
    assert "make" not in result.output


def test_a_system_refusal_is_said_in_french_not_as_an_internal_error(tmp_path, monkeypatch):
    # An OSError that no stage turned into its own message (a read-only disk, a file
    # open in Word) is something the user can act on: its French reading, exit 1.
    import errno

    from pipeline import cli

    def refused(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "build"))

    monkeypatch.setattr(cli, "build", refused)
    result = CliRunner().invoke(main, ["construire", "--sortie", str(tmp_path / "build")])
    assert result.exit_code == 1, result.output
    assert "lecture seule" in result.output
    assert "Erreur interne" not in result.output and "Read-only" not in result.output


def test_a_cell_openpyxl_cannot_read_is_reported_in_french_only(tmp_path):
    # A number far outside Excel's dates, formatted as a date: openpyxl warns in English
    # on standard error; the program says it in French, at the cell, and only so.
    import subprocess

    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    cell = book["Réunions"]["B2"]
    cell.value, cell.number_format = -965498.9, "DD/MM/YYYY"
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "verifier", "--classeur", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "'Réunions'!B2" in done.stdout + done.stderr
    assert "Warning" not in done.stderr and "marked as a date" not in done.stderr
