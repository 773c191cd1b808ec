"""Carrying a workbook forward: a new mandate from the previous workbook
(``nouveau-classeur --depuis``) and an older schema version to the current one
(``migrer-classeur``), from the committed version-1 fixture."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.build import build, check, load
from pipeline.cli import main
from pipeline.model import Recommendation
from pipeline.report import Report
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
    # Version 3 reads no decision from a « Décisions » without numbers (missing-column):
    # the six contradictions between decisions and follow-up that version 2 found in
    # this file come back once the migration has numbered the decisions.
    assert "missing-column" in v1_codes
    added = ("missing-optional-column", "schema-version", "missing-sheet", "missing-column")
    old_codes = [c for c in v1_codes if c not in added]
    assert Counter(check(target).codes()) == Counter(
        old_codes + ["decision-contradicts-follow-up"] * 6
    )
    assert "no-forecast-date" in old_codes and "troika-list-mismatch" in old_codes
    # Every row of every sheet is there; the sheets of versions 2 and 3 are added, empty
    # but for the decisions' dated statuses.
    old, new = read_old(V1), read_old(target)
    assert new.version == schema.SCHEMA_VERSION == 3
    for name in schema.SHEETS:
        if name in (
            schema.DISBURSEMENTS.name,
            schema.EXCHANGE_RATES.name,
            schema.RECOMMENDATIONS.name,
        ):
            assert name not in old.sheets and new.sheets[name].rows == [], name
            continue
        if name == schema.STATUS_HISTORY.name:
            assert name not in old.sheets and new.sheets[name].rows, name
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
    """As when version 4 comes: a version-1 file is refused by the validator, and the
    migration applies the steps (1 -> 2 -> 3, then a renamed column) and writes version 4."""
    source = tmp_path / "v1.xlsx"
    book = openpyxl.load_workbook(V1)
    book["Flash info"]["F1"] = "Origine"  # what version 1 would have called "Source"
    book.save(source)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 4)
    assert "schema-version" in check(source).codes()
    with pytest.raises(MigrationError):
        migrate_workbook(source, tmp_path / "sans_etape.xlsx")
    monkeypatch.setattr(
        migrate,
        "UPGRADES",
        {
            **migrate.UPGRADES,
            3: lambda old: old.sheets["Flash info"].rename("Origine", "Source"),
        },
    )
    target = tmp_path / "v4.xlsx"
    migrate_workbook(source, target)
    assert check(target).errors == []
    assert read_old(target).version == 4
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


# --- Version 3: numbered decisions, dated statuses, open items carried over --------------

# The sample as version 2 of the tool made it (inputs/ before schema 3), never edited.
V2 = FIXTURES / "troika_v2.xlsx"
MANDATE_END = dt.date(2022, 6, 30)


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _v2_decisions() -> list[dict]:
    """The decisions of the version-2 file, each with the number version 3 gives it (its
    meeting's number, a dash, its rank among that meeting's decisions) and its date."""
    old = read_old(V2)
    dates = {r["N° de réunion"]: _day(r["Date"]) for r in old.sheets["Réunions"].rows}
    ranks: Counter = Counter()
    found = []
    for row in old.sheets["Décisions"].rows:
        meeting = row["N° de réunion"]
        ranks[meeting] += 1
        found.append({**row, "number": f"{meeting}-{ranks[meeting]}", "met": dates[meeting]})
    return found


def _v2_state(row: dict, day: dt.date) -> tuple[str, str]:
    """A decision's status and comment on ``day`` as version 2 showed them: as typed,
    except that a decision closed after that day was still « à faire », without comment."""
    done_on = _day(row.get("Date de réalisation"))
    if row["Statut"] in ("réalisé", "abandonné") and done_on is not None and done_on > day:
        return "à faire", ""
    return row["Statut"], row.get("Commentaire") or ""


def test_version_2_decisions_get_numbers_and_one_dated_change_each(tmp_path):
    before = sha(V2)
    target = tmp_path / "troika_v3.xlsx"
    result = run("migrer-classeur", V2, target)
    assert result.exit_code == 0, result.output
    assert sha(V2) == before
    assert read_old(V2).version == 2 and read_old(target).version == 3
    decisions = _v2_decisions()
    migrated = rows(target, "Décisions")
    assert [r["N°"] for r in migrated] == [d["number"] for d in decisions]
    assert len({r["N°"] for r in migrated}) == len(migrated)
    assert [r["Décision ou recommandation"] for r in migrated] == [
        d["Décision ou recommandation"] for d in decisions
    ]
    headers = read_old(target).sheets["Décisions"].headers
    assert headers[:2] == ["N° de réunion", "N°"]
    assert not {"Statut", "Date de réalisation", "Commentaire"} & set(headers)
    # One change per decision whose status says something (not « à faire » without
    # comment), dated by its completion, else by its meeting.
    expected = Counter(
        (
            d["number"],
            _day(d.get("Date de réalisation")) or d["met"],
            d["Statut"],
            d.get("Commentaire") or None,
        )
        for d in decisions
        if d["Statut"] != "à faire" or d.get("Commentaire")
    )
    history = Counter(
        (r["N°"], _day(r["Date"]), r["Statut"], r.get("Commentaire"))
        for r in rows(target, "Historique des statuts")
    )
    assert history == expected
    assert sum(expected.values()) == 64  # 7 decisions still « à faire », without comment
    assert rows(target, "Recommandations") == []
    # The migrated sample validates, and every decision stands on each date as version 2
    # showed it.
    report = Report()
    model = load(target, report, MANDATE_END)
    assert report.errors == []
    by_number = {d.number: d for d in model.reporting.decisions}
    assert len(by_number) == len(decisions) == 71
    for day in (dt.date(2021, 12, 31), dt.date(2022, 3, 31), MANDATE_END):
        for row in decisions:
            if row["met"] > day:
                continue
            state = by_number[row["number"]].state_on(day)
            assert (state.status, state.comment) == _v2_state(row, day), (row["number"], day)


def test_new_mandate_carries_exactly_the_items_open_at_the_old_mandates_end(tmp_path):
    old_report = Report()
    old = load(SAMPLE, old_report, MANDATE_END)
    assert old_report.errors == []
    items = [*old.reporting.recommendations, *old.reporting.decisions]
    expected = {i.number: i for i in items if not i.state_on(MANDATE_END).closed}
    assert 0 < len(expected) < len(items)
    target = tmp_path / "troika_2022-2023.xlsx"
    result = run(
        "nouveau-classeur", "--debut", "2022-09", "--fin", "2023-08", "--depuis", SAMPLE, target
    )
    assert result.exit_code == 0, result.output
    assert f"reprises : {len(expected)}" in result.output
    carried = {r["N°"]: r for r in rows(target, "Recommandations")}
    assert sorted(carried) == sorted(expected)  # the closed ones stay behind
    for number, item in expected.items():
        row = carried[number]
        if isinstance(item, Recommendation):
            source = (item.source.kind, item.source.label, item.source.date)
            assert row.get("Publique") == ("Oui" if item.public else "Non"), number
        else:  # a meeting decision: its meeting is its source
            source = ("Réunion", item.meeting.id, item.meeting.date)
        assert (row["Nature de la source"], row["Source"], _day(row["Date de la source"])) == (
            source
        ), number
        assert row["Recommandation ou engagement"] == item.text, number
        assert row["Reprise du mandat"] == "2021-2022", number
    # Each with its whole history, and nothing of the closed items.
    history = sorted(
        (r["N°"], _day(r["Date"]), r["Statut"], r.get("Commentaire") or "")
        for r in rows(target, "Historique des statuts")
    )
    assert history == sorted(
        (number, c.day, c.status, c.comment) for number, i in expected.items() for c in i.history
    )
    # The new workbook validates, and its register holds them all, as carried.
    report = Report()
    new = load(target, report, dt.date(2022, 9, 15))
    assert report.errors == []
    assert not [p for p in report.problems if p.location.sheet in carried_sheets()]
    register = {r.number: r for r in new.reporting.recommendations}
    assert sorted(register) == sorted(expected)
    assert {r.carried_from for r in register.values()} == {"2021-2022"}
    for number, item in expected.items():
        assert register[number].state_on(MANDATE_END) == item.state_on(MANDATE_END), number
        assert register[number].source.date == _opened(item), number


def carried_sheets() -> tuple[str, ...]:
    return (schema.RECOMMENDATIONS.name, schema.STATUS_HISTORY.name)


def _opened(item) -> dt.date:
    return item.source.date if isinstance(item, Recommendation) else item.meeting.date


def test_carried_items_keep_every_change_even_one_after_the_old_mandates_end(tmp_path):
    """RA20-04 gets a second change during the mandate; CG21-01, open on 30 June 2022,
    is carried out in July: it is still carried, with that change, which belongs to the
    new mandate."""
    source = tmp_path / "troika_2021-2022.xlsx"
    book = openpyxl.load_workbook(SAMPLE)
    ws = book["Historique des statuts"]
    ws.append(["RA20-04", dt.datetime(2022, 3, 10), "en cours", "Relance des PTF"])
    ws.append(["CG21-01", dt.datetime(2022, 7, 15), "réalisé", "Décret adopté"])
    book.save(source)
    target = tmp_path / "troika_2022-2023.xlsx"
    migrate.carry_over(source, target, dt.date(2022, 9, 1), dt.date(2023, 8, 31))
    history = Counter(
        (r["N°"], _day(r["Date"]), r["Statut"]) for r in rows(target, "Historique des statuts")
    )
    assert history[("RA20-04", dt.date(2021, 12, 16), "en cours")] == 1
    assert history[("RA20-04", dt.date(2022, 3, 10), "en cours")] == 1
    assert history[("CG21-01", dt.date(2022, 3, 1), "en cours")] == 1
    assert history[("CG21-01", dt.date(2022, 7, 15), "réalisé")] == 1
    report = Report()
    new = load(target, report, dt.date(2022, 9, 15))
    assert report.errors == []
    register = {r.number: r for r in new.reporting.recommendations}
    assert register["CG21-01"].state_on(dt.date(2022, 9, 15)).status == "réalisé"
    assert register["CG21-01"].state_on(MANDATE_END).status == "en cours"
    assert [c.comment for c in register["RA20-04"].history] == [
        "Tableau prévisionnel 2022-2024 actualisé",
        "Relance des PTF",
    ]
