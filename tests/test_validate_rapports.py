"""Validation of the follow-up sheets: codes and cell locations."""

from __future__ import annotations

import datetime as dt

from pipeline.build import check, load
from pipeline.report import Report
from tests.rapports_data import MONTHLY, add_reporting

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
            {"meeting": "R-99", "text": "Orpheline", "status": "à faire"},
            {
                "meeting": "R-01",
                "text": "Échéance avant",
                "deadline": D(2021, 9, 1),
                "status": "en cours",
            },
            {"meeting": "R-01", "text": "Sans date", "status": "Réalisé"},
            {"meeting": "R-01", "text": "Statut libre", "status": "terminé"},
        ]

    report = check(make_workbook(edit_rows=_with(change)))
    assert _problems(report, "unknown-meeting") == [("Décisions", "A5")]
    assert _problems(report, "deadline-before-meeting") == [("Décisions", "D6")]
    assert _problems(report, "done-without-date") == [("Décisions", "F7")]
    assert _problems(report, "bad-choice") == [("Décisions", "E8")]
    assert [
        p.severity.value
        for p in report.problems
        if p.code in ("deadline-before-meeting", "done-without-date")
    ] == ["avertissement"] * 2


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
