"""Building blocks for writing the Word templates with python-docx.

The templates in templates/ are the source of truth once committed: staff restyle
them in Word. These helpers only produce their first version with the group's
official layout (A4, Arial, running header naming the group, "Page x sur y" footer).
"""

from __future__ import annotations

import copy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_SHADE = "1F4E79"
FONT = "Arial"


def new_document(header_text: str) -> Document:
    """An A4 portrait document with the official styles, header and footer."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    section.header_distance = section.footer_distance = Cm(1)
    _set_styles(doc)
    _header_footer(section, header_text)
    return doc


def _set_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    for name, size in (("Title", 15), ("Heading 1", 12.5), ("Heading 2", 11.5), ("Heading 3", 11)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = BLUE
        style.font.italic = False
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts is not None and rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]
        style.paragraph_format.space_before = Pt(14 if name != "Heading 3" else 8)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.font.all_caps = True
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(12)
    # The default Title style draws a border; an official title block has none.
    ppr = title.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    styles["Heading 1"].font.all_caps = True
    for name in ("List Bullet", "List Number"):
        styles[name].font.name = FONT
        styles[name].paragraph_format.space_after = Pt(3)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def add_field(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES...) that Word and LibreOffice update."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _bottom_border(paragraph, top: bool = False) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement("w:top" if top else "w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "1F4E79")):
        edge.set(qn(key), value)
    borders.append(edge)
    ppr.append(borders)


def _header_footer(section, header_text: str) -> None:
    header = section.header.paragraphs[0]
    header.text = header_text
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in header.runs:
        run.font.size, run.font.color.rgb, run.font.name = Pt(8.5), GREY, FONT
    _bottom_border(header)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE")
    footer.add_run(" sur ")
    add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size, run.font.color.rgb, run.font.name = Pt(8.5), GREY, FONT


def paragraph(doc_or_cell, text: str = "", style: str | None = None, bold: bool = False,
              align=None, size: float | None = None, italic: bool = False, color=None,
              space_after: float | None = None, caps: bool = False):
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if caps:
            run.font.all_caps = True
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def landscape_section(doc):
    """Start a new A4 landscape section (same header and footer)."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.6)
    return section


def portrait_section(doc):
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    return section


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def set_width(cell, cm: float) -> None:
    cell.width = Cm(cm)


def row_properties(row, header: bool = False, cant_split: bool = True) -> None:
    """Repeat a header row on every page; never split a row across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def vmerge(cell, restart: bool) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    element = OxmlElement("w:vMerge")
    if restart:
        element.set(qn("w:val"), "restart")
    tc_pr.append(element)


def table(doc, rows: int, widths_cm: list[float], style: str = "Table Grid"):
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    t.style = doc.styles[style]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    set_table_width(t, sum(widths_cm))
    return t


def set_table_width(t, cm: float) -> None:
    """Preferred table width: the renderer fits loop-widened tables to it."""
    tbl_w = t._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        t._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(Cm(cm).twips)))
    tbl_w.set(qn("w:type"), "dxa")


def header_cell(cell, text: str, size: float = 8.5, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    shade(cell, HEADER_SHADE)
    cell.vertical_alignment = 1  # center


def cell_text(cell, text: str, size: float = 8.5, bold: bool = False,
              align=WD_ALIGN_PARAGRAPH.LEFT,
              caps: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    if caps:
        run.font.all_caps = True
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    if align is not None:
        p.alignment = align


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def set_core_properties(doc, title: str, subject: str = "") -> None:
    """Document properties; docxtpl renders their tags like the body's."""
    props = doc.core_properties
    props.title, props.subject = title, subject
    props.author = "{{ plan.identity.group_name }}"
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""


__all__ = [name for name in dir() if not name.startswith("_")] + ["copy"]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_UNUSED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def slim(path) -> None:
    """Drop what python-docx's default template carries and no template uses: the Word
    2010 copy of the styles, the thumbnail, and the ~150 unused built-in styles. A
    template then weighs a tenth of what it did, and so does every document rendered
    from it (each is parsed and compressed once per document)."""
    import re
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for name in _UNUSED_PARTS:
        parts.pop(name, None)
        target = name.split("/", 1)[1] if name.startswith("word/") else name
        for rels in ("word/_rels/document.xml.rels", "_rels/.rels"):
            parts[rels] = re.sub(rb'<Relationship [^>]*Target="/?' + re.escape(target).encode()
                                 + rb'"[^>]*/>', b"", parts[rels])
        parts["[Content_Types].xml"] = re.sub(
            rb'<Override PartName="/' + re.escape(name).encode() + rb'"[^>]*/>', b"",
            parts["[Content_Types].xml"])
    used = set()
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            used |= set(re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', data))
    styles = etree.fromstring(parts["word/styles.xml"])
    by_id = {s.get(f"{{{_W}}}styleId").encode(): s for s in styles.iter(f"{{{_W}}}style")}
    keep = {sid for sid, s in by_id.items() if s.get(f"{{{_W}}}default") == "1"} | used
    keep |= {b"Normal", b"Title", b"Heading1", b"Heading2", b"Heading3", b"ListBullet",
             b"ListNumber", b"TableGrid", b"Header", b"Footer"}
    pending = list(keep)
    while pending:  # styles the kept ones are based on or linked to
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("basedOn", "link", "next"):
            ref = style.find(f"{{{_W}}}{tag}")
            if ref is not None and ref.get(f"{{{_W}}}val").encode() not in keep:
                keep.add(ref.get(f"{{{_W}}}val").encode())
                pending.append(ref.get(f"{{{_W}}}val").encode())
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
