"""Stage 5: the writer replaces files atomically and never leaves partial output."""

from __future__ import annotations

import os

import pytest

from pipeline.exceptions import OutputError
from pipeline.output.writer import write_outputs


def test_writes_files_and_subfolders(tmp_path):
    written = write_outputs(
        {"a.docx": ("pta", b"A"), "cr/b.docx": ("cr", b"B")}, tmp_path, {"pta", "cr"}
    )
    assert [p.read_bytes() for p in written] == [b"A", b"B"]
    assert not list(tmp_path.glob(".en-cours-*"))


def test_only_the_built_kinds_lose_their_stale_files(tmp_path):
    write_outputs({"a.docx": ("pta", b"A"), "b.docx": ("cr", b"B")}, tmp_path, {"pta", "cr"})
    write_outputs({"c.docx": ("pta", b"C")}, tmp_path, {"pta"})
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "b.docx",
        "c.docx",
    ]


def test_failure_while_writing_keeps_the_previous_set(tmp_path, monkeypatch):
    write_outputs({"a.docx": ("pta", b"old")}, tmp_path, {"pta"})
    import pipeline.output.writer as writer

    calls = {"n": 0}
    real = writer._write_file

    def failing(path, data, **options):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(path, data, **options)

    monkeypatch.setattr(writer, "_write_file", failing)
    with pytest.raises(OutputError, match="précédents sont conservés"):
        write_outputs({"a.docx": ("pta", b"new"), "b.docx": ("pta", b"new")}, tmp_path, {"pta"})
    assert (tmp_path / "a.docx").read_bytes() == b"old"
    assert not (tmp_path / "b.docx").exists()
    assert not list(tmp_path.glob(".en-cours-*"))


def test_failure_while_putting_files_on_disk_keeps_the_previous_set(tmp_path, monkeypatch):
    # The documents are synced together before any of them replaces an old one.
    write_outputs({"a.docx": ("pta", b"old")}, tmp_path, {"pta"})

    def failing(_fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("pipeline.output.writer.os.fsync", failing)
    with pytest.raises(OutputError, match="précédents sont conservés"):
        write_outputs({"a.docx": ("pta", b"new"), "b.docx": ("pta", b"new")}, tmp_path, {"pta"})
    assert (tmp_path / "a.docx").read_bytes() == b"old"
    assert not (tmp_path / "b.docx").exists()


def test_every_file_is_on_disk_before_the_first_one_is_moved_in(tmp_path, monkeypatch):
    import os

    synced, moves = [], []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: moves.append(len(synced)) or real_replace(a, b))
    write_outputs({"a.docx": ("pta", b"a"), "b.docx": ("pta", b"b")}, tmp_path, {"pta"})
    assert moves and moves[0] >= 2 + 2  # the documents, the index and the journal


def test_interruption_while_moving_files_restores_the_previous_set(tmp_path, monkeypatch):
    write_outputs(
        {"a.docx": ("pta", b"old a"), "b.docx": ("pta", b"old b"), "c.docx": ("pta", b"old c")},
        tmp_path,
        {"pta"},
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    import pipeline.output.writer as writer

    calls = {"n": 0}
    real = os.replace

    def interrupted(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:  # Ctrl-C while the second document is moved into place
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(writer.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs({"a.docx": ("pta", b"new a"), "b.docx": ("pta", b"new b")}, tmp_path, {"pta"})
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".en-cours-*"))


def test_read_only_output_folder_gives_a_clear_error(tmp_path, monkeypatch):
    import pipeline.output.writer as writer

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writer.tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match="lecture seule"):
        write_outputs({"a.docx": ("pta", b"A")}, tmp_path, {"pta"})


def test_a_document_open_in_word_is_named_and_nothing_is_replaced(tmp_path, monkeypatch):
    write_outputs({"a.docx": ("pta", b"old a"), "b.docx": ("pta", b"old b")}, tmp_path, {"pta"})
    import pipeline.output.writer as writer

    real = os.replace

    def word_holds_b(src, dst):
        # What Windows does while Word has the file open: the rename is refused.
        if str(dst).endswith("b.docx") and ".precedents" not in str(dst):
            raise PermissionError(13, "Le processus ne peut pas accéder au fichier", str(dst))
        real(src, dst)

    monkeypatch.setattr(writer.os, "replace", word_holds_b)
    with pytest.raises(OutputError, match="fermez-le dans Word") as caught:
        write_outputs({"a.docx": ("pta", b"new a"), "b.docx": ("pta", b"new b")}, tmp_path, {"pta"})
    assert str(tmp_path / "b.docx") in str(caught.value)
    monkeypatch.undo()
    assert (tmp_path / "a.docx").read_bytes() == b"old a"
    assert (tmp_path / "b.docx").read_bytes() == b"old b"
    assert not list(tmp_path.glob(".en-cours-*"))


def test_a_name_leaving_the_output_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match="sortirait"):
        write_outputs({"../dehors.docx": ("pta", b"x")}, tmp_path / "build", {"pta"})
    assert not (tmp_path / "dehors.docx").exists()


def test_paths_longer_than_windows_allows_are_refused_in_french(tmp_path, monkeypatch):
    import pipeline.output.names as names

    monkeypatch.setattr(names, "WINDOWS", True)
    deep = tmp_path / ("d" * 120) / ("e" * 120)
    with pytest.raises(OutputError, match="260|259") as caught:
        write_outputs({"comptes_rendus/cr.docx": ("cr", b"x")}, deep, {"cr"})
    assert "--sortie" in str(caught.value)


def test_no_unix_only_sync_is_called(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "sync", raising=False)  # as on Windows
    written = write_outputs({"a.docx": ("pta", b"A")}, tmp_path, {"pta"})
    assert written[0].read_bytes() == b"A"


def test_a_file_where_the_output_folder_should_be_is_named_without_english(tmp_path):
    """ "[Errno 17] File exists" with « vérifiez qu'il n'est pas en lecture seule »
    explained nothing: the message says a file is where a folder is expected."""
    blocking = tmp_path / "build"
    blocking.write_text("pas un dossier")
    with pytest.raises(OutputError) as caught:
        write_outputs({"a.docx": ("pta", b"A")}, blocking, {"pta"})
    message = str(caught.value)
    assert "est un fichier" in message and str(blocking) in message
    assert "Errno" not in message and "File exists" not in message
    assert "lecture seule" not in message


@pytest.mark.parametrize(
    "error, expected",
    [
        (OSError(30, "Read-only file system"), "lecture seule"),
        (OSError(28, "No space left on device"), "plein"),
        (OSError(13, "Permission denied"), "le droit d'écrire"),
    ],
)
def test_system_errors_reach_the_user_in_french(tmp_path, monkeypatch, error, expected):
    import pipeline.output.writer as writer

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(writer.tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError) as caught:
        write_outputs({"a.docx": ("pta", b"A")}, tmp_path, {"pta"})
    message = str(caught.value)
    assert expected in message and str(tmp_path) in message
    assert error.strerror not in message and "Errno" not in message


def test_a_file_held_by_word_on_windows_is_named_by_its_windows_error():
    from pipeline.exceptions import describe_os_error

    error = PermissionError(13, "Le processus ne peut pas accéder au fichier", "pta.docx")
    error.winerror = 32  # ERROR_SHARING_VIOLATION
    assert "ouvert dans un autre programme" in describe_os_error(error)
