"""Distribution, the stage after build: a dated package of what each list receives.

    package = distribute("inputs", "build")   # writes build/diffusion/<build date>/

It reads what the last build wrote (build/.index.json: file -> document kind, and
build/.construction.json: the workbook's SHA-256 and the build date per kind) and
the distribution sheets of the workbook, then writes, through the writer:

    build/diffusion/2022-05-31/
        membres-de-la-troika/      the list's documents, in Word and PDF
        membres-de-la-troika.zip   the same files, one archive per list
        membres-de-la-troika.eml   the e-mail draft, documents attached
        manifeste.csv              every file: size, SHA-256, workbook SHA-256, ...
        manifeste.txt              the same, for people

Documents built from another version of the workbook are refused: the package
never mixes versions. Everything but the PDFs is reproducible byte for byte.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path, PurePosixPath

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from . import formats, schema
from .archive import make_zip
from .bookkeeping import clean_leftovers, locked
from .build import TEMPLATES, load, workbook_sha256
from .documents import KINDS
from .exceptions import ConversionError, InvalidWorkbook, PipelineError, TemplateProblem
from .mail import Attachment, compose, to_bytes
from .model import MailingList, Workbook
from .reader import locate_workbook
from .report import Report
from .writer import read_build, replace_folder

FOLDER = "diffusion"
MAIL_TEMPLATE = "courriel.txt"
MANIFEST_CSV, MANIFEST_TXT = "manifeste.csv", "manifeste.txt"
SUBJECT_PREFIX = "Objet :"
CSV_COLUMNS = ("fichier", "liste", "document", "format", "taille_octets", "sha256",
               "classeur", "classeur_sha256", "date_construction", "version_schema")


@dataclass
class ListPackage:
    """What one mailing list receives."""

    mailing_list: MailingList
    files: dict[str, tuple[str, bytes]]  # path in the package -> (kind, bytes)
    zip_name: str
    eml_name: str | None  # None when the list has no recipient
    message: Message | None
    subject: str = ""
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Package:
    folder: Path
    build_date: dt.date
    workbook_name: str
    workbook_sha256: str
    lists: list[ListPackage]
    files: dict[str, bytes]  # everything, by path in the package
    notes: list[str] = field(default_factory=list)  # French, for the user
    pdf_problem: str | None = None  # why there are no PDF copies
    written: list[Path] = field(default_factory=list)

    @property
    def messages(self) -> list[tuple[str, Message, list[str]]]:
        """``(list name, draft, addresses)`` for every list that has a draft."""
        return [(p.mailing_list.name, p.message, [r.email for r in p.mailing_list.recipients])
                for p in self.lists if p.message is not None]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _build_date(kinds: set[str], records: dict[str, dict], sha256: str | None,
                build_dir: Path) -> dt.date:
    stale = sorted(k for k in kinds if records.get(k, {}).get("classeur_sha256") != sha256)
    if stale:
        raise PipelineError(
            f"Les documents {', '.join(stale)} de {build_dir} n'ont pas été construits à partir de "
            "la version actuelle du classeur : relancez « make reports » (ou « troika "
            "construire ») avant la diffusion.")
    dates = {records[k].get("date") for k in kinds}
    if len(dates) != 1:
        raise PipelineError(
            f"Les documents de {build_dir} ont été construits à des dates différentes "
            f"({', '.join(sorted(map(str, dates)))}) : reconstruisez-les tous avec la même "
            "date (« make reports DATE=AAAA-MM-JJ »).")
    try:
        return dt.date.fromisoformat(dates.pop())
    except (TypeError, ValueError) as exc:
        raise PipelineError(f"Le registre de construction de {build_dir} est illisible : relancez "
                            "« make reports ».") from exc


def _documents_to_send(workbook: Workbook, workbook_path: Path, build_dir: Path,
                       index: dict[str, str], records: dict[str, dict], notes: list[str]
                       ) -> tuple[dict[str, tuple[str, bytes]], dt.date, str | None]:
    """The built documents the Diffusion sheet routes to some list, ``{name: (kind,
    bytes)}``, with their build date and the workbook's SHA-256; refuses documents
    built from another version of the workbook."""
    routed = {k for m in workbook.distribution.lists for k in m.kinds}
    if not routed:
        raise PipelineError("La feuille Diffusion n'associe aucun document à une liste de "
                            "diffusion : il n'y a rien à diffuser.")
    if not index:
        raise PipelineError(f"Aucun document dans {build_dir} : lancez d'abord « make reports » "
                            "(ou « troika construire »).")
    available = {k for k in index.values() if k in routed}
    notes += [f"Aucun document « {k} » dans {build_dir} (non construit ou aucune période échue) : "
              "les listes prévues ne le recevront pas."
              for k in sorted(routed - available, key=list(KINDS).index)]
    if not available:
        raise PipelineError(f"Aucun des documents prévus dans la feuille Diffusion n'a été "
                            f"construit dans {build_dir} : lancez d'abord « make reports ».")
    sha256 = workbook_sha256(Path(workbook_path))
    build_date = _build_date(available, records, sha256, build_dir)
    documents = {name: (kind, (build_dir / name).read_bytes())
                 for name, kind in sorted(index.items()) if kind in available}
    return documents, build_date, sha256


def _mail_text(workbook: Workbook, mailing_list: MailingList, by_kind: dict[str, list[str]],
               build_date: dt.date, with_pdf: bool, template: Path) -> tuple[str, str]:
    """Subject and body of a list's e-mail, from the editable text template."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(formats.FILTERS)
    documents = [{"label": KINDS[kind].label, "files": names} for kind, names in by_kind.items()]
    try:
        source = template.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateProblem(f"Le modèle de courriel {template.name} est introuvable dans "
                              f"{template.parent}.") from exc
    try:
        text = env.from_string(source).render(
            liste=mailing_list, documents=documents, plan=workbook.plan,
            date_construction=build_date, avec_pdf=with_pdf)
    except TemplateError as exc:
        raise TemplateProblem(f"Modèle de courriel {template.name} : {exc}. Vérifiez les "
                              "balises entre accolades.") from exc
    first, _, body = text.lstrip().partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise TemplateProblem(f"Modèle de courriel {template.name} : la première ligne doit "
                              f"commencer par « {SUBJECT_PREFIX} » suivi de l'objet du courriel.")
    subject = " ".join(first[len(SUBJECT_PREFIX):].split())
    # At most one blank line in a row, whatever the template's block tags leave.
    lines, blank = [], False
    for line in body.strip("\n").splitlines():
        if line.strip() or not blank:
            lines.append(line.rstrip())
        blank = not line.strip()
    return subject, "\n".join(lines).strip() + "\n"


def _manifest(package: Package, kinds_by_file: dict[str, tuple[str, str]]) -> tuple[bytes, bytes]:
    """CSV (semicolons, UTF-8 with BOM: Excel in French opens it as is) and text forms."""
    rows = []
    for name in sorted(package.files):
        data = package.files[name]
        list_name, kind = kinds_by_file.get(name, ("", ""))
        rows.append({"fichier": name, "liste": list_name, "document": kind,
                     "format": PurePosixPath(name).suffix.lstrip("."),
                     "taille_octets": len(data), "sha256": _sha256(data),
                     "classeur": package.workbook_name,
                     "classeur_sha256": package.workbook_sha256,
                     "date_construction": package.build_date.isoformat(),
                     "version_schema": schema.SCHEMA_VERSION})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_bytes = buffer.getvalue().encode("utf-8-sig")

    by_name = {row["fichier"]: row for row in rows}
    lines = [
        "MANIFESTE DU DOSSIER DE DIFFUSION",
        "",
        f"Construction du {formats.long_date(package.build_date)}",
        f"Classeur : {package.workbook_name}",
        f"Empreinte SHA-256 du classeur : {package.workbook_sha256}",
        f"Version du modèle de classeur : {schema.SCHEMA_VERSION}",
        "Copies PDF : " + ("jointes" if package.pdf_problem is None
                           else "absentes (LibreOffice n'a pas pu les produire)"),
    ]
    for part in package.lists:
        mailing_list = part.mailing_list
        count = len(mailing_list.recipients)
        mode = "en copie cachée (Cci)" if mailing_list.uses_bcc else "dans « À »"
        lines += ["", f"Liste « {mailing_list.name} » – {count} destinataire"
                      f"{'s' if count > 1 else ''}, {mode}"]
        lines += [f"  • {r.display_name} <{r.email}>" for r in mailing_list.recipients]
        names = sorted(part.files) + [part.zip_name] + ([part.eml_name] if part.eml_name else [])
        for name in names:
            row = by_name[name]
            lines.append(f"  {name}")
            lines.append(f"      {formats.number(row['taille_octets'])} octets – "
                         f"SHA-256 {row['sha256']}")
    lines += ["", "Pour vérifier l'empreinte d'un fichier : sous Windows, "
                  "« certutil -hashfile FICHIER SHA256 » ; sous Linux ou macOS, "
                  "« sha256sum FICHIER » (ou « shasum -a 256 FICHIER »)."]
    return csv_bytes, ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def prepare(workbook_path: Path, build_dir: Path, pdf: bool = True, sender: str | None = None,
            templates: Path = TEMPLATES, soffice: str | None = None) -> Package:
    """The whole package in memory (nothing is written); see :func:`distribute`."""
    report = Report()
    workbook = load(Path(workbook_path), report)
    if workbook is None or report.is_blocking():
        raise InvalidWorkbook(report)
    build_dir = Path(build_dir)
    notes: list[str] = []
    # Under the lock: a build finishing meanwhile cannot mix its documents with these.
    with locked(build_dir) if build_dir.is_dir() else contextlib.nullcontext():
        index, records = read_build(build_dir)
        documents, build_date, sha256 = _documents_to_send(workbook, workbook_path, build_dir,
                                                           index, records, notes)
    located = locate_workbook(Path(workbook_path), Report())

    pdf_problem = None
    pdfs: dict[str, bytes] = {}
    if pdf:
        try:
            pdfs = _convert({n: d for n, (_k, d) in documents.items()}, soffice)
        except ConversionError as exc:
            pdf_problem = str(exc)
    else:
        pdf_problem = "copies PDF non demandées (--sans-pdf)"

    package = Package(build_dir / FOLDER / build_date.isoformat(), build_date,
                      located.name if located else str(workbook_path), sha256 or "", [], {},
                      notes, pdf_problem)
    kinds_by_file: dict[str, tuple[str, str]] = {}
    for mailing_list in workbook.distribution.lists:
        own = [(n, k, d) for n, (k, d) in documents.items() if k in mailing_list.kinds]
        if not own:
            continue
        own.sort(key=lambda item: (mailing_list.kinds.index(item[1]), item[0]))
        files: dict[str, tuple[str, bytes]] = {}
        attachments: list[Attachment] = []
        by_kind: dict[str, list[str]] = {}
        for name, kind, data in own:
            base = PurePosixPath(name)
            copies = [(base.name, data)]
            if name in pdfs:
                copies.append((base.with_suffix(".pdf").name, pdfs[name]))
            for file_name, file_data in copies:
                files[f"{mailing_list.slug}/{name if file_name == base.name else base.with_suffix('.pdf')}"] = (kind, file_data)
                attachments.append(Attachment(file_name, file_data))
            by_kind.setdefault(kind, []).append(base.stem)
        zip_name = f"{mailing_list.slug}.zip"
        archive = make_zip([(path.split("/", 1)[1], data) for path, (_k, data) in files.items()],
                           build_date)
        message, eml_name, subject = None, None, ""
        if mailing_list.recipients:
            subject, body = _mail_text(workbook, mailing_list, by_kind, build_date,
                                       bool(pdfs), templates / MAIL_TEMPLATE)
            message = compose(mailing_list, subject, body, attachments, sender)
            eml_name = f"{mailing_list.slug}.eml"
            package.files[eml_name] = to_bytes(message)
            kinds_by_file[eml_name] = (mailing_list.name, "")
        else:
            package.notes.append(f"La liste « {mailing_list.name} » n'a aucun destinataire : "
                                 "ni courriel ni envoi pour elle.")
        for path, (kind, data) in files.items():
            package.files[path] = data
            kinds_by_file[path] = (mailing_list.name, kind)
        package.files[zip_name] = archive
        kinds_by_file[zip_name] = (mailing_list.name, "")
        package.lists.append(ListPackage(mailing_list, files, zip_name, eml_name, message,
                                         subject, attachments))
    csv_bytes, text_bytes = _manifest(package, kinds_by_file)
    package.files[MANIFEST_CSV] = csv_bytes
    package.files[MANIFEST_TXT] = text_bytes
    return package


def _convert(documents: dict[str, bytes], soffice: str | None) -> dict[str, bytes]:
    from .pdf import convert_to_pdf

    return convert_to_pdf(documents, soffice)


def distribute(workbook_path: Path, build_dir: Path, pdf: bool = True,
               sender: str | None = None, templates: Path = TEMPLATES,
               soffice: str | None = None) -> Package:
    """Prepare the package of the last build and write it to build/diffusion/<date>/,
    replacing an earlier package of the same build date as a whole."""
    package = prepare(workbook_path, build_dir, pdf, sender, templates, soffice)
    with locked(build_dir):
        clean_leftovers(Path(build_dir))
        package.written = replace_folder(package.files, package.folder)
    return package
