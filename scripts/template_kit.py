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
_B, _G = "1F4E79", "595959"


def style_id(name: str) -> str:
    """The id LibreOffice gives a style of this name when it saves a .docx (its ASCII
    letters and digits): a round trip through LibreOffice keeps every reference."""
    return "".join(c for c in name if c.isascii() and c.isalnum())


def _border(edge: str, size: int = 6, color: str = _B, space: int = 4) -> str:
    return f'<w:{edge} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def _spacing(before: int = 0, after: int = 0, line: int | None = None, rule: str = "auto") -> str:
    extra = f' w:line="{line}" w:lineRule="{rule}"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{extra}/>'


# The house styles, defined once (templates/charte.docx) and copied into every template.
# (name, based on, next style, paragraph properties, run properties). Sizes in half-points,
# spacing in twentieths of a point.
PARAGRAPH_STYLES = [
    ("Titre du document", "Normal", "Normal",
     '<w:keepNext/><w:keepLines/>' + _spacing(0, 240) + '<w:jc w:val="center"/>',
     f'<w:b/><w:caps/><w:color w:val="{_B}"/><w:sz w:val="30"/><w:szCs w:val="30"/>'),
    ("Sous-titre du document", "Normal", "Normal",
     '<w:keepNext/>' + _spacing(0, 480) + '<w:jc w:val="center"/>',
     '<w:b/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
    ("Titre de partie", "Normal", "Normal",
     '<w:keepNext/><w:keepLines/>' + _spacing(280, 120) + '<w:jc w:val="left"/><w:outlineLvl w:val="0"/>',
     f'<w:b/><w:caps/><w:color w:val="{_B}"/><w:sz w:val="25"/><w:szCs w:val="25"/>'),
    ("Titre de section", "Normal", "Normal",
     '<w:keepNext/><w:keepLines/>' + _spacing(280, 120) + '<w:jc w:val="left"/><w:outlineLvl w:val="1"/>',
     f'<w:b/><w:color w:val="{_B}"/><w:sz w:val="23"/><w:szCs w:val="23"/>'),
    ("Titre de sous-section", "Normal", "Normal",
     '<w:keepNext/><w:keepLines/>' + _spacing(160, 120) + '<w:jc w:val="left"/><w:outlineLvl w:val="2"/>',
     f'<w:b/><w:color w:val="{_B}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'),
    ("Puce", "Normal", None,
     '<w:numPr><w:numId w:val="1"/></w:numPr>' + _spacing(0, 60) + '<w:ind w:left="360" w:hanging="360"/>',
     ""),
    ("Paragraphe en retrait", "Normal", None, _spacing(0, 40) + '<w:ind w:left="454"/>', ""),
    ("Point numéroté", "Normal", None,
     '<w:keepLines/><w:tabs><w:tab w:val="left" w:pos="510"/></w:tabs>' + _spacing(0, 120)
     + '<w:ind w:left="510" w:hanging="510"/>', ""),
    ("Paragraphe insécable", "Normal", None, '<w:keepLines/>', ""),
    ("Introduction de tableau", "Normal", None, '<w:keepNext/>', ""),
    ("Mention", "Normal", None, "", "<w:i/>"),
    ("Note", "Normal", None, _spacing(80, 160), '<w:i/><w:sz w:val="18"/><w:szCs w:val="18"/>'),
    ("Note en tête de tableau", "Note", None, '<w:keepNext/>' + _spacing(0, 120), ""),
    ("Graphique", "Normal", None, '<w:keepNext/>' + _spacing(120, 40) + '<w:jc w:val="center"/>', ""),
    ("Légende de graphique", "Normal", "Normal", _spacing(0, 200) + '<w:jc w:val="center"/>',
     '<w:i/><w:sz w:val="18"/><w:szCs w:val="18"/>'),
    ("Espace après tableau", "Normal", None, _spacing(0, 0, 120, "exact"),
     '<w:sz w:val="12"/><w:szCs w:val="12"/>'),
    ("Cellule", "Normal", None, _spacing(0, 0, 240) + '<w:jc w:val="left"/>',
     '<w:sz w:val="18"/><w:szCs w:val="18"/>'),
    ("Cellule axe", "Cellule", None, "", "<w:b/><w:caps/>"),
    ("Cellule centrée", "Cellule", None, '<w:jc w:val="center"/>', ""),
    ("Cellule chiffre", "Cellule", None, '<w:jc w:val="right"/>', ""),
    ("En-tête de tableau", "Cellule", None, '<w:keepNext/><w:jc w:val="center"/>',
     '<w:b/><w:color w:val="FFFFFF"/>'),
    ("Lieu et date", "Normal", None, '<w:keepNext/><w:keepLines/>' + _spacing(360, 240)
     + '<w:jc w:val="right"/>', ""),
    ("Signataire", "Normal", None, '<w:keepNext/><w:keepLines/>' + _spacing(0, 1200)
     + '<w:jc w:val="center"/>', '<w:b/>'),
    ("Signataire seul", "Signataire", None, '<w:jc w:val="right"/>', ""),
    ("Haut de page", "Normal", None, _spacing(0, 0) + '<w:pBdr>' + _border("bottom") + '</w:pBdr>'
     + '<w:jc w:val="center"/>', f'<w:color w:val="{_G}"/><w:sz w:val="17"/><w:szCs w:val="17"/>'),
    ("Bas de page", "Normal", None, _spacing(0, 0) + '<w:jc w:val="center"/>',
     f'<w:color w:val="{_G}"/><w:sz w:val="17"/><w:szCs w:val="17"/>'),
    ("Timbre – groupe", "Normal", None, '<w:keepNext/>' + _spacing(0, 0, 240) + '<w:jc w:val="center"/>',
     f'<w:b/><w:caps/><w:color w:val="{_B}"/><w:sz w:val="26"/><w:szCs w:val="26"/>'),
    ("Timbre – ligne", "Normal", None, '<w:keepNext/>' + _spacing(0, 0, 240) + '<w:jc w:val="center"/>',
     f'<w:color w:val="{_G}"/>'),
    ("Timbre – filet", "Timbre – ligne", None, '<w:pBdr>' + _border("bottom", 12) + '</w:pBdr>'
     + _spacing(0, 360, 240), ""),
    ("Couverture – titre", "Titre du document", None, _spacing(3400, 360), ""),
    ("Couverture – intitulé", "Normal", None, '<w:keepNext/>' + _spacing(0, 120) + '<w:jc w:val="center"/>',
     f'<w:b/><w:color w:val="{_B}"/><w:sz w:val="28"/><w:szCs w:val="28"/>'),
    ("Couverture – période", "Normal", None, '<w:keepNext/>' + _spacing(0, 120) + '<w:jc w:val="center"/>',
     '<w:sz w:val="24"/><w:szCs w:val="24"/>'),
    ("Couverture – plan", "Normal", None, '<w:keepNext/>' + _spacing(0, 120) + '<w:jc w:val="center"/>',
     f'<w:color w:val="{_G}"/>'),
    ("Couverture – mention", "Normal", None, _spacing(0, 120) + '<w:jc w:val="center"/>',
     '<w:i/><w:sz w:val="20"/><w:szCs w:val="20"/>'),
    ("Couverture – lieu", "Normal", None, '<w:pBdr>' + _border("top", 12) + '</w:pBdr>'
     + _spacing(4200, 0) + '<w:jc w:val="center"/>', ""),
    ("Discours", "Normal", None, '<w:keepLines/>' + _spacing(0, 240, 360) + '<w:jc w:val="left"/>',
     '<w:sz w:val="28"/><w:szCs w:val="28"/>'),
    ("Discours – point", "Discours", None, '<w:tabs><w:tab w:val="left" w:pos="510"/></w:tabs>'
     '<w:ind w:left="510" w:hanging="510"/>', ""),
    ("Discours – salutation", "Discours", None, '<w:keepNext/>' + _spacing(0, 40, 360), '<w:b/>'),
    ("Discours – clôture", "Discours", None, _spacing(240, 240, 360), '<w:b/>'),
    ("Discours – date", "Normal", None, _spacing(0, 80) + '<w:jc w:val="right"/>',
     '<w:sz w:val="24"/><w:szCs w:val="24"/>'),
    ("Discours – présidence", "Normal", None, _spacing(0, 80) + '<w:jc w:val="center"/>',
     f'<w:color w:val="{_G}"/>'),
    ("Discours – orateur", "Normal", None, _spacing(0, 120) + '<w:jc w:val="center"/>',
     '<w:i/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
    ("Discours – prononcé", "Normal", None, _spacing(0, 480) + '<w:jc w:val="center"/>',
     '<w:b/><w:i/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
    ("Bandeau – titre", "Normal", None, _spacing(0, 0, 240) + '<w:jc w:val="left"/>',
     '<w:b/><w:color w:val="FFFFFF"/><w:sz w:val="60"/><w:szCs w:val="60"/>'),
    ("Bandeau – sous-titre", "Normal", None, _spacing(0, 0, 240) + '<w:jc w:val="left"/>',
     '<w:color w:val="FFFFFF"/><w:sz w:val="19"/><w:szCs w:val="19"/>'),
    ("Bandeau – numéro", "Normal", None, _spacing(0, 0, 240) + '<w:jc w:val="right"/>',
     '<w:b/><w:color w:val="FFFFFF"/><w:sz w:val="36"/><w:szCs w:val="36"/>'),
    ("Bandeau – date", "Normal", None, _spacing(0, 0, 240) + '<w:jc w:val="right"/>',
     '<w:color w:val="FFFFFF"/>'),
]

_GRID = "".join(_border(edge, 4, "808080", 0) for edge in
                ("top", "left", "bottom", "right", "insideH", "insideV"))
_NONE = "".join(f'<w:{edge} w:val="nil"/>' for edge in
                ("top", "left", "bottom", "right", "insideH", "insideV"))


def _margins(top: int, side: int = 85) -> str:
    return (f'<w:tblCellMar><w:top w:w="{top}" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
            f'<w:bottom w:w="{top}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>')


def _conditional(kind: str, fill: str, run: str) -> str:
    return (f'<w:tblStylePr w:type="{kind}"><w:rPr>{run}</w:rPr><w:tcPr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr></w:tblStylePr>')


# (name, table properties, conditional formats)
TABLE_STYLES = [
    ("Tableau Troïka", f"<w:tblBorders>{_GRID}</w:tblBorders>" + _margins(35),
     _conditional("firstRow", _B, '<w:b/><w:color w:val="FFFFFF"/>')
     + _conditional("lastRow", "D9E2F3", "<w:b/>")),
    ("Tableau fiche", f"<w:tblBorders>{_GRID}</w:tblBorders>" + _margins(50),
     _conditional("firstCol", "DEEAF6", "<w:b/>")),
    ("Tableau sans bordure", f"<w:tblBorders>{_NONE}</w:tblBorders>" + _margins(0, 0), ""),
    ("Bandeau", f"<w:tblBorders>{_NONE}</w:tblBorders>" + _margins(60, 140),
     _conditional("firstRow", _B, "")),
]

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _style_xml(kind: str, name: str, based_on: str | None, next_style: str | None, body: str) -> str:
    based = f'<w:basedOn w:val="{style_id(based_on)}"/>' if based_on else ""
    nxt = f'<w:next w:val="{style_id(next_style)}"/>' if next_style else ""
    return (f'<w:style {_NS} w:type="{kind}" w:customStyle="1" w:styleId="{style_id(name)}">'
            f'<w:name w:val="{name}"/>{based}{nxt}<w:qFormat/>{body}</w:style>')


def _set_styles(doc) -> None:
    from docx.oxml import parse_xml

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {_NS}><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" '
        f'w:hAnsi="{FONT}" w:cs="{FONT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
        '<w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr>'
        '</w:pPrDefault></w:docDefaults>'))
    normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(parse_xml(f'<w:pPr {_NS}><w:widowControl/><w:jc w:val="both"/></w:pPr>'))
    for name, based_on, next_style, ppr, rpr in PARAGRAPH_STYLES:
        body = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        styles.append(parse_xml(_style_xml("paragraph", name, based_on, next_style, body)))
    for name, tbl_pr, conditionals in TABLE_STYLES:
        body = f'<w:pPr>{_spacing(0, 0, 240)}</w:pPr><w:tblPr>{tbl_pr}</w:tblPr>{conditionals}'
        styles.append(parse_xml(_style_xml("table", name, "Normal Table", None, body)
                                .replace('w:val="NormalTable"', 'w:val="TableNormal"')))


def new_document(header_text: str) -> Document:
    """An A4 portrait document with the house styles, header and footer."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    section.header_distance = section.footer_distance = Cm(1)
    _set_styles(doc)
    _header_footer(section, header_text)
    return doc


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


def _header_footer(section, header_text: str) -> None:
    header = section.header.paragraphs[0]
    header.text = header_text
    header.style = "Haut de page"
    footer = section.footer.paragraphs[0]
    footer.style = "Bas de page"
    footer.add_run("Page ")
    add_field(footer, "PAGE")
    footer.add_run(" sur ")
    add_field(footer, "NUMPAGES")


def paragraph(doc_or_cell, text: str = "", style: str | None = None, bold: bool = False,
              italic: bool = False):
    """A paragraph of a house style; bold and italic are the only direct formatting."""
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
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


def table(doc, rows: int, widths_cm: list[float], style: str = "Tableau Troïka",
          header: bool = True, total: bool = False, first_column: bool = False):
    """A table of a house style; ``header``/``total``/``first_column`` are Word's table
    style options (the style shades the first row, the last row, the first column)."""
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    t.style = doc.styles[style] if hasattr(doc, "styles") else style
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    set_table_width(t, sum(widths_cm))
    look = t._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        t._tbl.tblPr.append(look)
    for key in list(look.attrib):
        del look.attrib[key]
    flags = {"firstRow": header, "lastRow": total, "firstColumn": first_column,
             "lastColumn": False, "noHBand": True, "noVBand": True}
    value = (0x20 * header) | (0x40 * total) | (0x80 * first_column) | 0x200 | 0x400
    look.set(qn("w:val"), f"{value:04X}")
    for key, on in flags.items():
        look.set(qn(f"w:{key}"), "1" if on else "0")
    return t


def set_table_width(t, cm: float) -> None:
    """Preferred table width: the renderer fits loop-widened tables to it."""
    tbl_w = t._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        t._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(Cm(cm).twips)))
    tbl_w.set(qn("w:type"), "dxa")


def header_cell(cell, text: str, style: str = "En-tête de tableau") -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)
    cell.vertical_alignment = 1  # center


def cell_text(cell, text: str, style: str = "Cellule", bold: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.style = style
    if text:
        run = p.add_run(text)
        run.bold = bold or None


def cell_line(cell, text: str, style: str = "Cellule", bold: bool = False, italic: bool = False):
    """Another paragraph in a cell."""
    p = cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
    return p


def shade(cell, fill: str) -> None:
    """A cell's own fill: only the charter's colour table has any."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


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
    keep |= {style_id(name).encode() for name, *_ in PARAGRAPH_STYLES + TABLE_STYLES}
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
