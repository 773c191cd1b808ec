"""Check the Word templates without writing anything: ``troika verifier-modeles``.

Templates are sources the secretariat edits in Word; the code reads and checks them,
never writes them. For each template of ``templates/`` this module reports, with a
stable code and a French message:

- ``rendu``: it does not render on the workbook's data (tag syntax, unknown value...);
- ``style-inconnu``: it uses a style the charter (``charte.docx``) does not define;
- ``mise-en-forme-directe``: text or cells carry their own size, colour, font or fill
  instead of a charter style (bold and italic are allowed; a copy of the charter's own
  values, which LibreOffice writes into table cells, is not reported);
- ``variable-inconnue``: a tag names a variable or a field the data does not have,
  even in a branch the sample's data does not reach;
- ``en-tete-non-repete`` (warning): a table's heading row is not marked to repeat on
  every page (the build restores it, but Word will not show it while editing);
- ``couleur-manquante`` (warning): a status has no colour in the charter's table;
- ``fait-dans-le-modele`` (warning): the template's own words state a count, a
  frequency or a judgement that only the data can tell (see template_facts);
- ``modele-absent``: a template the documents need is not in the folder;
- ``fichier-invalide``: the file is not a readable Word document (another format
  renamed .docx, a damaged or truncated file, abnormally large once unpacked).

Findings are values; the CLI prints them and exits non-zero on any error.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from ..exceptions import TemplateProblem, UnsafeArchive, describe_os_error
from ..unpack import check_archive
from ..workbook import schema
from .charter import CHARTER_NAME, HEADER_STYLE, Charter, W, header_rows, load_charter
from .template_facts import check_fixed_facts

_W = f"{{{W}}}"

# The statuses whose cells the reports shade, and the PTA's scheduled month.
COLOURED = (
    *schema.ACTIVITY_STATUSES,
    "non renseignée",
    *schema.DECISION_STATUSES,
    "en retard",
    "mois programmé",
)


@dataclass(frozen=True)
class Finding:
    """One thing to fix in a template."""

    template: str
    code: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        kind = "erreur" if self.error else "avertissement"
        return f"Modèle {self.template} [{self.code}, {kind}] : {self.message}"


# The Word templates the documents are made from (``Output.template`` in
# pipeline.documents): each must be there, even when this workbook's data does not
# use it yet (a first Flash info, a first session).
TEMPLATE_NAMES = (
    "pta.docx",
    "rapport_trimestriel.docx",
    "bilan_annuel.docx",
    "compte_rendu.docx",
    "discours.docx",
    "aide_memoire.docx",
    "previsions_decaissements.docx",
    "flash_info.docx",
    "etat_des_recommandations.docx",
)
_XML_PART = re.compile(r"word/(document|header\d*|footer\d*|styles|numbering)\.xml")
_RESAVE = "ouvrez-le dans Word et enregistrez-le au format « Document Word (.docx) »"


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


def check_package(path: Path) -> None:
    """Refuse, before anything renders it, a template file that is not a readable Word
    document: missing, another format renamed .docx, damaged or truncated, abnormally
    large once unpacked, or with a part that is not valid XML. Raises
    :class:`TemplateProblem` naming the template, what is wrong and what to do."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise TemplateProblem(
            f"Le modèle {name} est introuvable dans {path.parent} : remettez-le dans ce "
            "dossier (une copie d'origine se trouve dans le dossier templates/ de l'outil)."
        )
    try:
        check_template_file(path)
        check_archive(path, label=f"modèle {name}")
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "word/document.xml" not in members:
                kind = (
                    "un classeur Excel"
                    if "xl/workbook.xml" in members
                    else "une présentation PowerPoint"
                    if "ppt/presentation.xml" in members
                    else "une archive d'un autre format"
                )
                raise TemplateProblem(
                    f"Le modèle {name} n'est pas un document Word : c'est {kind} renommé "
                    f"en .docx ; remettez à sa place le vrai modèle Word {name}."
                )
            for member in sorted(m for m in members if _XML_PART.fullmatch(m)):
                try:
                    etree.fromstring(archive.read(member))
                except etree.XMLSyntaxError as exc:
                    raise TemplateProblem(
                        f"Le modèle {name} est endommagé : sa partie {member} n'est pas "
                        f"lisible (ligne {exc.lineno}) ; {_RESAVE}, ou reprenez une copie "
                        "d'origine."
                    ) from exc
    except UnsafeArchive as exc:
        raise TemplateProblem(str(exc)) from exc
    except zipfile.BadZipFile as exc:
        raise TemplateProblem(
            f"Le modèle {name} est endommagé ou tronqué (fichier zip illisible) ; "
            f"{_RESAVE}, ou reprenez une copie d'origine."
        ) from exc
    except OSError as exc:
        raise TemplateProblem(
            f"Le modèle {name} ne peut pas être lu : {describe_os_error(exc)}"
        ) from exc


def check_template_files(templates: Path, names) -> None:
    """:func:`check_package` for each template of ``names`` in the folder ``templates``
    (the build calls it before rendering, so a bad file is named, never an internal error)."""
    for name in sorted(set(names)):
        check_package(Path(templates) / name)


def check_folder(templates: Path, needed=()) -> tuple[list[Finding], list[Path]]:
    """Findings for the templates missing from ``templates`` or not readable as Word
    files, and the templates that can be checked further."""
    findings, readable = [], []
    present = {
        p.name
        for p in Path(templates).glob("*.docx")
        if p.name != CHARTER_NAME and not p.name.startswith("~$")
    }
    for name in sorted(present | set(TEMPLATE_NAMES) | set(needed)):
        path = Path(templates) / name
        try:
            check_package(path)
        except TemplateProblem as exc:
            code = "modele-absent" if name not in present else "fichier-invalide"
            findings.append(Finding(name, code, str(exc)))
            continue
        readable.append(path)
    return findings, readable


# --- Styles and direct formatting ----------------------------------------------------------


def _parts(path: Path) -> dict[str, etree._Element]:
    """The template's body, headers and footers, and styles, parsed."""
    with zipfile.ZipFile(path) as archive:
        names = [
            n
            for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*|styles)\.xml", n)
        ]
        return {n: etree.fromstring(archive.read(n)) for n in names}


def _text(element, limit: int = 60) -> str:
    text = "".join(t.text or "" for t in element.iter(f"{_W}t"))
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _direct(rpr) -> list[str]:
    """What a run's properties set that only a style should: French names."""
    found = []
    if rpr.find(f"{_W}sz") is not None:
        found.append(f"taille {int(rpr.find(f'{_W}sz').get(f'{_W}val', '0')) / 2:g} pt")
    color = rpr.find(f"{_W}color")
    if color is not None and color.get(f"{_W}val", "auto") != "auto":
        found.append(f"couleur {color.get(f'{_W}val')}")
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is not None and (fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")):
        found.append(f"police {fonts.get(f'{_W}ascii') or fonts.get(f'{_W}hAnsi')}")
    if rpr.find(f"{_W}highlight") is not None:
        found.append("surlignage")
    shd = rpr.find(f"{_W}shd")
    if shd is not None and shd.get(f"{_W}fill", "auto") not in ("auto", "FFFFFF"):
        found.append(f"trame {shd.get(f'{_W}fill')}")
    return found


def _house_values(charter: Charter) -> set[str]:
    """What the charter's own styles set (« taille 11 pt », « police Arial », « trame 1F4E79 »...).

    LibreOffice copies a table style's font, size and fill into every cell when it saves a
    template; the build drops that copy and applies the charter anyway, so formatting that
    only repeats the charter's values is no reason to refuse a template edited there."""
    values = set()
    for rpr in charter.styles.iter(f"{_W}rPr"):
        values.update(_direct(rpr))
    for shd in charter.styles.iter(f"{_W}shd"):
        values.add(f"trame {shd.get(f'{_W}fill', 'auto')}")
    return values


def check_styles(path: Path, charter: Charter) -> list[Finding]:
    """Styles the charter does not define, and formatting set outside any style (other
    than a copy of the charter's own values, see :func:`_house_values`)."""
    name = path.name
    house = _house_values(charter)
    parts = _parts(path)
    own = {}  # style id -> name, in the template's own styles part
    styles = parts.pop("word/styles.xml", None)
    if styles is not None:
        for style in styles.iter(f"{_W}style"):
            label = style.find(f"{_W}name")
            own[style.get(f"{_W}styleId")] = label.get(f"{_W}val") if label is not None else ""
    known = set(charter.ids.values())
    findings: list[Finding] = []
    unknown: dict[str, str] = {}
    direct: dict[str, list[str]] = {}
    for root in parts.values():
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for ref in root.iter(f"{_W}{tag}"):
                sid = ref.get(f"{_W}val")
                if sid not in known:
                    holder = next(ref.iterancestors(f"{_W}p"), None)
                    unknown.setdefault(
                        own.get(sid) or sid, _text(holder) if holder is not None else ""
                    )
        for rpr in root.iter(f"{_W}rPr"):
            what = [item for item in _direct(rpr) if item not in house]
            if what:
                holder = next(rpr.iterancestors(f"{_W}p"), None)
                text = _text(holder) if holder is not None else ""
                for item in what:
                    direct.setdefault(item.split(" ")[0], []).append(f"{item} sur « {text} »")
        for shd in root.iter(f"{_W}shd"):
            parent = shd.getparent()
            if (
                parent.tag in (f"{_W}tcPr", f"{_W}pPr", f"{_W}tblPr")
                and shd.get(f"{_W}fill", "auto") not in ("auto", "FFFFFF")
                and f"trame {shd.get(f'{_W}fill')}" not in house
            ):
                holder = parent.getparent()
                direct.setdefault("trame", []).append(
                    f"trame {shd.get(f'{_W}fill')} sur « {_text(holder)} »"
                )
    for style_name, text in sorted(unknown.items()):
        findings.append(
            Finding(
                name,
                "style-inconnu",
                f"le style « {style_name} » (près de « {text} ») n'est pas défini "
                f"dans la charte {CHARTER_NAME} : appliquez un style de la charte "
                "(ou ajoutez ce style à la charte).",
            )
        )
    for kind, places in sorted(direct.items()):
        shown = " ; ".join(places[:3]) + (
            f" ; et {len(places) - 3} autre(s)" if len(places) > 3 else ""
        )
        findings.append(
            Finding(
                name,
                "mise-en-forme-directe",
                f"mise en forme directe ({kind}) : {shown}. Sélectionnez le texte, "
                "Ctrl+Espace (ou « Effacer la mise en forme ») puis appliquez un "
                "style de la charte ; pour un tableau, utilisez le style "
                "« Tableau Troïka ».",
            )
        )
    return findings


def check_header_rows(path: Path, charter: Charter) -> list[Finding]:
    """Tables whose heading rows are not marked to repeat on every page."""
    header_id = charter.style_id(HEADER_STYLE)
    body = _parts(path)["word/document.xml"]
    findings = []
    for tbl in body.iter(f"{_W}tbl"):
        for tr in header_rows(tbl, header_id):
            if tr.find(f"{_W}trPr/{_W}tblHeader") is None:
                findings.append(
                    Finding(
                        path.name,
                        "en-tete-non-repete",
                        f"la ligne d'en-tête « {_text(tr)} » n'est pas répétée en haut de chaque page "
                        "(Propriétés du tableau > Ligne > « Répéter en haut de chaque page ») ; la "
                        "construction la rétablit.",
                        error=False,
                    )
                )
    return findings


def check_colours(charter: Charter) -> list[Finding]:
    missing = [status for status in COLOURED if status.lower() not in charter.colours]
    if not missing:
        return []
    return [
        Finding(
            CHARTER_NAME,
            "couleur-manquante",
            "aucune couleur dans le tableau « Statut ou repère | Couleur » pour : "
            + ", ".join(f"« {m} »" for m in missing)
            + " ; ces cellules resteront "
            "blanches. Ajoutez une ligne par statut (nom écrit comme dans le classeur).",
            error=False,
        )
    ]


# --- Tags and variables ----------------------------------------------------------------------


class _Unknown:
    """A value the check cannot know (a filter's result, an empty list's element...)."""


UNKNOWN = _Unknown()


def template_source(path: Path) -> str:
    """The Jinja source of a template: body, headers, footers and properties, as docxtpl
    hands it to Jinja."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(path))
    doc.init_docx()
    source = doc.patch_xml(doc.get_xml())
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for _key, part in doc.get_headers_footers(uri):
            source += doc.patch_xml(doc.get_part_xml(part))
    props = doc.docx.core_properties
    source += "".join(
        getattr(props, p) or ""
        for p in ("author", "title", "subject", "keywords", "comments", "category")
    )
    return source


def _fields(value) -> list[str]:
    if isinstance(value, dict):
        return sorted(map(str, value))
    if dataclasses.is_dataclass(value):
        names = [f.name for f in dataclasses.fields(value)]
        names += [n for n, v in vars(type(value)).items() if isinstance(v, property)]
        return sorted(names)
    return []


class _Resolver:
    """Walks a template's syntax tree with the sample's values: every name must be a
    context variable, a global or a loop variable, and every ``a.b`` a field of ``a``."""

    def __init__(self, template: str, context: dict, env):
        self.template = template
        self.env = env
        self.scopes = [dict(context)]
        self.problems: dict[str, str] = {}

    def lookup(self, name: str):
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.env.globals or name in ("loop", "caller", "varargs", "kwargs"):
            return UNKNOWN
        self.problems.setdefault(
            name,
            f"la variable « {name} » n'existe pas (variables "
            f"connues : {', '.join(sorted(self.scopes[0]))})",
        )
        return UNKNOWN

    def value(self, node):
        """The node's sample value (or UNKNOWN), reporting unknown names and fields."""
        if isinstance(node, nodes.Name):
            return self.lookup(node.name)
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, self.value(node.node), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.value(node.node)
            self.visit(node.arg)
            if isinstance(node.arg, nodes.Const) and isinstance(base, dict):
                return base.get(node.arg.value, UNKNOWN)
            if isinstance(node.arg, nodes.Const) and isinstance(base, (list, tuple)):
                try:
                    return base[node.arg.value]
                except (IndexError, TypeError):
                    return UNKNOWN
            return UNKNOWN
        self.visit(node)
        return UNKNOWN

    def attribute(self, node, base, attr: str):
        if base is UNKNOWN or base is None:
            return UNKNOWN
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            if hasattr(base, attr):  # dict methods (items, keys...)
                return UNKNOWN
        elif hasattr(base, attr):
            return getattr(base, attr)
        if isinstance(base, (str, int, float, list, tuple)):
            return UNKNOWN  # str and list methods: Jinja's business
        where = _expression(node.node)
        fields = _fields(base)
        self.problems.setdefault(
            f"{where}.{attr}",
            f"« {where}.{attr} » : {where} n'a pas de "
            f"champ « {attr} »" + (f" (champs connus : {', '.join(fields)})" if fields else ""),
        )
        return UNKNOWN

    def visit(self, node) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.value(node)
            return
        if isinstance(node, nodes.For):
            items = self.value(node.iter)
            first = UNKNOWN
            if isinstance(items, (list, tuple)) and items:
                first = items[0]
            elif isinstance(items, dict) and items:
                first = next(iter(items))
            scope = {}
            self._bind(node.target, first, scope)
            self.scopes.append(scope)
            if node.test is not None:
                self.visit(node.test)
            for child in node.body:
                self.visit(child)
            self.scopes.pop()
            for child in node.else_:
                self.visit(child)
            return
        if isinstance(node, nodes.Assign):
            self.visit(node.node)
            self._bind(node.target, UNKNOWN, self.scopes[-1])
            return
        for child in node.iter_child_nodes():
            self.visit(child)

    def _bind(self, target, value, scope: dict) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, UNKNOWN, scope)


def _expression(node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    return "…"


def check_variables(path: Path, context: dict, env) -> list[Finding]:
    """Every name and field a template's tags use exists in the data given to it."""
    try:
        tree = env.parse(template_source(path))
    except TemplateSyntaxError:
        return []  # reported by the render check, with the surrounding text
    resolver = _Resolver(path.name, context, env)
    resolver.visit(tree)
    return [
        Finding(
            path.name,
            "variable-inconnue",
            message + " : corrigez l'orthographe "
            "dans la balise (voir docs/modeles.md pour la liste des variables).",
        )
        for message in resolver.problems.values()
    ]


# --- Everything -----------------------------------------------------------------------------


def check_template(path: Path, charter: Charter, context: dict | None, env) -> list[Finding]:
    """The static checks of one template (rendering is checked by the caller)."""
    findings = check_styles(path, charter) + check_header_rows(path, charter)
    findings += [
        Finding(
            path.name,
            "fait-dans-le-modele",
            f"« {words} » (dans « {paragraph} ») dit un fait avec les mots du modèle, "
            "identiques dans chaque document : faites-le venir des données (une variable), "
            "ou retirez-le",
            error=False,
        )
        for words, paragraph in check_fixed_facts(path)
    ]
    if context is not None:
        findings += check_variables(path, context, env)
    return findings


def load_house_charter(templates: Path) -> Charter:
    charter_path = Path(templates) / CHARTER_NAME
    if not charter_path.exists():
        raise TemplateProblem(
            f"La charte graphique {CHARTER_NAME} est introuvable dans "
            f"{templates} : elle définit les styles de tous les documents."
        )
    return load_charter(charter_path)
