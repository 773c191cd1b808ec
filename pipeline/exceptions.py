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


class UnsafeArchive(PipelineError):
    """Raised by :func:`pipeline.unpack.check_archive` when a workbook or Word file
    would unpack to an abnormal size (a "zip bomb"): it is refused before any parser
    opens it. The message names the file."""

    def __init__(self, message: str, size: int = 0):
        super().__init__(message)
        self.size = size


class IatiError(PipelineError):
    """Raised by :mod:`pipeline.workbook.iati` when a partner's IATI file cannot be
    read: too large, not well-formed XML, a DTD or entity (refused unexpanded), a
    version other than 2.01-2.03, or not valid against the IATI activity schema; and
    by :mod:`pipeline.workbook.iati_import` when the workbook to complete cannot be
    read. The message names the file."""


# errno names -> (what happened, what to do), French. {path} is the file or folder.
_OS_ERRORS: dict[str, tuple[str, str]] = {
    "EROFS": (
        "le disque ou le dossier de {path} est en lecture seule",
        "choisissez un dossier où vous pouvez écrire (par exemple dans vos Documents)",
    ),
    "ENOSPC": (
        "le disque de {path} est plein",
        "libérez de la place sur le disque ou choisissez un autre dossier",
    ),
    "EDQUOT": (
        "votre quota d'espace disque est atteint pour {path}",
        "libérez de la place ou choisissez un autre dossier",
    ),
    "EEXIST": (
        "{path} existe déjà",
        "choisissez un autre nom, ou déplacez ou supprimez l'existant",
    ),
    "ENOENT": (
        "{path} est introuvable",
        "vérifiez le nom et l'emplacement (le dossier existe-t-il ?)",
    ),
    "EISDIR": (
        "{path} est un dossier, alors qu'un fichier est attendu",
        "indiquez le nom d'un fichier",
    ),
    "ENAMETOOLONG": (
        "le chemin {path} est trop long",
        "choisissez un dossier moins profond ou des noms plus courts",
    ),
    "EBUSY": (
        "{path} est utilisé par un autre programme",
        "fermez ce programme (Word, Excel, l'explorateur) puis recommencez",
    ),
    "EMFILE": (
        "trop de fichiers sont ouverts à la fois",
        "fermez des programmes puis recommencez",
    ),
    "EIO": (
        "le disque de {path} ne répond pas correctement (erreur de lecture ou d'écriture)",
        "vérifiez le disque ou la clé USB, puis recommencez",
    ),
    "EINVAL": (
        "le nom {path} n'est pas accepté par le système",
        'choisissez un nom sans caractères spéciaux (\\ / : * ? " < > |)',
    ),
    "ENOTEMPTY": (
        "le dossier {path} n'est pas vide",
        "videz-le ou choisissez un autre dossier",
    ),
    "ELOOP": (
        "le chemin {path} contient une boucle de liens",
        "indiquez un chemin sans lien symbolique",
    ),
}
# Windows error numbers (OSError.winerror) that errno does not tell apart.
_WINDOWS_ERRORS: dict[int, tuple[str, str]] = {
    32: (
        "{path} est ouvert dans un autre programme (Word, Excel…)",
        "fermez-le dans ce programme puis recommencez",
    ),
    33: (
        "{path} est verrouillé par un autre programme (Word, Excel…)",
        "fermez-le dans ce programme puis recommencez",
    ),
    112: _OS_ERRORS["ENOSPC"],
    123: _OS_ERRORS["EINVAL"],
    206: _OS_ERRORS["ENAMETOOLONG"],
}


def describe_os_error(exc: OSError, path=None) -> str:
    """What an ``OSError`` means, in French, naming the file or folder and what to do:
    ``« build » : le disque ou le dossier de « build » est en lecture seule ; choisissez…``.

    Used wherever a system error reaches the user: the system's own text is English
    ("[Errno 30] Read-only file system") and its advice cannot know what to do.
    ``path`` defaults to the error's own file name."""
    import errno
    import os

    target = str(path if path is not None else (exc.filename or ""))
    shown = f"« {target} »" if target else "ce fichier ou ce dossier"
    name = errno.errorcode.get(exc.errno or 0, "")
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_ERRORS:
        what, fix = _WINDOWS_ERRORS[winerror]
    elif name in ("EACCES", "EPERM"):
        # The advice depends on what was refused: a file (open elsewhere, read-only)
        # or a folder (no right to write there).
        # A file not created yet: what was refused is writing in its folder.
        parent = os.path.dirname(target)
        if target and not os.path.exists(target) and parent and os.path.isdir(parent):
            target, shown = parent, f"« {parent} »"
        if target and os.path.isdir(target):
            what = (
                "vous n'avez pas le droit d'écrire dans le dossier {path} "
                "(il est peut-être en lecture seule)"
            )
            fix = "choisissez un dossier où vous pouvez écrire (par exemple dans vos Documents)"
        else:
            what = "l'accès à {path} est refusé"
            fix = (
                "fermez-le s'il est ouvert dans Word ou Excel, vérifiez qu'il n'est pas "
                "en lecture seule (clic droit > Propriétés), ou choisissez un autre dossier"
            )
    elif name == "EEXIST" and target and os.path.isfile(target):
        # A file where a folder is to be made: "File exists" says nothing of that.
        what = "{path} est un fichier, alors qu'un dossier est attendu à cet endroit"
        fix = "renommez ou déplacez ce fichier, ou choisissez un autre dossier"
    elif name == "ENOTDIR":
        what = "un élément du chemin {path} est un fichier, alors qu'un dossier est attendu"
        fix = "renommez ou déplacez ce fichier, ou choisissez un autre dossier"
    elif name in _OS_ERRORS:
        what, fix = _OS_ERRORS[name]
    else:
        what = "le système a refusé l'opération sur {path}" + (f" (erreur {name})" if name else "")
        fix = "vérifiez le fichier ou le dossier puis recommencez"
    what = what.format(path=shown)
    return f"{what[0].upper()}{what[1:]} ; {fix}."


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
