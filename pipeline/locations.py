"""Where the tool finds its folders, whether it runs from a copy of the repository (the
Makefile, the launchers, a developer's editable install) or installed like any Python
tool (``pip install .``, a wheel) into an environment of its own.

The Word templates (and the charter, and ``courriel.txt``) are the first of:

1. the folder given with ``--modeles`` (``troika construire``, ``troika verifier-modeles``);
2. ``templates/`` in the current folder, when it holds the charter ``charte.docx``: the
   secretariat's edited copies, in the folder where the launchers and the Makefile run;
3. the templates shipped with the tool: ``pipeline/modeles`` inside an installed package
   (setup.py maps the repository's ``templates/`` there), or the repository's own
   ``templates/`` when the code runs from the repository.

The project folder, which holds the default ``inputs/`` and ``build/``, is the repository
when the code runs from it, and the current folder for an installed tool.

This module imports nothing heavy: ``troika --version`` names the templates in use.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The templates inside an installed package: present only in a wheel or a plain install.
_PACKAGED = PACKAGE / "modeles"
# The repository holding the code, when it runs from one (editable install, tests).
_REPOSITORY = PACKAGE.parent
# pipeline.render.charter.CHARTER_NAME, not imported: that package loads docxtpl.
CHARTER_NAME = "charte.docx"
TEMPLATES_FOLDER = "templates"


def is_installed() -> bool:
    """Whether the code runs from an installed package rather than from the repository."""
    return _PACKAGED.is_dir()


def shipped_templates() -> Path:
    """The templates that come with the tool (see the module's rule, step 3)."""
    return _PACKAGED if is_installed() else _REPOSITORY / TEMPLATES_FOLDER


def project_folder() -> Path:
    """The folder of the default ``inputs/`` and ``build/``: the repository the code runs
    from, or the current folder for an installed tool."""
    return Path.cwd() if is_installed() else _REPOSITORY


def find_templates(chosen: Path | None = None, here: Path | None = None) -> Path:
    """The templates folder to use: ``chosen`` when given, else ``templates/`` of ``here``
    (default: the current folder) when it holds the charter, else the shipped ones."""
    if chosen is not None:
        return Path(chosen)
    local = (Path.cwd() if here is None else Path(here)) / TEMPLATES_FOLDER
    if (local / CHARTER_NAME).is_file():
        return local
    return shipped_templates()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def describe_templates(folder: Path) -> str:
    """The templates folder in use and where it comes from, in French, for
    ``troika --version`` and the build's summary."""
    folder = Path(folder)
    if _same_folder(folder, _PACKAGED):
        return (
            f"{folder} (modèles livrés avec l'outil ; pour les modifier, copiez ce dossier "
            f"sous le nom {TEMPLATES_FOLDER}/ dans le dossier d'où vous lancez troika)"
        )
    if _same_folder(folder, _REPOSITORY / TEMPLATES_FOLDER):
        return f"{folder} (dossier {TEMPLATES_FOLDER}/ de l'outil)"
    if _same_folder(folder, Path.cwd() / TEMPLATES_FOLDER):
        return f"{folder} (dossier {TEMPLATES_FOLDER}/ du dossier courant)"
    return str(folder)
