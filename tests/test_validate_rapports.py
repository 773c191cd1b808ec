"""Validation of the follow-up sheets: codes and cell locations."""

from __future__ import annotations

import datetime as dt

from pipeline.build import check, load
from pipeline.report import Report
from tests.rapports_data import HISTORY, MONTHLY, add_reporting
from tests.rapports_data import change as status_change
from tests.test_partners import partner_rows

D = dt.date


def _problems(report, code):
    return [(p.location.sheet, p.location.cell) for p in report.problems if p.code == code]


def _with(change):
    def edit(rows):
        add_reporting(rows)
        change(rows)

    return edit


def _custom_periods(periods):
    """Replace the default quarters of the Périodes sheet by ``periods``."""

    def edit(book):
        ws = book["Périodes"]
        ws.delete_rows(2, ws.max_row)
        for row in periods:
            ws.append(list(row))

    return edit


def test_valid_follow_up_builds_the_model(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=add_reporting), report)
    assert report.problems == []
    reporting = workbook.reporting
    assert [p.label for p in reporting.periods] == ["Trimestre 1", "Trimestre 2"]
    assert [m.id for m in reporting.meetings] == ["R-01", "R-02"]
    first = reporting.meetings[0]
    assert [a.code for a in first.activities] == ["2.1", "1.1"]
    assert first.participants == ["Union européenne", "Banque mondiale"]
    assert first.agenda == ["Lancement du PTA", "Divers"]
    assert len(first.decisions) == 2 and first.type.activity.code == "2.1"
    assert len(reporting.follow_ups) == 4
    assert reporting.text("lecons", None) == ["Une leçon du mandat."]


def test_empty_periods_sheet_falls_back_to_the_quarters(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=add_reporting, edit_book=_custom_periods([])), report)
    assert report.errors == []
    assert [(p.start, p.end) for p in workbook.reporting.periods] == [
        (D(2021, 9, 1), D(2021, 11, 30)),
        (D(2021, 12, 1), D(2021, 12, 31)),
    ]


def test_meeting_problems(make_workbook):
    def change(rows):
        rows["Réunions"].append({"id": "R-01", "date": D(2021, 11, 3), "type": MONTHLY})
        rows["Réunions"].append({"id": "R-03", "date": D(2022, 2, 3), "type": MONTHLY})
        rows["Réunions"].append(
            {"id": "R-04", "date": D(2021, 11, 4), "type": "Inconnue", "activities": ["9.9"]}
        )

    report = check(make_workbook(edit_rows=_with(change)))
    # Rows 2-3 are; the added rows are 4, 5, 6.
    assert _problems(report, "duplicate-code") == [("Réunions", "A4")]
    assert _problems(report, "meeting-outside-mandate") == [("Réunions", "B5")]
    assert _problems(report, "unknown-meeting-type") == [("Réunions", "C6")]
    assert _problems(report, "unknown-activity") == [("Réunions", "I6")]


def test_decision_problems(make_workbook):
    def change(rows):
        rows["Décisions"] += [
            {"meeting": "R-99", "number": "R-99-1", "text": "Orpheline"},
            {
                "meeting": "R-01",
                "number": "R-01-3",
                "text": "Échéance avant",
                "deadline": D(2021, 9, 1),
            },
            {"meeting": "R-01", "text": "Sans numéro"},
            {"meeting": "R-01", "number": "R-01-5", "text": "Statut libre"},
        ]
        rows[HISTORY].append(status_change("R-01-5", D(2021, 9, 20), "terminé"))

    report = check(make_workbook(edit_rows=_with(change)))
    assert _problems(report, "unknown-meeting") == [("Décisions", "A5")]
    assert _problems(report, "deadline-before-meeting") == [("Décisions", "E6")]
    assert _problems(report, "missing-value") == [("Décisions", "B7")]
    # A status is typed in the history now: rows 2-3 are the decisions' own changes.
    assert _problems(report, "bad-choice") == [("Historique des statuts", "C4")]
    assert [p.severity.value for p in report.problems if p.code == "deadline-before-meeting"] == [
        "avertissement"
    ]


def test_follow_up_problems(make_workbook):
    def change(rows):
        rows["Suivi des activités"] += [
            {"activity": "3.1", "period": "Trimestre 1", "status": "réalisée"},
            {"activity": "1.1", "period": "Trimestre 9", "status": "réalisée"},
            {"activity": "1.2", "period": "Trimestre 2", "status": "finie"},
            {"activity": "1.1", "period": "trimestre 1", "status": "réalisée"},
        ]

    report = check(make_workbook(edit_rows=_with(change)))
    assert _problems(report, "unknown-activity") == [("Suivi des activités", "A6")]
    assert _problems(report, "unknown-period") == [("Suivi des activités", "B7")]
    assert _problems(report, "bad-choice") == [("Suivi des activités", "C8")]
    assert _problems(report, "duplicate-follow-up") == [("Suivi des activités", "A9")]


def test_overlapping_and_gapped_custom_periods(make_workbook):
    periods = [
        ("P1", D(2021, 9, 1), D(2021, 10, 15)),
        ("P2", D(2021, 10, 10), D(2021, 10, 31)),  # overlaps P1
        ("P3", D(2021, 11, 10), D(2021, 11, 30)),  # gap 1–9 November
        ("P4", D(2021, 12, 20), D(2021, 12, 1)),
    ]  # ends before it starts
    report = check(make_workbook(edit_book=_custom_periods(periods)))
    assert _problems(report, "periods-overlap") == [("Périodes", "B3")]
    assert _problems(report, "periods-gap") == [("Périodes", "B4"), ("Périodes", "C4")]
    assert _problems(report, "bad-period") == [("Périodes", "C5")]


def test_period_outside_the_mandate(make_workbook):
    periods = [("P1", D(2021, 9, 1), D(2021, 11, 30)), ("P2", D(2021, 12, 1), D(2022, 1, 31))]
    report = check(make_workbook(edit_book=_custom_periods(periods)))
    assert _problems(report, "period-outside-mandate") == [("Périodes", "B3")]
    assert _problems(report, "periods-gap") == []


def test_unknown_heading_and_period_of_report_texts(make_workbook):
    def change(rows):
        rows["Textes des rapports"] += [
            {"heading": "Autre rubrique", "text": "x"},
            {"heading": "Difficultés", "period": "T9", "text": "y"},
        ]

    report = check(make_workbook(edit_rows=_with(change)))
    assert _problems(report, "bad-choice") == [("Textes des rapports", "A4")]
    assert _problems(report, "unknown-period") == [("Textes des rapports", "B5")]


# --- The register of recommendations and the dated status history ------------------------

REGISTER = "Recommandations"


def _register(rows) -> None:
    """The follow-up, the partners' sheets (sessions CTN-1 on 5 October 2021 and CNP-1 on
    2 November 2021), and a valid register: one item from a review before the mandate
    (dated by its title), one from a session, one from a meeting, and one carried from
    the previous mandate, with their dated changes. Register rows are 2-5; the history
    rows 2-3 are the decisions', 4-7 the register's."""
    add_reporting(rows)
    rows.update(partner_rows())
    rows[REGISTER] = [
        {
            "number": "RA20-01",
            "text": "Transmettre le rapport de performance avant le CTN",
            "source_kind": "Revue annuelle",
            "source": "Revue annuelle 2020 du PNDES II",
            "source_date": D(2021, 6, 24),
            "addressee": "Gouvernement",
            "responsible": "Secrétariat technique",
            "activity": "1.1",
            "due": D(2021, 10, 31),
            "public": "Oui",
        },
        {
            "number": "CTN21-01",
            "text": "Actualiser la matrice des réformes",
            "source_kind": "Revue annuelle",
            "source": "CTN-1",
            "addressee": "PTF",
            "responsible": "Troïka",
            "due": D(2021, 12, 31),
        },
        {
            "number": "RM-01",
            "text": "Préparer une note commune",
            "source_kind": "Réunion",
            "source": "R-02",
            "addressee": "Gouvernement et PTF",
        },
        {
            "number": "CR-2021-004-1",  # a decision of the previous mandate, carried
            "text": "Adopter le décret sur le dialogue",
            "source_kind": "Réunion",
            "source": "CR-2021-004",  # not in Réunions: dated, and carried
            "source_date": D(2021, 3, 2),
            "addressee": "Gouvernement",
            "carried_from": "2020-2021",
        },
    ]
    rows[HISTORY] += [
        status_change("RA20-01", D(2021, 9, 20), "en cours", "Calendrier convenu"),
        status_change("RA20-01", D(2021, 11, 8), "réalisé", "Rapport reçu"),
        status_change("CR-2021-004-1", D(2021, 6, 1), "en cours"),
        status_change("CTN21-01", D(2021, 10, 26), "abandonné", "Remplacée"),
    ]


def _with_register(change):
    def edit(rows):
        _register(rows)
        change(rows)

    return edit


def test_valid_register_builds_the_model_with_dated_states(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=_register), report, D(2021, 12, 10))
    assert [p for p in report.problems if p.location.sheet in (REGISTER, HISTORY)] == []
    assert report.errors == []
    items = {r.number: r for r in workbook.reporting.recommendations}
    assert list(items) == ["RA20-01", "CTN21-01", "RM-01", "CR-2021-004-1"]
    sources = [(r.source.kind, r.source.label, r.source.date) for r in items.values()]
    assert sources == [
        ("Revue annuelle", "Revue annuelle 2020 du PNDES II", D(2021, 6, 24)),
        ("Revue annuelle", "CTN-1", D(2021, 10, 5)),  # dated by the session
        ("Réunion", "R-02", D(2021, 10, 20)),  # dated by the meeting
        ("Réunion", "CR-2021-004", D(2021, 3, 2)),
    ]
    first = items["RA20-01"]
    assert (first.activity.code, first.responsible, first.public) == (
        "1.1",
        "Secrétariat technique",
        True,
    )
    assert not items["CTN21-01"].public and items["CTN21-01"].activity is None
    assert [r.carried_from for r in items.values()] == ["", "", "", "2020-2021"]
    # The status on three dates: before any change, after the first, after the last.
    assert [first.state_on(day).status for day in (D(2021, 9, 1), D(2021, 10, 1))] == [
        "à faire",
        "en cours",
    ]
    closed = first.state_on(D(2021, 12, 10))
    assert (closed.status, closed.since, closed.comment, closed.closed) == (
        "réalisé",
        D(2021, 11, 8),
        "Rapport reçu",
        True,
    )
    # Decisions take their latest state (on the build date) from the history too.
    decisions = {d.number: d for d in workbook.reporting.decisions}
    assert [(d.status, d.done_on) for d in decisions.values()] == [
        ("à faire", None),
        ("réalisé", D(2021, 10, 5)),
        ("en cours", None),
    ]
    assert decisions["R-01-2"].state_on(D(2021, 10, 4)).status == "à faire"


def test_a_change_after_the_build_date_is_a_warning_left_out_of_the_state(make_workbook):
    after = dt.date.today() + dt.timedelta(days=30)  # not yet happened, whatever the clock

    def change(rows):
        rows[HISTORY].append(status_change("R-01-1", after, "réalisé"))

    report = Report()
    workbook = load(make_workbook(edit_rows=_with_register(change)), report)
    assert _problems(report, "change-after-build-date") == [(HISTORY, "B8")]
    assert [p.severity.value for p in report.problems if p.code == "change-after-build-date"] == [
        "avertissement"
    ]
    assert report.errors == []
    assert workbook.reporting.decisions[0].status == "à faire"


def test_documents_made_again_for_a_past_date_leave_later_changes_out_silently(make_workbook):
    def change(rows):
        rows[HISTORY].append(status_change("R-01-1", D(2021, 12, 20), "réalisé"))

    report = Report()
    workbook = load(make_workbook(edit_rows=_with_register(change)), report, D(2021, 12, 10))
    assert _problems(report, "change-after-build-date") == []
    assert workbook.reporting.decisions[0].status == "à faire"
    assert workbook.reporting.decisions[0].state_on(D(2021, 12, 20)).status == "réalisé"


def test_register_problems_are_named_at_their_cell(make_workbook):
    def change(rows):
        rows[REGISTER] += [
            # row 6: a number already used by row 2
            {**rows[REGISTER][0], "number": "ra20-01"},
            # row 7: neither a session nor a meeting, and no date
            {**rows[REGISTER][1], "number": "X-07", "source": "CTN-9"},
            # row 8: a meeting of this mandate that Réunions does not have
            {
                **rows[REGISTER][2],
                "number": "X-08",
                "source": "R-09",
                "source_date": D(2021, 11, 9),
            },
            # row 9: dated otherwise than its meeting (20 October)
            {**rows[REGISTER][2], "number": "X-09", "source_date": D(2021, 10, 21)},
            # row 10: a body missing from Responsables, an unknown activity
            {**rows[REGISTER][0], "number": "X-10", "responsible": "Inconnu", "activity": "9.9"},
            # row 11: due before its source (the session of 5 October)
            {**rows[REGISTER][1], "number": "X-11", "due": D(2021, 10, 4)},
        ]
        # A decision numbered as a register item (Décisions row 5).
        rows["Décisions"].append({"meeting": "R-02", "number": "RM-01", "text": "Doublon"})

    report = check(make_workbook(edit_rows=_with_register(change)), D(2021, 12, 10))
    assert _problems(report, "duplicate-code") == [(REGISTER, "A6"), ("Décisions", "B5")]
    assert _problems(report, "unknown-source") == [(REGISTER, "D7"), (REGISTER, "D8")]
    assert _problems(report, "source-date-mismatch") == [(REGISTER, "E9")]
    assert _problems(report, "unknown-body") == [(REGISTER, "G10")]
    assert _problems(report, "unknown-activity") == [(REGISTER, "H10")]
    assert _problems(report, "due-before-source") == [(REGISTER, "I11")]
    found = [p for p in report.problems if p.location.sheet in (REGISTER, "Décisions")]
    assert len(found) == 8  # nothing else: the valid rows 2-5 raise no problem
    assert {p.severity.value for p in found} == {"erreur"}


def test_history_problems_are_named_at_their_cell(make_workbook):
    def change(rows):
        rows[HISTORY] += [
            # row 8: no such item
            status_change("RA99-01", D(2021, 10, 1), "en cours"),
            # row 9: before its meeting (R-01, 15 September)
            status_change("R-01-1", D(2021, 9, 14), "en cours"),
            # row 10: before its source (the meeting R-02, 20 October)
            status_change("RM-01", D(2021, 10, 19), "en cours"),
            # row 11: a second change of RA20-01 on 20 September (row 4)
            status_change("RA20-01", D(2021, 9, 20), "à faire"),
            # row 12: RA20-01 is « réalisé » since 8 November (row 5)
            status_change("RA20-01", D(2021, 11, 20), "en cours"),
            # row 13: the decision R-01-2 is « réalisé » since 5 October (row 2)
            status_change("R-01-2", D(2021, 10, 6), "abandonné"),
            # row 14: CTN21-01 is « abandonné » since 26 October (row 7)
            status_change("CTN21-01", D(2021, 12, 1), "réalisé"),
        ]

    report = check(make_workbook(edit_rows=_with_register(change)), D(2021, 12, 10))
    assert _problems(report, "unknown-item") == [(HISTORY, "A8")]
    assert _problems(report, "change-before-item") == [(HISTORY, "B9"), (HISTORY, "B10")]
    assert _problems(report, "duplicate-change") == [(HISTORY, "B11")]
    assert sorted(_problems(report, "change-after-closed")) == [
        (HISTORY, "B12"),
        (HISTORY, "B13"),
        (HISTORY, "B14"),
    ]
    # Nothing else: the valid rows 2-7 raise no problem.
    assert len([p for p in report.problems if p.location.sheet == HISTORY]) == 7


def test_an_item_with_its_own_error_is_not_reported_again_in_the_history(make_workbook):
    def change(rows):
        rows[REGISTER][1]["source"] = "CTN-9"  # unknown source: RA item row 3 is dropped

    report = check(make_workbook(edit_rows=_with_register(change)), D(2021, 12, 10))
    assert _problems(report, "unknown-source") == [(REGISTER, "D3")]
    assert _problems(report, "unknown-item") == []


def test_the_sample_register_validates():
    from tests.conftest import SAMPLE

    report = Report()
    workbook = load(SAMPLE, report, D(2022, 6, 30))
    assert report.errors == []
    assert [p for p in report.problems if p.location.sheet in (REGISTER, HISTORY)] == []
    assert len(workbook.reporting.recommendations) == 10
    assert all(d.number for d in workbook.reporting.decisions)


def test_a_decision_with_its_own_error_is_not_reported_again_in_the_history(make_workbook):
    def change(rows):
        rows["Décisions"] += [
            {"meeting": "R-99", "number": "R-99-1", "text": "Orpheline"},  # row 5
            {"meeting": "R-01", "number": "R-01-9"},  # row 6: no text
        ]
        rows[HISTORY] += [
            status_change("R-99-1", D(2021, 10, 1), "en cours"),
            status_change("R-01-9", D(2021, 10, 1), "en cours"),
        ]

    report = check(make_workbook(edit_rows=_with_register(change)), D(2021, 12, 10))
    assert _problems(report, "unknown-meeting") == [("Décisions", "A5")]
    assert _problems(report, "missing-value") == [("Décisions", "C6")]
    assert _problems(report, "unknown-item") == []
