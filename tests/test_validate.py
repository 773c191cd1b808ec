"""Stage 2: every problem code, with its location, on small workbooks."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.build import load
from pipeline.report import Report
from tests.conftest import FIXTURES, SAMPLE


def problems(path) -> set[tuple[str, str | None, str | None]]:
    report = Report()
    load(path, report)
    return {(p.code, p.location.sheet, p.location.cell) for p in report.problems}


def test_small_workbook_is_valid(make_workbook):
    report = Report()
    workbook = load(make_workbook(), report)
    assert report.problems == []
    plan = workbook.plan
    assert [a.code for a in plan.activities] == ["1.1", "1.2", "2.1"]
    assert [b.name for b in plan.activity("1.1").bodies] == ["Troïka", "Secrétariat technique"]
    assert plan.activity("1.2").months == {dt.date(2021, 11, 1)}
    assert plan.mandate.end == dt.date(2021, 12, 31)


def _set(sheet, ref, value):
    def edit(book):
        book[sheet][ref] = value

    return edit


def _rows(sheet, index, **changes):
    def edit(rows):
        rows[sheet][index].update(changes)

    return edit


def _append(sheet, **row):
    def edit(rows):
        rows[sheet].append(row)

    return edit


CASES = {
    "duplicate-code": (_rows("Activités", 1, code="1.1"), None, ("Activités", "A3")),
    "unknown-product": (_rows("Activités", 1, product=9), None, ("Activités", "C3")),
    "unknown-axis": (_rows("Produits", 1, axis=7), None, ("Produits", "C3")),
    "unknown-body": (
        _rows("Activités", 0, bodies=["Troïka", "Inconnu"]),
        None,
        ("Activités", "E2"),
    ),
    "no-body": (_rows("Activités", 2, bodies=[]), None, ("Activités", "D4")),
    "missing-value": (_rows("Activités", 0, title=None), None, ("Activités", "B2")),
    "bad-date": (None, _set("Paramètres", "B8", "31 février"), ("Paramètres", "B8")),
    "bad-number": (_rows("Axes", 0, number="un"), None, ("Axes", "A2")),
    "bad-mark": (None, _set("Activités", "L3", "peut-être"), ("Activités", "L3")),
    "no-schedule": (_rows("Activités", 1, months=set()), None, ("Activités", "B3")),
    "code-product-mismatch": (_rows("Activités", 2, code="3.1"), None, ("Activités", "A4")),
    "missing-result": (_rows("Produits", 0, result=None), None, ("Produits", "D2")),
    "empty-product": (
        _append("Produits", number=3, title="Orphelin", axis=1, result="r"),
        None,
        ("Produits", None),
    ),
    "empty-axis": (_append("Axes", number=3, title="Axe vide"), None, ("Axes", None)),
    "other-mandate-years": (
        _rows("Textes", 0, text="Le PTA 2020-2021 est adopté."),
        None,
        ("Textes", "B2"),
    ),
    "bad-choice": (_rows("Textes", 0, heading="Préambule"), None, ("Textes", "A2")),
    "missing-text": (lambda rows: rows["Textes"].pop(0), None, ("Textes", None)),
    "code-as-number": (None, _set("Activités", "A4", 2.1), ("Activités", "A4")),
    "schema-version": (None, _set("Paramètres", "B10", 0), ("Paramètres", "B10")),
    "schema-newer": (None, _set("Paramètres", "B10", 99), ("Paramètres", "B10")),
    "missing-optional-column": (
        None,
        lambda book: book["Flash info"].delete_cols(6),
        ("Flash info", "F1"),
    ),
    "bad-mandate": (None, _set("Paramètres", "B7", dt.date(2021, 1, 1)), ("Paramètres", "B7")),
    "missing-parameter": (
        None,
        lambda book: book["Paramètres"].delete_rows(4),
        ("Paramètres", None),
    ),
    "missing-sheet": (None, lambda book: book.remove(book["Axes"]), ("Axes", None)),
    "missing-column": (None, _set("Produits", "B1", "Titre"), ("Produits", "B1")),
    "duplicate-column": (None, _set("Produits", "D1", "N°"), ("Produits", "D1")),
    "bad-month-column": (None, _set("Activités", "J1", 12), ("Activités", "J1")),
    "missing-month-column": (None, _set("Activités", "J1", None), ("Activités", "J1")),
    "month-outside-mandate": (
        None,
        _set("Paramètres", "B7", dt.date(2021, 11, 30)),
        ("Activités", "M4"),
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_problem_has_its_code_and_location(make_workbook, code):
    edit_rows, edit_book, (sheet, cell) = CASES[code]
    found = problems(make_workbook(edit_rows=edit_rows, edit_book=edit_book))
    assert (code, sheet, cell) in found, found


def test_all_problems_are_reported_in_one_pass(make_workbook):
    def edit(rows):
        rows["Activités"][1].update(code="1.1", product=9)
        rows["Activités"][2].update(bodies=["Inconnu"])

    found = {code for code, _s, _c in problems(make_workbook(edit_rows=edit))}
    assert {"duplicate-code", "unknown-product", "unknown-body"} <= found


def test_text_dates_are_accepted(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_book=_set("Paramètres", "B8", "15/09/2021")), report)
    assert report.problems == []
    assert workbook.plan.document_date == dt.date(2021, 9, 15)


def test_a_code_typed_as_a_number_is_an_error_in_every_code_column(make_workbook):
    """Excel turns "1.10" into 1.1: the code read may be another activity's. One check
    serves every code column, the repeated Activité 1, 2, 3 of Réunions included."""
    from tests.rapports_data import add_reporting

    def edit(book):
        book["Activités"]["A2"] = 1.1
        book["Instances"]["C2"] = 2.1
        book["Réunions"]["I3"] = 2.1  # Activité 1 of the second meeting
        book["Suivi des activités"]["A3"] = 1.2

    report = Report()
    assert load(make_workbook(edit_rows=add_reporting, edit_book=edit), report) is None
    found = {(p.code, p.location.sheet, p.location.cell) for p in report.errors}
    assert found == {
        ("code-as-number", "Activités", "A2"),
        ("code-as-number", "Instances", "C2"),
        ("code-as-number", "Réunions", "I3"),
        ("code-as-number", "Suivi des activités", "A3"),
    }


@pytest.mark.parametrize("mark", ["x", "X", " x "])
def test_the_documented_mark_schedules_the_month_without_a_word(make_workbook, mark):
    report = Report()
    workbook = load(make_workbook(edit_book=_set("Activités", "M3", mark)), report)  # 1.2, Dec.
    assert report.problems == []
    assert dt.date(2021, 12, 1) in workbook.plan.activity("1.2").months


@pytest.mark.parametrize(
    "mark", ["oui", "OUI", 1, "1", "✓", "VRAI", "vrai", "TRUE", True, "\u0445", "\u0425", "×"]
)
def test_other_marks_schedule_the_month_with_a_warning_naming_the_cell(make_workbook, mark):
    """One rule: « x » is the documented mark; a mark that plainly means yes (a Cyrillic
    « х » too) counts, with a warning naming its cell; anything else is an error."""
    report = Report()
    workbook = load(make_workbook(edit_book=_set("Activités", "M3", mark)), report)
    assert [(p.code, p.location.sheet, p.location.cell) for p in report.problems] == [
        ("other-mark", "Activités", "M3")
    ]
    assert dt.date(2021, 12, 1) in workbook.plan.activity("1.2").months


@pytest.mark.parametrize("mark", ["xx", "non", "?", 0, 2, False, "prévu"])
def test_other_month_marks_are_errors_naming_their_cell(make_workbook, mark):
    report = Report()
    assert load(make_workbook(edit_book=_set("Activités", "M3", mark)), report) is None
    assert [(p.code, p.location.sheet, p.location.cell) for p in report.errors] == [
        ("bad-mark", "Activités", "M3")
    ]


def test_seed_defects_are_all_found_with_their_cells():
    found = problems(FIXTURES / "pta_defauts_du_document_source.xlsx")
    assert found == {
        ("duplicate-code", "Activités", "A5"),  # the second 1.3
        ("missing-value", "Activités", "A11"),  # the unnumbered activity...
        ("no-body", "Activités", "D11"),  # ...which has no responsible body
        ("other-mandate-years", "Textes", "B11"),  # "2020-2021" for 2021-2022
        ("missing-result", "Produits", "D7"),  # six results for seven products
    }


def test_sample_is_complete_and_clean():
    report = Report()
    workbook = load(SAMPLE, report)
    assert report.problems == []
    plan = workbook.plan
    assert (len(plan.axes), len(plan.products), len(plan.activities)) == (4, 7, 34)
    assert plan.activity("1.2").months == {dt.date(2021, 11, 1), dt.date(2021, 12, 1)}
    assert plan.activity("2.3").months == {dt.date(2022, 4, 1)}
    assert [b.name for b in plan.activity("1.7").bodies] == [
        "Troïka technique",
        "Secrétariat technique",
        "coordonnateurs des clusters",
    ]


def test_optional_columns_and_parameters_may_be_absent(tmp_path, monkeypatch):
    """Workbooks outlive the code: the sample without Flash info's optional "Source"
    column, read by a tool that knows one more optional parameter, has warnings only,
    and still builds its Flash info."""
    import openpyxl

    from pipeline.build import build
    from pipeline.workbook import schema
    from tests.conftest import SAMPLE

    book = openpyxl.load_workbook(SAMPLE)
    book["Flash info"].delete_cols(6)
    path = tmp_path / "sans_source.xlsx"
    book.save(path)
    monkeypatch.setattr(
        schema,
        "PARAMETERS",
        schema.PARAMETERS
        + (schema.Parameter("later", "Paramètre ajouté plus tard", required=False),),
    )
    report = Report()
    workbook = load(path, report)
    assert report.errors == []
    assert {(p.code, p.location.sheet) for p in report.warnings} == {
        ("missing-optional-column", "Flash info")
    }
    assert all(
        item.source == ""
        for issue in workbook.flash
        for section in issue.sections
        for item in section.items
    )
    result = build(path, tmp_path / "out", ["flash-info"], today=dt.date(2022, 7, 15))
    assert len(result.written) == len(workbook.flash)


# --- Single-line cells and cells that name files (pipeline.validate.cells) ----------


def _with_lists_and_meetings(edit):
    from tests.rapports_data import add_reporting
    from tests.test_distribution_sheets import distribution_rows

    def edit_rows(rows):
        distribution_rows(rows)
        add_reporting(rows)
        edit(rows)

    return edit_rows


INJECTED = "Union\neuropéenne\r\nBcc: pirate@exemple.org"

LINE_BREAKS = {
    "organisation": (
        lambda rows: rows["Destinataires"][0].update(organisation=INJECTED),
        None,
        ("Destinataires", "A2"),
    ),
    "contact": (
        lambda rows: rows["Destinataires"][0].update(contact="Claire\nDumont"),
        None,
        ("Destinataires", "B2"),
    ),
    "fonction": (
        lambda rows: rows["Destinataires"][1].update(title="Chef\tde file"),
        None,
        ("Destinataires", "C3"),
    ),
    "list name": (
        lambda rows: rows["Listes de diffusion"][0].update(name="Membres de la\nTroïka"),
        None,
        ("Listes de diffusion", "A2"),
    ),
    "list chosen": (
        lambda rows: rows["Destinataires"][1].update(lists=["Ensemble\ndes PTF"]),
        None,
        ("Destinataires", "F3"),
    ),
    "meeting place": (
        lambda rows: rows["Réunions"][0].update(place="Ouaga\u2028dougou"),
        None,
        ("Réunions", "D2"),
    ),
    "body name": (
        lambda rows: rows["Responsables"][1].update(name="Secrétariat\ntechnique"),
        None,
        ("Responsables", "A3"),
    ),
    "axis title": (lambda rows: rows["Axes"][1].update(title="Second\naxe"), None, ("Axes", "B3")),
    "parameter": (None, _set("Paramètres", "B9", "Ouaga\ndougou"), ("Paramètres", "B9")),
}


@pytest.mark.parametrize("case", sorted(LINE_BREAKS))
def test_line_break_in_a_single_line_cell_is_cleaned_and_reported(make_workbook, case):
    edit_rows, edit_book, (sheet, cell) = LINE_BREAKS[case]
    report = Report()
    workbook = load(
        make_workbook(
            edit_rows=_with_lists_and_meetings(edit_rows or (lambda r: None)), edit_book=edit_book
        ),
        report,
    )
    assert [(p.code, p.location.sheet, p.location.cell) for p in report.problems] == [
        ("line-break", sheet, cell)
    ]
    assert workbook is not None  # cleaned, not refused: the build goes on
    texts = [
        workbook.plan.identity.place,
        *(b.name for b in workbook.plan.bodies),
        *(a.title for a in workbook.plan.axes),
    ]
    for recipient in workbook.distribution.recipients:
        texts += [recipient.organisation, recipient.contact, recipient.title]
    texts += [m.name for m in workbook.distribution.lists]
    texts += [m.place or "" for m in workbook.reporting.meetings]
    assert not any(ch in text for text in texts for ch in "\n\r\t\u2028")


def test_multi_line_cells_keep_their_line_breaks(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=_with_lists_and_meetings(lambda rows: None)), report)
    assert report.problems == []
    assert workbook.reporting.meetings[0].summary == ["Premier paragraphe.", "Second paragraphe."]


FILE_NAMES = {
    "long meeting number": (
        lambda rows: rows["Réunions"].append(
            {
                "id": "R-" + "9" * 300,
                "date": dt.date(2021, 11, 3),
                "type": "Réunion mensuelle de la Troïka",
            }
        ),
        None,
        ("name-too-long", "Réunions", "A4"),
    ),
    "long list name": (
        lambda rows: rows["Listes de diffusion"].append({"name": "Liste " * 60}),
        None,
        ("name-too-long", "Listes de diffusion", "A5"),
    ),
    "list CON": (
        lambda rows: rows["Listes de diffusion"].append({"name": "CON"}),
        None,
        ("reserved-name", "Listes de diffusion", "A5"),
    ),
    "list Nul": (
        lambda rows: rows["Listes de diffusion"].append({"name": "Nul"}),
        None,
        ("reserved-name", "Listes de diffusion", "A5"),
    ),
    "list com1": (
        lambda rows: rows["Listes de diffusion"].append({"name": "Com1"}),
        None,
        ("reserved-name", "Listes de diffusion", "A5"),
    ),
    "long framework": (
        None,
        _set("Paramètres", "B4", "PNDES " * 60),
        ("name-too-long", "Paramètres", "B4"),
    ),
}


@pytest.mark.parametrize("case", sorted(FILE_NAMES))
def test_cells_that_name_files_give_names_windows_accepts(make_workbook, case):
    edit_rows, edit_book, expected = FILE_NAMES[case]
    found = problems(
        make_workbook(
            edit_rows=_with_lists_and_meetings(edit_rows or (lambda r: None)), edit_book=edit_book
        )
    )
    assert expected in found, found


def test_reserved_names_are_only_refused_when_alone():
    from pipeline.validate.cells import is_reserved_name

    assert all(map(is_reserved_name, ["con", "NUL", "nul.eml", "com1.zip", "lpt9", "aux."]))
    assert not any(map(is_reserved_name, ["console", "nullite", "cr_2021-09-15_con", "com10"]))


# --- Slips that look right on screen ----------------------------------------------------------


def _problems(path) -> list:
    report = Report()
    load(path, report)
    return report.problems


def test_an_unseen_space_inside_a_value_is_named_in_the_message(make_workbook):
    found = _problems(make_workbook(edit_book=_set("Activités", "D3", "Troïka\u00a0ST")))
    problem = next(p for p in found if p.code == "unknown-body")
    assert problem.location.cell == "D3"
    assert "espace insécable (U+00A0) en position 7" in problem.message


def test_a_code_excel_turned_into_a_date_is_explained(make_workbook):
    found = _problems(make_workbook(edit_book=_set("Activités", "A3", dt.datetime(2021, 10, 1))))
    problem = next(p for p in found if p.location.cell == "A3")
    assert problem.code == "code-as-date"
    assert "1er octobre" in problem.message and "1.10" in problem.message
    assert "Texte" in problem.message


def test_a_code_typed_with_a_decimal_comma_is_explained(make_workbook):
    found = _problems(make_workbook(edit_book=_set("Activités", "A3", "1,2")))
    assert [(p.code, p.location.cell) for p in found if p.location.cell == "A3"] == [
        ("code-with-comma", "A3")
    ]
    assert "tapez 1.2" in next(p for p in found if p.location.cell == "A3").message
