"""Property-based tests: whatever staff type in the cells, the pipeline either builds
documents that open, or returns a validation report. It never raises anything else."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import build
from pipeline.exceptions import InvalidWorkbook
from pipeline.workbook.create import append_rows, new_workbook, set_parameters
from tests.conftest import SMALL_PARAMETERS, small_rows

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def excel_text(text: str) -> str:
    """How Excel stores control characters in a cell: _xHHHH_ escapes."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


cell_values = st.one_of(
    st.none(),
    st.text(max_size=60).map(excel_text),
    st.integers(min_value=-5, max_value=50),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.sampled_from(
        [
            "1.1",
            "x",
            "X",
            " 2 ",
            "31/05/2022",
            "mai 2022",
            "Troïka",
            "{{ plan }}",
            "{% for %}",
            "&<>\"'",
            "😀",
            "\u00a0",
        ]
    ),
)

# (sheet, column letter, row) the property may overwrite.
targets = st.tuples(
    st.sampled_from(["Activités", "Produits", "Axes", "Responsables", "Textes", "Paramètres"]),
    st.sampled_from("ABCDEFGHIJKLM"),
    st.integers(min_value=1, max_value=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(targets, cell_values), max_size=6),
    drop_rows=st.lists(st.sampled_from(["Activités", "Produits", "Axes", "Textes"]), max_size=2),
)
def test_any_cell_values_build_or_report(edits, drop_rows):
    book = new_workbook(SMALL_PARAMETERS["mandate_start"], SMALL_PARAMETERS["mandate_end"])
    set_parameters(book, SMALL_PARAMETERS)
    rows = small_rows()
    for sheet in drop_rows:
        if rows[sheet]:
            rows[sheet].pop()
    for sheet, sheet_rows in rows.items():
        append_rows(book, sheet, sheet_rows)
    for (sheet, column, row), value in edits:
        book[sheet][f"{column}{row}"] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "classeur.xlsx"
        book.save(path)
        try:
            result = build(path, Path(folder) / "build", today=dt.date(2022, 1, 1))
        except InvalidWorkbook as exc:
            assert exc.report.errors, "a refused build must say why"
            return
        for written in result.written:
            if written.suffix == ".docx":
                Document(io.BytesIO(written.read_bytes()))  # opens


@given(st.text(max_size=40))
def test_what_reads_the_same_on_screen_compares_equal(text):
    """Headers, choices and sheet names: curly apostrophes, spaces at the ends, doubled
    or non-breaking spaces and invisible characters never make two texts differ."""
    from pipeline.workbook.values import fold, sheet_key

    seen = (
        f"\u00a0{text}\u200b ".replace("'", "\u2019")
        .replace(" ", "\u00a0 ")
        .replace("e", "e\ufeff")
    )
    assert fold(seen) == fold(text)
    assert sheet_key(seen) == sheet_key(text)
