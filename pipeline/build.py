"""The pipeline, end to end: read, validate, plan the documents, render, write.

    report = check(path)            # read and validate only
    result = build(path, "build")   # everything; raises InvalidWorkbook on errors

Nothing is written unless every document rendered: rendering happens in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .archive import normalize_zip
from .documents import KINDS, Options, plan_outputs
from .exceptions import InvalidWorkbook, PipelineError, TemplateProblem
from .model import Workbook
from .reader import locate_workbook, read_workbook
from .render import make_environment, render_document
from .report import Report
from .validate import validate
from .writer import write_outputs

SHA256_CHUNK = 1 << 20

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)


def load(path: Path, report: Report) -> Workbook | None:
    """Read and validate a workbook; the model, or None when it has errors."""
    raw = read_workbook(Path(path), report)
    return validate(raw, report) if raw is not None else None


def workbook_sha256(path: Path) -> str | None:
    """SHA-256 of the workbook file that ``path`` designates (a file or a folder
    holding one), or None when there is no such single file."""
    located = locate_workbook(Path(path), Report())
    if located is None or not located.is_file():
        return None
    digest = hashlib.sha256()
    with open(located, "rb") as handle:
        for chunk in iter(lambda: handle.read(SHA256_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check(path: Path) -> Report:
    """Every problem of a workbook, without building anything."""
    report = Report()
    load(path, report)
    return report


def check_templates(path: Path, today: dt.date | None = None,
                    templates: Path = TEMPLATES) -> list[str]:
    """Render every template against the workbook's data without writing anything;
    one French message per template that fails."""
    report = Report()
    workbook = load(path, report)
    if workbook is None:
        raise InvalidWorkbook(report)
    env = make_environment()
    failures, seen = [], set()
    for output in plan_outputs(workbook, Options(today or dt.date.today())):
        if not output.template or output.template in seen:
            continue
        seen.add(output.template)
        try:
            render_document(templates / output.template, output.context, env)
        except TemplateProblem as exc:
            failures.append(str(exc))
    return failures


def build(path: Path, out_dir: Path, kinds: list[str] | None = None,
          today: dt.date | None = None, strict: bool = False,
          templates: Path = TEMPLATES) -> BuildResult:
    """Build the documents of ``kinds`` (all when None) from the workbook at ``path``."""
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise PipelineError(f"Document inconnu : {', '.join(unknown)}. "
                            f"Documents possibles : {', '.join(KINDS)}.")
    report = Report()
    workbook = load(path, report)
    if workbook is None or report.is_blocking(strict):
        raise InvalidWorkbook(report)

    today = today or dt.date.today()
    outputs = plan_outputs(workbook, Options(today), kinds)

    env = make_environment()
    # Property dates come from the data, so the same workbook gives the same bytes.
    files = {}
    for o in outputs:
        day = o.date or workbook.plan.document_date
        if o.data is None:
            data = render_document(templates / o.template, o.context, env, day=day)
        else:  # an Office file made in Python (.xlsx) is a zip too: make it reproducible
            data = normalize_zip(o.data, day) if o.data[:2] == b"PK" else o.data
        files[o.filename] = (o.kind, data)

    # What the distribution stage needs to know the documents are current.
    record = {"classeur_sha256": workbook_sha256(path), "date": today.isoformat()}
    written = write_outputs(files, Path(out_dir), set(kinds or KINDS), record=record)
    return BuildResult(report, written)
