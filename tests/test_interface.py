"""The browser page's server (troika interface), through Flask's test client: who may
call it, what it serves, and that its answers are those of the library."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.build import check
from pipeline.web.interface import MAX_UPLOAD, TOKEN_HEADER, Server, Session, create_app

from .conftest import ROOT, SAMPLE

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def session(tmp_path):
    session = Session(ROOT / "inputs", tmp_path / "build")
    yield session
    session.wait()
    session.cleanup()


@pytest.fixture
def client(session):
    app = create_app(session, PORT)
    return app.test_client()


def call(client, session, method, path, **kwargs):
    headers = {TOKEN_HEADER: session.token, **kwargs.pop("headers", {})}
    return client.open(path, method=method, base_url=BASE, headers=headers, **kwargs)


def wait_for_job(client, session, limit=300):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = call(client, session, "GET", "/api/etat").get_json()
        if job["etat"] != "en-cours":
            return job
        time.sleep(0.2)
    raise AssertionError("la production ne se termine pas")


def seeded_error_workbook(tmp_path) -> Path:
    """The sample with a date that is not a date in 'Réunions'!B2."""
    book = openpyxl.load_workbook(SAMPLE)
    book["Réunions"]["B2"] = "le 32 du mois"
    path = tmp_path / "classeur avec erreur.xlsx"
    book.save(path)
    return path


def test_page_carries_the_token_and_loads_nothing_from_elsewhere(client, session):
    page = client.get("/", base_url=BASE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert session.token in html and 'lang="fr"' in html
    assert "http://" not in html and "https://" not in html
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost.evil.example"])
def test_other_hosts_are_refused(client, session, host):
    response = call(client, session, "POST", "/api/verifier", headers={"Host": host})
    assert response.status_code == 403
    assert client.get("/", headers={"Host": host}).status_code == 403


def test_requests_from_another_site_are_refused(client, session):
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        assert call(client, session, "POST", "/api/produire", headers=headers).status_code == 403
    assert session.job is None  # nothing was started


def test_actions_and_files_need_the_token(client, session):
    for method, path in (
        ("POST", "/api/verifier"),
        ("POST", "/api/produire"),
        ("POST", "/api/diffuser"),
        ("POST", "/api/quitter"),
        ("GET", "/api/etat"),
        ("GET", "/archive.zip"),
        ("GET", "/fichiers/pta_2021-2022.docx"),
    ):
        response = client.open(path, method=method, base_url=BASE, headers={TOKEN_HEADER: "devine"})
        assert response.status_code == 403, path
    assert session.job is None and not session.stop.is_set()
    same_origin = call(client, session, "POST", "/api/verifier", headers={"Origin": BASE})
    assert same_origin.status_code == 200


def test_check_gives_the_cli_codes_grouped_by_sheet_errors_first(client, session, tmp_path):
    path = seeded_error_workbook(tmp_path)
    with path.open("rb") as handle:
        sent = call(
            client,
            session,
            "POST",
            "/api/classeur",
            data={"fichier": (handle, path.name)},
            content_type="multipart/form-data",
        )
    assert sent.status_code == 200 and sent.get_json()["importe"]
    answer = call(client, session, "POST", "/api/verifier").get_json()
    assert answer["bloquant"] and answer["erreurs"] == len(check(path).errors)
    first = answer["groupes"][0]
    assert first["feuille"] == "Réunions"
    assert first["problemes"][0] == {
        **first["problemes"][0],
        "gravite": "erreur",
        "code": "bad-date",
        "cellule": "B2",
    }
    codes = [p["code"] for g in answer["groupes"] for p in g["problemes"]]
    assert sorted(codes) == sorted(check(path).codes())
    # Back to the workbook of inputs/: valid.
    call(client, session, "POST", "/api/classeur/defaut")
    assert not call(client, session, "POST", "/api/verifier").get_json()["bloquant"]


@pytest.mark.parametrize(
    "name, data, status",
    [
        ("notes.docx", b"PK\x03\x04rest", 400),
        ("classeur.xlsx", b"not a zip at all", 400),
        ("~$classeur.xlsx", b"PK\x03\x04", 400),
        ("gros.xlsx", b"PK\x03\x04" + b"0" * MAX_UPLOAD, 413),
    ],
)
def test_uploads_other_than_a_sized_xlsx_are_refused(client, session, name, data, status):
    response = call(
        client,
        session,
        "POST",
        "/api/classeur",
        data={"fichier": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == status
    assert response.get_json()["erreur"]
    assert session.uploaded is None


def test_an_uploaded_workbook_is_never_written_into_inputs(client, session, tmp_path):
    path = seeded_error_workbook(tmp_path)
    before = sorted(p.name for p in (ROOT / "inputs").iterdir())
    with path.open("rb") as handle:
        call(
            client,
            session,
            "POST",
            "/api/classeur",
            data={"fichier": (handle, "../inputs/x.xlsx")},
            content_type="multipart/form-data",
        )
    assert sorted(p.name for p in (ROOT / "inputs").iterdir()) == before
    assert session.uploaded.is_relative_to(session.uploads)


@pytest.mark.parametrize(
    "path",
    [
        "/fichiers/../pyproject.toml",
        "/fichiers/%2e%2e/pyproject.toml",
        "/fichiers/..%2fpyproject.toml",
        "/fichiers/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/fichiers//etc/passwd",
        "/fichiers/.index.json",
        "/fichiers/sous/../../README.md",
    ],
)
def test_only_files_of_the_output_folder_are_served(client, session, path):
    session.out_dir.mkdir(parents=True)
    (session.out_dir / ".index.json").write_text("{}")
    # Werkzeug turns "//" into "/" with a redirect: follow it to the final answer.
    response = call(client, session, "GET", path, follow_redirects=True)
    assert response.status_code == 404, path
    assert b"troika" not in response.get_data().lower()


def test_build_then_documents_by_kind_zip_and_distribution(client, session):
    assert call(client, session, "POST", "/api/produire").status_code == 202
    again = call(client, session, "POST", "/api/produire")
    assert again.status_code in (202, 409)  # refused while the first one runs
    job = wait_for_job(client, session)
    assert job["etat"] == "termine", job
    result = job["resultat"]
    kinds = [g["type"] for g in result["groupes"]]
    assert kinds[0] == "pta" and "rapports-trimestriels" in kinds
    pta = result["groupes"][0]["documents"][0]
    assert pta["titre"].startswith("Plan de travail annuel") and pta["date"]
    download = call(client, session, "GET", pta["lien"])
    assert download.status_code == 200
    assert download.get_data() == (session.out_dir / pta["fichier"]).read_bytes()
    assert "attachment" in download.headers["Content-Disposition"]
    archive = zipfile.ZipFile(
        io.BytesIO(call(client, session, "GET", result["archive"]).get_data())
    )
    assert pta["fichier"] in archive.namelist()
    assert len(archive.namelist()) == result["nombre"]

    # Nothing changed: build() redoes nothing, and the page still lists the documents.
    call(client, session, "POST", "/api/produire")
    again = wait_for_job(client, session)["resultat"]
    assert again["a_jour"] and again["nombre"] == result["nombre"]
    assert again["groupes"] == result["groupes"]

    assert call(client, session, "POST", "/api/diffuser").status_code == 202
    job = wait_for_job(client, session, limit=900)
    assert job["etat"] == "termine", job
    lists = job["resultat"]["listes"]
    assert lists and all(part["zip"] and part["documents"] for part in lists)
    zipped = call(client, session, "GET", lists[0]["zip"])
    assert zipped.status_code == 200 and zipped.get_data()[:2] == b"PK"


def test_a_build_of_a_bad_workbook_reports_its_problems(client, session, tmp_path):
    path = seeded_error_workbook(tmp_path)
    with path.open("rb") as handle:
        call(
            client,
            session,
            "POST",
            "/api/classeur",
            data={"fichier": (handle, path.name)},
            content_type="multipart/form-data",
        )
    call(client, session, "POST", "/api/produire")
    job = wait_for_job(client, session)
    assert job["etat"] == "echec"
    assert job["erreur"]["rapport"]["groupes"][0]["problemes"][0]["cellule"] == "B2"
    assert not session.out_dir.exists() or not any(session.out_dir.glob("*.docx"))


def test_the_page_names_the_documents_left_out_because_empty(client, session, make_workbook):
    """A new mandate's workbook: the plan is typed, no follow-up yet. The page says which
    reports were not produced, as `troika construire` does."""
    path = make_workbook()
    with path.open("rb") as handle:
        call(
            client,
            session,
            "POST",
            "/api/classeur",
            data={"fichier": (handle, path.name)},
            content_type="multipart/form-data",
        )
    call(client, session, "POST", "/api/produire")
    job = wait_for_job(client, session)
    assert job["etat"] == "termine", job
    assert any(title.startswith("Bilan annuel") for title in job["resultat"]["vides"])
    assert not list(session.out_dir.glob("bilan_annuel_*.docx"))

    # The page's box « Produire aussi les documents… vides » is construire --vides.
    call(
        client,
        session,
        "POST",
        "/api/produire",
        data={"vides": "oui"},
        content_type="multipart/form-data",
    )
    job = wait_for_job(client, session)
    assert job["etat"] == "termine", job
    assert job["resultat"]["vides"] == []
    assert list(session.out_dir.glob("bilan_annuel_*.docx"))


def test_server_listens_on_loopback_and_stops_on_quit(tmp_path):
    import urllib.request

    server = Server(ROOT / "inputs", tmp_path / "build").start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert server._server.server_address[0] == "127.0.0.1"
        request = urllib.request.Request(
            server.url + "api/quitter", method="POST", headers={TOKEN_HEADER: server.session.token}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        assert server.wait(5)
    finally:
        server.stop()
    assert not server.session.uploads.exists()


def _start_launcher(command: list[str], tmp_path) -> tuple[subprocess.Popen, str]:
    """Start the interface as staff do; its URL, read from what it prints."""
    process = subprocess.Popen(
        command + ["--sans-navigateur", "--sortie", str(tmp_path / "b")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", first)
    assert match, first
    return process, match[0]


def _token(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    return re.search(r'name="jeton" content="([^"]+)"', page)[1]


@pytest.mark.skipif(sys.platform == "win32", reason="lanceur .sh : Linux seulement")
def test_launcher_opens_the_page_and_the_quit_button_stops_it(tmp_path):
    process, url = _start_launcher(["sh", "Ouvrir la page de la Troika.sh"], tmp_path)
    try:
        request = urllib.request.Request(
            url + "api/quitter", method="POST", headers={TOKEN_HEADER: _token(url)}
        )
        urllib.request.urlopen(request, timeout=10).close()
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Outil arrêté" in output


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C simulé par SIGINT (POSIX)")
def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    process, url = _start_launcher([sys.executable, "-m", "pipeline", "interface"], tmp_path)
    try:
        _token(url)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and "Outil arrêté" in output
    assert "Traceback" not in output
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)


def test_the_bar_follows_the_documents_as_they_are_rendered(session):
    from pipeline.web.interface import Job, _run_build

    seen = []

    class Watched(Job):
        def __setattr__(self, name, value):
            if name == "done":
                seen.append(value)
            super().__setattr__(name, value)

    _run_build(session, Watched("construire"))
    total = len(seen) and seen[-1]
    assert total > 40
    assert any(0 < done < total for done in seen)  # counted one by one, not only at the end


def _links_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except OSError:  # Windows without the right to make links
        pytest.skip("liens symboliques non permis ici")


def test_links_leading_out_of_the_output_folder_are_not_followed(client, session, tmp_path):
    session.out_dir.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("mot de passe")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "passwd").write_text("racine")
    _links_or_skip(session.out_dir / "lien.txt", Path("..") / "secret.txt")
    _links_or_skip(session.out_dir / "docs", outside)
    (session.out_dir / "vrai.txt").write_text("document")
    _links_or_skip(session.out_dir / "raccourci.txt", Path("vrai.txt"))  # stays inside
    for path in ("/fichiers/lien.txt", "/fichiers/docs/passwd"):
        response = call(client, session, "GET", path)
        assert response.status_code == 404, path
        assert b"mot de passe" not in response.get_data() and b"racine" not in response.get_data()
    inside = call(client, session, "GET", "/fichiers/raccourci.txt")
    assert inside.status_code == 200 and inside.get_data() == b"document"


def test_every_answer_says_nosniff(client, session):
    session.out_dir.mkdir(parents=True)
    (session.out_dir / "note.txt").write_text("texte")
    answers = [
        client.get("/", base_url=BASE),
        client.get("/static/page.js", base_url=BASE),
        call(client, session, "GET", "/fichiers/note.txt"),
        call(client, session, "GET", "/fichiers/absent.txt"),  # 404
        client.open("/api/etat", base_url=BASE),  # 403: no token
        client.get("/", headers={"Host": "evil.example"}),  # 403: another host
        call(client, session, "GET", "/api/etat"),
    ]
    for answer in answers:
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", answer.status


def test_a_taken_port_is_named_in_french(tmp_path, capsys):
    import socket

    from pipeline.exceptions import PipelineError

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(PipelineError) as raised:
            Server(ROOT / "inputs", tmp_path / "build", port=port)
    finally:
        taken.close()
    message = str(raised.value)
    assert str(port) in message and "déjà utilisé" in message and "--port" in message
    captured = capsys.readouterr()
    assert "in use" not in captured.err + captured.out


def test_a_bad_date_in_the_records_does_not_break_the_archive(client, session):
    out = session.out_dir
    out.mkdir(parents=True)
    (out / "pta.docx").write_bytes(b"document")
    (out / ".index.json").write_text('{"pta.docx": "pta"}')
    (out / ".construction.json").write_text('{"pta": {"date": "2022-13-45"}}')
    response = call(client, session, "GET", "/archive.zip")
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.get_data())).namelist() == ["pta.docx"]


def test_an_unexpected_error_is_answered_in_french(client, session, monkeypatch):
    import pipeline.web.interface as interface

    def broken(_out_dir):
        raise RuntimeError("boom")

    monkeypatch.setattr(interface, "read_build", broken)
    response = call(client, session, "GET", "/archive.zip")
    assert response.status_code == 500
    assert response.get_json()["erreur"].startswith("Erreur interne inattendue (RuntimeError)")


def test_a_word_document_renamed_xlsx_is_refused_at_upload_with_its_name(client, session):
    from docx import Document

    word = io.BytesIO()
    Document().save(word)
    response = call(
        client,
        session,
        "POST",
        "/api/classeur",
        data={"fichier": (io.BytesIO(word.getvalue()), "budget 2022.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    message = response.get_json()["erreur"]
    assert "« budget 2022.xlsx »" in message and "ne contient pas de classeur" in message
    assert session.uploaded is None
    assert not any(p.is_file() for p in session.uploads.rglob("*"))


def test_an_uploaded_workbook_keeps_the_name_the_user_chose(client, session, tmp_path):
    path = seeded_error_workbook(tmp_path)
    with path.open("rb") as handle:
        call(
            client,
            session,
            "POST",
            "/api/classeur",
            data={"fichier": (handle, path.name)},
            content_type="multipart/form-data",
        )
    assert session.uploaded.name == path.name
    answer = call(client, session, "POST", "/api/verifier").get_json()
    assert answer["bloquant"]


def test_the_page_reads_and_validates_the_workbook_once_per_build(session, monkeypatch):
    import pipeline.validate
    from pipeline.web.interface import Job, _run_build

    reads = []
    original = pipeline.validate.read_workbook

    def counted(*args, **kwargs):
        reads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline.validate, "read_workbook", counted)
    job = Job("construire")
    _run_build(session, job)
    assert len(reads) == 1
    titles = [d["titre"] for g in job.result["groupes"] for d in g["documents"]]
    assert job.result["nombre"] == len(titles) == job.total > 40
    assert titles[0].startswith("Plan de travail annuel")


def test_distribution_before_any_build_points_to_the_page_s_button(client, session):
    assert call(client, session, "POST", "/api/diffuser").status_code == 202
    job = wait_for_job(client, session)
    assert job["etat"] == "echec"
    message = job["erreur"]["message"]
    assert "bouton « Produire les documents »" in message
    assert "make" not in message and "troika" not in message


def _post_workbook(url: str, token: str, path: Path) -> None:
    """Upload ``path`` as the page does (multipart form, field « fichier »)."""
    boundary = "----troika-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + "api/classeur",
        data=body,
        method="POST",
        headers={TOKEN_HEADER: token, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    urllib.request.urlopen(request, timeout=30).close()


@pytest.mark.skipif(sys.platform == "win32", reason="signaux POSIX envoyés par le test")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_a_closed_window_while_the_page_builds_leaves_nothing_behind(stop, tmp_path):
    import os
    import shutil

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    out = tmp_path / "b"
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "interface", "--sans-navigateur", "--sortie", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())[0]
        token = _token(url)
        copy = tmp_path / "mon classeur.xlsx"
        shutil.copy(SAMPLE, copy)
        _post_workbook(url, token, copy)
        assert any(temporary.rglob("mon classeur.xlsx"))  # the page's copy
        request = urllib.request.Request(
            url + "api/produire", method="POST", headers={TOKEN_HEADER: token}
        )
        urllib.request.urlopen(request, timeout=30).close()
        deadline = time.monotonic() + 120
        while not any(out.glob(".en-cours-*")) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert any(out.glob(".en-cours-*")), "la production n'a pas commencé à écrire"
        process.send_signal(getattr(signal, stop))
        output, _ = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "Outil arrêté" in output and "Traceback" not in output
    assert not list(out.glob(".en-cours-*")) and not list(out.glob(".ancien-*"))
    # The uploaded copy and the session's folder are gone (the rendering's own caches,
    # which are meant to stay, are not the page's business).
    assert not list(temporary.rglob("mon classeur.xlsx"))
    assert not list(temporary.glob("troika-*")), list(temporary.rglob("*"))


def test_iati_files_give_a_new_workbook_and_the_reconciliation(client, session, tmp_path):
    """The page's IATI button: the sample is completed in a new workbook of build/,
    never in place; the reconciliation is linked and its lines shown."""
    from .conftest import FIXTURES

    before = SAMPLE.read_bytes()
    afd = (FIXTURES / "iati" / "afd_2-01.xml").read_bytes()
    response = call(
        client,
        session,
        "POST",
        "/api/iati",
        data={"fichiers": [(io.BytesIO(afd), "afd_2-01.xml")]},
        content_type="multipart/form-data",
    )
    answer = response.get_json()
    assert response.status_code == 200, answer
    assert SAMPLE.read_bytes() == before
    assert answer["proposees"] == 4 and answer["rapport"]["erreurs"] == 0
    assert any(line.startswith("Prévision FR 2024") for line in answer["lignes"])
    new = session.out_dir / "import_iati" / answer["classeur"]["nom"]
    assert new.exists() and check(new).errors == []
    download = call(client, session, "GET", answer["rapprochement"]["lien"].split("?")[0])
    assert download.status_code == 200
    broken = call(
        client,
        session,
        "POST",
        "/api/iati",
        data={"fichiers": [(io.BytesIO(afd[:500]), "abime.xml")]},
        content_type="multipart/form-data",
    )
    assert "abime.xml" in broken.get_json()["erreur"]
    empty = call(client, session, "POST", "/api/iati", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400
