"""build/'s records (pipeline.output.bookkeeping): a lock around them, entries that cannot
point outside build/, leftovers of killed builds cleaned, and rebuild decisions by
content."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from pipeline.build import build
from pipeline.distribute import distribute
from pipeline.output import bookkeeping
from pipeline.output.writer import write_outputs
from tests.conftest import ROOT
from tests.rapports_data import add_reporting
from tests.test_distribution_sheets import distribution_rows

DAY = dt.date(2021, 12, 31)


def rich_rows(rows):
    distribution_rows(rows)
    add_reporting(rows)


def index_of(out):
    return json.loads((out / bookkeeping.INDEX).read_text(encoding="utf-8"))


# -- The lock -----------------------------------------------------------------------


def test_concurrent_writers_keep_every_kind_in_the_index(tmp_path, monkeypatch):
    real = bookkeeping.read_index

    def slow_read(out_dir):
        index = real(out_dir)
        time.sleep(0.05)  # widen the read-modify-write window
        return index

    monkeypatch.setattr(bookkeeping, "read_index", slow_read)
    kinds = [f"genre{n}" for n in range(5)]
    threads = [
        threading.Thread(
            target=write_outputs, args=({f"{kind}.docx": (kind, kind.encode())}, tmp_path, {kind})
        )
        for kind in kinds
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(index_of(tmp_path).values()) == kinds


def test_a_build_waiting_for_another_says_so_then_goes_on(make_workbook, tmp_path, monkeypatch):
    from filelock import FileLock

    from pipeline.progress import WAITING

    out = tmp_path / "build"
    out.mkdir()
    # Another process's hold on build/ (released from the timer's thread below).
    other = FileLock(str(out / bookkeeping.LOCK), thread_local=False)
    other.acquire()
    monkeypatch.setattr(bookkeeping, "LOCK_TIMEOUT", 30)
    heard = []

    def progress(stage, done, total):
        heard.append(stage)
        if stage == WAITING:
            threading.Timer(0.2, other.release).start()  # the other one finishes

    result = build(make_workbook(), out, ["pta"], today=DAY, progress=progress)
    assert heard.count(WAITING) == 1 and heard[0] == WAITING
    assert [p.name for p in result.written] == ["pta_2021.docx"]


def test_a_build_with_the_folder_to_itself_does_not_wait(make_workbook, tmp_path):
    from pipeline.progress import WAITING

    heard = []
    build(
        make_workbook(),
        tmp_path / "build",
        ["pta"],
        today=DAY,
        progress=lambda stage, done, total: heard.append(stage),
    )
    assert WAITING not in heard


def test_five_concurrent_builds_of_one_document_each_keep_every_kind(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=rich_rows)
    out = tmp_path / "build"
    kinds = ["pta", "rapports-trimestriels", "bilan-annuel", "comptes-rendus", "flash-info"]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "construire",
                kind,
                "--classeur",
                str(workbook),
                "--sortie",
                str(out),
                "--date",
                DAY.isoformat(),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for kind in kinds
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    index = index_of(out)
    assert {"pta", "rapports-trimestriels", "bilan-annuel", "comptes-rendus"} <= set(index.values())
    assert set(json.loads((out / bookkeeping.RECORD).read_text())) == set(kinds)
    assert all((out / name).is_file() for name in index)
    assert not list(out.glob(".en-cours-*"))


# -- Entries that point outside build/ -----------------------------------------------


@pytest.mark.parametrize("entry", ["../dehors.docx", "{outside}", "sous/../../dehors.docx"])
def test_a_build_never_deletes_a_file_outside_build(make_workbook, tmp_path, entry):
    out = tmp_path / "build"
    outside = tmp_path / "dehors.docx"
    outside.write_bytes(b"precieux")
    workbook = make_workbook()
    build(workbook, out, kinds=["pta"], today=DAY)
    index = index_of(out)
    index[entry.format(outside=outside)] = "pta"
    (out / bookkeeping.INDEX).write_text(json.dumps(index), encoding="utf-8")
    build(workbook, out, kinds=["pta"], today=DAY, force=True)
    assert outside.read_bytes() == b"precieux"
    assert all(".." not in name and not os.path.isabs(name) for name in index_of(out))


def test_a_distribution_never_copies_a_file_outside_build(make_workbook, tmp_path):
    out = tmp_path / "build"
    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"ne pas diffuser")
    workbook = make_workbook(edit_rows=distribution_rows)
    build(workbook, out, today=DAY)
    index = index_of(out)
    index["../secret.docx"] = "pta"
    (out / bookkeeping.INDEX).write_text(json.dumps(index), encoding="utf-8")
    package = distribute(workbook, out, pdf=False)
    assert not any("secret" in name for name in package.files)
    assert all(b"ne pas diffuser" not in data for data in package.files.values())


def test_a_link_leading_out_of_build_is_not_a_member(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "lien").symlink_to(tmp_path)
    assert bookkeeping.member(out, "lien/x.docx") is None
    assert bookkeeping.member(out, "comptes_rendus/cr.docx") == out / "comptes_rendus" / "cr.docx"
    assert bookkeeping.member(out, "C:/x.docx") is None
    assert bookkeeping.member(out, "a\\..\\..\\x.docx") is None


# -- Leftovers of a killed build -----------------------------------------------------

KILLED_BUILD = """
import datetime as dt, os, sys
import pipeline.output.writer as writer
real = os.replace
def replace(src, dst):
    if str(dst).endswith(sys.argv[3]):
        os._exit(9)  # killed once every document is moved in, before the records
    real(src, dst)
writer.os.replace = replace
from pipeline.build import build
build(sys.argv[1], sys.argv[2], today=dt.date(2021, 12, 31), force=True)
"""


def files_of(out):
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != bookkeeping.LOCK
    }


@pytest.mark.parametrize(
    "killed_at, finished", [(bookkeeping.INDEX, False), (bookkeeping.RECORD, True)]
)
def test_a_killed_build_is_undone_or_finished_at_the_next_start(
    make_workbook, tmp_path, killed_at, finished
):
    out = tmp_path / "build"
    workbook = make_workbook(edit_rows=rich_rows)
    build(workbook, out, today=DAY)
    before = files_of(out)

    def corrected_rows(rows):
        rich_rows(rows)  # one more meeting: one more file, and other contents
        rows["Réunions"].append(
            {"id": "R-03", "date": dt.date(2021, 11, 10), "type": rows["Réunions"][0]["type"]}
        )

    corrected = make_workbook(edit_rows=corrected_rows, parameters={"place": "Bobo-Dioulasso"})
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(corrected), str(out), killed_at],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == 9, killed.stderr.decode()
    assert list(out.glob(".en-cours-*"))
    half_done = files_of(out)
    assert half_done != before and "comptes_rendus/cr_2021-11-10_r-03.docx" in half_done

    bookkeeping.clean_leftovers_if_free(out)  # what every build and distribution starts with
    assert not list(out.glob(".en-cours-*"))
    if finished:  # the records were on their way in: the killed build is completed
        assert build(corrected, out, today=DAY).up_to_date
    else:  # the documents are put back exactly as they were, the new one removed
        assert files_of(out) == before
        assert build(workbook, out, today=DAY).up_to_date


def test_leftover_staging_and_previous_package_are_cleaned(make_workbook, tmp_path):
    out = tmp_path / "build"
    workbook = make_workbook(edit_rows=distribution_rows)
    build(workbook, out, today=DAY)
    distribute(workbook, out, pdf=False)
    package = out / "diffusion" / DAY.isoformat()
    staging = out / ".en-cours-abc123"
    (staging / "comptes_rendus").mkdir(parents=True)
    (staging / "comptes_rendus" / "cr.docx").write_bytes(b"moitie")
    # Killed between moving the old package aside and moving the new one in.
    os.replace(package, out / "diffusion" / f".ancien-{DAY.isoformat()}")
    (out / "diffusion" / ".en-cours-xyz").mkdir()
    build(workbook, out, today=DAY)  # up to date, but cleans anyway
    assert not list(out.glob(".en-cours-*")) and not list(out.glob("diffusion/.*"))
    assert (package / "manifeste.csv").is_file()  # the old package is back


# -- Rebuild decisions by content ------------------------------------------------------


def test_same_inputs_are_up_to_date_and_nothing_is_rewritten(make_workbook, tmp_path):
    out = tmp_path / "build"
    workbook = make_workbook()
    first = build(workbook, out, today=DAY)
    stamps = {p: p.stat().st_mtime_ns for p in first.written}
    again = build(workbook, out, today=DAY)
    assert again.up_to_date and again.written == []
    assert {p: p.stat().st_mtime_ns for p in first.written} == stamps
    assert build(workbook, out, kinds=["pta"], today=DAY).up_to_date


def test_a_corrected_workbook_with_an_older_date_is_rebuilt(make_workbook, tmp_path):
    out = tmp_path / "build"
    workbook = make_workbook()
    build(workbook, out, today=DAY)
    corrected = make_workbook(parameters={"place": "Bobo-Dioulasso"})
    old = workbook.stat().st_mtime - 86400 * 30  # as Explorer or a USB key keeps it
    shutil.copy2(corrected, workbook)
    os.utime(workbook, (old, old))
    result = build(workbook, out, today=DAY)
    assert not result.up_to_date and result.written


@pytest.mark.parametrize("change", ["date", "template", "document", "strict", "record"])
def test_any_change_of_what_a_build_depends_on_rebuilds(make_workbook, tmp_path, change):
    templates = tmp_path / "modeles"
    shutil.copytree(ROOT / "templates", templates)
    out = tmp_path / "build"
    workbook = make_workbook()
    build(workbook, out, today=DAY, templates=templates)
    day, strict = DAY, False
    if change == "date":
        day = DAY + dt.timedelta(days=1)
    elif change == "template":
        (templates / "courriel.txt").write_text("Objet : autre\n", encoding="utf-8")
    elif change == "document":
        (out / "pta_2021.docx").write_bytes(b"modifie a la main")
    elif change == "strict":
        strict = True
    else:
        (out / bookkeeping.RECORD).write_text("{", encoding="utf-8")  # damaged
    assert not build(workbook, out, today=day, templates=templates, strict=strict).up_to_date
