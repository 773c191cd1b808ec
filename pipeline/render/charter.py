"""The house style: ``templates/charte.docx``, the one place where the documents'
formatting is defined.

The charter is an ordinary Word document that the secretariat edits in Word. Its
styles part holds every named style the templates may use (French names: "Titre de
partie", "Cellule", "Tableau Troïka"...), and a table "Statut ou repère | Couleur"
gives the fill of each status cell. At build time every rendered document receives
the charter's style definitions (they replace the template's own copies), so changing
a colour or the font in the charter changes every document; templates only *name*
styles.

After rendering, the build also re-asserts what a round trip through Word or
LibreOffice may lose and what a template cannot express alone:

- table rows whose paragraphs are all in the style "En-tête de tableau" at the top of
  a table repeat on every page; no row of a table breaks across pages;
- the paragraph before a signature block ("Lieu et date") stays on its page;
- a long table neither starts nor ends with a lone row on a page: its first and last
  rows are kept with their neighbours (widow and orphan control, for rows); a short
  table is kept whole, and so are the rows a vertically merged cell spans (a product
  label is never cut by a page break), up to MERGED_ROWS rows.
"""

from __future__ import annotations

import copy
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..exceptions import TemplateProblem, UnsafeArchive, describe_os_error
from ..unpack import check_archive

CHARTER_NAME = "charte.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# A table's first and last rows kept together (after its heading rows).
KEPT_ROWS = 3
# The rows of a vertically merged cell kept on one page, up to this many.
MERGED_ROWS = 8
# Style names the build relies on (ids are looked up by name in the charter).
HEADER_STYLE = "En-tête de tableau"
SIGNATURE_DATE_STYLE = "Lieu et date"
# The header cell of the charter's colour table: "Statut ou repère | Couleur".
COLOUR_TABLE_HEADER = ("Statut ou repère", "Couleur")


@dataclass
class Charter:
    """The parsed house style: its styles part and its colour table."""

    path: Path
    styles: etree._Element
    styles_xml: bytes
    colours: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # style name -> style id

    def colour(self, key) -> str:
        """The fill (RRGGBB) of a status or marker, "auto" when the charter has none."""
        return self.colours.get(str(key).strip().lower(), "auto")

    def style_id(self, name: str) -> str | None:
        return self.ids.get(name)


def find_charter(templates: Path) -> Path:
    return Path(templates) / CHARTER_NAME


def load_charter(path: Path) -> Charter:
    """The charter at ``path``, read and parsed (a build reads it once, see
    pipeline.build.iter_rendered)."""
    path = Path(path)
    if not path.is_file():
        raise TemplateProblem(
            f"La charte graphique {path.name} est introuvable dans "
            f"{path.parent} : elle définit les styles de tous les "
            "documents."
        )
    return _read(path)


def _read(path: Path) -> Charter:
    try:
        check_archive(path, label=f"charte graphique {path.name}")
        with zipfile.ZipFile(path) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
            body = etree.fromstring(archive.read("word/document.xml"))
    except UnsafeArchive as exc:
        raise TemplateProblem(str(exc)) from exc
    except OSError as exc:
        raise TemplateProblem(
            f"La charte graphique {path.name} ne peut pas être lue : {describe_os_error(exc)}"
        ) from exc
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateProblem(
            f"La charte graphique {path.name} n'est pas un document Word "
            ".docx valide : ouvrez-la dans Word et enregistrez-la au format "
            "« Document Word (.docx) »."
        ) from exc
    ids = {}
    styles_xml = etree.tostring(styles)
    for style in styles.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None:
            ids[name.get(f"{_W}val")] = style.get(f"{_W}styleId")
    return Charter(path, styles, styles_xml, _colours(body), ids)


def cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{_W}t")).strip()


def _colours(body) -> dict[str, str]:
    """The colour table: first column a status, second column's fill its colour."""
    for tbl in body.iter(f"{_W}tbl"):
        rows = tbl.findall(f"{_W}tr")
        if not rows:
            continue
        head = [cell_text(tc) for tc in rows[0].findall(f"{_W}tc")]
        if tuple(head[:2]) != COLOUR_TABLE_HEADER:
            continue
        colours = {}
        for tr in rows[1:]:
            cells = tr.findall(f"{_W}tc")
            if len(cells) < 2:
                continue
            shd = cells[1].find(f"{_W}tcPr/{_W}shd")
            fill = shd.get(f"{_W}fill") if shd is not None else None
            if cell_text(cells[0]) and fill:
                colours[cell_text(cells[0]).lower()] = fill.upper() if fill != "auto" else fill
        return colours
    return {}


def apply_styles(document, charter: Charter) -> None:
    """Give a python-docx document the charter's styles (every style, the default font,
    size and language), keeping any style only the template defines: the children of
    its styles element become copies of the charter's, followed by the template's own
    styles, and the element takes the charter's attributes."""
    styles = document.styles.element
    charter_ids = {s.get(f"{_W}styleId") for s in charter.styles.iter(f"{_W}style")}
    own = [
        style
        for style in styles.iterchildren(f"{_W}style")
        if style.get(f"{_W}styleId") not in charter_ids
    ]
    for child in list(styles):
        styles.remove(child)
    styles.attrib.clear()
    styles.attrib.update(charter.styles.attrib)
    styles.text = charter.styles.text
    styles.extend(copy.deepcopy(child) for child in charter.styles)
    styles.extend(own)


# Direct formatting in a template's text: styles live in the charter, never here.
_DIRECT_FORMATTING = tuple(
    f"{_W}{tag}" for tag in ("sz", "szCs", "color", "rFonts", "highlight", "shd")
)
# The parts docxtpl renders besides the body.
_RENDERED_PARTS = ("/word/header", "/word/footer", "/word/footnotes")


def drop_direct_formatting(document) -> None:
    """Drop the size, colour, font, highlight and fill set by hand (or written by
    LibreOffice when it saves) in a template's body, headers, footers and notes, before
    its tags are read: formatting comes from the charter's styles. What a tag makes
    (``{% cellbg %}``'s fill) comes later and stays."""
    roots = [document.element.body]
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and str(part.partname).startswith(_RENDERED_PARTS):
            roots.append(element)
    for root in roots:
        for element in list(root.iter(*_DIRECT_FORMATTING)):
            if len(element) or element.text:
                continue  # only empty elements are formatting values
            parent = element.getparent()
            if element.tail:  # text after it stays where it was
                previous = element.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + element.tail
                else:
                    parent.text = (parent.text or "") + element.tail
            parent.remove(element)


def _child(element, tag: str):
    """``element.find(tag)`` for a direct child. lxml's find goes through its path
    evaluator, several times slower than this loop, which stops at once on the
    properties element that comes first in a paragraph, row or cell (the passes below
    visit thousands of them in a long table)."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _grandchild(element, child: str, grandchild: str):
    """``element.find("w:child/w:grandchild")`` for the one properties element a
    paragraph, row or cell has."""
    found = _child(element, f"{_W}{child}")
    return _child(found, f"{_W}{grandchild}") if found is not None else None


def _style_of(p) -> str | None:
    style = _grandchild(p, "pPr", "pStyle")
    return style.get(f"{_W}val") if style is not None else None


def _set_flag(parent, tag: str, order: dict[str, int]) -> None:
    """Add an empty child ``tag`` to ``parent`` (once), in schema order."""
    qualified = f"{_W}{tag}"
    rank = order[qualified]
    position = None
    for index, child in enumerate(parent):
        if child.tag == qualified:
            return
        if position is None and order.get(child.tag, -1) > rank:
            position = index
    # Made in place, then moved: makeelement would give each new element a document of
    # its own (a 100-fold PTA keeps 31 000 paragraphs with the next).
    element = etree.SubElement(parent, qualified)
    if position is not None:
        parent.insert(position, element)


def _schema_order(*names: str) -> dict[str, int]:
    """Rank of each child element, by qualified tag (a name listed twice keeps its
    first rank, as the schema's sequence does)."""
    ranks: dict[str, int] = {}
    for rank, name in enumerate(names):
        ranks.setdefault(f"{_W}{name}", rank)
    return ranks


# Order of the trPr and pPr children the build may add (OOXML schema order).
_TRPR = _schema_order(
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
)
_PPR = _schema_order(
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def header_rows(tbl, header_id: str | None) -> list:
    """The rows at the top of a table whose paragraphs are all column headings."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        styles = [_style_of(p) for p in tr.iter(f"{_W}p")]
        if not styles or header_id is None or any(s != header_id for s in styles):
            break
        rows.append(tr)
    return rows


# Qualified tags of the layout pass, made once: it compares them with thousands of
# elements' tags in a long table.
_TR_TAG, _TRPR_TAG, _TBLPREX_TAG, _P_TAG, _PPR_TAG = (
    f"{_W}{name}" for name in ("tr", "trPr", "tblPrEx", "p", "pPr")
)


def _keep_paragraph_with_next(p) -> None:
    """Keep the paragraph ``p`` on the page of the next one."""
    p_pr = _child(p, _PPR_TAG)
    if p_pr is None:
        p_pr = p.makeelement(_PPR_TAG, {})
        p.insert(0, p_pr)
    _set_flag(p_pr, "keepNext", _PPR)


def _keep_with_next(tr) -> None:
    for p in tr.iter(_P_TAG):
        _keep_paragraph_with_next(p)


def _ends_kept_together(rows: list, heads: int) -> list:
    """The rows to keep with the next one: the heading rows and first data rows, and
    the rows before the last ones, so that a page break leaves at least KEPT_ROWS rows
    on either side. A table of fewer than 2 × KEPT_ROWS data rows is kept whole."""
    data = rows[heads:]
    if len(data) < 2 * KEPT_ROWS:
        return rows[:-1]
    return rows[: heads + KEPT_ROWS - 1] + data[-KEPT_ROWS:-1]


_RESTART, _CONTINUE = "restart", "continue"


# The vertical merges of a table's own rows (not of its nested tables'), in document
# order: one query per table. Only the cells that carry one matter below, and a long
# table has thousands of cells and a few hundred merges.
_ROW_MERGES = etree.XPath("w:tr/w:tc/w:tcPr/w:vMerge", namespaces={"w": W})
_TC_TAG, _TCPR_TAG, _GRIDSPAN_TAG = (f"{_W}{name}" for name in ("tc", "tcPr", "gridSpan"))


def _start_column(tc) -> int:
    """The grid column a cell starts at: the spans of the cells before it in its row."""
    column = 0
    for before in tc.itersiblings(_TC_TAG, preceding=True):
        span = 1
        for tc_pr in before.iterchildren(_TCPR_TAG):
            for grid_span in tc_pr.iterchildren(_GRIDSPAN_TAG):
                span = int(grid_span.get(f"{_W}val"))
        column += span
    return column


def _merge_states(tbl, rows: list) -> list[dict[int, str]]:
    """Per row of ``rows`` (the table's), its vertically merged cells by the grid
    column they start at: "restart" for the first cell of a merge, "continue" for a
    cell merged with the one above. A cell not merged is left out (read as None)."""
    index = {tr: number for number, tr in enumerate(rows)}
    grid: list[dict[int, str]] = [{} for _ in rows]
    for merge in _ROW_MERGES(tbl):
        tc = merge.getparent().getparent()
        state = _RESTART if merge.get(f"{_W}val") == _RESTART else _CONTINUE
        grid[index[tc.getparent()]][_start_column(tc)] = state
    return grid


def _merged_kept_together(tbl, rows: list) -> list:
    """The rows to keep with the next one so that the rows a vertically merged cell
    spans stay on one page (at most MERGED_ROWS)."""
    kept: list = []
    grid = _merge_states(tbl, rows)
    for index, states in enumerate(grid):
        for column, state in states.items():
            if state != _RESTART:
                continue
            end = index + 1
            while end < len(rows) and grid[end].get(column) == _CONTINUE:
                end += 1
            if 1 < end - index <= MERGED_ROWS:
                kept += rows[index : end - 1]
    return kept


def assert_row_layout(document, charter: Charter) -> None:
    """Re-assert the row rules that a template edited in Word or LibreOffice may have
    lost: every row kept whole on a page, heading rows repeated on each page. Done once,
    on the template: the rows of its documents are copies of its rows."""
    header_id = charter.style_id(HEADER_STYLE)
    for tbl in document.element.body.iter(f"{_W}tbl"):
        heads = set(header_rows(tbl, header_id))
        for tr in tbl.iterchildren(_TR_TAG):
            tr_pr = _child(tr, _TRPR_TAG)
            if tr_pr is None:
                tr_pr = tr.makeelement(_TRPR_TAG, {})
                tr.insert(1 if len(tr) and tr[0].tag == _TBLPREX_TAG else 0, tr_pr)
            _set_flag(tr_pr, "cantSplit", _TRPR)
            if tr in heads:
                _set_flag(tr_pr, "tblHeader", _TRPR)


def assert_layout(document, charter: Charter, tables: list) -> None:
    """Re-assert the page-layout rules that depend on a document's own rows and
    paragraphs: a table's first and last rows, and the rows a merged cell spans, kept
    with the next; the place and date of a signature with the text before them. (The
    rules of each row are the template's, see assert_row_layout.) ``tables``: the
    body's tables, see pipeline.render.tables.find_elements."""
    body = document.element.body
    header_id = charter.style_id(HEADER_STYLE)
    for tbl in tables:
        heads = header_rows(tbl, header_id)
        if heads:
            rows = tbl.findall(f"{_W}tr")
            # A row in several merged runs (an axis over its products) is kept once.
            for tr in dict.fromkeys(
                _ends_kept_together(rows, len(heads)) + _merged_kept_together(tbl, rows)
            ):
                _keep_with_next(tr)
    signature_id = charter.style_id(SIGNATURE_DATE_STYLE)
    if signature_id is None:
        return
    # Among the body's own paragraphs only: in a table, a cell's paragraphs never part
    # (its row is kept whole), and a long table has thousands of paragraphs.
    for p in body.iterchildren(_P_TAG):
        if _style_of(p) != signature_id:
            continue
        before = p.getprevious()
        if before is not None and before.tag == _P_TAG:
            _keep_paragraph_with_next(before)
