"""Passes over a rendered document's tables, for what docxtpl cannot express.

- Cells marked with ``{{ fusion(key) }}`` (the Jinja global :func:`merge_marker`) are
  merged vertically with the cells below them that carry the same key: an axis over
  its products, a product over its activities.
- Tables whose columns a ``{%tc for %}`` loop multiplied get a column grid rebuilt from
  their cells' own widths, so fixed columns keep the width the template gave them.
- Every table is made valid for Word: properties in schema order, a paragraph in each
  cell.

The elements the passes work on are found in one walk over the body (find_elements),
with lxml's element iterator, never XPath: a long table has thousands of cells, the
path evaluator is several times slower there, and each walk over a 100-fold PTA
(530 000 elements) costs as much as a pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

# Private-use characters never reach us from the workbook (the reader strips them),
# so a marker built from them cannot be forged by data.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}([^{_MARK_CLOSE}]*){_MARK_CLOSE}")


def merge_marker(key) -> str:
    """Jinja global ``fusion(key)``: mark a cell to merge with the next ones of equal key."""
    return f"{_MARK_OPEN}{key}{_MARK_CLOSE}"


# Qualified tags of the passes below, made once: they are compared with the tags of
# thousands of elements in a long table, where a qn() call per element shows.
_T, _P, _TBL, _TBLPR, _TC, _TR, _TCPR, _PPR, _VMERGE, _VAL = (
    qn(tag)
    for tag in (
        "w:t",
        "w:p",
        "w:tbl",
        "w:tblPr",
        "w:tc",
        "w:tr",
        "w:tcPr",
        "w:pPr",
        "w:vMerge",
        "w:val",
    )
)


@dataclass
class BodyElements:
    """The elements of a rendered body that the passes work on, in document order."""

    texts: list  # w:t
    tables: list  # w:tbl, nested ones too
    cells: list  # w:tc


def find_elements(body) -> BodyElements:
    """The text elements, tables and cells under ``body``, found in one walk."""
    found = BodyElements([], [], [])
    add = {_T: found.texts.append, _TBL: found.tables.append, _TC: found.cells.append}
    for element in body.iter(_T, _TBL, _TC):
        add[element.tag](element)
    return found


def merge_marked_cells(texts: list) -> None:
    """Merge vertically each run of consecutive cells of a column that carry the same
    ``fusion`` marker, keeping the first cell's content, and remove the markers
    (``texts``: the body's text elements)."""
    marked = [t for t in texts if t.text and _MARK_OPEN in t.text]
    if not marked:
        return
    # (table, column) -> [(row number, key, cell)], in document order.
    columns: dict[tuple, list] = {}
    row_numbers: dict = {}
    for t in marked:
        text = t.text
        found = _MARK.search(text)
        t.text = _MARK.sub("", text) if found is not None else text
        tc = next(t.iterancestors(_TC), None)
        if found is None or tc is None:
            continue
        tr = tc.getparent()
        table = tr.getparent()
        if table not in row_numbers:
            row_numbers[table] = {row: i for i, row in enumerate(table.iterchildren(_TR))}
        # Marked cells are a few per row, near its start: count the cells before.
        column = sum(1 for _ in tc.itersiblings(_TC, preceding=True))
        columns.setdefault((table, column), []).append((row_numbers[table][tr], found[1], tc))
    for cells in columns.values():
        group: list = []
        for row, key, tc in cells:
            if group and group[-1][1] == key and group[-1][0] == row - 1:
                group.append((row, key, tc))
            else:
                _apply_vmerge([(k, c) for _r, k, c in group])
                group = [(row, key, tc)]
        _apply_vmerge([(k, c) for _r, k, c in group])


def _apply_vmerge(group: list) -> None:
    if len(group) < 2:
        return
    for position, (_key, tc) in enumerate(group):
        # The cell's properties come first in it: looked up by lxml's tag filter rather
        # than python-docx's get_or_add_tcPr, whose lookup is several times slower.
        tc_pr = next(tc.iterchildren(_TCPR), None)
        if tc_pr is None:
            tc_pr = tc.get_or_add_tcPr()
        # iterchildren rather than findall: lxml's find* go through its slow path evaluator.
        for old in list(tc_pr.iterchildren(_VMERGE)):
            tc_pr.remove(old)
        # Made in place, then moved to its place by _insert_in_tcpr: makeelement would
        # give each one a document of its own (thousands of cells in a long table).
        vmerge = etree.SubElement(tc_pr, _VMERGE)
        if position == 0:
            vmerge.set(_VAL, "restart")
        else:
            # A continued cell must stay a valid cell: one empty paragraph.
            paragraphs = list(tc.iterchildren(_P))
            for p in paragraphs[1:]:
                tc.remove(p)
            for child in list(paragraphs[0]):
                if child.tag != _PPR:
                    paragraphs[0].remove(child)
        _insert_in_tcpr(tc_pr, vmerge)


# Order of tcPr children in the OOXML schema. docxtpl's cellbg and colspan insert
# their element first, which Word may treat as a corrupt document: every child added
# here goes to its place in schema order.
_TCPR_ORDER = {
    qn(tag): rank
    for rank, tag in enumerate(
        [
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ]
    )
}


# The same for table properties, which templates edited by hand may also disorder.
_TBLPR_ORDER = {
    qn(tag): rank
    for rank, tag in enumerate(
        [
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ]
    )
}


def _insert_in_tcpr(tc_pr, element) -> None:
    # Inserted at its place in schema order, so that properties already in order stay
    # so and _sort_children has nothing to move (the sort puts the element at the same
    # place wherever it was added: its rank is its own). ``element`` may already be
    # the last child: it is then moved, or left where it is.
    rank = _TCPR_ORDER[element.tag]
    for index, child in enumerate(tc_pr):
        if _TCPR_ORDER.get(child.tag, len(_TCPR_ORDER)) > rank:
            tc_pr.insert(index, element)
            break
    else:
        tc_pr.append(element)
    _sort_children(tc_pr, _TCPR_ORDER)


def _sort_children(properties, order: dict) -> None:
    """Children in schema order; of an element repeated by mistake, the first is kept."""
    children = list(properties)
    tags = [child.tag for child in children]
    ranks = [order.get(tag, len(order)) for tag in tags]
    if len(set(tags)) == len(tags) and all(a <= b for a, b in zip(ranks, ranks[1:])):
        return  # no repeated element, already in order: the usual case, nothing to move
    seen = set()
    for child in children:
        if child.tag in order and child.tag in seen:
            properties.remove(child)
        seen.add(child.tag)
    for child in sorted(properties, key=lambda c: order.get(c.tag, len(order))):
        properties.append(child)  # lxml moves the element: appending in order reorders


def normalize_tables(tables: list, cells: list) -> None:
    """Make every table valid for Word: table properties in schema order (a template
    edited by hand may disorder them), the fill and span that docxtpl's cellbg and
    colspan put first in a cell's properties moved after its width, and at least one
    paragraph per cell (a paragraph loop over an empty list leaves none)."""
    for table in tables:
        for properties in table.iterchildren(_TBLPR):
            _sort_children(properties, _TBLPR_ORDER)
    for cell in cells:
        if len(cell) and cell[0].tag == _TCPR and len(cell[0]) and cell[0][0].tag in _INSERTED:
            _move_inserted_after_width(cell[0])
        if not len(cell) or (cell[-1].tag != _P and next(cell.iterchildren(_P), None) is None):
            cell.append(cell.makeelement(_P, {}))


_TCW, _GRIDSPAN, _SHD = qn("w:tcW"), qn("w:gridSpan"), qn("w:shd")
_INSERTED = (_GRIDSPAN, _SHD)


def _move_inserted_after_width(tc_pr) -> None:
    """Cell properties that start with what cellbg and colspan insert (fills and spans)
    then the width: the width first, then the spans, then the fills, as the schema
    orders them. Other properties stay where the template put them."""
    inserted = []
    for child in tc_pr:
        if child.tag not in _INSERTED:
            break
        inserted.append(child)
    if not inserted or child.tag != _TCW:
        return
    inserted.sort(key=lambda element: element.tag == _SHD)  # gridSpan, then shd
    for element in inserted:
        child.addnext(element)
        child = element


# docxtpl's column loop, which widens tables (Word may split a tag across runs: the
# text is read without the markup).
_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\s")


def uses_column_loop(document) -> bool:
    """Whether a template's body, headers or footers hold a column loop ``{%tc for %}``
    (read before rendering: docxtpl rewrites the tag)."""
    roots = [document.element.body]
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and str(part.partname).startswith(("/word/header", "/word/footer")):
            roots.append(element)
    return any(
        _COLUMN_LOOP.search(etree.tostring(root, method="text", encoding="unicode"))
        for root in roots
    )


def _target_width(table, cols) -> int:
    """The table's preferred width when the template sets one, else its grid's total."""
    tbl_w = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if tbl_w is not None and tbl_w.get(qn("w:type")) == "dxa" and int(tbl_w.get(qn("w:w")) or 0):
        return int(tbl_w.get(qn("w:w")))
    return sum(int(c.get(qn("w:w")) or 0) for c in cols)


def fit_table_grids(tables: list) -> None:
    """Rebuild the column grid of tables widened by a column loop from the widths of
    their widest row's cells, scaled to the table's preferred width."""
    for table in tables:
        grid = table.find(qn("w:tblGrid"))
        if grid is None:
            continue
        rows = table.findall(qn("w:tr"))
        # Rows made by a loop are alike: the widest row is among the first ones.
        widest = max(rows[:50], key=lambda tr: len(tr.findall(qn("w:tc"))), default=None)
        if widest is None:
            continue
        cells = widest.findall(qn("w:tc"))
        widths = []
        for tc in cells:
            tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            if tc_w is None or tc_w.get(qn("w:type")) not in (None, "dxa") or span is not None:
                break
            widths.append(int(tc_w.get(qn("w:w"))))
        else:
            cols = grid.findall(qn("w:gridCol"))
            if len(cols) != len(widths) or not widths:
                continue
            total = _target_width(table, cols) or sum(widths)
            scale = total / sum(widths)
            if all(
                abs(int(c.get(qn("w:w")) or 0) - int(w * scale)) <= 1 for c, w in zip(cols, widths)
            ):
                continue  # the grid already fits: a table without a column loop
            for col, width in zip(cols, widths):
                col.set(qn("w:w"), str(int(width * scale)))
            if abs(scale - 1) < 0.02:
                continue  # the cells' own widths are right to within 2 %
            for tr in rows:
                if len(tr.findall(qn("w:tc"))) == len(widths):
                    for tc, width in zip(tr.findall(qn("w:tc")), widths):
                        tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").set(
                            qn("w:w"), str(int(width * scale))
                        )
