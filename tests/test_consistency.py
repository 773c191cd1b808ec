"""Cross-document consistency: sheets that would make two documents contradict each
other, or a document contradict its own date. One small workbook per inconsistency,
built from a consistent one; assertions on codes and on both cells."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.build import build, check
from pipeline.exceptions import InvalidWorkbook
from pipeline.model import Distribution, Partner, Partners, Recipient
from pipeline.report import Report, Severity
from pipeline.validate import consistency, record
from pipeline.validate.consistency import _partner_of, _PartnerIndex, dates_in
from pipeline.workbook.values import fold
from tests.rapports_data import HISTORY, add_reporting, set_status
from tests.test_partners import partner_rows

D = dt.date
TODAY = D(2021, 12, 10)
TROIKA = "Membres de la Troïka"


def consistent(rows) -> None:
    """The small plan with its follow-up, the partners' sheets (Troïka: UE, SE, CH), a
    Flash info, and a Troïka list whose recipients represent exactly the members."""
    add_reporting(rows)
    rows.update(partner_rows())
    rows["Sessions"][1]["activity"] = "1.2"  # CNP-1 (2 November) is activity 1.2's event
    rows["Flash info"] = [
        {
            "issue": 1,
            "date": D(2021, 11, 30),
            "section": "Vie de la Troïka",
            "title": "Installation",
            "text": "La Troïka est installée.",
        }
    ]
    rows["Listes de diffusion"] = [{"name": TROIKA, "bcc": "non"}, {"name": "Ensemble des PTF"}]
    rows["Destinataires"] = [
        {
            "organisation": "Délégation de l'Union européenne",
            "contact": "Laurent Mercier",
            "email": "lm@ue.example",
            "partner": "UE",
            "lists": [TROIKA, "Ensemble des PTF"],
        },
        {
            "organisation": "Ambassade de Suède",
            "contact": "Ingrid Holmberg",
            "email": "al@se.example",
            "lists": [TROIKA],
        },  # partner found from the organisation
        {
            "organisation": "Coopération suisse",
            "contact": "Martin Keller",
            "email": "mk@ch.example",
            "partner": "CH",
            "lists": [TROIKA],
        },
        {
            "organisation": "Secrétariat technique",
            "contact": "Issouf Sawadogo",
            "email": "st@troika.example",
            "lists": [TROIKA],
        },
        {
            "organisation": "Banque mondiale",
            "contact": "Daniel Okafor",
            "email": "do@bm.example",
            "partner": "BM",
            "lists": ["Ensemble des PTF"],
        },
    ]
    rows["Diffusion"] = [{"document": "pta", "list": TROIKA}]


def _with(*edits):
    def edit_rows(rows):
        consistent(rows)
        for edit in edits:
            edit(rows)

    return edit_rows


def _found(make_workbook, *edits, today=TODAY):
    report = check(make_workbook(edit_rows=_with(*edits)), today)
    return report, {(p.code, p.location.sheet, p.location.cell): p for p in report.problems}


def test_the_consistent_workbook_has_no_problem(make_workbook):
    report, _ = _found(make_workbook)
    assert [str(p) for p in report.problems] == []


def _set(sheet, index, **values):
    return lambda rows: rows[sheet][index].update(values)


CASES = {
    # A speech and an aide-mémoire for CNP-1, whose activity 1.2 is postponed in T1.
    "session-not-held": (
        (_set("Suivi des activités", 1, status="reportée"),),
        ("Sessions", "D3"),
        "'Suivi des activités'!C3",
    ),
    "session-outside-mandate": (
        (_set("Sessions", 0, date=D(2022, 2, 1)),),
        ("Sessions", "D2"),
        "'Paramètres'!B6",
    ),
    "flash-after-build-date": (
        (_set("Flash info", 0, date=D(2021, 12, 20)),),
        ("Flash info", "B2"),
        "10/12/2021",
    ),
    # T1 ends on 30 November: its report cannot tell what happened in December.
    "text-after-period": (
        (_set("Suivi des activités", 0, comment="Tenue le 3 décembre 2021"),),
        ("Suivi des activités", "F2"),
        "Trimestre 1",
    ),
    "unknown-recipient-partner": (
        (_set("Destinataires", 4, partner="OCDE"),),
        ("Destinataires", "E6"),
        "Partenaires",
    ),
    # Ingrid Holmberg heads the Swedish cooperation (Partenaires) and appears for the BM.
    "recipient-two-organisations": (
        (_set("Destinataires", 4, contact="Ingrid Holmberg"),),
        ("Destinataires", "B6"),
        "'Partenaires'!E4",
    ),
    # CH is a member (Partenaires) but nobody represents it on the Troïka list.
    "troika-list-mismatch": (
        (lambda rows: rows["Destinataires"].pop(2),),
        ("Partenaires", "D5"),
        "'Listes de diffusion'!A2",
    ),
    # CNP-1 (2 November) has its aide-mémoire adopted on 1 November.
    "memo-before-session": (
        (_set("Sessions", 1, memo_date=D(2021, 11, 1)),),
        ("Sessions", "L3"),
        "'Sessions'!D3",
    ),
    # The follow-up of 1.1 (an activity of R-01) says the chiefs designated, while the
    # decision of R-01 to designate them is still « à faire » at the end of T1 (no
    # change yet: the decision's own number is named).
    "decision-contradicts-follow-up": (
        (_set("Décisions", 0, text="Désigner les chefs de file sectoriels"),),
        ("Décisions", "B2"),
        "'Suivi des activités'!D2",
    ),
    # R-02 (20 October) prepares CNP-1 (2 November, activity 1.2); its decision is
    # carried out on 10 November (the change that says so, history row 3).
    "decision-done-after-event": (
        (
            _set("Réunions", 1, activities=["2.1", "1.2"]),
            set_status(2, "réalisé", D(2021, 11, 10)),
        ),
        (HISTORY, "B3"),
        "'Sessions'!D3",
    ),
    # Two monthly meetings held in T1, three announced.
    "count-differs": (
        (_set("Suivi des activités", 2, results="Trois réunions mensuelles tenues."),),
        ("Suivi des activités", "D4"),
        "'Réunions'!B3",
    ),
    # The World Bank's « Directeur des opérations » is Daniel Okafor in Partenaires.
    "same-title-two-people": (
        (_set("Destinataires", 4, contact="Paul Durand", title="Directeur des opérations"),),
        ("Destinataires", "B6"),
        "'Partenaires'!E2",
    ),
    # The CTN speaker is on no list (her own title, so no other check fires).
    "speaker-on-no-list": (
        (_set("Sessions", 0, speaker_name="Mme Karin Berg", speaker_title="Ambassadrice"),),
        ("Sessions", "H2"),
        "Destinataires",
    ),
    # Canada attends R-01 and no list reaches it.
    "participant-on-no-list": (
        (_set("Réunions", 0, participants="Union européenne ; Banque mondiale ; Canada"),),
        ("Réunions", "F2"),
        "'Partenaires'!A6",
    ),
}


@pytest.mark.parametrize("code", CASES)
def test_each_inconsistency_is_a_warning_naming_both_cells(make_workbook, code):
    edits, location, other = CASES[code]
    report, found = _found(make_workbook, *edits)
    assert [key for key in found if key[0] == code] == [(code, *location)], [
        str(p) for p in report.problems
    ]
    problem = found[(code, *location)]
    assert problem.severity is Severity.WARNING
    assert other in problem.message
    assert report.errors == []


def test_an_abandoned_decision_whose_follow_up_says_in_progress(make_workbook):
    report, found = _found(
        make_workbook,
        _set("Décisions", 0, text="Désigner les chefs de file sectoriels"),
        set_status(0, "abandonné", D(2021, 9, 15)),
        _set(
            "Suivi des activités",
            0,
            status="en cours",
            results="Chefs de file en cours de désignation",
        ),
    )
    # Abandoned since its meeting: the change that says so (history row 4) is named.
    problem = found[("decision-contradicts-follow-up", HISTORY, "B4")]
    assert "'Suivi des activités'!D2" in problem.message


def test_a_signatory_partner_that_no_list_reaches(make_workbook):
    """The aide-mémoire is signed by BM, UE, SE and CH: without BM's only recipient,
    nobody of the World Bank receives anything."""
    report, found = _found(make_workbook, lambda rows: rows["Destinataires"].pop(4))
    assert [k for k in found if k[0] == "speaker-on-no-list"] == [
        ("speaker-on-no-list", "Partenaires", "G2")
    ]


@pytest.mark.parametrize(
    "title, partner, key",
    [
        ("Cheffe de la coopération, Ambassade de Suède", "SE", "chef cooperation"),
        ("Chef de coopération", "SE", "chef cooperation"),
        ("Cheffe de la coopération de la Suède, au nom de la Troïka", "SE", "chef cooperation"),
        ("Représentante résidente", "BM", "representant resident"),
        ("Directrice générale", "BM", "directeur general"),
    ],
)
def test_titles_compare_without_articles_gender_or_the_partners_own_name(title, partner, key):
    partners = {p.acronym: p for p in _partners(("SE", "Suède"), ("BM", "Banque mondiale"))}
    assert consistency.title_key(title, partners[partner]) == key


def test_counts_typed_in_a_text():
    assert record.typed_counts("Deux réunions mensuelles sur trois tenues.") == [(2, "réunion")]
    assert record.typed_counts("4 numéros du Flash info diffusés") == [(4, "numéro")]
    assert record.typed_counts("Un nouveau PTF participe aux réunions mensuelles.") == []


def test_a_partner_on_the_troika_list_that_is_not_a_member(make_workbook):
    report, found = _found(
        make_workbook, _set("Destinataires", 4, lists=[TROIKA, "Ensemble des PTF"])
    )
    assert ("troika-list-mismatch", "Destinataires", "E6") in found
    assert "'Partenaires'!D2" in found[("troika-list-mismatch", "Destinataires", "E6")].message


def test_strict_makes_an_inconsistency_an_error_and_writes_nothing(make_workbook, tmp_path):
    path = make_workbook(edit_rows=_with(*CASES["session-not-held"][0]))
    assert build(path, tmp_path / "a", ["pta"], today=TODAY).written
    with pytest.raises(InvalidWorkbook) as caught:
        build(path, tmp_path / "b", ["pta"], today=TODAY, strict=True)
    assert "session-not-held" in caught.value.report.codes()
    assert not (tmp_path / "b").exists()


def test_an_older_workbook_without_the_new_columns_still_reads(make_workbook):
    """« Activité du plan » (Sessions) and « Partenaire » (Destinataires) came after
    version 1: without them the workbook reads with a warning each, and the partner is
    found from the organisation."""

    def drop(book):
        for sheet, header in (("Sessions", "Activité du plan"), ("Destinataires", "Partenaire")):
            ws = book[sheet]
            column = next(c.column for c in ws[1] if c.value == header)
            ws.delete_cols(column)

    report = check(make_workbook(edit_rows=consistent, edit_book=drop), TODAY)
    assert {(p.code, p.location.sheet) for p in report.problems} == {
        ("missing-optional-column", "Sessions"),
        ("missing-optional-column", "Destinataires"),
    }
    assert report.errors == []


def test_dates_cited_in_a_text():
    found = dates_in(
        "Tenue le 1er mars 2022, puis en juin 2022 ; rapport du 05/07/2022. PTA 2021-2022."
    )
    assert [day for _words, day in found] == [D(2022, 3, 1), D(2022, 7, 5), D(2022, 6, 1)]


# --- Which partner a recipient works for: indexed, not a scan of every partner ---------


def _partners(*pairs) -> list:
    return [Partner(acronym, name, "bilatéral", False, "", "", False) for acronym, name in pairs]


def _recipient(organisation: str, partner: str = "") -> Recipient:
    return Recipient(organisation, "", "", "x@example.org", partner)


@pytest.mark.parametrize(
    "organisation, partner, expected",
    [
        ("ASDI", "", "ASDI"),  # the acronym itself
        ("suède", "", "ASDI"),  # the name, any case or accent
        ("Ambassade de Suède", "", "ASDI"),  # the name as whole words
        ("Agence suédoise (ASDI)", "", "ASDI"),  # « (acronym) »
        ("Suédois", "", None),  # part of a word is not the name
        ("Banque mondiale et Suède", "", None),  # two partners: neither
        ("Délégation de l'Union européenne", "", "UE"),
        ("Ministère", "", None),
        ("n'importe quoi", "bm", "BM"),  # « Partenaire » wins, any case
    ],
)
def test_a_recipient_is_matched_to_the_one_partner_it_names(organisation, partner, expected):
    partners = _partners(("ASDI", "Suède"), ("BM", "Banque mondiale"), ("UE", "Union européenne"))
    report = Report()
    found = _partner_of(_recipient(organisation, partner), _PartnerIndex(partners), report)
    assert (found.acronym if found else None) == expected
    assert report.problems == []


def test_an_unknown_partner_cell_is_reported_once_at_its_cell():
    report = Report()
    recipient = Recipient("Ambassade", "", "", "x@example.org", "XX", refs={"partner": "F7"})
    assert (
        _partner_of(recipient, _PartnerIndex(_partners(("BM", "Banque mondiale"))), report) is None
    )
    assert [(p.code, p.location.cell) for p in report.problems] == [
        ("unknown-recipient-partner", "F7")
    ]


def test_matching_recipients_to_partners_does_work_linear_in_their_number(monkeypatch):
    """Counted, not timed: folding texts is the unit of work of the cross-checks on people.
    Four times the partners and recipients must cost about four times the folds (a scan
    of every partner for each recipient cost sixteen times, and made `troika verifier`
    take minutes on a large workbook)."""
    folds = 0

    def counting_fold(text):
        nonlocal folds
        folds += 1
        return fold(text)

    monkeypatch.setattr(consistency, "fold", counting_fold)

    def count(n: int) -> int:
        nonlocal folds
        partners = _partners(*((f"P{i}", f"Partenaire numéro {i}") for i in range(n)))
        recipients = [
            Recipient(f"Bureau du Partenaire numéro {i}", f"Personne {i}", "", f"p{i}@example.org")
            for i in range(n)
        ]
        folds = 0
        report = Report()
        consistency._check_people(
            Partners(partners, [], [], [], []), Distribution([], recipients), report
        )
        assert report.problems == []
        return folds

    small, large = count(50), count(200)
    assert large <= 4.5 * small


# --- The sample tells one story ---------------------------------------------------------


def test_the_sample_passes_every_cross_check_in_strict_mode(tmp_path):
    """`troika verifier --strict` passes on the sample, and a strict build as of the end
    of the mandate finds no warning either."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from tests.conftest import SAMPLE

    result = CliRunner().invoke(main, ["verifier", "--strict", "--classeur", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    built = build(SAMPLE, tmp_path, ["flash-info"], today=D(2022, 6, 30), strict=True)
    assert [str(p) for p in built.report.problems] == []
