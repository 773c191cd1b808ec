"""File names valid on Windows, derived deterministically (pipeline.output.names), and used
for every file the pipeline makes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.build import build
from pipeline.documents import Output, with_windows_names
from pipeline.output.names import (
    MAX_COMPONENT,
    RESERVED,
    is_windows_name,
    windows_name,
    windows_path,
)
from tests.test_distribution_sheets import LISTS, RECIPIENTS, ROUTES, distribution_rows


@pytest.mark.parametrize(
    "name, expected",
    [
        ("con", "con_"),
        ("CON", "CON_"),
        ("Nul", "Nul_"),
        ("nul.eml", "nul_.eml"),
        ("aux.tar.gz", "aux_.tar.gz"),
        ("COM1", "COM1_"),
        ("lpt9.docx", "lpt9_.docx"),
        ("com¹", "com¹_"),
        ("prn .txt", "prn _.txt"),
        ("a:b?c*d.docx", "a_b_c_d.docx"),
        ('x<y>"z|w', "x_y__z_w"),
        ("tab\there", "tab_here"),
        ("fin. . .", "fin"),
        ("espace ", "espace"),
        ("..", "_"),
        ("", "_"),
        ("cr_2021-09-07_cr-2021-001.docx", "cr_2021-09-07_cr-2021-001.docx"),
        ("console.docx", "console.docx"),
        ("com10", "com10"),
    ],
)
def test_windows_rules(name, expected):
    assert windows_name(name) == expected


def test_long_names_are_shortened_deterministically_and_stay_distinct():
    a, b = "r" * 300 + "a.docx", "r" * 300 + "b.docx"
    assert len(windows_name(a)) == MAX_COMPONENT and windows_name(a).endswith(".docx")
    assert windows_name(a) == windows_name(a) and windows_name(a) != windows_name(b)


@given(st.text(max_size=400))
def test_any_text_gives_a_valid_name(text):
    name = windows_name(text)
    assert is_windows_name(name) and len(name) <= MAX_COMPONENT
    assert name.split(".")[0].rstrip(" ").casefold() not in RESERVED
    assert windows_name(name) == name  # stable


def test_paths_cannot_leave_their_folder():
    assert windows_path("../x/con.docx") == "_/x/con_.docx"
    assert windows_path("comptes_rendus/cr.docx") == "comptes_rendus/cr.docx"


def test_outputs_get_windows_names_unique_whatever_the_case():
    outputs = [
        Output("pta", "CR.docx", data=b"1"),
        Output("pta", "cr.docx", data=b"2"),
        Output("pta", "sub/nul.docx", data=b"3"),
    ]
    assert [o.filename for o in with_windows_names(outputs)] == [
        "CR.docx",
        "cr-2.docx",
        "sub/nul_.docx",
    ]


def test_every_built_and_distributed_file_has_a_windows_name(make_workbook, tmp_path):
    from pipeline.distribute import distribute

    def reserved_list_names(rows):
        distribution_rows(rows)
        rename = {"Gouvernement": "CON", "Ensemble des PTF": "Nul"}
        for row in rows[LISTS]:
            row["name"] = rename.get(row["name"], row["name"])
        for row in rows[RECIPIENTS]:
            row["lists"] = [rename.get(name, name) for name in row["lists"]]
        for row in rows[ROUTES]:
            row["list"] = rename.get(row["list"], row["list"])
        rows[ROUTES].append({"document": "pta", "list": "Nul"})

    workbook = make_workbook(edit_rows=reserved_list_names)
    out = tmp_path / "build"
    build(workbook, out, today=dt.date(2021, 12, 31))
    package = distribute(workbook, out, pdf=False)
    names = {p.name for p in package.folder.iterdir()}
    assert {"con_", "con_.zip", "con_.eml", "nul_", "nul_.zip", "nul_.eml"} <= names
    for path in out.rglob("*"):
        for part in path.relative_to(out).parts:
            assert is_windows_name(part), part
