"""All exceptions raised by the pipeline, under one base class.

Problems in the workbook's *content* are not exceptions: they are collected into a
:class:`pipeline.report.Report`. Exceptions are for conditions that stop a stage
outright. Every message is French, because the CLI shows it as is.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class InvalidWorkbook(PipelineError):
    """Raised by :func:`pipeline.build.build` when validation found blocking problems.

    Carries the full report so the caller can print every problem at once.
    """

    def __init__(self, report):
        self.report = report
        super().__init__(f"Le classeur contient des problèmes bloquants : {report.summary()}.")


class TemplateProblem(PipelineError):
    """Raised when a Word template cannot be rendered: missing file, Jinja syntax
    error, a variable the data model does not have, or a forbidden operation caught
    by the sandbox. The message names the template and the tag."""


class OutputError(PipelineError):
    """Raised by the writer when the output folder cannot be written (read-only,
    disk full...). The previous set of documents is left in place."""


class ConversionError(PipelineError):
    """Raised when LibreOffice is absent or fails to convert documents to PDF."""


class BuildNeeded(PipelineError):
    """Raised by the distribution when the documents it needs are absent, or were not
    built from the current workbook or on one date: the user must build them first.

    How to build depends on what the user has in front of her (the page's button, a
    launcher, a terminal): the message says what is wrong, and :meth:`advise` ends it
    with the advice its caller knows to be right. ``str()`` gives the advice for a
    terminal (or the launcher that opens one)."""

    TERMINAL = (
        "produisez les documents (lanceur « Produire les documents », ou « troika "
        "construire » dans un terminal), puis relancez la diffusion"
    )

    def __init__(self, problem: str, advice: str = TERMINAL):
        self.problem = problem
        super().__init__(f"{problem} : {advice}.")

    def advise(self, advice: str) -> str:
        """The message ending with ``advice`` (« cliquez sur … »)."""
        return f"{self.problem} : {advice}."
