"""Golden references of the sample's documents: what a reader sees, as text.

Each document the sample builds (at the fixed date GOLDEN_DATE) is described as plain
text: paragraphs with their style and their runs' character styles, tables cell by
cell with shading, horizontal and vertical merges, headers, footers and charts; a
workbook sheet by sheet, cell by cell. ``tests/test_golden.py`` compares a fresh build
with the references in ``tests/golden/``, so that a change to the rendering core that
alters any document fails loudly, with the lines that differ.

To renew the references on purpose (a template or the sample changed, and the new
documents were read and approved): ``make golden``, then review ``git diff tests/golden``
before committing it.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "troika_2021-2022.xlsx"
GOLDEN = ROOT / "tests" / "golden"
GOLDEN_DATE = dt.date(2022, 6, 30)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _val(element, path: str) -> str | None:
    found = element.find(path, _NS)
    return None if found is None else found.get(_w("val"), "")


def _text(element) -> str:
    """The text of ``element`` as Word shows it: tabs and breaks as characters."""
    pieces = []
    for node in element.iter(_w("t"), _w("tab"), _w("br"), _w("noBreakHyphen")):
        if node.tag == _w("t"):
            pieces.append(node.text or "")
        elif node.tag == _w("tab"):
            pieces.append("\t")
        elif node.tag == _w("br"):
            pieces.append("\n")
        else:
            pieces.append("\u2011")
    return "".join(pieces)


def _styles(xml: bytes) -> dict[str, str]:
    """Style id -> style name, so that references name styles as Word shows them."""
    root = etree.fromstring(xml)
    names = {}
    for style in root.iter(_w("style")):
        name = style.find("w:name", _NS)
        names[style.get(_w("styleId"))] = name.get(_w("val")) if name is not None else ""
    return names


def _paragraph(p, styles: dict[str, str]) -> str:
    style = styles.get(_val(p, "w:pPr/w:pStyle") or "Normal", _val(p, "w:pPr/w:pStyle"))
    runs = sorted({styles.get(v, v) for v in (r.get(_w("val")) for r in p.iter(_w("rStyle")))})
    marks = f" <{', '.join(runs)}>" if runs else ""
    return f"¶ [{style}]{marks} {_text(p)!r}"


def _cell(tc, styles: dict[str, str]) -> str:
    props = []
    span = _val(tc, "w:tcPr/w:gridSpan")
    if span:
        props.append(f"span={span}")
    vmerge = tc.find("w:tcPr/w:vMerge", _NS)
    if vmerge is not None:
        props.append(f"vmerge={vmerge.get(_w('val'), 'continue')}")
    shading = tc.find("w:tcPr/w:shd", _NS)
    if shading is not None and shading.get(_w("fill"), "auto") != "auto":
        props.append(f"fill={shading.get(_w('fill'))}")
    paragraphs = [_paragraph(p, styles) for p in tc.iter(_w("p"))]
    return f"  | {' '.join(props)} " + " ".join(paragraphs)


def _block(element, styles: dict[str, str], lines: list[str]) -> None:
    for child in element:
        if child.tag == _w("p"):
            lines.append(_paragraph(child, styles))
        elif child.tag == _w("tbl"):
            lines.append(f"TABLEAU [{styles.get(_val(child, 'w:tblPr/w:tblStyle') or '', '')}]")
            for row in child.iter(_w("tr")):
                header = " (en-tête)" if row.find("w:trPr/w:tblHeader", _NS) is not None else ""
                lines.append(f" LIGNE{header}")
                lines.extend(_cell(tc, styles) for tc in row.iter(_w("tc")))
            lines.append("FIN DU TABLEAU")
        elif child.tag == _w("sdt"):
            content = child.find("w:sdtContent", _NS)
            if content is not None:
                _block(content, styles, lines)


def describe_docx(data: bytes | Path) -> str:
    """A Word document as the text of its references (see the module docstring)."""
    with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as z:
        names = z.namelist()
        styles = _styles(z.read("word/styles.xml")) if "word/styles.xml" in names else {}
        lines: list[str] = []
        for name in sorted(
            n for n in names if n.startswith("word/header") or n.startswith("word/footer")
        ):
            lines.append(f"== {name}")
            _block(etree.fromstring(z.read(name)), styles, lines)
        lines.append("== word/document.xml")
        body = etree.fromstring(z.read("word/document.xml")).find("w:body", _NS)
        _block(body, styles, lines)
        section = body.find("w:sectPr", _NS)
        if section is not None:
            size = section.find("w:pgSz", _NS)
            if size is not None:
                lines.append(
                    f"PAGE {size.get(_w('w'))}x{size.get(_w('h'))} "
                    f"{size.get(_w('orient'), 'portrait')}"
                )
        charts = sorted(n for n in names if n.startswith("word/charts/chart"))
        lines.extend(f"GRAPHIQUE {name}" for name in charts)
    return "\n".join(lines) + "\n"


def describe_xlsx(path: Path) -> str:
    """A workbook, sheet by sheet and cell by cell (formulas as typed)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate} {cell.value!r}")
    return "\n".join(lines) + "\n"


def describe(path: Path) -> str:
    return describe_xlsx(path) if path.suffix == ".xlsx" else describe_docx(path)


def documents(folder: Path) -> dict[str, Path]:
    """The documents of a build folder, by their path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".docx", ".xlsx") and not p.name.startswith(".")
    }


def build_sample(out_dir: Path) -> None:
    from pipeline.build import build

    build(SAMPLE, out_dir, today=GOLDEN_DATE, force=True)


def renew(folder: Path | None = None) -> int:
    """Rebuild the sample and rewrite every reference; returns how many were written."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = folder or Path(tmp) / "build"
        if folder is None:
            build_sample(out)
        for old in GOLDEN.rglob("*.txt"):
            old.unlink()
        found = documents(out)
        for name, path in found.items():
            target = GOLDEN / f"{name}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(describe(path), encoding="utf-8", newline="\n")
    return len(found)


if __name__ == "__main__":
    count = renew(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(
        f"{count} références écrites dans {GOLDEN.relative_to(ROOT)}/ : relisez "
        "« git diff tests/golden » avant de les valider."
    )
