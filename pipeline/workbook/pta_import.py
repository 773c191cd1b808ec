"""Read a work plan (PTA) already written in Word into a new workbook.

    result = import_pta("PTA_2021-2022.docx", "inputs/troika_2021-2022.xlsx")
    result.notes   # what could not be read, each with its table row or section

A secretariat that takes up the tool has its current plan as a Word document in the
official layout: a plan table (axes, products, codes, activities, one column per month
under its year, responsible bodies) after three narrative sections (introduction,
presentation with the axes, expected results). The document is read by its table
structure and its header and heading *texts*, never by style names (templates and
documents restyled in Word keep their texts). Merged cells are read as displayed, a
month is scheduled when its cell holds a mark ("x") or is shaded, and the bodies of
an activity are the lines of their cell.

Nothing is checked here beyond reading: the new workbook goes through the usual
validation, which reports the plan's own defects (duplicate codes, activities without
number or body...) by cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..exceptions import PipelineError, UnsafeArchive, describe_os_error
from ..formats import month_initial
from ..model import month_end
from ..unpack import check_archive
from . import schema
from .create import append_rows, new_workbook, save_new, set_parameters
from .values import fold, last_day, parse_month

# Marks that schedule a month when typed in its cell (compared folded): the workbook's.
MARKS = set(schema.SCHEDULE_MARKS)
# Shading values that mean "no colour".
NO_FILL = {None, "", "auto", "ffffff"}
# Parameters a PTA does not print: the secretary completes them in Paramètres.
NOT_IN_PTA = ("framework", "framework_full", "place")
SECTIONS = {
    "introduction": "introduction",
    "presentation": "presentation",
    "resultats attendus": "results",
}
_NUMBERED = re.compile(r"^\s*(\d+)\s*[.)-]?\s+(.+?)\s*$", re.S)
_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_BULLET = re.compile(r"^[-–•·▪*]\s*")
_ACTIVITIES = re.compile(r"^activites?$")


class PtaImportError(PipelineError):
    """Raised when a Word document cannot be imported: unreadable file, or no plan
    table (a table whose header names the activities and the responsible bodies)."""


@dataclass
class ImportResult:
    path: Path
    activities: int
    notes: list[str] = field(default_factory=list)  # French, each with its location


@dataclass
class _Activity:
    axis: int | None
    product: int | None
    code: str | None
    title: str
    bodies: list[str]
    months: set[dt.date]


@dataclass
class _Plan:
    """What was read from the document, before it is written to a workbook."""

    group_name: str = ""
    country: str = ""
    document_date: dt.date | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (heading label, text)
    axis_list: dict[int, str] = field(default_factory=dict)  # numbered axes of section 2
    results: list[str] = field(default_factory=list)
    axes: dict[int, str] = field(default_factory=dict)
    products: dict[int, tuple[str, int]] = field(default_factory=dict)  # n -> (title, axis)
    activities: list[_Activity] = field(default_factory=list)
    months: list[dt.date] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def import_pta(source: Path, target: Path) -> ImportResult:
    """Read the PTA ``source`` (.docx) and write its plan to the new workbook ``target``."""
    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        # "troika importer-pta classeur.xlsx plan.docx" swapped: never write a
        # workbook under a Word document's name.
        raise PtaImportError(
            f"Le classeur à créer doit avoir l'extension .xlsx, pas « {target.name} » : "
            "indiquez d'abord le PTA Word (.docx), puis le nom du nouveau classeur "
            "(.xlsx), par exemple « troika importer-pta PTA.docx classeur.xlsx »."
        )
    if target.exists():
        raise PtaImportError(
            f"Le fichier {target} existe déjà : choisissez un autre nom "
            "(l'outil n'écrase jamais un classeur)."
        )
    blocks = _open(source)
    plan = _Plan()
    tables = [b for b in blocks if isinstance(b, Table)]
    grids = [_grid(t) for t in tables]  # each table's grid, built once
    roles = [_header_columns(grid) for grid in grids]
    plan_tables = [t for t, columns in zip(tables, roles) if columns is not None]
    if not plan_tables:
        raise PtaImportError(
            f"Aucun tableau du plan trouvé dans {source.name} : il faut un "
            "tableau dont l'en-tête contient « ACTIVITÉS » et « RESPONSABLES »."
        )
    _read_narrative(blocks, plan_tables[0], plan)
    for grid, columns in zip(grids, roles):
        if columns is None:
            _read_full_names(grid, plan)
    for number, (grid, columns) in enumerate(zip(grids, roles), start=1):
        if columns is not None:
            _read_plan_table(grid, columns, number, plan)
    if not plan.months:
        raise PtaImportError(
            "Les colonnes des mois du tableau du plan n'ont pas pu être lues "
            "(années sur la première ligne d'en-tête, mois sur la seconde)."
        )
    _write(plan, target)
    return ImportResult(target, len(plan.activities), plan.notes)


def _open(source: Path) -> list:
    try:
        check_archive(source)
        document = Document(str(source))
    except UnsafeArchive:
        raise
    except OSError as exc:
        raise PtaImportError(
            f"Le fichier {source.name} ne peut pas être lu : {describe_os_error(exc)}"
        ) from exc
    except Exception as exc:  # python-docx raises many kinds on a non-Word file
        raise PtaImportError(
            f"Le fichier {source.name} n'est pas un document Word .docx "
            f"lisible ({type(exc).__name__})."
        ) from exc
    body = document.element.body
    blocks = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            blocks.append(Table(child, document))
    return blocks


# --- Narrative sections ------------------------------------------------------------


def _text(paragraph: Paragraph) -> str:
    """The paragraph's text on one line; a paragraph of a Word list (bullets or
    automatic numbers, which are not part of the text) starts with "• "."""
    text = " ".join(paragraph.text.split())
    return f"• {text}" if text and _listed(paragraph) else text


def _listed(paragraph: Paragraph) -> bool:
    """Whether Word numbers or bullets the paragraph, directly or through its style
    (whatever the style's name)."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        style = style.base_style
    return False


def _section(text: str) -> str | None:
    """The section a heading opens: "1. Introduction", or "Introduction" when Word
    numbers the headings itself."""
    text = _item(text)
    if len(text) > 120:
        return None
    match = _NUMBERED.match(text)
    if match:
        heading = fold(match[2])
    elif not text.endswith((".", ":", ";")):
        heading = fold(text)
    else:
        return None
    return next(
        (
            key
            for words, key in SECTIONS.items()
            if heading.startswith(words) or (words == "resultats attendus" and words in heading)
        ),
        None,
    )


def _is_item(text: str) -> bool:
    """A list item: a bullet, or a clause starting in lower case or ending with ";"."""
    return bool(_BULLET.match(text)) or text[:1].islower() or text.endswith(";")


def _item(text: str) -> str:
    return _BULLET.sub("", text)


def _read_narrative(blocks: list, first_table: Table, plan: _Plan) -> None:
    paragraphs: list[str] = []
    for block in blocks:
        if block is first_table:
            break
        if isinstance(block, Paragraph) and _text(block):
            paragraphs.append(_text(block))
    sections: dict[str, list[str]] = {}
    current = "front"
    for text in paragraphs:
        key = _section(text)
        if key:
            current = key
            sections[current] = []
        else:
            sections.setdefault(current, []).append(text)
    _read_title(sections.get("front", []), plan)
    for key, label in (
        ("introduction", "1. Introduction"),
        ("presentation", "2. Présentation"),
        ("results", "3. Résultats attendus"),
    ):
        if key not in sections:
            plan.notes.append(
                f"Section « {label} » introuvable (titre numéroté) : ses textes "
                "ne sont pas repris ; saisissez-les dans la feuille Textes."
            )
    _read_introduction(sections.get("introduction", []), plan)
    _read_presentation(sections.get("presentation", []), plan)
    _read_results(sections.get("results", []), plan)


def _read_title(front: list[str], plan: _Plan) -> None:
    title = next((t for t in front if "plan de travail annuel" in fold(t)), "")
    match = re.search(
        r"plan de travail annuel\s+[\d\s–—/-]*?\s*de (?:la |l')?(.+?)\s+du\s+(.+)$",
        title,
        flags=re.IGNORECASE | re.S,
    )
    if match:
        plan.group_name = _sentence(match[1])
        plan.country = _words(match[2])
    else:
        plan.notes.append(
            "Titre du document : nom du groupe et pays non reconnus ; complétez "
            "la feuille Paramètres."
        )
    for text in front:
        try:
            month = parse_month(text)
        except ValueError:
            continue
        plan.document_date = last_day(month)
        break
    else:
        plan.notes.append(
            "Date du document (mois et année sous le titre) introuvable ; "
            "complétez la feuille Paramètres."
        )


def _sentence(text: str) -> str:
    """Text written in capitals, in sentence case ("TROÏKA DES PTF" -> "Troïka des ptf");
    text already in mixed case is kept."""
    text = " ".join(text.split()).strip(" .;:")
    if text != text.upper():
        return text
    lower = text.lower()
    return lower[:1].upper() + lower[1:]


def _words(text: str) -> str:
    """A place name written in capitals, capitalised word by word ("BURKINA FASO")."""
    text = " ".join(text.split()).strip(" .;:")
    if text != text.upper():
        return text
    return " ".join(
        w if w.lower() in ("de", "du", "des", "la", "le", "et") else w.capitalize()
        for w in text.lower().split()
    )


def _read_introduction(paragraphs: list[str], plan: _Plan) -> None:
    state = "introduction"
    for text in paragraphs:
        if state == "introduction" and "objectif global" in fold(text):
            state = "objectif_global"
        elif state == "objectif_global" and _is_item(text):
            state = "objectifs_specifiques"
        elif state == "objectifs_specifiques" and not _is_item(text):
            state = "cadre"
        elif state == "objectif_global":
            state = "cadre"
        value = _item(text) if state == "objectifs_specifiques" else text
        plan.texts.append((schema.TEXT_HEADINGS[state], value))


def _read_presentation(paragraphs: list[str], plan: _Plan) -> None:
    state = "contexte"
    for text in paragraphs:
        match = _NUMBERED.match(_item(text))
        if state in ("contexte", "axes") and (match or _BULLET.match(text)):
            # The axes, numbered in the text or by Word.
            state = "axes"
            number = int(match[1]) if match else len(plan.axis_list) + 1
            plan.axis_list[number] = (match[2] if match else _item(text)).rstrip(" ;.")
            continue
        if state == "axes":
            state = "orientation"
        plan.texts.append((schema.TEXT_HEADINGS[state], text))


def _read_results(paragraphs: list[str], plan: _Plan) -> None:
    """The introduction (up to its colon, or its first paragraph), then the results
    as list items, up to the first paragraph that is not one."""
    colon = next((i for i, t in enumerate(paragraphs) if t.endswith(":")), 0)
    for text in paragraphs[: colon + 1]:
        plan.texts.append((schema.TEXT_HEADINGS["resultats_intro"], text))
    for text in paragraphs[colon + 1 :]:
        if not _is_item(text):
            break  # the headings that follow the list
        plan.results.append(_item(text))


# --- Tables --------------------------------------------------------------------------


def _cell_text(cell) -> str:
    return "\n".join(line.strip() for line in cell.text.splitlines() if line.strip())


def _grid(table: Table) -> list[list]:
    """The table's cells by row and grid column, merged cells repeated as displayed.

    Built in one pass over the rows: a cell continuing a vertical merge takes the cell
    above it at the same grid offset. (python-docx's ``row.cells`` climbs from each
    continuing cell to the top of its merge, one recursive call per row and a search
    of the table each: a label merged over 2 000 rows took minutes, then exceeded
    Python's recursion limit.)"""
    grid: list[list] = []
    above: dict[int, _Cell] = {}  # grid offset -> cell shown there in the previous row
    for tr in table._tbl.tr_lst:
        offset = tr.grid_before
        row: list = []
        current: dict[int, _Cell] = {}
        for tc in tr.tc_lst:
            cell = above.get(offset) if tc.vMerge == "continue" else None
            if cell is None:
                cell = _Cell(tc, table)
            current[offset] = cell
            row += [cell] * tc.grid_span
            offset += tc.grid_span
        above = current
        grid.append(row)
    return grid


def _header_columns(grid: list[list]) -> dict | None:
    """Roles of the grid columns (axis, product, code, title, months, bodies) read from
    the first header row, or None when the table is not a plan table."""
    if not grid:
        return None
    header = [fold(_cell_text(c)) for c in grid[0]]
    title = next((i for i, h in enumerate(header) if _ACTIVITIES.match(h)), None)
    bodies = next((i for i, h in enumerate(header) if h.startswith("responsable")), None)
    if title is None or bodies is None or bodies <= title:
        return None
    # ACTIVITÉS may span the code and the label columns (one merged header cell).
    span = [i for i in range(title, bodies) if grid[0][i]._tc is grid[0][title]._tc]
    code = next((i for i, h in enumerate(header) if h in ("n°", "no", "n o", "code", "n")), None)
    if code is None and len(span) > 1:
        code, title = span[0], span[-1]
    elif code is None and title > 0 and header[title - 1] == "":
        code = title - 1
    axis = next((i for i, h in enumerate(header) if h.startswith("axe")), None)
    product = next((i for i, h in enumerate(header) if h.startswith("produit")), None)
    months = list(range(span[-1] + 1, bodies))
    return {
        "axis": axis,
        "product": product,
        "code": code,
        "title": span[-1] if span else title,
        "bodies": bodies,
        "months": months,
    }


def _is_header_row(row: list, columns: dict) -> bool:
    return bool(_ACTIVITIES.match(fold(_cell_text(row[columns["title"]]))))


def _month_columns(grid: list[list], columns: dict, plan: _Plan, where: str) -> dict[int, dt.date]:
    """Grid column -> month, from the years of the first header row and the months
    (names, or initials such as S O N D) of the last header row."""
    headers = [row for row in grid if _is_header_row(row, columns)]
    headers = headers[:2] if len(headers) > 1 else headers
    first, last = headers[0], headers[-1]
    groups: list[tuple[int, list[tuple[int, str]]]] = []
    for index in columns["months"]:
        year_text = fold(_cell_text(first[index]))
        label = _cell_text(last[index]).strip()
        try:
            month = parse_month(label)  # "sept. 2021", "09/2021"
        except ValueError:
            month = None
        if month:
            groups.append((month.year, [(index, month)]))
            continue
        year = re.search(r"\b(20\d\d|19\d\d)\b", year_text)
        if not year:
            plan.notes.append(f"{where} : colonne de mois sans année (« {label} ») ignorée.")
            continue
        if groups and groups[-1][0] == int(year[1]) and isinstance(groups[-1][1][-1][1], str):
            groups[-1][1].append((index, label))
        else:
            groups.append((int(year[1]), [(index, label)]))
    found: dict[int, dt.date] = {}
    previous: dt.date | None = None
    for position, (year, cells) in enumerate(groups):
        if isinstance(cells[0][1], dt.date):
            found[cells[0][0]] = previous = cells[0][1]
            continue
        start = _first_month(
            year, [label for _, label in cells], previous, has_next=position + 1 < len(groups)
        )
        if start is None:
            plan.notes.append(
                f"{where} : mois de {year} non reconnus "
                f"({' '.join(label for _, label in cells)}) ; calendrier non repris."
            )
            continue
        for offset, (index, _label) in enumerate(cells):
            found[index] = previous = dt.date(year, start + offset, 1)
    return found


def _first_month(
    year: int, labels: list[str], previous: dt.date | None, has_next: bool
) -> int | None:
    """The first month of consecutive month columns of one year, from their names or
    initials; initials are ambiguous (J, M, A) and resolved by continuity."""

    def matches(first: int) -> bool:
        for offset, label in enumerate(labels):
            month = dt.date(year, first + offset, 1)
            word = fold(label).rstrip(".")
            if not word:
                return False
            if len(word) == 1:
                if fold(month_initial(month)) != word:
                    return False
            else:
                try:
                    if parse_month(f"{label} {year}").month != month.month:
                        return False
                except ValueError:
                    return False
        return True

    candidates = [m for m in range(1, 14 - len(labels)) if matches(m)]
    if previous and (previous.year, previous.month) < (year, 12):
        following = 1 if previous.year < year else previous.month + 1
        if following in candidates:
            return following
    if len(candidates) > 1 and has_next:
        ending = [m for m in candidates if m + len(labels) - 1 == 12]
        candidates = ending or candidates
    return candidates[0] if candidates else None


def _scheduled(cell) -> str | None:
    """ "x" when a month cell is marked or shaded, "?" when it holds something else."""
    text = fold(_cell_text(cell))
    if text:
        return "x" if text in MARKS else "?"
    shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    fill = shading.get(qn("w:fill")) if shading is not None else None
    return "x" if (fill or "").lower() not in NO_FILL else None


def _numbered(text: str) -> tuple[int | None, str]:
    """(1, "Renforcer…") from "1. Renforcer…"; (None, text) without a number."""
    text = " ".join(text.split())
    match = _NUMBERED.match(text)
    if match:
        return int(match[1]), match[2].rstrip(" ;.")
    return None, text


def _read_plan_table(grid: list[list], columns: dict, number: int, plan: _Plan) -> None:
    where = f"Tableau {number}"
    months = _month_columns(grid, columns, plan, where)
    for month in months.values():
        if month not in plan.months:
            plan.months.append(month)
    axis = product = None
    if plan.activities:
        axis, product = plan.activities[-1].axis, plan.activities[-1].product
    for row_number, row in enumerate(grid, start=1):
        if _is_header_row(row, columns):
            continue
        where_row = f"{where}, ligne {row_number}"
        axis = _read_numbered(row, columns["axis"], axis, where_row, "l'axe", plan, plan.axes)
        product_text = _cell_text(row[columns["product"]]) if columns["product"] is not None else ""
        if product_text:
            number_, title = _numbered(product_text)
            if number_ is None:
                plan.notes.append(
                    f"{where_row} : produit sans numéro (« {title[:60]} ») : "
                    "activité rattachée au produit précédent."
                )
            else:
                product = number_
                plan.products.setdefault(product, (title, axis))
        title = " ".join(_cell_text(row[columns["title"]]).split())
        code = _cell_text(row[columns["code"]]) if columns["code"] is not None else ""
        if not title and not code:
            continue
        if not title:
            plan.notes.append(f"{where_row} : activité {code} sans intitulé : ligne ignorée.")
            continue
        if code and not _CODE.match(code):
            plan.notes.append(f"{where_row} : code « {code} » non reconnu : laissé vide.")
            code = ""
        scheduled = set()
        for index, month in months.items():
            mark = _scheduled(row[index])
            if mark == "x":
                scheduled.add(month)
            elif mark == "?":
                plan.notes.append(
                    f"{where_row} : la cellule du mois de {month:%m/%Y} contient "
                    f"« {_cell_text(row[index])} » : mois non programmé."
                )
        bodies = [
            " ".join(b.split()) for b in _cell_text(row[columns["bodies"]]).split("\n") if b.strip()
        ]
        if len(bodies) > schema.ACTIVITIES.repeated_count:
            plan.notes.append(
                f"{where_row} : plus de {schema.ACTIVITIES.repeated_count} "
                f"responsables ; non repris : {', '.join(bodies[6:])}."
            )
            bodies = bodies[: schema.ACTIVITIES.repeated_count]
        if product is None:
            plan.notes.append(f"{where_row} : activité « {title[:60]} » sans produit.")
        plan.activities.append(_Activity(axis, product, code or None, title, bodies, scheduled))


def _read_numbered(
    row: list,
    index: int | None,
    current: int | None,
    where: str,
    what: str,
    plan: _Plan,
    found: dict[int, str],
) -> int | None:
    if index is None:
        return current
    text = _cell_text(row[index])
    if not text:
        return current
    number, title = _numbered(text)
    if number is None:
        plan.notes.append(f"{where} : {what} « {title[:60]} » n'a pas de numéro.")
        return current
    found.setdefault(number, title)
    return number


def _read_full_names(grid: list[list], plan: _Plan) -> None:
    """The table of acronyms (Responsable | Nom complet), when the document has one."""
    if not grid or len(grid[0]) < 2:
        return
    header = [fold(_cell_text(c)) for c in grid[0]]
    if not (header[0].startswith("responsable") or header[0].startswith("sigle")):
        return
    for row in grid[1:]:
        name, full = _cell_text(row[0]), _cell_text(row[1])
        if name and full:
            plan.full_names[name] = " ".join(full.split())


# --- Writing -------------------------------------------------------------------------


def _axis_title(number: int, title: str, plan: _Plan) -> str:
    """The axis title as the narrative spells it when the table has it in capitals."""
    listed = plan.axis_list.get(number)
    if title == title.upper() and listed and fold(listed) == fold(title):
        return listed
    return _sentence(title)


def _match_results(plan: _Plan) -> dict[int, str]:
    """Product number -> expected result: in order when there is one result per
    product, otherwise by closest wording (a product may be left without one)."""
    numbers = sorted(plan.products)
    if len(plan.results) == len(numbers):
        return dict(zip(numbers, plan.results))
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, fold(plan.products[n][0]), fold(r)).ratio(), n, i)
            for n in numbers
            for i, r in enumerate(plan.results)
        ),
        reverse=True,
    )
    matched: dict[int, str] = {}
    used = set()
    for ratio, number, index in pairs:
        if ratio < 0.5 or number in matched or index in used:
            continue
        matched[number] = plan.results[index]
        used.add(index)
    for index, result in enumerate(plan.results):
        if index not in used:
            plan.notes.append(
                f"Section 3 : le résultat attendu « {result[:60]} » ne correspond "
                "à aucun produit : non repris."
            )
    return matched


def _write(plan: _Plan, target: Path) -> None:
    months = sorted(plan.months)
    book = new_workbook(months[0], months[-1])
    parameters = {
        "group_name": plan.group_name or None,
        "country": plan.country or None,
        "mandate_start": months[0],
        "mandate_end": month_end(months[-1]),
        "document_date": plan.document_date or month_end(months[-1]),
    }
    set_parameters(book, parameters)
    labels = {p.key: p.label for p in schema.PARAMETERS}
    plan.notes.append(
        "Paramètres absents d'un PTA, à compléter : "
        + ", ".join(f"« {labels[k]} »" for k in NOT_IN_PTA)
        + "."
    )
    append_rows(book, schema.TEXTS.name, [{"heading": h, "text": t} for h, t in plan.texts])
    # The document's table of bodies gives their order; others follow as they appear.
    bodies: list[str] = list(plan.full_names)
    for activity in plan.activities:
        bodies += [b for b in activity.bodies if b not in bodies]
    unnamed = [b for b in bodies if b not in plan.full_names]
    if unnamed:
        plan.notes.append(
            "Responsables sans nom complet dans le document (le nom court est "
            "repris, à compléter) : " + ", ".join(unnamed) + "."
        )
    append_rows(
        book,
        schema.BODIES.name,
        [{"name": b, "full_name": plan.full_names.get(b, b)} for b in bodies],
    )
    append_rows(
        book,
        schema.AXES.name,
        [{"number": n, "title": _axis_title(n, t, plan)} for n, t in sorted(plan.axes.items())],
    )
    results = _match_results(plan)
    append_rows(
        book,
        schema.PRODUCTS.name,
        [
            {"number": n, "title": title, "axis": axis, "result": results.get(n)}
            for n, (title, axis) in sorted(plan.products.items())
        ],
    )
    append_rows(
        book,
        schema.ACTIVITIES.name,
        [
            {
                "code": a.code,
                "title": a.title,
                "product": a.product,
                "bodies": a.bodies,
                "months": a.months,
            }
            for a in plan.activities
        ],
    )
    save_new(book, target)
