"""Stage 4: merge a context into a Word template, in memory.

Templates are .docx files rendered by docxtpl inside a *sandboxed* Jinja environment
with StrictUndefined (a misspelled variable is an error, not an empty string) and
autoescaping (``&`` or ``<`` in the data would otherwise corrupt the XML silently).
Data is only ever a value: it is never parsed as a template.

The house style (``templates/charte.docx``, see :mod:`pipeline.render.charter`) is applied to
every rendered document: its style definitions replace the template's copies, its
colour table answers the Jinja global ``couleur(statut)``, and the page-layout rules a
round trip through Word may lose (repeated heading rows, unsplittable rows, signature
kept with its text) are re-asserted.

Passes follow docxtpl's render, for what docxtpl cannot express: the table passes of
:mod:`pipeline.render.tables` (cells merged by ``{{ fusion(key) }}``, column grids fitted after
a ``{%tc for %}`` loop, tables valid for Word), then the non-breaking spaces of French
typography (:mod:`pipeline.render.typography`), in the template's wording and in the data
alike, then the charter's layout rules.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import html
import math
import re
import tempfile
import traceback
import zipfile
from pathlib import Path

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from docxtpl import __version__ as _DOCXTPL_VERSION
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from .. import formats
from ..documents.charts import Chart, RateChart, placed
from ..exceptions import TemplateProblem
from ..output.archive import document_members, extend_zip, make_zip
from . import typography
from .charter import (
    CHARTER_NAME,
    SIGNATURE_DATE_STYLE,
    Charter,
    apply_styles,
    assert_layout,
    assert_row_layout,
    load_charter,
)
from .tables import (
    find_elements,
    fit_grids_to_rows,
    fit_table_grids,
    has_marker,
    markers_emitted,
    merge_marked_cells,
    merge_marker,
    normalize_tables,
)

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
    With a bytecode cache, a source compiled by an earlier run is loaded instead of
    compiled again (Jinja's loaders do so; docxtpl's from_string bypasses them)."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, object] = {}
        self._safe: dict[tuple[type, str], bool] = {}
        self.source = ""  # the XML part being rendered, to name a failing tag
        self.globals["range"] = self.bounded_range
        self.reset_bounds()

    def is_safe_attribute(self, obj, attr, value):
        # The sandbox's answer depends only on the object's type and the attribute's
        # name; templates read thousands of attributes of a few types.
        key = (type(obj), attr)
        if key not in self._safe:
            self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return self._safe[key]

    def from_string(self, source, globals=None, template_class=None):
        self.source = source
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = self.template_class.from_code(
                self, self._code(source), self.make_globals(None), None
            )
        return self._compiled[source]

    def _code(self, source: str):
        """The compiled code of ``source``, from the bytecode cache when it has it."""
        return _kept_in_cache(
            self.bytecode_cache, lambda: self._signature, source, lambda: self.compile(source)
        )

    @functools.cached_property
    def _signature(self) -> str:
        """What compiled code depends on besides its source, so that no code compiled
        for another environment is ever loaded: Jinja's version, this module (the
        sandbox and its options) and the names of the filters and tests."""
        digest = hashlib.sha256(jinja2.__version__.encode())
        digest.update(Path(__file__).read_bytes())
        digest.update("\0".join(sorted(self.filters) + ["|"] + sorted(self.tests)).encode())
        return digest.hexdigest()


class _Template(DocxTemplate):
    """docxtpl's template, cleaning each distinct part's XML once (patch_xml is a
    chain of regular expressions over the whole part)."""

    _patched: dict[str, str] = {}
    _column_loops: dict[str, bool] = {}
    has_column_loop = False  # whether the template uses {%tc ... %} (tables may widen)

    def patch_xml(self, src_xml):
        if src_xml not in self._column_loops:
            # Word may split a tag across runs: look at the text without the markup.
            self._column_loops[src_xml] = bool(_COLUMN_LOOP.search(_MARKUP.sub("", src_xml)))
        self.has_column_loop |= self._column_loops[src_xml]
        if src_xml not in self._patched:
            # docxtpl's cleaning is a chain of regular expressions (70 ms over the
            # sample's templates, in every process that renders them): kept on disk.
            self._patched[src_xml] = _kept_in_cache(
                _bytecode_cache(),
                _cleaning_signature,
                src_xml,
                lambda: self._patched_for_jinja(src_xml),
            )
        return self._patched[src_xml]

    def _patched_for_jinja(self, src_xml: str) -> str:
        # Formatting comes from the charter's styles: a size, colour, font or fill set
        # by hand (or written by LibreOffice when it saves) is dropped before the tags
        # are read. cellbg and colspan put their element before the cell width; moving
        # it after, once per template, spares sorting every cell.
        return _INSERTED_IN_TCPR.sub(
            _reorder_inserted, super().patch_xml(_DIRECT_FORMATTING.sub("", src_xml))
        )

    # docxtpl parses the rendered body alone, then swaps it into the document with
    # lxml's replace, which costs time quadratic in the body's size (37 s for a
    # 300-fold annual review). Here the rendered body is spliced into the document's
    # XML as text and parsed once, in linear time (a large one in groups, see below).
    def fix_tables(self, xml):
        return self._parse_in_groups(xml)  # the pieces of build_xml, see below

    def resolve_listing(self, xml):
        # docxtpl turns the tabs and breaks in text (w:t) into Word markup by running
        # regular expressions over every paragraph and run of the part; a part with
        # none of these characters in its text comes out unchanged, and most have none
        # (a drawing's XML has line breaks between its tags, not in text).
        if not any(
            character in xml for character in _LISTING_CHARACTERS
        ) or not _LISTING_IN_TEXT.search(xml):
            return xml
        return super().resolve_listing(xml)

    # --- A large body, made and finished in groups of whole top-level elements ---
    #
    # The parsed tree of a document takes about twelve times its XML (a 300-fold annual
    # review: 86 MB of XML, 1 GB of tree), and docxtpl holds the whole rendered body as
    # one string besides. So the body is rendered piece by piece (Jinja's generate), and
    # once the pieces since the last cut exceed GROUP_CHARS and end between two top-level
    # elements (paragraphs, tables), that group is parsed on its own in the document's
    # frame, finished by the same passes as a whole document, serialized and spooled;
    # only the tree of one group is ever in memory. The last group stays in the document
    # as docxtpl's body, after a marker where the spooled groups go back when the
    # archive is written (see render_document). A small body is one group.

    charter: Charter | None = None  # the passes' charter (set by render_document)
    spooled: _Spool | None = None  # the finished groups' XML, None when there is one group

    def build_xml(self, context, jinja_env=None):
        return self._rendered_pieces(self.patch_xml(self.get_xml()), context, jinja_env)

    def _rendered_pieces(self, src_xml, context, jinja_env):
        """The body rendered by docxtpl's render_xml_part, as pieces that each end just
        before a paragraph (where docxtpl's clean-ups of the rendered text may cut)."""
        src_xml = _PARAGRAPH_OPENING.sub(r"\n<w:p\1", src_xml)  # as render_xml_part does
        self.current_rendering_part = self.docx._part
        template = jinja_env.from_string(src_xml)
        buffer: list[str] = []
        size = 0
        try:
            for text in template.generate(context):
                buffer.append(text)
                size += len(text)
                if size >= PIECE_CHARS:
                    text = "".join(buffer)
                    cut = _last_paragraph_start(text)
                    if cut > 0:
                        yield self._cleaned(text[:cut])
                        text = text[cut:]
                    buffer, size = [text], len(text)
        except TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:  # what render_xml_part attaches
                first = max(exc.lineno - 4, 0)
                exc.docx_context = [
                    _MARKUP.sub("", line) for line in src_xml.splitlines()[first : first + 7]
                ]
            raise
        yield self._cleaned("".join(buffer))

    def _cleaned(self, xml: str) -> str:
        """docxtpl's clean-ups of rendered text (render_xml_part), on one piece."""
        # Plain replacements, not docxtpl's regular expressions: the same result in a
        # third of the time over a long body (an opening is "<w:p " or "<w:p>").
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml:  # the escaped tags docxtpl restores, rare in rendered text
            xml = xml.replace("{_{", "{{").replace("{_%", "{%")
        if "_}" in xml:
            xml = xml.replace("}_}", "}}").replace("%_}", "%}")
        return self.resolve_listing(xml)

    def _parse_in_groups(self, pieces):
        """The document with the last group as its body, the others finished and
        spooled (``pieces``: from _rendered_pieces)."""
        signature = self.charter.style_id(SIGNATURE_DATE_STYLE) if self.charter else None
        group: list[str] = []
        size = depth = 0
        start_tag = None
        for piece in pieces:
            if start_tag is None:  # the first piece opens the body
                end = piece.index(">") + 1
                start_tag, piece = piece[:end], piece[end:]
            # The group so far ends just before a paragraph: a top-level one when no
            # table (content control, text box) is open. A signature's paragraph stays
            # with the one before it, which the layout pass keeps with it.
            if (
                size
                and size >= GROUP_CHARS
                and depth == 0
                and not _opens_signature(piece, signature)
            ):
                self._finish_group(start_tag, group)
                group, size = [], 0
            # A group may also end where a top-level table closes.
            start = 0
            for match in _CONTAINER_TAG.finditer(piece):
                depth += -1 if match[1] else 1
                if depth == 0 and size + match.end() - start >= GROUP_CHARS:
                    group.append(piece[start : match.end()])
                    self._finish_group(start_tag, group)
                    group, size, start = [], 0, match.end()
            group.append(piece[start:] if start else piece)
            size += len(piece) - start
        if self.spooled is not None:
            group.insert(0, _SPOOLED_MARK)
        return _splice_body(self.docx._element, start_tag + "".join(group))

    def _finish_group(self, start_tag: str, group: list[str]) -> None:
        """Parse a group of whole top-level elements in the document's frame, run the
        passes of render_document on it, and spool its body's XML (``group`` is
        emptied as it is parsed)."""
        marked = any(has_marker(piece) for piece in group)
        before, start_tag, after = _document_frame(self.docx._element, start_tag)
        parser = etree.XMLParser(resolve_entities=False, recover=True, huge_tree=True)
        parser.set_element_class_lookup(element_class_lookup)
        parser.feed((before + start_tag).encode())
        for index, piece in enumerate(group):
            parser.feed(piece.encode())
            group[index] = None  # parsed: its text can go
        parser.feed(("</w:body>" + after).encode())
        root = parser.close()
        self.fix_docpr_ids(root)
        part = _GroupDocument(root)
        _run_passes(
            part,
            marked,
            self.has_column_loop,
            self.charter,
            functools.partial(typography.space_element, root),
        )
        xml = etree.tostring(root, encoding="UTF-8")
        del root, part
        start = xml.index(b">", xml.index(b"<w:body")) + 1
        if self.spooled is None:
            self.spooled = _Spool()
        self.spooled.add(memoryview(xml)[start : xml.rindex(b"</w:body>")])

    def body_pieces(self, xml: bytes):
        """The document part's XML ``xml`` with the spooled groups put back in place of
        the marker, as pieces of bytes (all of it when nothing was spooled)."""
        if self.spooled is None:
            yield xml
            return
        before, _mark, after = xml.partition(_SPOOLED_MARK.encode())
        yield before
        yield from self.spooled.pieces()
        yield after

    def fix_docpr_ids(self, tree):
        # As docxtpl numbers drawings, on python-docx elements (whose xpath() takes
        # no namespace argument).
        for element in tree.iter(qn("wp:docPr")):
            self.docx_ids_index += 1
            element.set("id", str(self.docx_ids_index))

    def map_tree(self, tree):
        document = self.docx
        document._part._element = tree
        document._element = tree
        document._Document__body = None  # python-docx's cached wrapper of the old body


# python-docx's element classes, and docxtpl's tolerance of what Jinja may leave.
_DOCUMENT_PARSER = etree.XMLParser(resolve_entities=False, recover=True, huge_tree=True)
_DOCUMENT_PARSER.set_element_class_lookup(element_class_lookup)


def _document_frame(root, start_tag: str) -> tuple[str, str, str]:
    """The document element ``root`` as text before and after its body, and the body's
    ``start_tag`` (serialized alone, with its namespace declarations) without those
    the root makes already, so the document reads as python-docx would write it."""
    text = etree.tostring(root, encoding="unicode")
    start = text.index("<w:body")
    empty = text.find("/>", start)
    end = (
        empty + 2
        if empty != -1 and empty < text.find(">", start) + 1
        else text.rindex("</w:body>") + len("</w:body>")
    )
    declared = {f'xmlns:{prefix}="{uri}"' for prefix, uri in root.nsmap.items() if prefix}
    start_tag = _NAMESPACE_DECLARATION.sub(
        lambda m: "" if m[0].strip() in declared else m[0], start_tag
    )
    return text[:start], start_tag, text[end:]


def _splice_body(root, body_xml: str):
    """The document element ``root`` with its body replaced by ``body_xml``, parsed once."""
    tag_end = body_xml.index(">")
    before, start_tag, after = _document_frame(root, body_xml[:tag_end])
    return etree.fromstring(before + start_tag + body_xml[tag_end:] + after, _DOCUMENT_PARSER)


class _Spool:
    """The finished groups' XML (UTF-8), in order. The last one stays in memory as
    tostring made it; each earlier one goes to a temporary file when the next comes.
    A body finished as one group (a long table and little else, as in a large PTA)
    is then never copied: copying 12 MB into a fresh buffer took 90 ms here, most of
    it the system handing over new memory."""

    def __init__(self):
        self.file = None
        self.last = None

    def add(self, xml: memoryview) -> None:
        if self.last is not None:
            if self.file is None:
                self.file = tempfile.TemporaryFile()
            self.file.write(self.last)
        self.last = xml

    def pieces(self):
        """The groups' XML, as pieces of bytes."""
        if self.file is not None:
            self.file.seek(0)
            yield from iter(lambda: self.file.read(SPOOL_READ), b"")
        if self.last is not None:
            yield self.last

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.last = None


class _GroupDocument:
    """What the passes read of a python-docx document (``.element.body``), for a
    group of a body parsed in the document's frame."""

    def __init__(self, element):
        self.element = element


# Rendered text is joined and cleaned in pieces of about this many characters, and a
# body is finished in groups of about GROUP_CHARS (see _Template._parse_in_groups):
# the tree of 4 million characters of WordprocessingML takes about 50 MB.
PIECE_CHARS = 1_000_000
GROUP_CHARS = 4_000_000
SPOOL_READ = 8 * 1024 * 1024  # spooled groups are read back in pieces of this size
_SPOOLED_MARK = "<!--troika: groupes du corps-->"
# The opening or closing tag of an element that holds paragraphs (a paragraph inside
# one is not top-level).
_CONTAINER_TAG = re.compile(r"<(/?)w:(?:tbl|sdt|txbxContent|customXml)[ >]")
# docxtpl puts each paragraph on its own line before rendering, and joins them after.
_PARAGRAPH_OPENING = re.compile(r"<w:p([ >])")


def _last_paragraph_start(text: str) -> int:
    """Where the last complete paragraph opening (docxtpl's ``\\n<w:p``) of
    ``text`` starts, or -1."""
    cut = len(text)
    while True:
        cut = text.rfind("\n<w:p", 0, cut)
        if cut == -1 or text[cut + 5 : cut + 6] in (" ", ">"):
            return cut


def _opens_signature(piece: str, signature: str | None) -> bool:
    """Whether the paragraph opening ``piece`` may be in the signature's style."""
    return signature is not None and f'w:val="{signature}"' in piece[:2000]


_LISTING_CHARACTERS = "\t\a\n\f"  # what docxtpl's resolve_listing rewrites
# One of them between a <w:t> and its </w:t> (text holds no "<": it is escaped).
_LISTING_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>(?:[^<\t\a\n\f]|<(?!/w:t>))*[\t\a\n\f]")
_NAMESPACE_DECLARATION = re.compile(r'\s+xmlns:\w+="[^"]*"')

# Direct formatting in a part's body (styles live in styles.xml, never here).
_DIRECT_FORMATTING = re.compile(r"<w:(?:sz|szCs|color|rFonts|highlight|shd)\b[^>]*/>")
_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\s")  # docxtpl's column loop, which widens tables
_MARKUP = re.compile(r"<[^>]+>")

# What cellbg and colspan insert at the start of a cell's properties, before its width.
_INSERTED_IN_TCPR = re.compile(r"(<w:tcPr>)((?:<w:(?:shd|gridSpan) [^>]*/>)+)(<w:tcW [^>]*/>)")


def _reorder_inserted(match: re.Match) -> str:
    inserted = re.findall(r"<w:(?:shd|gridSpan) [^>]*/>", match[2])
    inserted.sort(key=lambda element: element.startswith("<w:shd"))  # gridSpan, then shd
    return match[1] + match[3] + "".join(inserted)


def make_environment() -> SandboxedEnvironment:
    env = _Environment(
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(formats.FILTERS)
    env.globals["fusion"] = merge_marker
    env.globals["couleur"] = _no_colour
    return env


@functools.cache
def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, in the user's own temporary folder (files
    named troika-*.jinja), or None where that folder cannot be used. Compiling the
    sample's 30 template parts takes a quarter of a second; loading them, a few ms."""
    try:
        return FileSystemBytecodeCache(pattern="troika-%s.jinja")
    except (OSError, RuntimeError):  # Jinja's RuntimeError: no safe folder
        return None


@functools.cache
def _cleaning_signature() -> str:
    """What a cleaned part depends on besides the part: docxtpl's version and this
    module (the cleanings it adds)."""
    digest = hashlib.sha256(_DOCXTPL_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    return "nettoyage-" + digest.hexdigest()[:32]


def _kept_in_cache(cache: FileSystemBytecodeCache | None, signature, source: str, make):
    """``make()``, the value made from ``source`` (compiled code, a cleaned template
    part), kept in Jinja's cache folder under ``signature()`` and the source's digest:
    a later run loads it instead of making it again (the cache's buckets hold any
    value marshal can write)."""
    if cache is None:
        return make()
    try:
        name = signature() + hashlib.sha256(source.encode()).hexdigest()
        bucket = cache.get_bucket(None, name, None, source)
    except OSError:  # an unreadable cache (or module file) is no cache
        return make()
    if bucket.code is None:
        bucket.code = make()
        try:
            cache.set_bucket(bucket)
        except OSError:
            pass  # a full or read-only disk: the next run makes it again
    return bucket.code


def _no_colour(_key) -> str:
    """``couleur(statut)`` without a charter: no fill."""
    return "auto"


def _describe(exc: TemplateError) -> str:
    context = getattr(exc, "docx_context", None)
    near = " ".join(" ".join(context).split())[:160] if context else ""
    return f" Texte voisin : « {near} »." if near else ""


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)

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


_WORD_TYPES = {
    "macroEnabled": "un document Word avec macros (.docm)",
    "template": "un modèle Word (.dotx ou .dotm)",
}


def check_template_file(template: Path) -> None:
    """Refuse, with a French explanation, a template that is not a plain .docx."""
    name = template.name
    if not template.exists():
        raise TemplateProblem(f"Le modèle {name} est introuvable dans {template.parent}.")
    try:
        with zipfile.ZipFile(template) as archive:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise TemplateProblem(
            f"Le modèle {name} n'est pas un document Word .docx (fichier "
            "endommagé ou d'un autre format) : ouvrez-le dans Word et "
            "enregistrez-le au format « Document Word (.docx) »."
        ) from exc
    main = re.search(r'PartName="/word/document.xml"\s+ContentType="([^"]+)"', types)
    content_type = main[1] if main else ""
    for marker, kind in _WORD_TYPES.items():
        if marker in content_type:
            raise TemplateProblem(
                f"Le modèle {name} est enregistré comme {kind} : ouvrez-le "
                "dans Word et choisissez « Enregistrer sous » > « Document "
                "Word (.docx) », sous le même nom."
            )


class _Shared:
    """What the documents of one template share, made once: the bytes of the parts
    rendering never changes (styles, numbering, theme...), and a zip of these parts
    with the template's package members, which each document's zip extends with its
    own parts instead of compressing them all again. Whether a document's zip extends
    it depends on that document alone, so builds stay byte for byte reproducible."""

    _HEAD = ("[Content_Types].xml", "_rels/.rels")  # the package's own members

    def __init__(self, document, parts):
        for part in parts:
            part.before_marshal()
        self.blobs = {part: part.blob for part in parts}
        members = dict(document_members(document, self.blobs))
        self.head = {name: members[name] for name in self._HEAD}
        names = [part.partname.membername for part in parts] + [
            part.partname.rels_uri.membername for part in parts if len(part.rels)
        ]
        self.members = {name: members[name] for name in names}
        self.zip = make_zip([*self.head.items(), *self.members.items()])

    def archive(self, members: list[tuple[str, object]]) -> bytes:
        """The zip of a document's ``members`` (from document_members with the shared
        bytes): the shared zip extended with the document's own parts, or every member
        compressed when its package differs from the template's (a chart added a part)."""
        head = {name: data for name, data in members if name in self._HEAD}
        own = [
            (name, data)
            for name, data in members
            if name not in head and self.members.get(name) != data
        ]
        if head != self.head or len(members) - len(head) - len(own) != len(self.members):
            return make_zip(members)
        return extend_zip(self.zip, own)


# Per template file: its version, the document parsed from it (charter styles applied)
# and what its documents share.
_PREPARED: dict[str, tuple[tuple, object, _Shared]] = {}


def _prepared_document(template: Path, charter: Charter | None):
    """A python-docx document of ``template`` with the charter's styles, ready to
    render, and what it shares with the template's other documents. The file is
    checked, read and parsed once per version (and charter), and each document starts
    from a copy of that parse: copying is several times cheaper than opening the .docx
    again, which a build otherwise does for every document. The copy shares the parts
    rendering never changes (styles, numbering, theme...)."""
    try:
        stat = template.stat()
    except OSError:
        stat = None  # check_template_file explains
    path = str(template.resolve())
    version = (
        stat and stat.st_mtime_ns,
        stat and stat.st_size,
        charter.styles_xml if charter is not None else None,
    )
    if _PREPARED.get(path, (None,))[0] != version:
        check_template_file(template)
        document = Document(path)
        if charter is not None:  # the same for every document of the template
            apply_styles(document, charter)
            assert_row_layout(document, charter)
        unchanged = [
            part
            for part in document.part.package.iter_parts()
            if not _RENDERED_PART.search(str(part.partname))
        ]
        _PREPARED[path] = (version, document, _Shared(document, unchanged))
    _version, document, shared = _PREPARED[path]
    return copy.deepcopy(document, {id(part): part for part in shared.blobs}), shared


# The parts rendering changes: those docxtpl renders (body, headers, footers, notes,
# core properties) and typography edits (see typography.space_document).
_RENDERED_PART = re.compile(
    r"^/(word/(document|header\d*|footer\d*|footnotes|endnotes)|docProps/core)\.xml$"
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

    The bytes are reproducible: rendering the same template and context twice gives
    the same file. ``day`` (the document's own date) becomes its created and modified
    properties; the parts of the archive are dated as Word dates them (see
    :mod:`pipeline.output.archive`). ``charter`` defaults to the charte.docx beside the
    template, when there is one."""
    env = env or make_environment()
    name = template.name
    if charter is None and (template.parent / CHARTER_NAME).exists():
        charter = load_charter(template.parent / CHARTER_NAME)
    env.globals["couleur"] = charter.colour if charter is not None else _no_colour
    markers_before = markers_emitted()
    if isinstance(env, _Bounds):
        env.reset_bounds()
    try:
        doc = _Template(str(template))
        doc.docx, doc.shared = _prepared_document(template, charter)
        doc.charter = charter
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
    try:
        return _finished(doc, charter, day, markers_before)
    finally:
        if doc.spooled is not None:
            doc.spooled.close()


def _run_passes(document, marked: bool, column_loop: bool, charter: Charter | None, space) -> None:
    """The passes after docxtpl's render, in their order, on a whole document or on a
    group of a large body (see _Template._finish_group), over the elements of one walk.
    They run only where they have work: searching a 500-page report for markers or
    column loops it cannot hold would cost more than rendering it. ``space(paragraphs)``
    does the French spacing, given the body's paragraphs to space."""
    found = find_elements(document.element.body)
    if column_loop:
        fit_grids_to_rows(found.tables)  # what docxtpl's fix_tables does, on the tree
    if marked:
        merge_marked_cells(found.texts)
    # Picked once the markers are gone. A paragraph merged away may be picked: spacing
    # it changes nothing in the document.
    to_space = typography.paragraphs_to_space(found.texts)
    if column_loop:
        fit_table_grids(found.tables)
    normalize_tables(found.tables, found.cells)
    space(to_space)
    if charter is not None:
        assert_layout(document, charter, found.tables)


def _finished(
    doc: _Template, charter: Charter | None, day: dt.date | None, markers_before: int
) -> bytes:
    """The rendered document's passes, then its bytes (see render_document)."""
    _run_passes(
        doc.docx,
        markers_emitted() != markers_before,
        doc.has_column_loop,
        charter,
        lambda paragraphs: typography.space_document(doc.docx, paragraphs),
    )
    if day is not None:
        stamp_properties(doc.docx, day)
    main = doc.docx.part.partname.membername
    members = [
        (name, doc.body_pieces(data) if name == main else data)
        for name, data in document_members(doc.docx, doc.shared.blobs)
    ]
    return doc.shared.archive(members)
