"""Reproducible builds: the same workbook and the same --date give the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from pipeline.build import build
from pipeline.output.archive import make_zip, normalize_zip

from .conftest import ROOT, SAMPLE

DAY = dt.date(2021, 12, 31)


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.docx"))}


def test_two_builds_are_byte_identical(make_workbook, tmp_path):
    path = make_workbook()
    build(path, tmp_path / "un", today=DAY)
    build(path, tmp_path / "deux", today=DAY)
    first, second = _files(tmp_path / "un"), _files(tmp_path / "deux")
    assert first and first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_properties_come_from_the_data_and_parts_are_dated_as_word_dates_them(
    make_workbook, tmp_path
):
    path = make_workbook(parameters={"document_date": dt.date(2021, 10, 7)})
    result = build(path, tmp_path, today=DAY)
    docx = next(p for p in result.written if p.suffix == ".docx")
    properties = Document(docx).core_properties
    assert properties.created == dt.datetime(2021, 10, 7, tzinfo=dt.timezone.utc)
    assert properties.modified == dt.datetime(2021, 10, 7, tzinfo=dt.timezone.utc)
    assert properties.last_modified_by == ""
    assert properties.revision == 1
    with zipfile.ZipFile(docx) as archive:
        infos = archive.infolist()
    # Word dates every part of the documents it saves 1980-01-01 (the zip format's
    # first day); so do we, which lets the parts copied from the template be compressed
    # once for all its documents.
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"
    names = [i.filename for i in infos]
    assert len(set(names)) == len(names) and "word/document.xml" in names


def test_a_changed_workbook_changes_the_document(make_workbook, tmp_path):
    def retitle(rows):
        rows["Axes"][0]["title"] = "Premier axe reformulé"

    build(make_workbook(), tmp_path / "un", today=DAY)
    build(make_workbook(edit_rows=retitle), tmp_path / "deux", today=DAY)
    assert _files(tmp_path / "un") != _files(tmp_path / "deux")


def test_zip_bytes_do_not_depend_on_member_order_or_clock():
    members = [("b.txt", b"deux"), ("[Content_Types].xml", b"<x/>"), ("a.txt", b"un")]
    one = make_zip(members, DAY)
    two = make_zip(list(reversed(members)), DAY)
    assert one == two
    assert normalize_zip(one, DAY) == one
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert archive.namelist() == ["[Content_Types].xml", "a.txt", "b.txt"]
        assert archive.read("b.txt") == b"deux"


def test_documents_of_one_template_share_its_compressed_parts(tmp_path):
    result = build(SAMPLE, tmp_path, kinds=["comptes-rendus"], today=DAY)
    minutes = sorted(p for p in result.written if p.suffix == ".docx")
    assert len(minutes) >= 2
    entries = []
    for path in minutes[:2]:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/styles.xml")
            data = path.read_bytes()
            entries.append(
                data[
                    info.header_offset : info.header_offset
                    + 30
                    + len(info.filename)
                    + info.compress_size
                ]
            )
            assert archive.read("word/styles.xml").startswith(b"<?xml")
    assert entries[0] == entries[1]


@pytest.mark.parametrize(
    "day, stamp",
    [(dt.date(1970, 5, 1), (1980, 1, 1, 0, 0, 0)), (dt.date(2150, 5, 1), (2107, 12, 31, 0, 0, 0))],
)
def test_zip_dates_outside_the_format_s_range_are_clamped(day, stamp):
    # A document dated by the workbook in 2150 must still be written (the zip format
    # has 7 bits of years from 1980); its properties keep the real date.
    with zipfile.ZipFile(io.BytesIO(make_zip([("a.txt", b"un")], day))) as archive:
        assert archive.infolist()[0].date_time == stamp


def test_a_saved_document_is_rewritten_as_normalize_zip_rewrites_it(tmp_path):
    # rewrite_zip keeps python-docx's compressed parts instead of compressing them again:
    # the bytes must be those of normalize_zip, which does (on every shipped template).
    from pipeline.output.archive import rewrite_zip

    for template in sorted((ROOT / "templates").glob("*.docx")):
        buffer = io.BytesIO()
        Document(template).save(buffer)
        saved = buffer.getvalue()
        assert rewrite_zip(saved) == normalize_zip(saved), template.name
    members = [("b.txt", b"deux"), ("é.txt", b"un" * 1000)]
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    assert rewrite_zip(stored.getvalue()) == normalize_zip(stored.getvalue()) == make_zip(members)
