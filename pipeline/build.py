"""The pipeline, end to end: read, validate, plan the documents, render, write.

    report = check(path)            # read and validate only
    result = build(path, "build")   # everything; raises InvalidWorkbook on errors

Nothing is written unless every document rendered: rendering happens in memory.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import stopping
from .documents import KINDS, Options, Output, plan_outputs
from .documents.listing import describe
from .exceptions import OutputError, PipelineError, TemplateProblem
from .locations import find_templates, project_folder
from .model import Plan
from .output.archive import normalize_zip
from .output.bookkeeping import clean_leftovers_if_free, fingerprint, is_up_to_date, sha256_file
from .output.writer import write_outputs
from .progress import RENDERING, Progress, ignore
from .render.charter import find_charter, load_charter
from .render.template_check import (
    Finding,
    check_colours,
    check_folder,
    check_template,
    check_template_files,
    load_house_charter,
)
from .report import Report
from .validate import load, load_valid
from .workbook.reader import locate_workbook

# The repository, or the current folder for an installed tool; and the templates in use
# unless a command is given others (see pipeline.locations for the rule).
ROOT = project_folder()
TEMPLATES = find_templates()


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing to redo: the documents in place are current
    # Titles of the documents left out because nothing is typed for them yet.
    empty: list[str] = field(default_factory=list)


def workbook_sha256(path: Path) -> str | None:
    """SHA-256 of the workbook file that ``path`` designates (a file or a folder
    holding one), or None when there is no such single file."""
    located = locate_workbook(Path(path), Report())
    if located is None or not located.is_file():
        return None
    return sha256_file(located)


def build_fingerprint(
    path: Path, templates: Path, today: dt.date, strict: bool, empty: bool = False
) -> str | None:
    """The digest of everything a build depends on (see :mod:`pipeline.output.bookkeeping`),
    or None when there is no single workbook to read."""
    sha256 = workbook_sha256(path)
    if sha256 is None:
        return None
    options = {"date": today.isoformat(), "strict": strict}
    if empty:  # only when asked: the fingerprints of ordinary builds stay as they were
        options["vides"] = True
    return fingerprint(sha256, templates, options)


def check_output_folder(workbook: Path, out_dir: Path) -> None:
    """Refuse an output folder that is, holds or lies inside a folder of inputs: the
    project's inputs/, or the folder given as the workbook. Documents there would mix
    with the workbooks (and a folder holding two workbooks cannot be read)."""
    out = Path(out_dir).resolve()
    workbook = Path(workbook).resolve()
    protected = {ROOT / "inputs"} | ({workbook} if workbook.is_dir() else set())
    for inputs in sorted(protected):
        if out == inputs or inputs.is_relative_to(out) or out.is_relative_to(inputs):
            raise OutputError(
                f"Le dossier de sortie {out_dir} est, contient ou se trouve dans "
                f"le dossier des classeurs ({inputs}) : choisissez un dossier à "
                "part, par exemple build/ (option --sortie)."
            )


def check(path: Path, today: dt.date | None = None) -> Report:
    """Every problem of a workbook as of the build date ``today`` (default: the day it
    runs), without building anything."""
    report = Report()
    load(path, report, today)
    return report


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 40
_JOB: tuple | None = None  # what forked workers render: (outputs, templates, day, env, charter)


def render_document(*args, **kwargs) -> bytes:
    """:func:`pipeline.render.render_document`, imported on first use: checking a
    workbook needs neither docxtpl nor python-docx."""
    from . import render

    return render.render_document(*args, **kwargs)


def _render(output: Output, templates: Path, default_day: dt.date, env, charter) -> bytes:
    # Property dates come from the data, so the same workbook gives the same bytes.
    day = output.date or default_day
    if output.data is None:
        return render_document(
            templates / output.template, output.context, env, day=day, charter=charter
        )
    # An Office file made in Python (.xlsx) is a zip too: make it reproducible.
    return normalize_zip(output.data, day) if output.data[:2] == b"PK" else output.data


def _render_job(index: int) -> bytes:
    outputs, templates, default_day, env, charter = _JOB
    return _render(outputs[index], templates, default_day, env, charter)


def _ignore_interrupt() -> None:
    # Ctrl-C (or a closed terminal) reaches every process of the group; the parent
    # alone handles it.
    stopping.in_worker()


def _block_stops(how: int) -> None:
    signal.pthread_sigmask(how, stopping.STOP_SIGNALS)


def _before_fork() -> None:
    # While a rendering worker is forked, stop signals wait: one landing in the child
    # before its handlers are its own would run the parent's handler (or be dropped by
    # Python's own after-fork reset), the worker would survive the pool's SIGTERM, and
    # the pool would wait for it forever.
    if _JOB is not None:
        _block_stops(signal.SIG_BLOCK)


def _after_fork_in_parent() -> None:
    if _JOB is not None:
        _block_stops(signal.SIG_UNBLOCK)  # a stop that came meanwhile lands now


def _after_fork_in_child() -> None:
    if _JOB is not None:
        stopping.in_worker()
        _block_stops(signal.SIG_UNBLOCK)  # a SIGTERM that came meanwhile ends it now


if hasattr(os, "register_at_fork"):  # where fork exists (and so do signal masks)
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )


# A worker is replaced after this many documents: the memory a large document took
# goes back to the system instead of staying with the worker until the pool ends. A
# new worker prepares its templates again (a few hundredths of a second): a build of
# the sample's size (89 documents) never replaces one.
RECYCLE_AFTER = 100


def iter_rendered(
    outputs: list[Output], templates: Path, default_day: dt.date, workers: int | None = None
) -> Iterator[bytes]:
    """Each output's bytes, in order, as soon as it is made. Many documents are shared
    among forked processes (they inherit the outputs, nothing is copied to them); an
    error or Ctrl-C in any of them stops the whole rendering. The charter is read once,
    when the rendering starts."""
    from .render import make_environment

    env = make_environment()
    charter = (
        load_charter(find_charter(templates)) if any(o.data is None for o in outputs) else None
    )
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    yield from _rendered(outputs, templates, default_day, env, charter, workers)


def _rendered(
    outputs: list[Output], templates: Path, default_day: dt.date, env, charter, workers: int
) -> Iterator[bytes]:
    """The rendering of :func:`iter_rendered`: here, or shared among forked workers."""
    global _JOB
    if (
        workers < 2
        or len(outputs) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for output in outputs:
            yield _render(output, templates, default_day, env, charter)
        return
    _JOB = (outputs, templates, default_day, env, charter)
    try:
        with (
            _interrupt_between_documents() as interrupted,
            multiprocessing.get_context("fork").Pool(
                workers, _ignore_interrupt, maxtasksperchild=RECYCLE_AFTER
            ) as pool,
        ):
            # One document per task: only then does imap's iterator wait with a timeout.
            results = pool.imap(_render_job, range(len(outputs)))
            for _ in outputs:
                yield _next_result(results, interrupted)
    finally:
        _JOB = None


@contextmanager
def _interrupt_between_documents() -> Iterator[threading.Event]:
    """While worker processes run, Ctrl-C (or any other way of stopping, see
    :mod:`pipeline.stopping`) only sets the event the caller yields: raised at any
    instant, KeyboardInterrupt may land in the pool's own machinery (a fork hook, a lock
    it holds), where it is lost or leaves the pool hanging. The caller raises it between
    two documents instead; a Ctrl-C after the last one is raised on leaving."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted  # signals reach the main thread only
        return
    with stopping.handled(lambda _signum, _frame: interrupted.set()):
        yield interrupted
    if interrupted.is_set():
        raise KeyboardInterrupt


def _next_result(results, interrupted: threading.Event) -> bytes:
    """The pool's next document, or KeyboardInterrupt as soon as Ctrl-C was pressed."""
    while not interrupted.is_set():
        try:
            return results.next(timeout=0.1)
        except multiprocessing.TimeoutError:
            continue
    raise KeyboardInterrupt


def render_outputs(
    outputs: list[Output], templates: Path, default_day: dt.date, workers: int | None = None
) -> list[bytes]:
    """Every output's bytes, in order, all in memory (see :func:`iter_rendered`)."""
    return list(iter_rendered(outputs, templates, default_day, workers))


def _counted(contents: Iterator[bytes], total: int, progress: Progress) -> Iterator[bytes]:
    """The rendered documents, telling ``progress`` of each one as it comes."""
    progress(RENDERING, 0, total)
    for done, data in enumerate(contents, start=1):
        progress(RENDERING, done, total)
        yield data


def check_templates(
    path: Path, today: dt.date | None = None, templates: Path = TEMPLATES
) -> list[Finding]:
    """Check every template of ``templates`` against the workbook's data without writing
    anything: it renders, uses only the charter's styles, names only known variables
    (see :mod:`pipeline.render.template_check`). One finding per thing to fix."""
    workbook, _report = load_valid(path, today)
    from .render import make_environment

    env = make_environment()
    charter = load_house_charter(templates)
    findings = check_colours(charter)
    contexts: dict[str, dict] = {}
    for output in plan_outputs(workbook, Options(today or dt.date.today())):
        if output.template and output.template not in contexts:
            contexts[output.template] = output.context
    # A missing template, or a file that is not a readable Word document, is named
    # with what is wrong; the others are checked further.
    problems, readable = check_folder(templates, contexts)
    findings += problems
    for template in readable:
        context = contexts.get(template.name)
        if context is not None:
            try:
                render_document(template, context, env, charter=charter)
            except TemplateProblem as exc:
                findings.append(Finding(template.name, "rendu", str(exc)))
        findings += check_template(template, charter, context, env)
    return findings


def build(
    path: Path,
    out_dir: Path,
    kinds: list[str] | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    templates: Path = TEMPLATES,
    workers: int | None = None,
    force: bool = False,
    progress: Progress = ignore,
    empty: bool = False,
) -> BuildResult:
    """Build the documents of ``kinds`` (all when None) from the workbook at ``path``,
    rendering on ``workers`` processes (default: up to two, the machine's cores);
    ``progress`` hears of each document rendered.
    Nothing is redone when the documents in place were built from the same inputs
    (unless ``force``): the result then says ``up_to_date``. A document with nothing
    in it is left out and named in the result's ``empty``, unless ``empty`` is true."""
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise PipelineError(
            f"Document inconnu : {', '.join(unknown)}. Documents possibles : {', '.join(KINDS)}."
        )
    check_output_folder(path, out_dir)
    today = today or dt.date.today()
    clean_leftovers_if_free(Path(out_dir))
    print_ = build_fingerprint(path, templates, today, strict, empty)
    if not force and print_ and is_up_to_date(Path(out_dir), kinds or list(KINDS), print_):
        return BuildResult(Report(), up_to_date=True)
    workbook, report = load_valid(path, today, strict)

    outputs = plan_outputs(workbook, Options(today), kinds)
    left_out = [] if empty else [o for o in outputs if o.empty]
    outputs = [o for o in outputs if not o.empty or empty]
    check_template_files(templates, {o.template for o in outputs if o.template})

    # Each document goes to the staging folder as soon as it is made (memory stays
    # that of one document); the set replaces the previous one only when all are made.
    contents = _counted(
        iter_rendered(outputs, templates, workbook.plan.document_date, workers),
        len(outputs),
        progress,
    )
    files = ((o.filename, (o.kind, data)) for o, data in zip(outputs, contents))

    # What the distribution stage needs to know the documents are current.
    record = {
        "classeur_sha256": workbook_sha256(path),
        "date": today.isoformat(),
        "empreinte": print_,
    }
    written = write_outputs(
        files,
        Path(out_dir),
        set(kinds or KINDS),
        record=record,
        catalogue=describe_outputs(outputs, workbook.plan),
        progress=progress,
    )
    return BuildResult(report, written, empty=[o.title or o.filename for o in left_out])


def describe_outputs(outputs: list[Output], plan: Plan) -> dict[str, dict]:
    """What the distribution tells people about each file: title, date, period (the
    titles and days the page and the website show, see :mod:`pipeline.documents.listing`)."""
    return {
        d.filename: {"titre": d.title, "date": d.date.isoformat(), "periode": o.period}
        for o, d in zip(outputs, describe(outputs, plan))
    }
