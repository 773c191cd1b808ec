"""The figures of the activity reports, on tiny hand-built models with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.documents import figures
from pipeline.model import (
    Activity,
    Axis,
    Body,
    Decision,
    FollowUp,
    Identity,
    Mandate,
    Meeting,
    MeetingType,
    Period,
    Plan,
    Product,
    Reporting,
    default_periods,
)

D = dt.date
SEP, OCT, NOV, DEC = D(2021, 9, 1), D(2021, 10, 1), D(2021, 11, 1), D(2021, 12, 1)


def _plan() -> Plan:
    body = Body("ST", "Secrétariat technique")
    axes = [Axis(1, "Axe un"), Axis(2, "Axe deux")]
    p1, p2 = Product(1, "P1", axes[0], "r1"), Product(2, "P2", axes[1], "r2")
    axes[0].products.append(p1)
    axes[1].products.append(p2)
    for product, code, months in (
        (p1, "1.1", {SEP, OCT}),
        (p1, "1.2", {NOV}),
        (p1, "1.3", set()),
        (p2, "2.1", {SEP, OCT, NOV, DEC}),
        (p2, "2.2", {OCT}),
    ):
        product.activities.append(
            Activity(code, f"Activité {code}", product, [body], frozenset(months))
        )
    return Plan(
        Identity("Troïka", "Burkina Faso", "PNDES II", "PNDES", "Ouagadougou"),
        Mandate(SEP, D(2021, 12, 31)),
        D(2021, 9, 1),
        {},
        axes,
        [body],
    )


PLAN = _plan()
T1, T2 = default_periods(PLAN.mandate)


def _reporting(rows: dict[tuple[str, int], str]) -> Reporting:
    periods = [T1, T2]
    follow_ups = [
        FollowUp(PLAN.activity(code), periods[n - 1], status, f"résultat {code}", "", "")
        for (code, n), status in rows.items()
    ]
    return Reporting(periods, [], [], follow_ups, [])


def test_default_periods_are_quarters_from_the_mandate_start():
    mandate = Mandate(D(2021, 9, 1), D(2022, 6, 30))
    periods = default_periods(mandate)
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("Trimestre 1", D(2021, 9, 1), D(2021, 11, 30)),
        ("Trimestre 2", D(2021, 12, 1), D(2022, 2, 28)),
        ("Trimestre 3", D(2022, 3, 1), D(2022, 5, 31)),
        ("Trimestre 4", D(2022, 6, 1), D(2022, 6, 30)),
    ]


def test_scheduled_in_a_period_means_a_scheduled_month_overlaps_it():
    assert figures.is_scheduled_in(PLAN.activity("1.1"), T1)
    assert not figures.is_scheduled_in(PLAN.activity("1.1"), T2)
    # A custom period starting mid-month still catches the month it overlaps.
    mid = Period(1, "P", D(2021, 10, 15), D(2021, 11, 10))
    assert figures.is_scheduled_in(PLAN.activity("1.1"), mid)
    assert not figures.is_scheduled_in(PLAN.activity("1.3"), T1)  # no schedule at all


def test_execution_rate_excludes_cancelled_and_counts_missing_rows_as_not_reported():
    reporting = _reporting(
        {
            ("1.1", 1): "réalisée",
            ("1.2", 1): "en cours",
            ("2.1", 1): "réalisée",
            ("2.2", 1): "annulée",
        }
    )
    statuses = figures.period_statuses(PLAN, reporting, T1)
    assert [s.activity.code for s in statuses] == ["1.1", "1.2", "2.1", "2.2"]
    total = figures.overall(statuses)
    assert (total.scheduled, total.carried_out, total.in_progress, total.cancelled) == (4, 2, 1, 1)
    assert total.counted == 3 and total.not_done == 0  # the one in progress is apart
    assert total.rate == pytest.approx(2 / 3)
    axes = figures.by_axis(PLAN, statuses)
    assert [a.execution.rate for a in axes] == [0.5, 1.0]


def test_missing_follow_up_row_is_not_reported_and_not_carried_out():
    statuses = figures.period_statuses(PLAN, _reporting({("1.1", 1): "réalisée"}), T1)
    assert [s.status for s in statuses] == [
        "réalisée",
        "non renseignée",
        "non renseignée",
        "non renseignée",
    ]
    assert figures.overall(statuses).rate == pytest.approx(1 / 4)


def test_empty_period_has_no_rate_instead_of_a_division_by_zero():
    reporting = _reporting({("2.1", 2): "annulée"})
    total = figures.overall(figures.period_statuses(PLAN, reporting, T2))
    assert total.scheduled == 1 and total.counted == 0
    assert total.rate is None
    assert figures.execution([]).rate is None
    assert [a.execution.rate for a in figures.by_axis(PLAN, [])] == [None, None]


def test_unscheduled_activity_with_a_row_is_listed_but_never_counted():
    reporting = _reporting({("1.3", 1): "réalisée", ("1.1", 1): "non réalisée"})
    statuses = figures.period_statuses(PLAN, reporting, T1)
    apart = [s for s in statuses if not s.scheduled]
    assert [s.activity.code for s in apart] == ["1.3"]
    assert figures.overall(statuses).carried_out == 0


def test_mandate_status_is_the_latest_reported_one():
    reporting = _reporting(
        {
            ("2.1", 1): "en cours",
            ("2.1", 2): "réalisée",
            ("1.1", 1): "réalisée",
            ("1.2", 1): "reportée",
        }
    )
    statuses = {
        s.activity.code: s.status
        for s in figures.mandate_statuses(PLAN, reporting, D(2021, 12, 31))
    }
    assert statuses == {
        "1.1": "réalisée",
        "1.2": "reportée",
        "2.1": "réalisée",
        "2.2": "non renseignée",
    }
    # Before the second period started, its rows do not count yet.
    early = {
        s.activity.code: s.status
        for s in figures.mandate_statuses(PLAN, reporting, D(2021, 11, 15))
    }
    assert early["2.1"] == "en cours"


def _meeting(day: dt.date, kind: MeetingType, decisions=()) -> Meeting:
    meeting = Meeting(f"R-{day}", day, kind, [], "", "", [], [], [])
    for deadline, status, done_on in decisions:
        meeting.decisions.append(Decision(meeting, "texte", "ST", deadline, status, done_on, ""))
    return meeting


def test_planned_meetings_follow_the_activity_schedule_or_the_typed_number():
    monthly = MeetingType("Mensuelle", "mensuelle", PLAN.activity("2.1"), None)
    weekly = MeetingType("Hebdo", "hebdomadaire", PLAN.activity("1.1"), None)
    typed = MeetingType("PM", "ponctuelle", PLAN.activity("2.1"), 2)
    loose = MeetingType("Sans activité", "ponctuelle", None, None)
    assert figures.planned_meetings(monthly, T1.start, T1.end) == 3
    # Mondays of September (6, 13, 20, 27) and October 2021 (4, 11, 18, 25).
    assert figures.planned_meetings(weekly, T1.start, T1.end) == 8
    assert figures.planned_meetings(typed, SEP, D(2021, 12, 31), whole_mandate=True) == 2
    assert figures.planned_meetings(typed, T1.start, T1.end) == 3
    assert figures.planned_meetings(loose, SEP, D(2021, 12, 31)) is None
    meetings = [
        _meeting(D(2021, 9, 15), monthly),
        _meeting(D(2021, 10, 20), monthly),
        _meeting(D(2021, 12, 2), monthly),
    ]
    reporting = Reporting([T1, T2], [monthly, loose], meetings, [], [])
    counts = figures.meeting_counts(reporting, T1.start, T1.end)
    assert [(c.type.name, c.planned, c.held) for c in counts] == [
        ("Mensuelle", 3, 2),
        ("Sans activité", None, 0),
    ]
    assert counts[0].rate == pytest.approx(2 / 3) and counts[1].rate is None


def test_open_and_overdue_decisions_with_their_delay_in_days():
    kind = MeetingType("Mensuelle", "mensuelle", None, None)
    meeting = _meeting(
        D(2021, 9, 15),
        kind,
        [
            (D(2021, 10, 1), "à faire", None),  # overdue
            (D(2021, 10, 1), "réalisé", D(2021, 10, 5)),  # done in time for November
            (D(2021, 12, 31), "en cours", None),  # open, not late
            (D(2021, 10, 1), "abandonné", None),  # closed
            (D(2021, 10, 1), "réalisé", None),  # done, date unknown: closed
            (D(2021, 10, 1), "réalisé", D(2021, 12, 20)),  # still open on 30 November
        ],
    )
    later = _meeting(D(2021, 12, 5), kind, [(D(2021, 12, 6), "à faire", None)])
    on = D(2021, 11, 30)
    found = figures.open_decisions(meeting.decisions + later.decisions, on)
    # Carried out on 20 December: on 30 November it was still to do, and late.
    assert [(o.decision.status, o.delay) for o in found] == [
        ("à faire", 60),
        ("à faire", 60),
        ("en cours", None),
    ]
    assert [o.decision.done_on for o in found] == [None, None, None]
    assert figures.delay_days(meeting.decisions[0], D(2021, 10, 1)) is None  # due that day
    counts = figures.decisions_by_status(
        meeting.decisions, ("à faire", "en cours", "réalisé", "abandonné")
    )
    assert [(c.status, c.count) for c in counts] == [
        ("à faire", 1),
        ("en cours", 1),
        ("réalisé", 3),
        ("abandonné", 1),
    ]


# --- One definition per figure: the categories partition what is counted ---------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STATUSES = ["réalisée", "en cours", "non réalisée", "reportée", "annulée"]
CODES = ["1.1", "1.2", "1.3", "2.1", "2.2"]


def assert_partition(execution: figures.Execution) -> None:
    assert sum(execution.parts) == execution.counted
    assert execution.counted + execution.cancelled == execution.scheduled
    assert execution.carried_out + execution.in_progress + execution.not_done == execution.counted
    assert min(execution.parts) >= 0 and execution.cancelled >= 0


@settings(max_examples=200, deadline=None)
@given(
    rows=st.dictionaries(
        st.tuples(st.sampled_from(CODES), st.sampled_from([1, 2])), st.sampled_from(STATUSES)
    ),
    day=st.dates(min_value=D(2021, 8, 1), max_value=D(2022, 3, 1)),
)
def test_categories_partition_the_activities_taken_into_account(rows, day):
    reporting = _reporting(rows)
    groups = [figures.period_statuses(PLAN, reporting, p) for p in (T1, T2)]
    groups.append(figures.mandate_statuses(PLAN, reporting, day))
    for statuses in groups:
        total = figures.overall(statuses)
        assert_partition(total)
        assert total.scheduled == sum(1 for s in statuses if s.scheduled)
        axes = figures.by_axis(PLAN, statuses)
        for axis in axes:
            assert_partition(axis.execution)
        # The overall figures are the sum of the axes' figures, category by category.
        assert tuple(map(sum, zip(*(a.execution.parts for a in axes)))) == total.parts
        assert sum(a.execution.cancelled for a in axes) == total.cancelled


def test_not_done_leaves_in_progress_apart():
    execution = figures.execution(
        [
            "réalisée",
            "en cours",
            "en cours",
            "non réalisée",
            "reportée",
            "non renseignée",
            "annulée",
        ]
    )
    assert execution.parts == (1, 2, 1, 1, 1)
    assert (execution.scheduled, execution.counted, execution.not_done) == (7, 6, 3)


def test_a_decision_is_shown_as_it_stood_on_the_day():
    kind = MeetingType("Mensuelle", "mensuelle", None, None)
    meeting = _meeting(
        D(2021, 9, 15),
        kind,
        [
            (D(2021, 10, 1), "réalisé", D(2021, 12, 1)),
            (D(2021, 10, 1), "abandonné", D(2021, 12, 1)),
            (D(2021, 10, 1), "abandonné", None),
        ],
    )
    done, dropped, dropped_undated = meeting.decisions
    done.comment = "Fait en décembre"
    on = D(2021, 11, 30)
    then = figures.decision_on(done, on)
    assert (then.status, then.done_on, then.comment) == ("à faire", None, "")
    assert figures.decision_on(done, D(2021, 12, 1)) is done
    assert figures.is_open(dropped, on) and not figures.is_open(dropped, D(2021, 12, 1))
    assert not figures.is_open(dropped_undated, on)  # no date: closed since the meeting
    assert figures.delay_days(dropped, on) == 60
    # Decisions taken after the day do not exist yet.
    later = _meeting(D(2021, 12, 5), kind, [(D(2021, 12, 6), "à faire", None)])
    assert figures.decisions_on(meeting.decisions + later.decisions, on)[0].status == "à faire"
    assert len(figures.decisions_on(meeting.decisions + later.decisions, on)) == 3


def test_a_text_citing_a_later_date_is_left_out_of_an_earlier_document():
    row = FollowUp(
        PLAN.activity("1.1"),
        T1,
        "réalisée",
        "Tenue le 5 octobre 2021",
        "Rapport le 3 décembre 2021",
        "Reprise en janvier 2022",
    )
    status = figures.ActivityStatus(row.activity, row.status, row, True, D(2021, 11, 30))
    assert status.remarks == "Tenue le 5 octobre 2021"
    assert status.difficulties == ""
    later = figures.ActivityStatus(row.activity, row.status, row, True, D(2022, 1, 31))
    assert later.remarks == "Tenue le 5 octobre 2021\nReprise en janvier 2022"
    assert later.difficulties == "Rapport le 3 décembre 2021"
