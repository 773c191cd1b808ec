"""Validation of the sheets Listes de diffusion, Destinataires and Diffusion."""

from __future__ import annotations

import openpyxl

from pipeline.build import check, load
from pipeline.report import Report
from pipeline.workbook import schema
from pipeline.workbook.create import list_values

LISTS, RECIPIENTS, ROUTES = "Listes de diffusion", "Destinataires", "Diffusion"


def distribution_rows(rows):
    rows[LISTS] = [
        {"name": "Membres de la Troïka", "bcc": "non"},
        {"name": "Ensemble des PTF"},
        {"name": "Gouvernement", "bcc": "oui"},
    ]
    rows[RECIPIENTS] = [
        {
            "organisation": "Union européenne",
            "contact": "Claire Dumont",
            "title": "Cheffe",
            "email": "claire@ue.example",
            "lists": ["Membres de la Troïka", "Ensemble des PTF"],
        },
        {
            "organisation": "Banque mondiale",
            "email": "bm@bm.example",
            "lists": ["Ensemble des PTF"],
        },
        {"organisation": "DGCOOP", "email": "dgcoop@minefid.example", "lists": ["Gouvernement"]},
    ]
    rows[ROUTES] = [
        {"document": "pta", "list": "Membres de la Troïka"},
        {"document": "pta", "list": "Gouvernement"},
    ]


def where(report: Report, code: str) -> list[tuple[str | None, str | None]]:
    return [(p.location.sheet, p.location.cell) for p in report.problems if p.code == code]


def test_valid_distribution_gives_lists_with_recipients_and_documents(make_workbook):
    report = Report()
    workbook = load(make_workbook(edit_rows=distribution_rows), report)
    assert report.problems == []
    lists = {m.name: m for m in workbook.distribution.lists}
    assert [r.email for r in lists["Membres de la Troïka"].recipients] == ["claire@ue.example"]
    assert lists["Membres de la Troïka"].kinds == ["pta"]
    assert lists["Ensemble des PTF"].kinds == []
    assert lists["Gouvernement"].uses_bcc and not lists["Membres de la Troïka"].uses_bcc
    assert lists["Membres de la Troïka"].slug == "membres-de-la-troika"
    assert [m.name for m in workbook.distribution.lists_for("pta")] == [
        "Membres de la Troïka",
        "Gouvernement",
    ]
    claire = lists["Ensemble des PTF"].recipients[0]
    assert (claire.organisation, claire.contact, claire.title) == (
        "Union européenne",
        "Claire Dumont",
        "Cheffe",
    )


def test_bcc_is_automatic_above_the_threshold(make_workbook):
    def partners(extra):
        def edit(rows):
            distribution_rows(rows)  # two addresses already in Ensemble des PTF
            rows[RECIPIENTS] += [
                {
                    "organisation": f"PTF {i}",
                    "email": f"ptf{i}@ptf.example",
                    "lists": ["Ensemble des PTF"],
                }
                for i in range(extra)
            ]

        workbook = load(make_workbook(edit_rows=edit), Report())
        return next(m for m in workbook.distribution.lists if m.name == "Ensemble des PTF")

    at_threshold = partners(schema.BCC_THRESHOLD - 2)
    assert len(at_threshold.recipients) == schema.BCC_THRESHOLD
    assert at_threshold.bcc is None and not at_threshold.uses_bcc
    above = partners(schema.BCC_THRESHOLD - 1)
    assert len(above.recipients) == schema.BCC_THRESHOLD + 1 and above.uses_bcc


def test_bad_and_duplicate_addresses_are_errors_with_their_cell(make_workbook):
    def bad(rows):
        distribution_rows(rows)
        rows[RECIPIENTS] += [
            {
                "organisation": "AFD",
                "email": "Julien Moreau <jm@afd.example>",
                "lists": ["Ensemble des PTF"],
            },
            {
                "organisation": "BAD",
                "email": "a@bad.example; b@bad.example",
                "lists": ["Ensemble des PTF"],
            },
            {"organisation": "FMI", "email": "fmi.example", "lists": ["Ensemble des PTF"]},
            {"organisation": "UE bis", "email": "Claire@UE.example", "lists": ["Ensemble des PTF"]},
        ]

    report = check(make_workbook(edit_rows=bad))
    # Column D holds the address; the recipients start on row 2.
    assert where(report, "bad-email") == [
        (RECIPIENTS, "D5"),
        (RECIPIENTS, "D6"),
        (RECIPIENTS, "D7"),
    ]
    assert where(report, "duplicate-email") == [(RECIPIENTS, "D8")]
    assert "'Destinataires'!D2" in next(
        p.message for p in report.problems if p.code == "duplicate-email"
    )
    assert report.is_blocking()


def test_unknown_lists_and_documents_are_errors_with_their_cell(make_workbook):
    def unknown(rows):
        distribution_rows(rows)
        rows[RECIPIENTS][1]["lists"] = ["Ensemble des PTF", "Partenaires ABG"]
        rows[ROUTES] += [
            {"document": "discours-du-pm", "list": "Ensemble des PTF"},
            {"document": "pta", "list": "Ministères"},
        ]

    report = check(make_workbook(edit_rows=unknown))
    assert where(report, "unknown-list") == [(RECIPIENTS, "G3"), (ROUTES, "B5")]
    assert where(report, "unknown-document-kind") == [(ROUTES, "A4")]


def test_document_keys_are_matched_without_case_and_duplicates_warned(make_workbook):
    def routes(rows):
        distribution_rows(rows)
        rows[ROUTES] += [{"document": "PTA", "list": "gouvernement"}]

    report = Report()
    workbook = load(make_workbook(edit_rows=routes), report)
    assert where(report, "duplicate-distribution") == [(ROUTES, "A4")]
    assert workbook is not None  # a warning only


def test_list_problems(make_workbook):
    def lists(rows):
        distribution_rows(rows)
        rows[LISTS] += [
            {"name": "gouvernement !"},
            {"name": "Vide", "bcc": "peut-être"},
            {"name": "---"},
        ]
        rows[ROUTES] += [{"document": "pta", "list": "Vide"}]
        rows[RECIPIENTS] += [{"organisation": "Isolé", "email": "seul@isole.example"}]

    report = check(make_workbook(edit_rows=lists))
    assert where(report, "duplicate-code") == [(LISTS, "A5")]
    assert where(report, "bad-choice") == [(LISTS, "C6")]
    assert where(report, "bad-list-name") == [(LISTS, "A7")]
    assert where(report, "empty-list") == [(LISTS, None)]
    assert where(report, "recipient-without-list") == [(RECIPIENTS, "F5")]


def test_document_drop_down_follows_the_registry(make_workbook, tmp_path):
    from pipeline.documents import KINDS

    assert list_values()["document_kinds"] == tuple(KINDS)
    book = openpyxl.load_workbook(make_workbook())
    lists = book[schema.LISTS_SHEET]
    column = [c.value for c in lists[1]].index("document_kinds") + 1
    values = [lists.cell(row=r, column=column).value for r in range(2, 2 + len(KINDS))]
    assert values == list(KINDS)
    formulas = [v.formula1 for v in book[ROUTES].data_validations.dataValidation]
    assert any(schema.LISTS_SHEET in f for f in formulas)
    assert any("Listes de diffusion" in f for f in formulas)


def test_public_documents_are_those_marked_and_none_by_default(make_workbook):
    def edit(rows):
        distribution_rows(rows)
        rows[ROUTES] = [
            {"document": "pta", "list": "Membres de la Troïka", "public": "oui"},
            {"document": "discours", "list": "Ensemble des PTF"},
            {"document": "comptes-rendus", "list": "Membres de la Troïka", "public": "Non"},
        ]

    report = Report()
    workbook = load(make_workbook(edit_rows=edit), report)
    assert report.problems == []
    assert workbook.distribution.public == ["pta"]


def test_the_register_follow_up_can_never_be_public(make_workbook):
    # It lists every recommendation, the internal ones too: the site publishes only the
    # items marked « Publique », on their own page.
    def edit(rows):
        distribution_rows(rows)
        rows[ROUTES] = [
            {"document": "pta", "list": "Membres de la Troïka", "public": "Oui"},
            {"document": "etat-recommandations", "list": "Membres de la Troïka", "public": "Oui"},
        ]

    report = Report()
    assert load(make_workbook(edit_rows=edit), report) is None
    assert where(report, "internal-document-public") == [(ROUTES, "C3")]


def test_public_accepts_only_yes_or_no(make_workbook):
    def edit(rows):
        distribution_rows(rows)
        rows[ROUTES][1]["public"] = "peut-être"

    assert where(check(make_workbook(edit_rows=edit)), "bad-choice") == [(ROUTES, "C3")]


def test_workbook_without_the_public_column_reads_as_nothing_public(make_workbook):
    def drop_public_column(book):
        sheet = book[ROUTES]
        column = [c.value for c in sheet[1]].index("Public") + 1
        sheet.delete_cols(column)

    report = Report()
    workbook = load(
        make_workbook(edit_rows=distribution_rows, edit_book=drop_public_column), report
    )
    # An optional column: its absence is only a warning, and nothing is public.
    assert report.codes() == ["missing-optional-column"]
    assert workbook.distribution.public == []
    assert workbook.distribution.lists[0].kinds == ["pta"]
