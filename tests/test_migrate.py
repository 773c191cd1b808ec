"""Carrying a workbook forward: a new mandate from the previous workbook
(``nouveau-classeur --depuis``) and an older schema version to the current one
(``migrer-classeur``), from the committed version-1 fixture."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.build import build, check
from pipeline.cli import main
from pipeline.workbook import migrate, schema
from pipeline.workbook.migrate import MigrationError, migrate_workbook, read_old
from tests.conftest import FIXTURES, SAMPLE, docx_text

V1 = FIXTURES / "classeur_v1.xlsx"  # a workbook made by version 1 of the tool, never edited


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(path, sheet: str) -> list[dict]:
    return read_old(path).sheets[sheet].rows


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_mandate_keeps_what_lasts_and_validates(tmp_path):
    target = tmp_path / "troika_2022-2023.xlsx"
    result = run(
        "nouveau-classeur", "--debut", "2022-09", "--fin", "2023-08", "--depuis", SAMPLE, target
    )
    assert result.exit_code == 0, result.output
    report = check(target)
    assert report.errors == []
    assert {p.code for p in report.warnings} <= {"missing-text"}  # the plan is still to write
    for sheet in (
        "Responsables",
        "Partenaires",
        "Taux de change",
        "Protocole",
        "Listes de diffusion",
        "Destinataires",
        "Diffusion",
    ):
        assert rows(target, sheet) == rows(SAMPLE, sheet), sheet
    instances = rows(target, "Instances")
    assert [r["Instance"] for r in instances] == [r["Instance"] for r in rows(SAMPLE, "Instances")]
    assert not any("Activité du plan" in r or "Nombre prévu sur le mandat" in r for r in instances)
    for sheet in (
        "Axes",
        "Produits",
        "Activités",
        "Textes",
        "Sessions",
        "Préoccupations",
        "Discours",
        "Aide-mémoire",
        "Prévisions",
        "Décaissements",
        "Flash info",
        "Réunions",
        "Décisions",
        "Suivi des activités",
        "Textes des rapports",
    ):
        assert rows(target, sheet) == [], sheet
    book = openpyxl.load_workbook(target)
    params = {r[0].value: r[1].value for r in book["Paramètres"].iter_rows(min_row=2)}
    assert params["Nom du groupe"] == "Troïka des partenaires techniques et financiers"
    assert params["Lieu"] == "Ouagadougou"
    assert params["Début du mandat"] == dt.datetime(2022, 9, 1)
    assert params["Fin du mandat"] == dt.datetime(2023, 8, 31)  # as the help's "30/06/2022"
    assert params["Version du modèle de classeur"] == schema.SCHEMA_VERSION
    periods = [r["Libellé"] for r in rows(target, "Périodes")]
    assert periods == ["Trimestre 1", "Trimestre 2", "Trimestre 3", "Trimestre 4"]
    headers = [c.value for c in book["Activités"][1]]
    assert headers[-12] == "sept. 2022" and headers[-1] == "août 2023"


def test_new_mandate_may_keep_axes_and_products(tmp_path):
    target = tmp_path / "avec_axes.xlsx"
    result = run(
        "nouveau-classeur",
        "--debut",
        "2022-09",
        "--fin",
        "2023-06",
        "--depuis",
        SAMPLE,
        "--avec-axes",
        target,
    )
    assert result.exit_code == 0, result.output
    assert rows(target, "Produits") == rows(SAMPLE, "Produits")
    assert rows(target, "Activités") == []
    report = check(target)
    assert report.errors == []
    assert {p.code for p in report.warnings} <= {"missing-text", "empty-product"}
    assert (
        run(
            "nouveau-classeur",
            "--debut",
            "2022-09",
            "--fin",
            "2023-06",
            "--avec-axes",
            tmp_path / "x.xlsx",
        ).exit_code
        == 2
    )  # --avec-axes needs --depuis


def test_version_1_workbook_migrates_to_the_current_form(tmp_path):
    before = sha(V1)
    target = tmp_path / "migre.xlsx"
    result = run("migrer-classeur", V1, target)
    assert result.exit_code == 0, result.output
    assert sha(V1) == before  # never in place
    # Version 1 is refused as such (and lacks the sheets version 2 added); the
    # migrated workbook has neither more nor fewer problems otherwise, except the
    # optional columns that came after version 1, which the migration adds (version 1
    # also predates the forecast's own date, and its sample data the cross-document
    # consistency checks).
    v1_codes = check(V1).codes()
    assert "schema-version" in v1_codes and "missing-sheet" in v1_codes
    added = ("missing-optional-column", "schema-version", "missing-sheet")
    old_codes = [c for c in v1_codes if c not in added]
    assert check(target).codes() == old_codes
    assert "no-forecast-date" in old_codes and "troika-list-mismatch" in old_codes
    # Every row of every sheet is there; version 2's sheets and column are added, empty.
    old, new = read_old(V1), read_old(target)
    assert new.version == 2
    for name in schema.SHEETS:
        if name in (schema.DISBURSEMENTS.name, schema.EXCHANGE_RATES.name):
            assert name not in old.sheets and new.sheets[name].rows == [], name
            continue
        assert len(new.sheets[name].rows) == len(old.sheets[name].rows), name
    assert "Identifiant IATI" in new.sheets["Partenaires"].headers
    assert "Identifiant IATI" not in old.sheets["Partenaires"].headers
    assert new.sheets["Décaissements"].headers[:4] == [
        "Partenaire",
        "Instrument",
        "Année",
        "Montant",
    ]
    assert new.sheets["Taux de change"].headers[:3] == ["Devise", "Date", "Taux"]
    # The form of the current version: input messages on the migrated sheets.
    book = openpyxl.load_workbook(target)
    prompts = [v.prompt for v in book["Activités"].data_validations.dataValidation]
    assert any(p and p.startswith("Obligatoire.") for p in prompts)
    # The migrated workbook builds, its PTA with every activity of version 1 (the
    # version-1 file itself is refused by the builder).
    day = dt.date(2022, 7, 15)
    built_new = build(target, tmp_path / "nouveau", ["pta"], today=day).written[0]
    text = " ".join(docx_text(built_new).split())
    titles = [" ".join(r["Intitulé de l'activité"].split()) for r in old.sheets["Activités"].rows]
    assert titles and all(title in text for title in titles)


def test_migration_keeps_extra_columns_and_never_overwrites(tmp_path):
    source = tmp_path / "ancien.xlsx"
    book = openpyxl.load_workbook(V1)
    ws = book["Responsables"]
    ws.cell(row=1, column=3, value="Commentaire")
    ws.cell(row=2, column=3, value="à confirmer")
    book.save(source)
    target = tmp_path / "nouveau.xlsx"
    migrate_workbook(source, target)
    assert rows(target, "Responsables")[0]["Commentaire"] == "à confirmer"
    again = run("migrer-classeur", source, target)
    assert again.exit_code == 1 and "existe déjà" in again.output
    same = run("migrer-classeur", source, source)
    assert same.exit_code == 1 and "existe déjà" in same.output


def test_an_upgrade_step_renames_what_a_later_version_renamed(tmp_path, monkeypatch):
    """As when version 3 comes: a version-1 file is refused by the validator, and the
    migration applies the steps (1 -> 2, then a renamed column) and writes version 3."""
    source = tmp_path / "v1.xlsx"
    book = openpyxl.load_workbook(V1)
    book["Flash info"]["F1"] = "Origine"  # what version 1 would have called "Source"
    book.save(source)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    assert "schema-version" in check(source).codes()
    with pytest.raises(MigrationError):
        migrate_workbook(source, tmp_path / "sans_etape.xlsx")
    monkeypatch.setattr(
        migrate,
        "UPGRADES",
        {
            **migrate.UPGRADES,
            2: lambda old: old.sheets["Flash info"].rename("Origine", "Source"),
        },
    )
    target = tmp_path / "v3.xlsx"
    migrate_workbook(source, target)
    assert check(target).errors == []
    assert read_old(target).version == 3
    sources = [r.get("Source") for r in rows(target, "Flash info")]
    assert sources == [r.get("Origine") for r in rows(source, "Flash info")]
    assert "Secrétariat technique" in sources


def test_newer_or_foreign_files_are_refused(tmp_path):
    newer = tmp_path / "futur.xlsx"
    book = openpyxl.load_workbook(V1)
    book["Paramètres"]["B10"] = schema.SCHEMA_VERSION + 1
    book.save(newer)
    result = run("migrer-classeur", newer, tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "plus récente" in result.output
    foreign = tmp_path / "autre.xlsx"
    openpyxl.Workbook().save(foreign)
    result = run("migrer-classeur", foreign, tmp_path / "y.xlsx")
    assert result.exit_code == 1 and "version du modèle" in result.output
    assert (
        run(
            "nouveau-classeur",
            "--debut",
            "2022-09",
            "--fin",
            "2023-06",
            "--depuis",
            tmp_path / "absent.xlsx",
            tmp_path / "z.xlsx",
        ).exit_code
        == 1
    )


def test_a_sheet_added_by_the_secretariat_is_carried_over_and_named(tmp_path):
    source = tmp_path / "ancien.xlsx"
    book = openpyxl.load_workbook(V1)
    notes = book.create_sheet("Notes du secrétariat")
    notes["A1"], notes["B2"] = "Réunion du 3 mars", 12.5
    notes["A1"].font = openpyxl.styles.Font(bold=True)
    notes.merge_cells("A3:C3")
    notes.column_dimensions["A"].width = 40
    book["Responsables"].title = "Responsables "  # a space at the end: the same sheet
    book.save(source)
    target = tmp_path / "nouveau.xlsx"
    result = run("migrer-classeur", source, target)
    assert result.exit_code == 0, result.output
    assert "Notes du secrétariat" in result.output
    copied = openpyxl.load_workbook(target)["Notes du secrétariat"]
    assert copied["A1"].value == "Réunion du 3 mars" and copied["B2"].value == 12.5
    assert copied["A1"].font.bold and "A3:C3" in {str(r) for r in copied.merged_cells.ranges}
    assert copied.column_dimensions["A"].width == 40
    assert rows(target, "Responsables") == rows(V1, "Responsables")
    assert "Responsables " not in openpyxl.load_workbook(target).sheetnames
    new = tmp_path / "mandat2.xlsx"
    again = run(
        "nouveau-classeur", new, "--debut", "2022-09", "--fin", "2023-06", "--depuis", source
    )
    assert again.exit_code == 0, again.output
    assert "Notes du secrétariat" in again.output
    assert "Notes du secrétariat" in openpyxl.load_workbook(new).sheetnames


def test_a_read_only_target_folder_is_explained_in_french(tmp_path, monkeypatch):
    import errno

    def refuse(self, filename):
        raise OSError(errno.EROFS, "Read-only file system", str(filename))

    monkeypatch.setattr(openpyxl.Workbook, "save", refuse)
    result = run("migrer-classeur", V1, tmp_path / "nouveau.xlsx")
    assert result.exit_code == 1, result.output
    assert "lecture seule" in result.output and "nouveau.xlsx" in result.output
    assert "Errno" not in result.output and "Read-only" not in result.output
    assert "Erreur interne" not in result.output
