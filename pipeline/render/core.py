"""The rendering core behind :func:`pipeline.render.render_document` (see the package's
docstring for the order of the passes)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import io
import marshal
import math
import re
import traceback
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from .. import formats
from ..documents.charts import Chart, RateChart, placed
from ..exceptions import TemplateProblem
from ..output.archive import rewrite_zip
from . import typography
from .cache import Cache, default_folder
from .charter import (
    CHARTER_NAME,
    Charter,
    apply_styles,
    assert_layout,
    assert_row_layout,
    drop_direct_formatting,
    load_charter,
)
from .tables import (
    find_elements,
    fit_table_grids,
    merge_marked_cells,
    merge_marker,
    normalize_tables,
    uses_column_loop,
)
from .template_check import check_template_file

_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')


def with_charts(doc: DocxTemplate, value):
    """The context with every Chart replaced by a native chart of ``doc``."""
    if isinstance(value, (Chart, RateChart)):
        return placed(doc, value)
    if isinstance(value, dict):
        return {key: with_charts(doc, item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(with_charts(doc, item) for item in value)
    return value


def _finalize(value):
    """Text of the data with its French spacing, and its line breaks turned into Word
    line breaks; autoescaping escapes everything else. (The pass after rendering
    spaces every paragraph; data spaced here leaves it the template's own text, and
    the few marks split across runs, to read: see typography.paragraphs_to_space.)"""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value  # numbers, and text already made for Word: as they are
    if typography.holds_mark(value):
        value = typography.french_spacing(value)
    if "\n" in value:
        return Markup(str(_BREAK).join(str(escape(line)) for line in value.split("\n")))
    return value


class TemplateLimit(Exception):
    """A tag asked for more work than any real document needs (French message)."""


# Bounds on what one document's tags may ask for, far above what any real document
# needs: a loop of 10**9 or a string repeated 10**9 times is a mistake in a template,
# and it must stop with the tag named, not hang or exhaust the memory.
MAX_RANGE_ITEMS = 1_000_000  # items of every range() of one document together
MAX_REPEAT = 1_000_000  # length of a string or list made by *
MAX_POWER_DIGITS = 1_000  # digits of a number made by **
MAX_FORMAT_WIDTH = 10_000  # width or precision in a "%" format


class _Bounds:
    """The operators and the range() that templates get, bounded (see the limits
    above). The range budget is reset for each document by :func:`render_document`."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def reset_bounds(self) -> None:
        self.range_left = MAX_RANGE_ITEMS

    def bounded_range(self, *args):
        items = range(*args)
        self.range_left -= len(items)
        if self.range_left < 0:
            raise TemplateLimit(
                f"boucle trop longue : plus de {formats.number(MAX_RANGE_ITEMS)} tours au total"
            )
        return items

    def call_binop(self, context, operator, left, right):
        if operator == "**" and _power_digits(left, right) > MAX_POWER_DIGITS:
            raise TemplateLimit("nombre trop grand")
        if operator == "*" and _repeat_length(left, right) > MAX_REPEAT:
            raise TemplateLimit("texte ou liste répété trop de fois")
        if (
            operator == "%"
            and isinstance(left, str)
            and any(int(width) > MAX_FORMAT_WIDTH for width in _FORMAT_WIDTH.findall(left))
        ):
            raise TemplateLimit("largeur de format trop grande")
        return super().call_binop(context, operator, left, right)


_FORMAT_WIDTH = re.compile(r"%[#0 +-]*(?:\d*\.)?(\d+)")


def _power_digits(base, exponent) -> float:
    if not isinstance(base, (int, float)) or not isinstance(exponent, (int, float)):
        return 0
    if abs(base) <= 1 or exponent <= 0:
        return 0
    return exponent * math.log10(abs(base))


def _repeat_length(left, right) -> int:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
            return len(sequence) * times
    return 0


class _Environment(_Bounds, SandboxedEnvironment):
    """The sandbox, compiling each distinct template source once: docxtpl hands Jinja
    the whole XML of a part for every document, and 74 minutes share one template.
    Compiled code is also kept in ``cache`` (see :mod:`pipeline.render.cache`): a later
    run, or another worker of this build, loads it instead of compiling it again
    (Jinja's loaders do so; docxtpl's from_string bypasses them)."""

    def __init__(self, cache: Cache, **options):
        super().__init__(**options)
        self.cache = cache
        self._compiled: dict[str, object] = {}
        # Templates after the passes before rendering, by content (see _prepared).
        self.prepared: dict[tuple[bytes, bytes | None], tuple[object, bool]] = {}
        self.source = ""  # the XML part being rendered, to name a failing tag
        self.globals["range"] = self.bounded_range
        self.reset_bounds()

    def from_string(self, source, globals=None, template_class=None):
        self.source = source
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            code = marshal.loads(
                self.cache.get(
                    self._signature() + source.encode(),
                    lambda: marshal.dumps(self.compile(source)),
                )
            )
            self._compiled[source] = self.template_class.from_code(
                self, code, self.make_globals(None), None
            )
        return self._compiled[source]

    def _signature(self) -> bytes:
        """What compiled code depends on besides its source and the code version: the
        names of the filters and tests it may call."""
        names = "\0".join(sorted(self.filters) + ["|"] + sorted(self.tests))
        return b"jinja\0" + hashlib.sha256(names.encode()).digest()


class _Template(DocxTemplate):
    """docxtpl's template with two methods replaced, each keeping docxtpl's contract
    (same arguments, same result, same effect on the document)."""

    def __init__(self, template_file, cache: Cache):
        super().__init__(template_file)
        self.cache = cache

    def patch_xml(self, src_xml):
        """docxtpl's clean-up of a template part, a chain of regular expressions over
        the whole part run for every document (a tenth of the sample's build), read
        from the cache when an earlier document or run has made it."""
        patch = super().patch_xml
        return self.cache.get(
            b"patch_xml\0" + src_xml.encode(), lambda: patch(src_xml).encode()
        ).decode()

    def map_tree(self, tree):
        """The document's body replaced by ``tree`` (docxtpl's rendered body), as
        docxtpl's map_tree replaces it: the same elements, attributes and text. docxtpl
        moves the tree into the document with lxml's ``replace``, which costs time
        quadratic in the number of ``xml:space`` attributes it moves (lxml 6 adds one
        entry per such attribute to a list it scans for each: 38 s for a 300-fold annual
        review, whose text runs all carry one). A body with many is moved with these
        attributes under a plain name, then given back their own: linear. ``tree`` is
        emptied first (docxtpl's render does not read it again), so that a large body's
        tree is never in memory twice."""
        root = self.docx.element
        spaces = int(_COUNT_SPACES(tree))
        if spaces < LINEAR_SWAP_FROM:
            root.replace(root.body, tree)
            return
        xml = etree.tostring(tree, encoding="UTF-8")
        # Every occurrence is an attribute (text holding the same characters would make
        # the counts differ), and the stand-in name is free.
        if xml.count(_XML_SPACE_ATTRIBUTE) != spaces or _STAND_IN.encode() in xml:
            root.replace(root.body, tree)
            return
        xml = xml.replace(_XML_SPACE_ATTRIBUTE, b' %s="' % _STAND_IN.encode())
        tree.clear()
        tree = etree.fromstring(xml, _PARSER)
        del xml
        root.replace(root.body, tree)
        for element in _STANDING_IN(root.body):
            element.set(_XML_SPACE, element.attrib.pop(_STAND_IN))


# From this many xml:space attributes in a rendered body, lxml's replace costs more
# than parsing the body's text again (a 10-fold annual review has 12 000).
LINEAR_SWAP_FROM = 10_000
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_SPACE_ATTRIBUTE = b' xml:space="'
_STAND_IN = "troika-espace"
_COUNT_SPACES = etree.XPath("count(//@xml:space)")
_STANDING_IN = etree.XPath(f"//*[@{_STAND_IN}]")
# As docxtpl's fix_tables parses the rendered body.
_PARSER = etree.XMLParser(recover=True, huge_tree=True)


def make_environment(cache_folder: Path | None = None) -> SandboxedEnvironment:
    """The Jinja environment documents are rendered in; compiled templates and cleaned
    template parts are cached in ``cache_folder`` (default: the user's cache folder)."""
    env = _Environment(
        Cache(cache_folder if cache_folder is not None else default_folder()),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
    )
    env.filters.update(formats.FILTERS)
    env.globals["fusion"] = merge_marker
    env.globals["couleur"] = _no_colour
    return env


def _no_colour(_key) -> str:
    """``couleur(statut)`` without a charter: no fill."""
    return "auto"


def _describe(exc: TemplateError) -> str:
    context = getattr(exc, "docx_context", None)
    near = " ".join(" ".join(context).split())[:160] if context else ""
    return f" Texte voisin : « {near} »." if near else ""


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_MARKUP = re.compile(r"<[^>]+>")

# What staff can do about a runtime error, by type; other types are named as they are.
_RUNTIME_ERRORS = {
    ZeroDivisionError: "division par zéro",
    TypeError: "opération entre des valeurs de types incompatibles, comme un texte et un nombre",
    ValueError: "valeur impossible à convertir ou à traiter",
    OverflowError: "nombre ou boucle trop grand",
    AttributeError: "élément inexistant",
    KeyError: "clé inexistante",
    IndexError: "position hors de la liste",
    RecursionError: "appel récursif sans fin",
    MemoryError: "mémoire insuffisante",
}


def failing_tag(exc: BaseException, source: str) -> str | None:
    """The tag(s) on the line of the template where ``exc`` was raised, or None when
    it was not raised by a tag. docxtpl puts each paragraph of the part on its own
    line, and Jinja puts the template's line number in the traceback."""
    line = None
    for frame, number in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = number  # the innermost template frame is the last one
    if line is None:
        return None
    lines = source.splitlines()
    text = html.unescape(_MARKUP.sub("", lines[line - 1])) if 0 < line <= len(lines) else ""
    tags = _TAG.findall(text)
    found = " ".join(" ".join(tag.split()) for tag in tags) or " ".join(text.split())
    return found[:200]


def _tag_phrase(exc: BaseException, env) -> str:
    tag = failing_tag(exc, getattr(env, "source", ""))
    return f"la balise « {tag} » " if tag else "une balise "


def runtime_problem(name: str, exc: Exception, env) -> TemplateProblem | None:
    """A French TemplateProblem for an error raised while a tag ran (``{{ 1/0 }}``, a
    type error, a bounded loop), naming the template and the tag; for a file docxtpl
    cannot read, the invalid-file message; None for anything else (a bug of ours)."""
    tag = failing_tag(exc, getattr(env, "source", ""))
    if tag is None:
        if isinstance(exc, (KeyError, ValueError, OSError)):
            return TemplateProblem(
                f"Modèle {name} : le fichier n'est pas un document Word "
                f".docx valide ({type(exc).__name__})."
            )
        return None
    if isinstance(exc, TemplateLimit):
        what = str(exc)
    else:
        what = next(
            (text for kind, text in _RUNTIME_ERRORS.items() if isinstance(exc, kind)),
            f"erreur {type(exc).__name__}",
        )
    where = f"la balise « {tag} »" if tag else "une balise"
    return TemplateProblem(
        f"Modèle {name} : {where} échoue à l'exécution ({what}). Corrigez "
        "ou retirez cette balise dans Word ; les calculs se font dans "
        "l'outil, pas dans le modèle."
    )


def stamp_properties(document, day: dt.date) -> None:
    """Document properties that depend on the data only, never on the clock or the
    machine: created and modified on ``day``, revision 1, no "last modified by"."""
    properties = document.core_properties
    moment = dt.datetime(day.year, day.month, day.day)
    properties.created = moment
    properties.modified = moment
    properties.revision = 1
    properties.last_modified_by = ""


def render_document(
    template: Path,
    context: dict,
    env: SandboxedEnvironment | None = None,
    day: dt.date | None = None,
    charter: Charter | None = None,
) -> bytes:
    """The rendered .docx as bytes; TemplateProblem names the template and the tag.

    The template is read afresh, by content, for every document: an edit is seen at
    once, whatever its file's dates. The bytes are reproducible: rendering the same
    template and context twice gives the same file. ``day`` (the document's own date)
    becomes its created and modified properties; the parts of the archive are dated as
    Word dates them (see :mod:`pipeline.output.archive`). ``charter`` defaults to the
    charte.docx beside the template, when there is one."""
    env = env or make_environment()
    name = template.name
    if charter is None and (template.parent / CHARTER_NAME).exists():
        charter = load_charter(template.parent / CHARTER_NAME)
    env.globals["couleur"] = charter.colour if charter is not None else _no_colour
    if isinstance(env, _Bounds):
        env.reset_bounds()
    data = _template_bytes(template)
    try:
        doc = _Template(io.BytesIO(data), getattr(env, "cache", Cache(None)))
        doc.docx, column_loop = _prepared(env, template, data, charter)
        doc.render(with_charts(doc, context), jinja_env=env, autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"Modèle {name} : erreur de syntaxe dans une balise ({exc.message})."
            f"{_describe(exc)} Corrigez la balise dans Word (accolades et %, sans mise en forme "
            "partielle)."
        ) from exc
    except UndefinedError as exc:
        raise TemplateProblem(
            f"Modèle {name} : la balise utilise une donnée inconnue ({exc.message})."
            f"{_describe(exc)} Vérifiez l'orthographe du nom dans la balise."
        ) from exc
    except SecurityError as exc:
        raise TemplateProblem(
            f"Modèle {name} : {_tag_phrase(exc, env)}utilise une opération interdite (accès "
            "à un élément interne de Python). Retirez cette balise dans Word."
        ) from exc
    except TemplateError as exc:
        raise TemplateProblem(f"Modèle {name} : {exc}.{_describe(exc)}") from exc
    except Exception as exc:
        problem = runtime_problem(name, exc, env)
        if problem is None:
            raise
        raise problem from exc
    finish_document(doc.docx, charter, column_loop)
    if day is not None:
        stamp_properties(doc.docx, day)
    data = document_bytes(doc.docx)
    release_body(doc.docx)
    return data


KEPT_PREPARED = 32  # templates an environment keeps prepared, at most


def _template_bytes(template: Path) -> bytes:
    """The template file's bytes; a missing or unreadable one is named in French."""
    try:
        return template.read_bytes()
    except OSError:
        check_template_file(template)  # names a missing template
        raise


def _prepared(env, template: Path, data: bytes, charter: Charter | None):
    """A python-docx document of the template whose bytes are ``data``, after the passes
    before rendering (see prepare_template), and whether it holds a column loop. The
    environment keeps each template prepared, by content (its bytes and the charter's
    styles): each document starts from a copy, three times cheaper than opening the
    .docx again, and an edited template is a new key, seen at once."""
    memo = getattr(env, "prepared", None)
    key = (hashlib.sha256(data).digest(), charter.styles_xml if charter is not None else None)
    if memo is None or key not in memo:
        # Checked once per content, not per document (a build checks every template
        # before rendering anyway): a .docm or .dotx is refused with its French message.
        check_template_file(template)
        document = Document(io.BytesIO(data))
        column_loop = prepare_template(document, charter)
        if memo is None:
            return document, column_loop
        if len(memo) >= KEPT_PREPARED:
            del memo[next(iter(memo))]
        memo[key] = (document, column_loop)
    document, column_loop = memo[key]
    return copy.deepcopy(document), column_loop


def prepare_template(document, charter: Charter | None) -> bool:
    """The passes before docxtpl's render, on the template's python-docx document:
    direct formatting dropped, then the charter's styles and row rules. Returns
    whether the template holds a column loop (``{%tc for %}``), read before docxtpl
    rewrites its tags."""
    column_loop = uses_column_loop(document)
    drop_direct_formatting(document)
    if charter is not None:
        apply_styles(document, charter)
        assert_row_layout(document, charter)
    return column_loop


def finish_document(document, charter: Charter | None, column_loop: bool) -> None:
    """The passes after docxtpl's render, in their order, over the elements of one walk
    of the body: merged cells, column grids (after a column loop only), tables valid
    for Word, French spacing, then the charter's page layout."""
    found = find_elements(document.element.body)
    merge_marked_cells(found.texts)
    # Picked once the markers are gone. A paragraph merged away may be picked: spacing
    # it changes nothing in the document.
    to_space = typography.paragraphs_to_space(found.texts)
    if column_loop:
        fit_table_grids(found.tables)
    normalize_tables(found.tables, found.cells)
    typography.space_document(document, to_space)
    if charter is not None:
        assert_layout(document, charter, found.tables)


def release_body(document) -> None:
    """Empty the body of a document that is saved and no longer needed. python-docx's
    package and parts refer to each other, so a document is freed only when Python's
    cycle collector next runs, which may be several documents later: at 300 times the
    sample, the annual review's body alone takes 1 GB, and the reports rendered before
    it stayed in memory while it was rendered. Emptying the body frees the tree at once;
    what the collector finds later is a few small objects."""
    document.element.body.clear()


def document_bytes(document) -> bytes:
    """The document saved by python-docx, as a reproducible zip (see
    :func:`pipeline.output.archive.rewrite_zip`)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return rewrite_zip(buffer.getvalue())
