"""Stage 1: finding and opening the workbook, reading raw located cells."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from pipeline.report import Report
from pipeline.workbook.reader import clean_text, read_workbook


def read(path):
    report = Report()
    raw = read_workbook(path, report)
    return raw, report


def test_missing_file(tmp_path):
    raw, report = read(tmp_path / "absent.xlsx")
    assert raw is None
    assert report.codes() == ["file-missing"]


@pytest.mark.parametrize(
    "content, detail",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 100,
            "mot de passe",
        ),
        (b"Code;Intitule\n1.1;Activite\n", "CSV"),
        (b"", "vide"),
        (b"PK\x03\x04 truncated", "tronqué"),
    ],
)
def test_not_an_xlsx(tmp_path, content, detail):
    path = tmp_path / "classeur.xlsx"
    path.write_bytes(content)
    raw, report = read(path)
    assert raw is None
    assert report.codes() == ["not-xlsx"]
    assert detail in report.problems[0].message


def test_ods_is_named(tmp_path):
    path = tmp_path / "classeur.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    raw, report = read(path)
    assert report.codes() == ["not-xlsx"]
    assert ".ods" in report.problems[0].message


def test_lock_file_is_refused_and_ignored_in_folder(tmp_path, make_workbook):
    path = make_workbook()
    lock = tmp_path / "~$classeur_0.xlsx"
    lock.write_bytes(b"\0" * 165)
    assert read(lock)[1].codes() == ["lock-file"]
    raw, report = read(tmp_path)  # the folder holds the workbook and its lock file
    assert raw is not None and raw.path == path
    assert report.errors == []


def test_folder_with_several_or_no_workbooks(tmp_path, make_workbook):
    assert read(tmp_path)[1].codes() == ["no-workbook"]
    make_workbook()
    make_workbook()
    assert read(tmp_path)[1].codes() == ["several-workbooks"]


def test_spaces_empty_rows_and_text_dates(make_workbook):
    def edit(book):
        ws = book["Activités"]
        ws.insert_rows(3, amount=2)  # blank rows in the middle of the table
        ws["B2"] = "  Activité A  \u00a0"
        book["Paramètres"]["B8"] = "31/05/2022"

    raw, report = read(make_workbook(edit_book=edit))
    rows = raw.tables["Activités"].rows
    assert [r.number for r in rows] == [2, 5, 6]
    assert rows[0].get("title").value == "Activité A"
    assert raw.parameters["document_date"].value == "31/05/2022"


def test_month_columns_are_detected(make_workbook):
    raw, _ = read(make_workbook())
    table = raw.tables["Activités"]
    assert list(table.month_columns) == [dt.date(2021, m, 1) for m in (9, 10, 11, 12)]
    first = table.rows[0]
    assert first.months[dt.date(2021, 9, 1)].value == "x"
    assert first.months[dt.date(2021, 9, 1)].ref == "J2"


def _add_formula(path, sheet_index: int, ref: str, formula: str) -> None:
    """Give cell ``ref`` a formula while keeping its value as the cached result, as
    Excel saves it."""
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    xml = items[member].decode()
    xml, count = re.subn(rf'(<c r="{ref}"[^>]*>)(<v>)', rf"\1<f>{formula}</f>\2", xml)
    assert count == 1
    items[member] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def test_formulas_are_read_as_their_values(make_workbook):
    path = make_workbook()
    # Sheet order: Instructions, Paramètres, Textes, Axes, Produits... -> Produits is sheet5.
    _add_formula(path, 5, "C3", "1+1")
    raw, report = read(path)
    assert raw.tables["Produits"].rows[1].get("axis").value == 2


def test_clean_text_keeps_characters_and_turns_vertical_tabs_into_breaks():
    text = 'A & B < C > "q" {{ x }} {% y %} 😀 _x000B_fin\x0bsuite\x07'
    cleaned, changed = clean_text(text)
    assert cleaned == 'A & B < C > "q" {{ x }} {% y %} 😀 \nfin\nsuite'
    assert changed


def test_control_characters_are_reported_with_their_cell(make_workbook):
    def edit(book):
        book["Activités"]["B3"] = "Activité_x0007_ C"  # how Excel stores a control character

    raw, report = read(make_workbook(edit_book=edit))
    assert [(p.code, p.location.cell) for p in report.problems] == [("bad-text", "B3")]
    assert raw.tables["Activités"].rows[1].get("title").value == "Activité C"


def _rewrite_member(path, member: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    items[member] = change(items[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def test_formula_without_cached_value_is_reported_not_read_as_empty(make_workbook):
    path = make_workbook()
    # Produits!C3 becomes a formula saved by a tool that does not calculate.
    _rewrite_member(
        path,
        "xl/worksheets/sheet5.xml",
        lambda xml: re.sub(r'<c r="C3"([^>]*)><v>2</v></c>', r'<c r="C3"\1><f>1+1</f></c>', xml),
    )
    raw, report = read(path)
    assert ("formula-without-value", "Produits", "C3") in {
        (p.code, p.location.sheet, p.location.cell) for p in report.problems
    }


def test_zip_bomb_is_rejected_before_loading(tmp_path, make_workbook):
    path = make_workbook()
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/bombe.xml", "w") as member:
            for _ in range(40):
                member.write(b"\0" * 1024 * 1024)
    raw, report = read(path)
    assert raw is None and report.codes() == ["workbook-too-large"]


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_merged_cells_in_a_table_are_read_as_displayed(make_workbook):
    def edit(book):
        ws = book["Activités"]
        ws["C3"] = 1
        ws.merge_cells("C2:C3")  # the product typed once for two activities

    raw, report = read(make_workbook(edit_book=edit))
    rows = raw.tables["Activités"].rows
    assert [r.get("product").value for r in rows[:2]] == [1, 1]
    assert [(p.code, p.location.cell) for p in report.problems] == [("merged-cells", "C2:C3")]


def test_phantom_rows_do_not_make_a_million_row_table(make_workbook):
    def edit(book):
        book["Activités"].cell(row=1_048_576, column=1).style = "Normal"
        book["Activités"].cell(row=1_048_576, column=1).number_format = "@"

    raw, report = read(make_workbook(edit_book=edit))
    assert len(raw.tables["Activités"].rows) == 3


def test_columns_may_be_reordered_and_extra_ones_are_ignored(make_workbook):
    def edit(book):
        ws = book["Produits"]
        ws.move_range("A1:D3", cols=1)  # everything one column to the right
        ws["A1"] = "Commentaire"
        ws["A2"] = "libre"

    raw, report = read(make_workbook(edit_book=edit))
    assert report.errors == []
    assert raw.tables["Produits"].rows[0].get("title").value == "Produit un"
    assert raw.tables["Produits"].rows[0].get("title").ref == "C2"


def test_formula_whose_value_is_an_empty_text_is_not_reported(make_workbook):
    path = make_workbook()
    _rewrite_member(
        path,
        "xl/worksheets/sheet5.xml",
        lambda xml: re.sub(
            r'<c r="D2"([^>]*)>.*?</c>', r'<c r="D2" t="str"><f>""</f><v></v></c>', xml, count=1
        ),
    )
    raw, report = read(path)
    assert raw.tables["Produits"].rows[0].get("result").value is None  # the formula's ""
    assert "formula-without-value" not in report.codes()


# --- No silent change: slips that would alter a document are errors with their cell ------


def test_a_month_column_present_twice_is_an_error_naming_both_headers(make_workbook):
    def edit(book):
        ws = book["Activités"]
        column = ws.max_column + 1
        ws.cell(row=1, column=column, value="nov. 2021")  # L1 already holds November
        ws.cell(row=2, column=column, value="x")

    raw, report = read(make_workbook(edit_book=edit))
    found = [p for p in report.problems if p.code == "duplicate-column"]
    assert [(p.location.sheet, p.location.cell) for p in found] == [("Activités", "N1")]
    assert "L1" in found[0].message
    # The first column is kept; the crosses of the second are never read in its place.
    assert raw.tables["Activités"].month_columns[dt.date(2021, 11, 1)] == "L"


def _formula_without_result(path, member: str, ref: str) -> None:
    """Cell ``ref`` becomes a formula saved with an empty value, as a script writes it."""
    _rewrite_member(
        path,
        member,
        lambda xml: re.sub(
            rf'<c r="{ref}"([^>]*)>.*?</c>', rf'<c r="{ref}"\1><f>1+1</f><v></v></c>', xml, count=1
        ),
    )


@pytest.mark.parametrize(
    "member, ref, sheet",
    [
        ("xl/worksheets/sheet5.xml", "C3", "Produits"),  # a table cell
        ("xl/worksheets/sheet2.xml", "B3", "Paramètres"),  # a parameter
    ],
)
def test_formula_with_an_empty_value_is_reported_in_any_cell_read(
    make_workbook, member, ref, sheet
):
    path = make_workbook()
    _formula_without_result(path, member, ref)
    _, report = read(path)
    assert ("formula-without-value", sheet, ref) in {
        (p.code, p.location.sheet, p.location.cell) for p in report.errors
    }


def test_formula_without_value_outside_the_cells_read_is_not_reported(make_workbook):
    def edit(book):
        book["Produits"]["H2"] = "=1+1"  # a column of staff's own, never read
        book["Instructions"]["B1"] = "=1+1"

    _, report = read(make_workbook(edit_book=edit))  # openpyxl saves formulas without values
    assert "formula-without-value" not in report.codes()


def test_reading_loads_neither_numpy_nor_pillow_and_leaves_them_importable():
    # openpyxl would load both, for cell types the workbook never holds: a tenth of a
    # second of every command. Code that needs them (the website's charts) still can.
    import subprocess
    import sys

    code = (
        "import sys, pipeline.workbook.reader; "
        "print(sorted(m for m in ('numpy', 'PIL') if m in sys.modules)); "
        "import numpy, PIL; print('importable')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "importable"]


# --- What reads the same on screen ------------------------------------------------------------


def test_a_sheet_name_with_a_trailing_space_and_a_curly_apostrophe_header_are_accepted(
    make_workbook,
):
    def edit(book):
        book["Activités"].title = "Activités "
        book["Axes"]["B1"] = "Intitulé de l\u2019axe"  # Word's apostrophe

    raw, report = read(make_workbook(edit_book=edit))
    assert report.problems == []
    assert raw.tables["Activités"].rows and raw.tables["Axes"].rows[0].get("title").value


def test_a_mistyped_header_is_located_at_its_cell(make_workbook):
    def edit(book):
        book["Axes"]["B1"] = "Intitulé de l'axx"

    _raw, report = read(make_workbook(edit_book=edit))
    assert [(p.code, p.location.sheet, p.location.cell) for p in report.problems] == [
        ("missing-column", "Axes", "B1")
    ]


def test_invisible_characters_are_removed_and_named_with_their_position(make_workbook):
    def edit(book):
        book["Activités"]["A2"] = "1.1\u200b"  # zero-width space after the code
        book["Activités"]["D2"] = "\ufeffTroïka"  # a BOM before a body

    raw, report = read(make_workbook(edit_book=edit))
    found = [(p.code, p.location.cell) for p in report.problems]
    assert found == [("bad-text", "A2"), ("bad-text", "D2")]
    assert "U+200B" in report.problems[0].message and "position 4" in report.problems[0].message
    assert "U+FEFF" in report.problems[1].message
    row = raw.tables["Activités"].rows[0]
    assert row.get("code").value == "1.1" and row.repeated[0].value == "Troïka"


def test_a_workbook_the_system_refuses_to_read_is_explained_in_french(tmp_path, monkeypatch):
    import builtins
    import errno

    path = tmp_path / "classeur.xlsx"
    path.write_bytes(b"PK")
    real = builtins.open

    def held(file, *args, **kwargs):  # what Windows does while Excel has the file open
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", held)
    raw, report = read(path)
    assert raw is None and report.codes() == ["workbook-os-error"]
    assert "classeur.xlsx" in report.problems[0].message
    assert "Permission denied" not in report.problems[0].message
