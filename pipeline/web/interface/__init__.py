"""``troika interface``: one page in the browser for the secretariat.

    serve(Path("inputs"), Path("build"))   # http://127.0.0.1:<port>/, opened in the browser

The page checks the workbook, builds the documents and prepares the distribution by
calling the very functions the command line calls (:func:`pipeline.build.check`,
:func:`pipeline.build.build`, :func:`pipeline.distribute.distribute`): there is no
second pipeline here, only a translation of their results into JSON for the page.

Framework: Flask (on Werkzeug). It is small, maintained by the Pallets team, and it
brings what this page needs without code of our own: Jinja2 (already the pipeline's
template engine), a threaded local server that can be shut down from a request,
upload size limits and ``send_from_directory``, which refuses any path leaving the
folder it serves. The standard library's http.server would need all of that written
by hand, including the multipart parsing that the ``cgi`` module no longer offers.

Safety, for a server that can write files on the secretary's computer:

- it listens on 127.0.0.1 only, and answers only requests whose Host is
  127.0.0.1:<port> or localhost:<port> (another site resolving its name to
  127.0.0.1 is refused);
- a request carrying an Origin (or Sec-Fetch-Site) from another site is refused;
- every action and every file needs the session's secret token, which only the page
  itself receives: a page of another site can neither read it nor guess it, so it
  cannot start a build or download a document;
- files are served from the output folder only, never a hidden bookkeeping file, and
  never through a symbolic link leading out of it (links are resolved first);
- every answer says ``X-Content-Type-Options: nosniff``: a document is never run as
  something else than the type it is served as;
- an uploaded workbook (size-limited, checked to be a real .xlsx workbook by the
  reader's own checks) is kept in a temporary folder under the name the user chose,
  and never written into inputs/.

Stopping: Ctrl-C, a closed window or a logout (SIGTERM, SIGHUP, SIGBREAK, see
:mod:`pipeline.entry`) stop a running build or distribution between two steps, so that
build/ and the temporary folder are left as they were; the uploaded copies are removed.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hmac
import logging
import secrets
import shutil
import tempfile
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import Flask, abort, jsonify, render_template, request, send_from_directory
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException
from werkzeug.serving import ThreadedWSGIServer

from ... import stopping
from ...build import build, check
from ...documents import KINDS
from ...documents.listing import Described
from ...exceptions import BuildNeeded, InvalidWorkbook, PipelineError, describe_os_error
from ...formats import long_date
from ...output.archive import make_zip
from ...output.bookkeeping import member
from ...output.names import windows_name
from ...output.writer import read_build, read_catalogue
from ...report import Report, Severity
from ...workbook import schema
from ...workbook.reader import locate_workbook, why_unreadable

HOST = "127.0.0.1"
MAX_UPLOAD = 20 * 1024 * 1024  # bytes; the sample workbook is about 0.1 MB
TOKEN_HEADER = "X-Jeton"
WEB = Path(__file__).resolve().parent  # the page and its static files
# How the page's user builds the documents, for the library's advice (see BuildNeeded).
BUILD_ADVICE = (
    "cliquez sur le bouton « Produire les documents » de cette page, puis à nouveau sur "
    "« Préparer la diffusion »"
)


class Stopped(Exception):
    """Raised inside a running job when the tool is being stopped (Ctrl-C, the window
    closed): the build or distribution ends between two steps, as after Ctrl-C."""


@dataclass
class Job:
    """A build or a distribution running in the background while the page polls it."""

    action: str  # "construire" or "diffuser"
    started: float = field(default_factory=time.monotonic)
    step: str = "Démarrage…"
    done: int = 0
    total: int = 0
    state: str = "en-cours"  # then "termine" or "echec"
    result: dict | None = None
    error: dict | None = None
    thread: threading.Thread | None = None

    def as_json(self) -> dict:
        return {
            "action": self.action,
            "etat": self.state,
            "etape": self.step,
            "fait": self.done,
            "total": self.total,
            "secondes": round(time.monotonic() - self.started),
            "resultat": self.result,
            "erreur": self.error,
        }


@dataclass
class Session:
    """What one running interface knows: its token, its folders, the chosen workbook."""

    default_workbook: Path
    out_dir: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    uploads: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="troika-")))
    uploaded: Path | None = None  # a workbook chosen on the page, in ``uploads``
    uploaded_name: str = ""
    today: dt.date | None = None  # None: the day of each build
    job: Job | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    cancel: threading.Event = field(default_factory=threading.Event)  # the tool is stopping

    @property
    def workbook(self) -> Path:
        return self.uploaded or self.default_workbook

    def busy(self) -> bool:
        return self.job is not None and self.job.state == "en-cours"

    def wait(self) -> None:
        """Let a running build or distribution finish: stopping half-way is safe for
        build/ (the writer swaps files in as a set) but would waste the work."""
        job = self.job
        if job is not None and job.thread is not None:
            job.thread.join()

    def interrupt(self) -> None:
        """Stop a running build or distribution at its next step and wait for it to
        put everything back (staging folders, LibreOffice, temporary files)."""
        self.cancel.set()
        self.wait()

    def cleanup(self) -> None:
        shutil.rmtree(self.uploads, ignore_errors=True)


# --- Results as JSON: what the page shows ---------------------------------------------------


def _problem_json(problem) -> dict:
    return {
        "gravite": problem.severity.value,
        "code": problem.code,
        "feuille": problem.location.sheet or "",
        "cellule": problem.location.cell or "",
        "quoi": problem.what or problem.message,
        "correction": problem.fix,
    }


def report_json(report: Report) -> dict:
    """The problems grouped by sheet: sheets with errors first, then in workbook order;
    within a sheet, errors first, then row by row (the order of the command line)."""
    sheets = [schema.PARAMETERS_SHEET, *schema.SHEETS]
    groups: dict[str, list] = {}
    for problem in report.in_reading_order(sheets):
        groups.setdefault(problem.location.sheet or "", []).append(problem)
    ordered = sorted(
        groups.items(), key=lambda item: not any(p.severity is Severity.ERROR for p in item[1])
    )
    return {
        "resume": report.summary(),
        "erreurs": len(report.errors),
        "avertissements": len(report.warnings),
        "bloquant": report.is_blocking(),
        "groupes": [
            {
                "feuille": sheet or "Classeur",
                "problemes": [
                    _problem_json(p)
                    for p in sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
                ],
            }
            for sheet, problems in ordered
        ],
    }


def _link(session: Session, relative: str) -> str:
    return f"/fichiers/{relative}?jeton={session.token}"


def _documents_json(session: Session, described, written: set[str]) -> list[dict]:
    """The documents just written, grouped by kind in the registry's order."""
    groups: dict[str, dict] = {}
    for item in described:
        if item.filename not in written:
            continue
        group = groups.setdefault(
            item.kind, {"type": item.kind, "libelle": item.kind_label, "documents": []}
        )
        group["documents"].append(
            {
                "titre": item.title,
                "date": long_date(item.date) if item.date else "",
                "fichier": item.filename,
                "lien": _link(session, item.filename),
            }
        )
    return [groups[k] for k in KINDS if k in groups]


def _follow(session: Session, job: Job):
    """The library's progress callback, feeding the bar the page polls; it also stops
    the work, between two steps, when the tool is being stopped."""

    def progress(stage: str, done: int, total: int) -> None:
        if session.cancel.is_set():
            raise Stopped
        job.step, job.done, job.total = stage, done, total

    return progress


def _date(text: object) -> dt.date | None:
    """A date recorded in build/'s bookkeeping, or None when it is not one: the records
    are files on disk that anything may have changed."""
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) and text else None
    except ValueError:
        return None


def built_documents(out_dir: Path) -> list[Described]:
    """The documents the last builds left in ``out_dir``, with the titles and dates the
    build recorded (its catalogue): in registry order, then by date and name."""
    index, _records = read_build(out_dir)
    catalogue = read_catalogue(out_dir)
    described = []
    for name, kind in index.items():
        if kind not in KINDS:
            continue
        entry = catalogue.get(name, {})
        title = entry.get("titre") if isinstance(entry.get("titre"), str) else None
        day = _date(entry.get("date"))
        described.append(Described(kind, KINDS[kind].label, name, title or KINDS[kind].label, day))
    order = list(KINDS)
    return sorted(described, key=lambda d: (order.index(d.kind), d.date or dt.date.min, d.filename))


def _run_build(session: Session, job: Job, empty: bool = False) -> None:
    path, today = session.workbook, session.today or dt.date.today()
    job.step = "Lecture et vérification du classeur"
    # One reading and validation, by build(); the bar learns the number of documents
    # from build()'s progress, the titles from the catalogue it writes.
    result = build(path, session.out_dir, today=today, empty=empty, progress=_follow(session, job))
    job.done = job.total
    written = {p.relative_to(session.out_dir).as_posix() for p in result.written}
    if result.up_to_date:  # built from the same inputs: the documents in place are current
        written = set(read_build(session.out_dir)[0])
    described = built_documents(session.out_dir)
    job.result = {
        "groupes": _documents_json(session, described, written),
        "nombre": len(written),
        "a_jour": result.up_to_date,
        "archive": f"/archive.zip?jeton={session.token}",
        "dossier": str(session.out_dir),
        "rapport": report_json(result.report),
        "vides": result.empty,  # left out: nothing typed for them yet (construire --vides)
    }


def _run_distribution(session: Session, job: Job) -> None:
    from ...distribute import distribute
    from ...distribute.mail import sender_address

    job.step = "Préparation du dossier de diffusion (copies PDF, archives, courriels)"
    # The drafts' sender as on the command line: from the settings file, when there is one.
    package = distribute(
        session.workbook, session.out_dir, sender=sender_address(), progress=_follow(session, job)
    )
    folder = package.folder.relative_to(session.out_dir).as_posix()
    lists = []
    for part in package.lists:
        files = [
            {"nom": PurePosixPath(name).name, "lien": _link(session, f"{folder}/{name}")}
            for name in part.files
        ]
        lists.append(
            {
                "nom": part.mailing_list.name,
                "description": part.mailing_list.description,
                "destinataires": [r.display_name for r in part.mailing_list.recipients],
                "documents": [KINDS[k].label for k in part.mailing_list.kinds],
                "fichiers": files,
                "zip": _link(session, f"{folder}/{part.zip_name}"),
                "brouillon": _link(session, f"{folder}/{part.eml_name}") if part.eml_name else None,
            }
        )
    job.result = {
        "dossier": folder,
        "listes": lists,
        "notes": package.notes,
        "pdf": package.pdf_problem,
        "manifeste": _link(session, f"{folder}/manifeste.txt"),
    }


def _import_iati(session: Session, sent) -> dict:
    """Save the uploaded IATI files (names kept: the reconciliation cites them), run
    :func:`pipeline.workbook.iati_import.import_iati` into ``<sortie>/import_iati/`` and
    say what it proposed; the workbook used is never modified."""
    from ...workbook.iati_import import import_iati, reconciliation_text

    folder = Path(tempfile.mkdtemp(dir=session.uploads))
    files = []
    for index, upload in enumerate(sent, start=1):
        name = PurePosixPath(upload.filename.replace("\\", "/")).name
        if not name.lower().endswith(".xml") or any(c in name for c in '<>:"|?*'):
            return {"erreur": f"« {name} » n'est pas un fichier IATI .xml."}
        own = folder / str(index)
        own.mkdir()
        upload.save(own / name)
        files.append(own / name)
    located = locate_workbook(session.workbook, Report())
    if located is None:
        return {"erreur": "Aucun classeur à compléter : choisissez d'abord un classeur."}
    stem = Path(session.uploaded_name or located.name).stem
    today = session.today or dt.date.today()
    target_dir = session.out_dir / "import_iati"
    target, number = target_dir / f"{stem}_iati_{today.isoformat()}.xlsx", 2
    while target.exists():
        target = target_dir / f"{stem}_iati_{today.isoformat()}_{number}.xlsx"
        number += 1
    try:
        result = import_iati(files, located, target, today=today)
    except PipelineError as exc:
        return {"erreur": str(exc)}
    relative = target.relative_to(session.out_dir).as_posix()
    reconciliation = result.reconciliation.relative_to(session.out_dir).as_posix()
    return {
        "classeur": {"nom": target.name, "lien": _link(session, relative)},
        "rapprochement": {
            "nom": result.reconciliation.name,
            "lien": _link(session, reconciliation),
        },
        "lignes": reconciliation_text(result),
        "proposees": len(result.rows),
        "notes": [p.message for p in result.report.problems] + result.skipped,
        "rapport": report_json(check(target)),
    }


def _run(session: Session, job: Job, work) -> None:
    try:
        work(session, job)
        job.state = "termine"
    except InvalidWorkbook as exc:
        job.error = {
            "message": "Le classeur contient des problèmes ; rien n'a été écrit.",
            "rapport": report_json(exc.report),
        }
        job.state = "echec"
    except Stopped:
        job.error = {
            "message": "Arrêté avant la fin, l'outil étant fermé : rien n'a été remplacé, "
            "les documents déjà présents sont inchangés."
        }
        job.state = "echec"
    except BuildNeeded as exc:
        job.error = {"message": exc.advise(BUILD_ADVICE)}
        job.state = "echec"
    except PipelineError as exc:
        job.error = {"message": str(exc)}
        job.state = "echec"
    except OSError as exc:  # the system refused a file or folder: the user can act
        job.error = {"message": describe_os_error(exc)}
        job.state = "echec"
    except Exception as exc:
        logging.getLogger(__name__).exception("internal error")
        job.error = {
            "message": f"Erreur interne inattendue ({type(exc).__name__} : {exc}). Les "
            "documents déjà présents sont inchangés. Merci de signaler ce "
            "problème au mainteneur de l'outil, avec le classeur utilisé."
        }
        job.state = "echec"


def _start(session: Session, action: str, work):
    with session.lock:
        if session.busy():
            return _refuse(409, "Une production est déjà en cours : attendez qu'elle se termine.")
        job = Job(action)
        job.thread = threading.Thread(target=_run, args=(session, job, work), daemon=True)
        session.job = job
        job.thread.start()
    return jsonify(job.as_json()), 202


def _refuse(status: int, message: str):
    return jsonify({"erreur": message}), status


# --- The application --------------------------------------------------------------------------


def _allowed_hosts(port: int) -> set[str]:
    return {f"{HOST}:{port}", f"localhost:{port}"}


def create_app(session: Session, port: int) -> Flask:
    """The Flask application of one session, answering on ``port`` only."""
    app = Flask(__name__, template_folder=str(WEB), static_folder=str(WEB / "static"))
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    app.jinja_env.undefined = StrictUndefined
    app.json.ensure_ascii = False  # French messages stay readable, even as raw JSON
    hosts = _allowed_hosts(port)

    @app.before_request
    def guard():
        """Refuse other hosts, other origins and, except for the page itself and its
        style sheet and script, any request without the session's token."""
        if request.host not in hosts:
            return _refuse(403, "Adresse refusée : ouvrez la page par http://127.0.0.1.")
        origin = request.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in hosts:
            return _refuse(403, "Requête refusée : elle vient d'un autre site.")
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return _refuse(403, "Requête refusée : elle vient d'un autre site.")
        if request.endpoint in ("page", "static") or request.path == "/favicon.ico":
            return None
        given = request.headers.get(TOKEN_HEADER) or request.args.get("jeton") or ""
        if not hmac.compare_digest(given.encode(), session.token.encode()):
            return _refuse(403, "Jeton de session absent ou périmé : rechargez la page.")
        return None

    @app.after_request
    def headers(response):
        # The page loads nothing from elsewhere and may not be framed by another site.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        # A file is what its type says: never sniffed into HTML or a script.
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: "Requête incomplète ou illisible : rechargez la page.",
            404: "Fichier introuvable dans le dossier des documents.",
            413: f"Fichier trop volumineux : un classeur fait au plus "
            f"{MAX_UPLOAD // (1024 * 1024)} Mo.",
            405: "Action non permise.",
        }
        code = exc.code or 500
        if code >= 500:
            return internal_error(getattr(exc, "original_exception", None) or exc)
        return _refuse(code, messages.get(code, "Requête refusée : rechargez la page."))

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        # Werkzeug's answer would be English: say it in French, as the command line does.
        logging.getLogger(__name__).error("internal error", exc_info=exc)
        return _refuse(
            500,
            f"Erreur interne inattendue ({type(exc).__name__}). Les documents déjà "
            "présents sont inchangés. Merci de signaler ce problème au mainteneur de "
            "l'outil, avec le classeur utilisé.",
        )

    @app.get("/")
    def page():
        return render_template(
            "page.html",
            token=session.token,
            token_header=TOKEN_HEADER,
            max_upload=MAX_UPLOAD,
            out_dir=str(session.out_dir),
        )

    @app.get("/api/classeur")
    def workbook_info():
        located = locate_workbook(session.workbook, Report())
        return jsonify(
            {
                "nom": session.uploaded_name
                if session.uploaded
                else (located.name if located else "aucun classeur trouvé"),
                "importe": session.uploaded is not None,
                "dossier": str(session.default_workbook),
                "occupe": session.busy(),
            }
        )

    @app.post("/api/classeur")
    def upload():
        sent = request.files.get("fichier")
        if sent is None or not sent.filename:
            return _refuse(400, "Aucun fichier reçu.")
        name = PurePosixPath(sent.filename.replace("\\", "/")).name
        if not name.lower().endswith(".xlsx") or name.startswith("~$"):
            return _refuse(
                400,
                f"« {name} » n'est pas un classeur Excel .xlsx : enregistrez-le "
                "au format « Classeur Excel (.xlsx) » puis choisissez-le à "
                "nouveau.",
            )
        data = sent.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            abort(413)
        with session.lock:
            if session.busy():
                return _refuse(409, "Une production est en cours : attendez qu'elle se termine.")
            # A fresh folder per upload, the file under the user's own name (made valid
            # on Windows, never a path): every later message names the file she chose.
            folder = Path(tempfile.mkdtemp(dir=session.uploads))
            target = folder / windows_name(name, 255)
            target.write_bytes(data)
            # The reader's own checks of the file, now rather than at the next build.
            problem = why_unreadable(target)
            if problem:
                shutil.rmtree(folder, ignore_errors=True)
                if problem == "bomb":
                    problem = "son contenu décompressé est anormalement volumineux"
                return _refuse(
                    400,
                    f"« {name} » n'est pas un classeur Excel .xlsx lisible ({problem}) : "
                    "ouvrez-le dans Excel, enregistrez-le au format « Classeur Excel "
                    "(.xlsx) », puis choisissez-le à nouveau.",
                )
            if session.uploaded is not None:  # the previous choice is no longer needed
                shutil.rmtree(session.uploaded.parent, ignore_errors=True)
            session.uploaded, session.uploaded_name = target, name
        return workbook_info()

    @app.post("/api/classeur/defaut")
    def use_default():
        with session.lock:
            session.uploaded, session.uploaded_name = None, ""
        return workbook_info()

    @app.post("/api/verifier")
    def verify():
        return jsonify(report_json(check(session.workbook)))

    @app.post("/api/iati")
    def import_iati_files():
        """The IATI files sent, proposed in a new workbook of the output folder."""
        sent = [f for f in request.files.getlist("fichiers") if f.filename]
        if not sent:
            return _refuse(400, "Aucun fichier IATI reçu.")
        with session.lock:
            if session.busy():
                return _refuse(409, "Une production est en cours : attendez qu'elle se termine.")
            return jsonify(_import_iati(session, sent))

    @app.post("/api/produire")
    def produce():
        # The page's « Produire aussi les documents… vides » box: construire --vides.
        empty = request.form.get("vides") == "oui"
        return _start(session, "construire", functools.partial(_run_build, empty=empty))

    @app.post("/api/diffuser")
    def prepare_distribution():
        return _start(session, "diffuser", _run_distribution)

    @app.get("/api/etat")
    def status():
        return jsonify(session.job.as_json() if session.job else None)

    @app.get("/fichiers/<path:name>")
    def file(name: str):
        if any(part.startswith(".") for part in PurePosixPath(name).parts):
            abort(404)
        # Links resolved first: a link in build/ leading out of it is never followed.
        path = member(session.out_dir, name)
        if path is None:
            abort(404)
        path = path.resolve()
        if not path.is_file():
            abort(404)
        download = not name.lower().endswith((".pdf", ".txt"))
        return send_from_directory(
            session.out_dir.resolve(),
            path.relative_to(session.out_dir.resolve()).as_posix(),
            as_attachment=download,
            download_name=path.name,
        )

    @app.get("/archive.zip")
    def archive():
        index, records = read_build(session.out_dir)
        if not index:
            abort(404)
        # The zip's dates: the latest build date recorded, when the records hold one.
        days = sorted(d for d in (_date(r.get("date")) for r in records.values()) if d)
        day = days[-1] if days else None
        members = [(name, (session.out_dir / name).read_bytes()) for name in sorted(index)]
        response = app.response_class(make_zip(members, day), mimetype="application/zip")
        response.headers["Content-Disposition"] = "attachment; filename=documents_troika.zip"
        return response

    @app.post("/api/quitter")
    def quit_():
        if session.busy():
            return _refuse(409, "Une production est en cours : quittez quand elle sera terminée.")
        session.stop.set()
        return jsonify({"message": "L'outil est arrêté : vous pouvez fermer cet onglet."})

    return app


class _LocalServer(ThreadedWSGIServer):
    """Werkzeug's threaded server, saying in French why its port cannot be opened
    (Werkzeug prints English and leaves)."""

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:
            port = self.server_address[1]
            if exc.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", 0)):
                why = (
                    f"le port {port} est déjà utilisé par un autre programme (peut-être la "
                    "page de la Troïka, déjà ouverte : cherchez son onglet dans le navigateur)"
                )
            else:
                why = f"le port {port} ne peut pas être ouvert ({exc.strerror or exc})"
            raise PipelineError(
                f"La page ne peut pas démarrer : {why}. Relancez sans --port (un port libre "
                f"est choisi), ou choisissez un autre port, par exemple --port {port + 1}."
                if port
                else f"La page ne peut pas démarrer : {why}."
            ) from exc


class Server:
    """The local server of one session, started in a thread: ``url`` to open, ``stop()``
    to end it (also what the « Quitter » button asks for)."""

    def __init__(self, workbook: Path, out_dir: Path, port: int = 0, today: dt.date | None = None):
        self._server = _LocalServer(HOST, port, None)
        self.port = self._server.server_port
        self.session = Session(Path(workbook), Path(out_dir), today=today)
        self._server.app = create_app(self.session, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> Server:
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the « Quitter » button (or ``stop``); False on timeout."""
        return self.session.stop.wait(timeout)

    def stop(self, interrupt: bool = False) -> None:
        """End the server; ``interrupt``: stop a running job at its next step instead
        of letting it finish (Ctrl-C, the window closed)."""
        self.session.stop.set()
        try:
            if interrupt:
                self.session.interrupt()
            self.session.wait()
            self._server.shutdown()
            self._server.server_close()
        finally:
            self.session.cleanup()


def serve(
    workbook: Path,
    out_dir: Path,
    port: int = 0,
    open_browser: bool = True,
    today: dt.date | None = None,
    announce=print,
) -> None:
    """Run the interface until « Quitter » or Ctrl-C; ``announce`` receives the French
    lines to show in the console."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = Server(workbook, out_dir, port, today).start()
    announce(f"Page de la Troïka ouverte à l'adresse {server.url}")
    announce(
        "Gardez cette fenêtre ouverte ; pour arrêter : bouton « Quitter » de la page, "
        "ou Ctrl+C ici."
    )
    if open_browser:
        webbrowser.open(server.url)
    interrupted = False
    try:
        # Short waits, so Ctrl-C (or a closed window, see pipeline.entry) is handled at
        # once on every system.
        while not server.wait(0.5):
            pass
    except KeyboardInterrupt:
        interrupted = True
        if server.session.busy():
            announce("Arrêt demandé : la production en cours s'arrête, rien n'est remplacé…")
    finally:
        with stopping.deferred():  # a second Ctrl-C must not cut the clean-up short
            server.stop(interrupt=interrupted)
    announce("Outil arrêté.")
