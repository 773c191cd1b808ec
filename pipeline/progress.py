"""Progress of long work, for whoever shows it.

The library draws nothing: a long stage (rendering the documents, converting them to
PDF, packaging the mailing lists) calls the ``progress`` callback it was given as
``progress(stage, done, total)`` each time it moves on; the CLI draws a bar from it
on a terminal. The stage names are French, since the CLI shows them as they are.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]

# Reported once, as (WAITING, 0, 1), when another build or distribution holds the
# output folder: the work goes on when that one has finished writing.
WAITING = (
    "En attente : une autre construction, diffusion ou production du site écrit dans le même "
    "dossier"
)
RENDERING = "Documents produits"
CONVERSION = "Copies PDF"
PACKAGING = "Listes préparées"


def ignore(stage: str, done: int, total: int) -> None:
    """The default callback: nobody is watching."""
