"""Stage 3: which documents a workbook gives, and the context each template receives.

Each document kind registers a function that turns the validated model into a list
of outputs (file name, template, context). Adding a document means adding a
template and one function here; build() needs no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..formats import long_date
from ..model import Workbook
from ..output.names import windows_path


@dataclass(frozen=True)
class Options:
    """What a build needs beyond the workbook."""

    today: dt.date  # the build date: decides which reporting periods are due


@dataclass(frozen=True)
class Output:
    """One file to write: rendered from a Word template with a context, or, for files
    that are not Word documents (an .xlsx table), given as ready ``data``."""

    kind: str
    filename: str  # relative to the output folder
    template: str = ""  # file name in templates/
    context: dict = field(default_factory=dict)
    data: bytes | None = None  # ready bytes: no template is rendered

    def __post_init__(self):
        if (self.data is None) == (not self.template):
            raise ValueError(f"{self.filename}: give either a template or data")

    # The document's own date: its created/modified properties and zip timestamps.
    # None means the plan's document date (builds never read the clock for these).
    date: dt.date | None = None
    # How the distribution names the document to people (French), and the date it
    # shows (None: ``date``, else the plan's document date).
    title: str = ""
    issued: dt.date | None = None
    # The reporting period the document belongs to, when it is made for one
    # (quarterly reports); otherwise the period holding its date.
    period: str | None = None
    # Nothing typed for it yet (a new mandate's plan without activities, a period with
    # no follow-up, meeting nor text): the build leaves it out and says so, unless asked
    # for empty documents (troika construire --vides).
    empty: bool = False


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str  # French, shown in the CLI
    plan: Callable[[Workbook, Options], list[Output]]


KINDS: dict[str, DocumentKind] = {}


def register(key: str, label: str):
    """Decorator: declare a document kind and the function planning its outputs."""

    def decorate(function: Callable[[Workbook, Options], list[Output]]):
        KINDS[key] = DocumentKind(key, label, function)
        return function

    return decorate


DRAFT_MARK = "Projet"


def event_dating(place: str, event: dt.date | None, today: dt.date) -> dict:
    """How a document made by an event is dated: by the event once it has taken place
    (« Ouagadougou, le 29 juin 2022 »); while the event is still ahead of the build date
    ``today`` (or not dated yet), as a draft marked « Projet », dated by the build date
    and never with a finished date."""
    draft = event is None or event > today
    return {
        "draft": draft,
        "draft_mark": DRAFT_MARK if draft else "",
        "date": today if draft else event,
        "dateline": f"{DRAFT_MARK} – version du {long_date(today)}"
        if draft
        else f"{place}, le {long_date(event)}",
    }


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with -2, -3... before the extension when already taken
    (two identifiers differing only by case or punctuation give the same file name)."""
    stem, ext = name.rsplit(".", 1)
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{stem}-{counter}.{ext}", counter + 1
    taken.add(candidate)
    return candidate


def plan_outputs(
    workbook: Workbook, options: Options, kinds: list[str] | None = None
) -> list[Output]:
    """Every output of the requested kinds (all kinds when None), in registry order."""
    selected = [k for k in KINDS if kinds is None or k in kinds]
    return with_windows_names([o for key in selected for o in KINDS[key].plan(workbook, options)])


def with_windows_names(outputs: list[Output]) -> list[Output]:
    """The outputs with file names valid on Windows. Windows does not tell "CR.docx"
    from "cr.docx": names equal but for case are made unique too, deterministically."""
    taken: set[str] = set()
    result = []
    for output in outputs:
        name = windows_path(output.filename)
        stem, dot, ext = name.rpartition(".")
        candidate, counter = name, 2
        while candidate.casefold() in taken:
            candidate, counter = f"{stem}-{counter}{dot}{ext}", counter + 1
        taken.add(candidate.casefold())
        result.append(
            output if candidate == output.filename else replace(output, filename=candidate)
        )
    return result


# Each module registers its document kinds on import; their order is the build order,
# which the import sorter must leave alone.
# isort: off
from . import pta  # noqa: E402, F401
from . import rapports  # noqa: E402, F401
from . import recommandations  # noqa: E402, F401
from . import partners  # noqa: E402, F401
from . import flash  # noqa: E402, F401
# isort: on
