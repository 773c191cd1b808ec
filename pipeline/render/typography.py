"""French spacing in generated text: the non-breaking spaces of French typography.

French puts a space before the "high" punctuation marks and inside guillemets, and that
space must never break a line (a colon or a "»" alone at the start of a line is a typo).
The convention applied here is the one of the *Lexique des règles typographiques en
usage à l'Imprimerie nationale*:

- espace insécable (U+00A0) before « : », before « % » and inside « », the same
  space Babel's own French percent format puts before « % »;
- espace fine insécable (U+202F) before « ; », « ! » and « ? ».

Both the templates' wording and the workbook's data are spaced, so whoever types
« Source : » or « 75 % » in Word or Excel gets it right: the data as each value enters
the document (pipeline.render's finalize), then every paragraph after rendering, which
reads only the paragraphs a value or the template may have left to space
(paragraphs_to_space).

The pass only *replaces* the spaces it finds before these marks (ordinary, non-breaking,
thin): it never adds one, since a colon, a "?" or a "%" with no space before it is a
time (10:30), a URL (https://…?id=3, %20) or an e-mail address, which must stay as
typed. Guillemets are the exception: they never occur in such strings, so a missing
space inside « » is added.

In a Word document the text of one sentence is often split across several runs (a
bold word, a tag's value, a spelling mark); the pass reads each paragraph's runs as
one string, so "Source" + " " + ": ..." in three runs is corrected too. A tab, a line
break or a field code between two runs stops that string: text is never joined across
them, and field instructions (``w:instrText``) are never read nor changed.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn

NBSP = "\u00a0"  # espace insécable
NNBSP = "\u202f"  # espace fine insécable

# The space each mark takes before it (after it, for the opening guillemet).
SPACE_BEFORE = {":": NBSP, "%": NBSP, "»": NBSP, ";": NNBSP, "!": NNBSP, "?": NNBSP}
SPACE_AFTER_OPENING = NBSP

_SPACES = f" {NBSP}{NNBSP}\u2009"  # ordinary, non-breaking, narrow and thin spaces
_MARKS = ":;!?%«»"


def _edits(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` needs its spacing changed: ``(start, end, space)`` meaning that
    ``text[start:end]`` (spaces, possibly none) becomes ``space``; sorted, disjoint."""
    # The marks are few: find each, then look at the spaces beside it. (A pattern that
    # starts with optional spaces is tried at every character, several times slower.)
    edits = []
    for match in _A_MARK.finditer(text):
        at = match.start()
        mark = text[at]
        if mark == "«":
            end = at + 1
            while end < len(text) and text[end] in _SPACES:
                end += 1
            if end == at + 1 and (end == len(text) or text[end] in "»\n\t"):
                continue  # nothing after "«" yet, or "«»"
            edits.append((at + 1, end, SPACE_AFTER_OPENING))
        else:
            start = at
            while start and text[start - 1] in _SPACES:
                start -= 1
            if start == at and (mark != "»" or not at or text[at - 1] in "«\n\t"):
                continue  # no space before a high mark is added; nothing before "«»"
            edits.append((start, at, SPACE_BEFORE[mark]))
    edits.sort()
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        # "«  »" or "« :" give two edits of the same spaces: one is enough.
        if kept and (edit[0] < kept[-1][1] or edit[:2] == kept[-1][:2]):
            continue
        kept.append(edit)
    return [(s, e, space) for s, e, space in kept if text[s:e] != space]


def holds_mark(text: str) -> bool:
    """Whether ``text`` holds one of the marks French spacing is about."""
    return _A_MARK.search(text) is not None


def french_spacing(text: str) -> str:
    """``text`` with the French non-breaking spaces (see the module's docstring)."""
    for start, end, space in reversed(_edits(text)):
        text = text[:start] + space + text[end:]
    return text


def _apply(nodes: list, edits: list[tuple[int, int, str]]) -> None:
    """Apply edits made on the joined text of ``nodes`` (``w:t`` elements) to the
    nodes themselves. A new space goes into the run of the space it replaces, or, when
    it is added, into the run of the character before it."""
    texts = [node.text or "" for node in nodes]
    changed = set()
    for start, end, space in reversed(edits):
        bounds, offset = [], 0
        for text in texts:
            bounds.append((offset, offset + len(text)))
            offset += len(text)
        where = start if end > start else start - 1
        owner = next(i for i, (a, b) in enumerate(bounds) if a <= where < b)
        for i, (a, b) in enumerate(bounds):
            low, high = max(a, start), min(b, end)
            if low < high:
                texts[i] = texts[i][: low - a] + texts[i][high - a :]
                changed.add(i)
        local = start - bounds[owner][0]
        texts[owner] = texts[owner][:local] + space + texts[owner][local:]
        changed.add(owner)
    for i in changed:
        nodes[i].text = texts[i]
        # A run that now starts or ends with a space must say so to keep it.
        nodes[i].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


_T, _P = qn("w:t"), qn("w:p")
# What separates two pieces of text in a paragraph: text is never joined across these.
_BARRIERS = {
    qn(f"w:{tag}")
    for tag in (
        "tab",
        "br",
        "cr",
        "ptab",
        "sym",
        "instrText",
        "fldChar",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "noBreakHyphen",
        "softHyphen",
    )
}
# A mark in a text element: the only paragraphs worth reading hold one.
_A_MARK = re.compile(f"[{re.escape(_MARKS)}]")


def _stretches(paragraph) -> list[list]:
    """The paragraph's ``w:t`` elements, grouped into stretches of contiguous text.
    Text of a paragraph nested in this one (a text box) is left to that paragraph."""
    stretches, current, nested = [], [], False
    # Asking lxml for these tags only spares a Python object for every run and its
    # properties.
    for element in paragraph.iter(_T, _P, *_BARRIERS):
        if element.tag == _T:
            if not nested or next(element.iterancestors(_P)) is paragraph:
                current.append(element)
        elif element is not paragraph:
            nested = nested or element.tag == _P
            if current:
                stretches.append(current)
            current = []
    if current:
        stretches.append(current)
    return stretches


def space_paragraph(paragraph) -> None:
    """French spacing in one ``w:p`` element, across its runs."""
    for nodes in _stretches(paragraph):
        edits = _edits("".join(node.text or "" for node in nodes))
        if edits:
            _apply(nodes, edits)


def space_element(root, paragraphs=None) -> None:
    """French spacing in every paragraph under ``root`` that holds one of the marks
    (``paragraphs``: those paragraphs, when a walk over ``root``'s text elements has
    already picked them with paragraphs_to_space)."""
    if paragraphs is None:
        # Iterating over the text elements is several times faster than an XPath query.
        paragraphs = paragraphs_to_space(root.iter(_T))
    for paragraph in paragraphs:
        space_paragraph(paragraph)


def paragraphs_to_space(texts) -> dict:
    """The paragraphs of the text elements ``texts`` that may need spacing, in order (a
    dict used as an ordered set): those with a text element holding a mark that is not
    already spaced right (see _settled)."""
    paragraphs: dict = {}
    for node in texts:
        text = node.text
        if not text or not _A_MARK.search(text) or _settled(text):
            continue
        paragraph = next(node.iterancestors(_P), None)
        if paragraph is not None:
            paragraphs.setdefault(paragraph, None)
    return paragraphs


_HIGH_OR_CLOSING = ":;!?%»"


def _settled(text: str) -> bool:
    """Whether the marks of ``text`` are spaced right whatever the text of the runs
    around it: no edit within it, and no mark whose spaces may reach into another run
    (a high mark or "»" with only spaces before it, a "«" with only spaces after it).
    A paragraph whose marked runs are all settled needs no edit: its texts joined give
    the same edits as each alone, none. Most runs are, once the data is spaced."""
    core = text.strip(_SPACES)
    return core[0] not in _HIGH_OR_CLOSING and core[-1] != "«" and not _edits(text)


# The parts of a Word document that hold text a reader sees.
_TEXT_PART = re.compile(r"/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def space_document(document, body_paragraphs=None) -> None:
    """French spacing in the body, headers, footers and notes of a python-docx
    document, in place (``body_paragraphs``: the main part's paragraphs to space, when
    an earlier walk has picked them, see space_element)."""
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and _TEXT_PART.search(str(part.partname)):
            space_element(element, body_paragraphs if part is document.part else None)
