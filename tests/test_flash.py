"""The "Flash info" newsletter: its sheet, its validation and its documents."""

from __future__ import annotations

import datetime as dt

from pipeline.build import build, load
from pipeline.report import Report
from tests.conftest import docx_text

ITEMS = [
    {
        "issue": 1,
        "date": dt.date(2021, 9, 30),
        "section": "Vie de la Troïka",
        "title": "Installation",
        "text": "La Troïka & le ST <installés>.",
        "source": "ST",
    },
    {
        "issue": 1,
        "date": dt.date(2021, 9, 30),
        "section": "nouvelles des partenaires ",
        "title": "Arrivée",
        "text": "Un nouveau partenaire.",
    },
    {
        "issue": 2,
        "date": dt.date(2021, 10, 29),
        "section": "Vie de la Troïka",
        "title": "Rencontre",
        "text": "Rencontre mensuelle.",
    },
]


def with_items(items):
    return lambda rows: rows.__setitem__("Flash info", [dict(i) for i in items])


def test_issues_group_items_by_section_and_list_next_month(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=with_items(ITEMS)), report)
    assert report.problems == []
    first, second = workbook.flash
    assert [s.title for s in first.sections] == ["Vie de la Troïka", "Nouvelles des partenaires"]
    assert first.next_month == dt.date(2021, 10, 1)
    assert [a.code for a in first.upcoming] == ["1.1", "2.1"]  # scheduled in October
    assert [a.code for a in second.upcoming] == ["1.2", "2.1"]  # scheduled in November


def test_problems_of_the_flash_sheet(make_workbook):
    items = [dict(i) for i in ITEMS]
    items[1]["date"] = dt.date(2021, 10, 1)  # same issue, other date
    items[2]["date"] = dt.date(2022, 3, 1)  # after the mandate (Sept.–Dec. 2021)
    items[2]["section"] = "Sport"
    report = Report()
    load(make_workbook(edit_rows=with_items(items)), report)
    found = {(p.code, p.location.sheet, p.location.cell) for p in report.problems}
    assert found == {
        ("issue-date-mismatch", "Flash info", "B3"),
        ("date-outside-mandate", "Flash info", "B4"),
        ("bad-choice", "Flash info", "C4"),
    }


def test_one_document_per_issue_with_its_items(make_workbook, tmp_path):
    result = build(make_workbook(edit_rows=with_items(ITEMS)), tmp_path, kinds=["flash-info"])
    names = [p.relative_to(tmp_path).as_posix() for p in result.written]
    assert names == [
        "flash_info/flash_info_n01_2021-09.docx",
        "flash_info/flash_info_n02_2021-10.docx",
    ]
    text = docx_text(result.written[0])
    assert "N° 1" in text and "Septembre 2021" in text
    assert "La Troïka & le ST <installés>." in text and "Source\u00a0: ST" in text
    assert "À venir en octobre 2021" in text and "Activité D" in text
    assert "Rencontre mensuelle." not in text


def test_an_issue_dated_after_the_build_date_is_a_draft(make_workbook, tmp_path):
    """Built on 15 October 2021: issue 1 (30 September) is out, issue 2 (29 October)
    is not: « Projet » in its header and instead of its month."""
    from docx import Document

    result = build(
        make_workbook(edit_rows=with_items(ITEMS)),
        tmp_path,
        kinds=["flash-info"],
        today=dt.date(2021, 10, 15),
    )
    first, second = result.written
    assert not Document(first).sections[0].header.paragraphs[0].text.startswith("Projet")
    assert "Septembre 2021" in docx_text(first)
    assert Document(second).sections[0].header.paragraphs[0].text.startswith("Projet – ")
    assert "Octobre 2021" not in docx_text(second)
