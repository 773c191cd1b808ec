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
    Recommendation,
    Reporting,
    Session,
    Source,
    StatusChange,
    default_periods,
    state_on,
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


def _decision(meeting: Meeting, deadline, history: list[StatusChange]) -> Decision:
    """A decision as validation gives it: its dated changes, and its latest state."""
    latest = history[-1] if history else None
    status = latest.status if latest else "à faire"
    decision = Decision(
        meeting,
        "texte",
        "ST",
        deadline,
        status,
        latest.day if status == "réalisé" else None,
        latest.comment if latest else "",
        number=f"{meeting.id}-{len(meeting.decisions) + 1}",
        history=history,
    )
    meeting.decisions.append(decision)
    return decision


def _meeting(day: dt.date, kind: MeetingType, decisions=()) -> Meeting:
    """A meeting and its decisions, each given as (deadline, status, day of that status
    or None): one dated change as migrer-classeur makes of a version-2 status, dated
    by the meeting when no day is given; none for « à faire »."""
    meeting = Meeting(f"R-{day}", day, kind, [], "", "", [], [], [])
    for deadline, status, on in decisions:
        history = [] if status == "à faire" else [StatusChange(on or day, status, "")]
        _decision(meeting, deadline, history)
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
            (D(2021, 10, 1), "réalisé", None),  # done since the meeting: closed
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
    done.history = [StatusChange(D(2021, 12, 1), "réalisé", "Fait en décembre")]
    on = D(2021, 11, 30)
    then = figures.decision_on(done, on)
    assert (then.status, then.done_on, then.comment) == ("à faire", None, "")
    since = figures.decision_on(done, D(2021, 12, 1))
    assert (since.status, since.done_on, since.comment) == (
        "réalisé",
        D(2021, 12, 1),
        "Fait en décembre",
    )
    assert figures.is_open(dropped, on) and not figures.is_open(dropped, D(2021, 12, 1))
    assert not figures.is_open(dropped_undated, on)  # dated by its meeting: closed since
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


# --- Dated statuses and the register of recommendations ----------------------------------


def test_a_status_is_the_last_change_on_or_before_the_day():
    history = [
        StatusChange(D(2021, 10, 1), "en cours", "Lancé"),
        StatusChange(D(2021, 11, 15), "réalisé", "Fait"),
    ]
    opened = D(2021, 9, 15)
    before, during, after = (state_on(opened, history, d) for d in (SEP, OCT, NOV))
    assert (before.status, before.since, before.comment) == ("à faire", opened, "")
    assert (during.status, during.since, during.comment) == ("en cours", OCT, "Lancé")
    assert not during.closed
    assert (after.status, after.since) == ("en cours", OCT)  # 1 November: not done yet
    done = state_on(opened, history, D(2021, 11, 15))  # the day of the change counts
    assert (done.status, done.since, done.comment, done.closed) == (
        "réalisé",
        D(2021, 11, 15),
        "Fait",
        True,
    )
    assert state_on(opened, [], D(2022, 1, 1)).status == "à faire"


def test_a_decision_has_its_status_of_each_date():
    meeting = _meeting(D(2021, 9, 15), MeetingType("Mensuelle", "mensuelle", None, None))
    decision = _decision(
        meeting,
        D(2021, 10, 31),
        [
            StatusChange(D(2021, 10, 1), "en cours", "Projet rédigé"),
            StatusChange(D(2021, 11, 15), "réalisé", "Diffusé"),
        ],
    )
    states = [
        figures.decision_on(decision, day)
        for day in (D(2021, 9, 20), D(2021, 11, 10), D(2021, 11, 30))
    ]
    assert [(d.status, d.done_on, d.comment) for d in states] == [
        ("à faire", None, ""),
        ("en cours", None, "Projet rédigé"),
        ("réalisé", D(2021, 11, 15), "Diffusé"),
    ]
    assert [figures.delay_days(decision, d) for d in (D(2021, 9, 20), D(2021, 11, 10))] == [
        None,
        10,
    ]
    assert figures.delay_days(decision, D(2021, 11, 30)) is None  # closed
    assert [o.decision.status for o in figures.open_decisions([decision], D(2021, 11, 10))] == [
        "en cours"
    ]
    assert figures.open_decisions([decision], D(2021, 11, 30)) == []


REVIEW_2020 = Source("Revue annuelle", "Revue 2020", "Revue 2020", D(2021, 6, 24))
CTN = Source("Revue annuelle", "CTN-2021", "CTN du 5 octobre 2021", D(2021, 10, 5))
CGAB = Source("Revue CGAB", "CGAB 2021", "Revue CGAB 2021", D(2021, 9, 20))


def _item(number, source, due=None, history=(), carried_from="") -> Recommendation:
    return Recommendation(
        number,
        "texte",
        source,
        "Gouvernement",
        "ST",
        None,
        due,
        False,
        carried_from,
        list(history),
    )


def _register() -> list[Recommendation]:
    return [
        _item("RA-1", REVIEW_2020, D(2021, 9, 30), [StatusChange(OCT, "réalisé", "")]),
        _item("RA-2", REVIEW_2020, D(2021, 9, 30), [StatusChange(OCT, "en cours", "")]),
        _item("RA-3", REVIEW_2020, None, [StatusChange(NOV, "abandonné", "")], "2020-2021"),
        _item("RA-4", REVIEW_2020, D(2021, 12, 31)),
        _item("CTN-1", CTN, D(2021, 10, 31), [StatusChange(D(2021, 11, 2), "réalisé", "")]),
        _item("CG-1", CGAB),
    ]


def test_register_lines_as_they_stood_with_their_delay():
    lines = figures.register_on(_register(), D(2021, 10, 15))
    by_number = {line.item.number: line for line in lines}
    assert list(by_number) == ["RA-1", "RA-2", "RA-3", "RA-4", "CTN-1", "CG-1"]
    assert [line.status for line in lines] == [
        "réalisé",
        "en cours",
        "à faire",  # abandoned only in November
        "à faire",
        "à faire",
        "à faire",
    ]
    assert by_number["RA-2"].delay == 15 and by_number["RA-2"].overdue
    assert by_number["RA-1"].delay is None  # done: never late
    assert by_number["RA-3"].delay is None and by_number["RA-3"].carried
    assert not by_number["RA-1"].carried
    assert by_number["CTN-1"].delay is None  # due 31 October: not yet
    # Before the CTN, its recommendations do not exist yet.
    early = figures.register_on(_register(), D(2021, 10, 4))
    assert [line.item.number for line in early] == ["RA-1", "RA-2", "RA-3", "RA-4", "CG-1"]


def test_implementation_rate_leaves_abandoned_items_apart_and_groups_by_source():
    lines = figures.register_on(_register(), D(2021, 12, 10))
    total = figures.implementation("Tout", lines)
    assert (total.total, total.done, total.in_progress, total.to_do, total.dropped) == (
        6,
        2,
        1,
        2,
        1,
    )
    assert total.open == 3 and total.counted == 5
    assert total.rate == pytest.approx(2 / 5)
    groups = figures.by_source(lines)
    assert [g.source.label for g in groups] == ["Revue 2020", "CGAB 2021", "CTN-2021"]
    review = groups[0].implementation
    assert (review.total, review.done, review.dropped, review.rate) == (4, 1, 1, 1 / 3)
    assert [line.item.number for line in groups[0].open_lines] == ["RA-2", "RA-4"]
    assert groups[2].implementation.rate == 1.0
    only_dropped = figures.implementation("x", figures.register_on([_register()[2]], DEC))
    assert only_dropped.counted == 0 and only_dropped.rate is None


def _session(code, body, label, day) -> Session:
    return Session(code, body, body, label, day, "", "", "", "", "", None, [])


def test_the_last_review_a_session_looks_back_at():
    sessions = [
        _session("CTN-2021", "CTN", "revue annuelle 2021", D(2021, 10, 5)),
        _session("CNP-2021", "CNP", "revue annuelle 2021", D(2021, 11, 2)),
        _session("CGAB-2021", "CGAB", "revue CGAB 2021", D(2021, 11, 20)),
    ]
    ctn, cnp, cgab = sessions
    register = _register()
    # The CNP looks back at the 2020 review, not at the CTN of its own review.
    group = figures.last_review(register, cnp, sessions, D(2021, 11, 2))
    assert group.source == REVIEW_2020
    assert [line.item.number for line in group.lines] == ["RA-1", "RA-2", "RA-3", "RA-4"]
    assert [line.status for line in group.lines] == ["réalisé", "en cours", "abandonné", "à faire"]
    assert figures.last_review(register, ctn, sessions, D(2021, 10, 5)).source == REVIEW_2020
    # A CGAB session looks back at the last CGAB review; none before: None.
    assert figures.last_review(register, cgab, sessions, D(2021, 11, 20)).source == CGAB
    early = _session("CGAB-2020", "CGAB", "revue CGAB 2020", D(2021, 9, 1))
    assert figures.last_review(register, early, [*sessions, early], D(2021, 9, 1)) is None
    # A later annual review looks back at the latest one before it: the 2021 CTN's.
    ctn_2022 = _session("CTN-2022", "CTN", "revue annuelle 2022", D(2022, 3, 24))
    later = figures.last_review(register, ctn_2022, [*sessions, ctn_2022], D(2022, 3, 24))
    assert later.source == CTN
