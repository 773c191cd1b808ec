"""Reading partners' IATI files and proposing their forecasts and disbursements
(``troika importer-iati``): what is kept, converted and reconciled, to the franc,
from the fixtures of tests/fixtures/iati/ (written with tests/iati_xml.py) and the
sample workbook; the files refused; a re-import that changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import check
from pipeline.cli import main
from pipeline.exceptions import IatiError
from pipeline.model import Partner, Partners, forecast_table, predictability_table
from pipeline.unpack import MAX_XML_SIZE
from pipeline.validate import load_valid
from pipeline.workbook.iati import DISBURSED, FORECAST, read_iati_file
from pipeline.workbook.iati_import import XOF_PER_EUR, import_iati, propose, rate_for
from pipeline.workbook.migrate import read_old
from tests.conftest import FIXTURES, ROOT, SAMPLE
from tests.iati_xml import activity, budget, document, planned

IATI = FIXTURES / "iati"
SCHEMAS = ROOT.parent / "shared" / "iati"  # the IATI schema files, beside the worktrees
BM, UE, AFD, DDC, UNKNOWN = (
    IATI / name
    for name in (
        "banque_mondiale_2-03.xml",
        "union_europeenne_2-02.xml",
        "afd_2-01.xml",
        "ddc_suisse_2-03.xml",
        "inconnu_2-03.xml",
    )
)
ALL = [BM, UE, AFD, DDC, UNKNOWN]
DAY = dt.date(2022, 5, 31)
RATES = [  # currency, date, FCFA for one unit
    ("USD", dt.datetime(2022, 1, 1), 555.5),
    ("USD", dt.datetime(2023, 1, 1), 610.25),
    ("CHF", dt.datetime(2022, 1, 1), 650),
]


def schemas():
    """The schema folder when it is there (files are then checked against it), else None."""
    return SCHEMAS if (SCHEMAS / "iati-activities-schema.xsd").exists() else None


def sample_with_rates(tmp_path, rates=RATES):
    path = tmp_path / "classeur.xlsx"
    shutil.copy(SAMPLE, path)
    book = openpyxl.load_workbook(path)
    for rate in rates:
        book["Taux de change"].append(list(rate))
    book.save(path)
    return path


def amounts(path, kind):
    return sorted(
        (a.activity, a.year, a.value, a.currency, a.share, a.firm, a.origin)
        for a in read_iati_file(path, "BF", schemas()).amounts
        if a.kind == kind
    )


# --- Reading one file ---


def test_revised_planned_disbursement_replaces_the_original_and_the_budget_is_unused():
    # 2022: original 200 M, revised 250 M (kept); 2026 is read, the years are chosen later.
    # The project (C01) and the activity for Niger are not kept.
    assert amounts(BM, FORECAST) == [
        ("44000-P177111", 2022, 250_000_000, "USD", 1, True, "planned-disbursement"),
        ("44000-P177111", 2023, 200_000_000, "USD", 1, False, "planned-disbursement"),
        ("44000-P177111", 2026, 50_000_000, "USD", 1, False, "planned-disbursement"),
    ]
    # Disbursements only (type 3, not the commitment of type 2), by year of their date.
    assert amounts(BM, DISBURSED) == [
        ("44000-P177111", 2020, 100_000_000, "USD", 1, False, "transaction"),
        ("44000-P177111", 2022, 260_000_000, "USD", 1, False, "transaction"),
    ]


def test_budgets_stand_in_for_missing_planned_disbursements_for_the_country_share():
    share = Decimal("0.6")  # BF 60 %, Mali 40 %
    sector = "XI-IATI-EC_INTPA-2021-BS-1"
    general = "XI-IATI-EC_INTPA-2020-BS-2"  # budget and planned disbursements: the latter
    assert amounts(UE, FORECAST) == [
        (general, 2022, 80_000_000, "EUR", 1, True, "planned-disbursement"),
        (general, 2023, 70_000_000, "EUR", 1, False, "planned-disbursement"),
        (sector, 2022, 20_000_000, "EUR", share, True, "budget"),
        (sector, 2023, 12_500_000, "EUR", share, False, "budget"),  # revised
        (sector, 2024, 10_000_000, "EUR", share, False, "budget"),
    ]
    assert amounts(UE, DISBURSED) == [
        (general, 2022, 60_000_000, "EUR", 1, False, "transaction"),
        (sector, 2022, 9_000_000, "EUR", share, False, "transaction"),
    ]


def test_a_forecast_from_a_budget_has_the_status_of_the_budget_kept(tmp_path):
    """A committed original budget revised as indicative: the forecast is indicative."""
    path = tmp_path / "revision.xml"
    budgets = [budget(2022, 100, status="2"), budget(2022, 80, type_="2", status="1")]
    path.write_text(document([activity("44000-P9", "44000", "WB", budgets=budgets)]))
    (only,) = read_iati_file(path, "BF", schemas()).amounts
    assert (only.value, only.firm, only.origin) == (80, False, "budget")


def test_version_2_01_and_the_aid_type_of_a_transaction():
    """AFD's 2.01 file: aid types without vocabulary; a project (C01) whose one
    transaction is budget support (A01) counts for that transaction only."""
    assert amounts(AFD, FORECAST) == [
        ("FR-3-CBF1234", 2022, 10_000_000_000, "XOF", 1, True, "planned-disbursement"),
        ("FR-3-CBF1234", 2024, 8_000_000_000, "XOF", 1, False, "planned-disbursement"),
    ]
    assert amounts(AFD, DISBURSED) == [
        ("FR-3-CBF1234", 2022, 9_500_000_000, "XOF", 1, False, "transaction"),
        ("FR-3-CBF5678", 2022, 1_000_000, "EUR", 1, False, "transaction"),
    ]
    assert [a.instrument for a in read_iati_file(AFD).amounts][:1] == ["Appui budgétaire général"]


@pytest.mark.parametrize(
    "name, words",
    [
        ("version_1-05.xml", ["version 1.05", "2.01 à 2.03"]),
        ("abime.xml", ["bien formé", "ligne"]),
        ("entites.xml", ["entités"]),
        ("hors_schema_2-03.xml", ["schéma", "ligne"]),
    ],
)
def test_files_refused_with_a_message_naming_them(name, words):
    if name.startswith("hors_schema") and schemas() is None:
        pytest.skip("schéma IATI absent (../shared/iati/)")
    with pytest.raises(IatiError) as caught:
        read_iati_file(IATI / name, "BF", schemas())
    message = str(caught.value)
    assert name in message and all(w in message for w in words), message


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    """A 100 MB file, valid XML (written here, not committed): refused on its size."""
    path = tmp_path / "enorme.xml"
    one = activity("44000-P1", "44000", "World Bank", planned_disbursements=[planned(2022, 1)])
    with path.open("w", encoding="utf-8") as out:
        out.write(document([]).split("</iati-activities>")[0])
        block = (one + "\n") * 1000
        while out.tell() < 100 * 2**20:
            out.write(block)
        out.write("</iati-activities>\n")
    assert path.stat().st_size > MAX_XML_SIZE

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr("pipeline.workbook.iati.safe_parse", no_parse)
    with pytest.raises(IatiError) as caught:
        read_iati_file(path)
    assert "enorme.xml" in str(caught.value) and "trop volumineux" in str(caught.value)


# --- Currencies ---


def test_rates_xof_as_is_eur_at_the_parity_others_dated():
    rates = {"USD": [(dt.date(2022, 1, 1), 555.5), (dt.date(2023, 1, 1), 610.25)]}
    (bm_2022, bm_2023, *_) = [a for a in read_iati_file(BM).amounts if a.kind == FORECAST]
    assert rate_for(bm_2022, rates) == Decimal("555.5")
    assert rate_for(bm_2023, rates) == Decimal("610.25")
    assert rate_for(bm_2023, {}) is None
    afd = read_iati_file(AFD).amounts
    assert {a.currency: rate_for(a, {}) for a in afd} == {"XOF": 1, "EUR": XOF_PER_EUR}
    assert XOF_PER_EUR == Decimal("655.957")


def test_a_currency_without_rate_names_file_activity_and_currency(tmp_path):
    workbook = sample_with_rates(tmp_path, rates=RATES[2:])  # no USD rate
    result = import_iati([BM, DDC], workbook, tmp_path / "nouveau.xlsx", today=DAY)
    assert result.missing_rates == [("banque_mondiale_2-03.xml", "44000-P177111", "USD")]
    assert [p.code for p in result.report.problems] == ["iati-no-rate"]
    assert "44000-P177111" in result.report.problems[0].message
    assert {r.partner.acronym for r in result.rows} == {"CH"}  # BM left out, CH converted
    # The command writes what it could, then ends in error.
    args = ["importer-iati", str(BM), "--classeur", str(workbook)]
    run = CliRunner().invoke(main, [*args, "--sortie", str(tmp_path / "autre.xlsx")])
    assert run.exit_code == 1 and "iati-no-rate" in run.output
    assert (tmp_path / "autre.xlsx").exists()


# --- Importing into the sample workbook ---

# (kind, partner, year) -> (typed, IATI) in FCFA, after converting at the rates above.
RECONCILIATION = {
    (FORECAST, "UE", 2022): (80_000_000_000, 52_476_560_000 + 7_871_484_000),
    (FORECAST, "UE", 2023): (60_000_000_000, 45_916_990_000 + 4_919_677_500),
    (FORECAST, "UE", 2024): (55_000_000_000, 3_935_742_000),
    (FORECAST, "SE", 2022): (12_000_000_000, None),  # SE-0 publishes nothing here
    (FORECAST, "BM", 2022): (150_000_000_000, 138_875_000_000),  # 250 M USD × 555,5
    (FORECAST, "BM", 2023): (120_000_000_000, 122_050_000_000),  # 200 M USD × 610,25
    (FORECAST, "BM", 2024): (120_000_000_000, None),
    (FORECAST, "FR", 2022): (10_000_000_000, 10_000_000_000),
    (FORECAST, "FR", 2023): (10_000_000_000, None),
    (FORECAST, "FR", 2024): (None, 8_000_000_000),
    (FORECAST, "CH", 2022): (4_500_000_000, 2_990_000_000),  # 4,6 M CHF × 650
    (FORECAST, "CH", 2023): (4_500_000_000, None),
    (FORECAST, "CH", 2024): (4_500_000_000, None),
    (DISBURSED, "UE", 2022): (67_000_000_000, 39_357_420_000 + 3_542_167_800),
    (DISBURSED, "BM", 2022): (150_000_000_000, 144_430_000_000),  # 260 M USD × 555,5
    (DISBURSED, "FR", 2022): (10_000_000_000, 9_500_000_000 + 655_957_000),
    (DISBURSED, "CH", 2022): (None, 4_550_000_000),  # 7 M CHF × 650
}


@pytest.fixture
def imported(tmp_path):
    workbook = sample_with_rates(tmp_path)
    target = tmp_path / "nouveau.xlsx"
    result = import_iati(ALL, workbook, target, "BF", schemas(), today=DAY)
    return workbook, target, result


def test_reconciliation_lists_every_difference_to_the_franc(imported):
    _workbook, target, result = imported
    found = {
        (line.kind, line.partner.acronym, line.year): (line.typed, line.iati)
        for line in result.lines
    }
    expected = {k: v for k, v in RECONCILIATION.items() if k[1] != "SE"}
    assert found == expected
    for line in result.lines:
        if None not in (line.typed, line.iati):
            assert line.difference == line.iati - line.typed
    # Beside the new workbook, one line per partner and year.
    assert result.reconciliation == target.parent / "rapprochement_iati_2022-05-31.xlsx"
    sheet = openpyxl.load_workbook(result.reconciliation)["Rapprochement"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(expected)
    assert ("prévision", "BM", 2022, 150_000_000_000, 138_875_000_000, -11_125_000_000) in {
        r[:6] for r in rows
    }
    # Unknown publisher: listed with its identifier and name, never guessed.
    assert result.unknown == [("inconnu_2-03.xml", "NO-BRC-971277882", "Norad", 1)]
    assert [p.code for p in result.report.problems] == ["iati-unknown-organisation"]
    assert any("2026" in note for note in result.skipped)  # beyond n+2
    assert any("2020" in note for note in result.skipped)  # before the mandate


def test_imported_workbook_validates_with_right_tables(imported):
    workbook, target, _result = imported
    assert check(target).problems == []
    before, _ = load_valid(workbook)
    after, _ = load_valid(target)
    old, new = forecast_table(before.partners), forecast_table(after.partners)
    # Typed amounts stay; only FR 2024, typed nowhere, comes from IATI (8 000 000 000).
    assert new.year_totals == [old.year_totals[0], old.year_totals[1], old.year_totals[2] + 8e9]
    assert new.grand_total == old.grand_total + 8_000_000_000
    france = next(r for r in new.rows if r.partner.acronym == "FR")
    assert france.amounts == [10_000_000_000, 10_000_000_000, 8_000_000_000]
    # Predictability: CH's 2022 disbursement (typed nowhere) is counted, capped at 100 %.
    old_p, new_p = predictability_table(before.partners), predictability_table(after.partners)
    rows = {(r.partner.acronym, r.year): r for r in new_p.rows}
    before_rows = {(r.partner.acronym, r.year): r for r in old_p.rows}
    assert set(rows) == set(before_rows)
    assert [k for k in rows if rows[k] != before_rows[k]] == [("CH", 2022)]
    ch, was = rows["CH", 2022], before_rows["CH", 2022]
    assert (was.scheduled, was.disbursed, was.ratio) == (4_500_000_000, 0, 0)
    assert (ch.scheduled, ch.disbursed, ch.ratio) == (4_500_000_000, 4_550_000_000, 1.0)
    (total,) = new_p.totals
    (old_total,) = old_p.totals
    assert total.disbursed == old_total.disbursed + 4_550_000_000
    assert total.within == old_total.within + 4_500_000_000


def test_proposed_rows_are_marked_and_never_replace_typed_ones(imported):
    workbook, target, _result = imported
    old, new = read_old(workbook), read_old(target)
    for sheet in ("Prévisions", "Décaissements"):
        typed = [r for r in new.sheets[sheet].rows if "Activité IATI" not in r]
        assert typed == old.sheets[sheet].rows
    proposed = [r for r in new.sheets["Prévisions"].rows if "Activité IATI" in r]
    bm_2022 = next(r for r in proposed if r["Partenaire"] == "BM" and r["Année"] == 2022)
    assert bm_2022["Montant"] == 138_875_000_000 and bm_2022["Retenu"] == "Non"
    assert bm_2022["Statut"] == "Ferme"  # a committed budget for 2022
    assert bm_2022["Fichier IATI"] == "banque_mondiale_2-03.xml"
    assert bm_2022["Mise à jour IATI"] == dt.date(2022, 4, 1)
    fr_2024 = next(r for r in proposed if r["Partenaire"] == "FR" and r["Année"] == 2024)
    assert "Retenu" not in fr_2024 and fr_2024["Statut"] == "Indicatif"


def test_a_re_import_changes_nothing_and_keeps_staff_choices(imported, tmp_path):
    _workbook, target, _result = imported
    again = tmp_path / "encore.xlsx"
    import_iati(ALL, target, again, "BF", schemas(), today=DAY)
    first, second = read_old(target), read_old(again)
    assert {n: s.rows for n, s in first.sheets.items()} == {
        n: s.rows for n, s in second.sheets.items()
    }
    # Staff choose the IATI figure for BM 2022: the choice survives a new import.
    book = openpyxl.load_workbook(again)
    ws = book["Prévisions"]
    headers = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(headers)}
    for row in ws.iter_rows(min_row=2):
        if row[col["Partenaire"]].value == "BM" and row[col["Année"]].value == 2022:
            row[col["Retenu"]].value = "Oui" if row[col["Activité IATI"]].value else "Non"
    book.save(again)
    third = tmp_path / "troisieme.xlsx"
    import_iati(ALL, again, third, "BF", schemas(), today=DAY)
    chosen, _ = load_valid(third)
    bm = [f for f in chosen.partners.forecasts if f.partner.acronym == "BM" and f.year == 2022]
    assert [f.amount for f in bm] == [138_875_000_000]


def test_nothing_is_written_when_a_file_is_refused(tmp_path):
    workbook = sample_with_rates(tmp_path)
    with pytest.raises(IatiError):
        import_iati([BM, IATI / "abime.xml"], workbook, tmp_path / "nouveau.xlsx", today=DAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsx"]


def test_command_prints_the_reconciliation(tmp_path):
    workbook = sample_with_rates(tmp_path)
    target = tmp_path / "nouveau.xlsx"
    args = ["importer-iati", str(AFD), str(DDC), "--classeur", str(workbook)]
    args += ["--sortie", str(target), "--schemas", str(schemas()), "--date", "2022-05-31"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "Rapprochement" in result.output and "rapprochement_iati_2022-05-31.xlsx" in result.output
    )
    assert "Décaissement CH 2022" in result.output and "Le classeur est valide" in result.output
    refused = CliRunner().invoke(
        main,
        [
            "importer-iati",
            str(IATI / "version_1-05.xml"),
            "--classeur",
            str(workbook),
            "--sortie",
            str(tmp_path / "autre.xlsx"),
        ],
    )
    assert refused.exit_code == 1 and "version_1-05.xml" in refused.output
    assert not (tmp_path / "autre.xlsx").exists()


# --- Property: the FCFA total is the sum of amount × rate × share ---

PARTNER = Partner("BM", "Banque mondiale", "Autre", False, "", "", True, iati_ids=("44000",))
PARTNERS = Partners(
    [PARTNER],
    [],
    [],
    [],
    [2022, 2023, 2024],
    None,
    [],
    [2021, 2022],
    {"USD": [(dt.date(2021, 1, 1), 601.37)]},
)
CURRENCY_RATES = {"XOF": Decimal(1), "EUR": Decimal("655.957"), "USD": Decimal("601.37")}
lines = st.tuples(
    st.integers(min_value=0, max_value=10**11),  # the published amount
    st.sampled_from(sorted(CURRENCY_RATES)),
    st.integers(min_value=1, max_value=100),  # the percentage for BF
    st.sampled_from([2022, 2023, 2024]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(lines, min_size=1, max_size=8))
def test_fcfa_total_is_the_sum_of_amount_rate_and_share(tmp_path, drawn):
    activities = [
        activity(
            f"44000-P{i}",
            "44000",
            "World Bank",
            currency=currency,
            countries=[("BF", percentage), ("NE", 100 - percentage)]
            if percentage < 100
            else [("BF", None)],
            planned_disbursements=[planned(year, value)],
        )
        for i, (value, currency, percentage, year) in enumerate(drawn)
    ]
    path = tmp_path / "proprietes.xml"
    path.write_text(document(activities), encoding="utf-8")
    result = propose([path], PARTNERS, "BF", schemas())
    expected = sum(
        Decimal(value) * CURRENCY_RATES[currency] * Decimal(percentage) / 100
        for value, currency, percentage, _ in drawn
    )
    assert sum(r.exact for r in result.rows) == expected
    # Each row rounded once, to the franc: never further than half a franc a row.
    total = sum(r.fcfa for r in result.rows)
    assert abs(total - expected) <= Decimal("0.5") * len(result.rows)
    assert len(result.rows) == len(drawn)
