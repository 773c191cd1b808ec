"""The click CLI, through click's test runner: French help, exit codes, messages."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import FIXTURES, SAMPLE


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_help_is_french():
    result = run("--help")
    assert result.exit_code == 0
    assert "Utilisation :" in result.output and "Commandes" in result.output
    assert "Usage" not in result.output and "Show this message" not in result.output
    build_help = run("construire", "--help").output
    assert "Afficher cette aide et quitter." in build_help and "par défaut" in build_help


def test_build_prints_what_it_built(tmp_path):
    result = run("construire", "--classeur", SAMPLE, "--sortie", tmp_path, "--date", "2022-06-30")
    assert result.exit_code == 0, result.output
    assert "pta_2021-2022.docx" in result.output
    assert (tmp_path / "pta_2021-2022.docx").exists()


def test_build_of_defective_workbook_lists_problems_and_fails(tmp_path):
    result = run(
        "construire",
        "--classeur",
        FIXTURES / "pta_defauts_du_document_source.xlsx",
        "--sortie",
        tmp_path / "out",
    )
    assert result.exit_code == 1
    assert "'Activités'!A5" in result.output and "(duplicate-code)" in result.output
    assert "rien n'a été écrit" in result.output
    assert not (tmp_path / "out").exists()


def test_check_only_reads(tmp_path):
    assert run("verifier", "--classeur", SAMPLE).exit_code == 0
    result = run("verifier", "--classeur", tmp_path / "absent.xlsx")
    assert result.exit_code == 1 and "introuvable" in result.output


def test_unknown_document_and_bad_date_are_french_usage_errors(tmp_path):
    result = run("construire", "inconnu", "--classeur", SAMPLE)
    assert result.exit_code == 2 and "Valeur invalide" in result.output
    result = run("construire", "--date", "30/06/2022", "--classeur", SAMPLE)
    assert result.exit_code == 2 and "AAAA-MM-JJ" in result.output


def test_new_workbook_for_a_new_mandate(tmp_path):
    target = tmp_path / "troika_2022-2023.xlsx"
    result = run("nouveau-classeur", "--debut", "2022-09", "--fin", "2023-08", target)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Instructions"
    headers = [c.value for c in book["Activités"][1]]
    assert headers[-12:][0] == "sept. 2022" and headers[-1] == "août 2023"
    params = {r[0].value: r[1].value for r in book["Paramètres"].iter_rows(min_row=2)}
    assert params["Début du mandat"] == dt.datetime(2022, 9, 1)
    assert book["Activités"].freeze_panes == "C2"  # code and label stay in view
    assert book["Activités"].data_validations.dataValidation  # drop-down lists
    again = run("nouveau-classeur", "--debut", "2022-09", "--fin", "2023-08", target)
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_template_check_names_the_broken_template(tmp_path):
    import shutil

    from docx import Document

    from tests.conftest import ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    doc = Document(templates / "pta.docx")
    doc.add_paragraph("{{ plan.identite.nom }}")  # misspelled
    doc.save(templates / "pta.docx")
    result = run("verifier-modeles", "--classeur", SAMPLE, "--modeles", templates)
    assert result.exit_code == 1
    assert "pta.docx" in result.output and "identite" in result.output
    assert run("verifier-modeles", "--classeur", SAMPLE).exit_code == 0


def test_problems_are_listed_sheet_by_sheet_row_by_row(tmp_path):
    result = run("verifier", "--classeur", FIXTURES / "pta_defauts_du_document_source.xlsx")
    cells = [
        line.split(" : ")[0].split("] ")[1]
        for line in result.output.splitlines()
        if line.startswith("  [")
    ]
    assert cells == [
        "'Textes'!B11",
        "'Produits'!D7",
        "'Activités'!A5",
        "'Activités'!A11",
        "'Activités'!D11",
    ]


def test_a_second_build_with_the_same_inputs_says_it_is_up_to_date(tmp_path):
    args = ("construire", "pta", "--classeur", SAMPLE, "--sortie", tmp_path, "--date", "2022-06-30")
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 0 and "à jour" in again.output and "produit :" not in again.output
    forced = run(*args, "--forcer")
    assert forced.exit_code == 0 and "produit : " in forced.output


def test_ctrl_c_after_the_documents_were_moved_in_says_so(tmp_path, monkeypatch):
    import pipeline.cli as cli

    real = cli.click.echo

    def interrupted(message=None, *args, **kwargs):
        if message and "produit :" in str(message):
            raise KeyboardInterrupt  # Ctrl-C while the list of documents is printed
        return real(message, *args, **kwargs)

    monkeypatch.setattr(cli.click, "echo", interrupted)
    result = run(
        "construire", "pta", "--classeur", SAMPLE, "--sortie", tmp_path, "--date", "2022-06-30"
    )
    assert result.exit_code == 130
    assert "inchangés" not in result.output
    assert "complets et en place" in result.output
    assert (tmp_path / "pta_2021-2022.docx").is_file()


def test_ctrl_c_before_anything_was_written_says_nothing_was_replaced(tmp_path, monkeypatch):
    import pipeline.build as build_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "render_document", interrupted)
    result = run("construire", "pta", "--classeur", SAMPLE, "--sortie", tmp_path)
    assert result.exit_code == 130 and "inchangés" in result.output
    assert "Traceback" not in result.output


def test_clean_removes_only_what_the_tool_made(tmp_path):
    out = tmp_path / "build"
    assert run("construire", "pta", "--classeur", SAMPLE, "--sortie", out).exit_code == 0
    (out / "notes-personnelles.txt").write_text("à garder", encoding="utf-8")
    result = run("nettoyer", "--sortie", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.rglob("*")) == ["notes-personnelles.txt"]
    assert "notes-personnelles.txt" in result.output


def _templates_with(tmp_path, name: str, tag: str):
    import shutil

    from docx import Document

    from tests.conftest import ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    doc = Document(templates / name)
    doc.add_paragraph(tag)
    doc.save(templates / name)
    return templates


def test_runtime_error_in_a_template_is_named_by_both_commands(tmp_path):
    templates = _templates_with(tmp_path, "flash_info.docx", "{{ 1/0 }}")
    result = run("verifier-modeles", "--classeur", SAMPLE, "--modeles", templates)
    assert result.exit_code == 1, result.output
    assert "flash_info.docx" in result.output and "{{ 1/0 }}" in result.output
    result = run(
        "construire", "--classeur", SAMPLE, "--sortie", tmp_path / "out", "--date", "2022-06-30",
        "--modeles", templates,
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "flash_info.docx" in result.output and "{{ 1/0 }}" in result.output
    assert "interne" not in result.output
    assert not list((tmp_path / "out").rglob("*.docx"))  # no document written


def test_output_folder_may_not_be_hold_or_lie_in_the_inputs(tmp_path):
    import shutil

    from tests.conftest import ROOT

    inputs = tmp_path / "entrees"
    inputs.mkdir()
    workbook = shutil.copy(SAMPLE, inputs / "classeur.xlsx")
    for command in ("construire", "diffuser"):
        for given, out in [
            (inputs, inputs),
            (inputs, tmp_path),
            (inputs, inputs / "build"),
            (workbook, ROOT / "inputs"),
            (workbook, ROOT / "inputs" / "x"),
            (workbook, ROOT),
            (SAMPLE, ROOT / "inputs"),
        ]:
            result = run(command, "--classeur", given, "--sortie", out)
            assert result.exit_code == 1, (command, out, result.output)
            assert "--sortie" in result.output and "interne" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["classeur.xlsx", "entrees"]
    assert not (ROOT / "inputs" / "x").exists()
