"""Stage 4: merge a context into a Word template, in memory.

One function, :func:`render_document`: template + context + date -> the .docx bytes.

Templates are .docx files rendered by docxtpl's ``DocxTemplate.render()`` inside a
*sandboxed* Jinja environment with StrictUndefined (a misspelled variable is an error,
not an empty string) and autoescaping (``&`` or ``<`` in the data would otherwise
corrupt the XML silently). Data is only ever a value: it is never parsed as a template.

What docxtpl cannot express is done by explicit passes over the python-docx document,
in this order (see :func:`render_document`):

1. before rendering, on the template: direct formatting dropped and the house style
   (``templates/charte.docx``, :mod:`pipeline.render.charter`) applied, its row rules
   asserted;
2. docxtpl's render;
3. after rendering: cells merged by ``{{ fusion(key) }}``, column grids fitted after a
   ``{%tc for %}`` loop, tables made valid for Word (:mod:`pipeline.render.tables`),
   French spacing (:mod:`pipeline.render.typography`), the charter's page layout, the
   document's properties dated, and a reproducible zip
   (:mod:`pipeline.output.archive`).

Two of docxtpl's methods are replaced, for speed, each keeping docxtpl's contract
(tests/test_render.py compares them with docxtpl's on every shipped template):
``patch_xml`` (its clean-up of a template part, kept in :mod:`pipeline.render.cache`)
and ``map_tree`` (its body swap, quadratic in the body's size, made linear).
"""

from __future__ import annotations

# docxtpl, python-docx and Jinja are imported on first use: the stage's other modules
# (the charter, the template checks) are read by commands that render nothing.
_CORE = ("render_document", "make_environment", "MAX_RANGE_ITEMS")
__all__ = list(_CORE)


def __getattr__(name: str):
    if name in _CORE:
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
