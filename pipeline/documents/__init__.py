"""Stage 3: which documents a workbook gives, and the context each template receives.

Each document kind registers a function that turns the validated model into a list
of outputs (file name, template, context). Adding a document means adding a
template and one function here; build() needs no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Workbook


@dataclass(frozen=True)
class Options:
    """What a build needs beyond the workbook."""

    today: dt.date  # the build date: decides which reporting periods are due


@dataclass(frozen=True)
class Output:
    kind: str
    filename: str  # relative to the output folder
    template: str  # file name in templates/
    context: dict


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


def plan_outputs(workbook: Workbook, options: Options, kinds: list[str] | None = None) -> list[Output]:
    """Every output of the requested kinds (all kinds when None), in registry order."""
    selected = [k for k in KINDS if kinds is None or k in kinds]
    return [o for key in selected for o in KINDS[key].plan(workbook, options)]


# Each module registers its document kinds on import; their order is the build order.
from . import pta  # noqa: E402,F401
from . import rapports  # noqa: E402,F401
