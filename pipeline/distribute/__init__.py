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

from .. import formats
from ..build import TEMPLATES, check_output_folder, workbook_sha256
from ..documents import KINDS
from ..exceptions import BuildNeeded, ConversionError, PipelineError, TemplateProblem
from ..model import MailingList, Workbook
from ..output.archive import make_zip
from ..output.bookkeeping import locked
from ..output.writer import read_build, read_catalogue, replace_folder
from ..progress import PACKAGING, Progress, ignore
from ..report import Report
from ..validate import load_valid
from ..workbook import schema
from ..workbook.reader import locate_workbook
from ..workbook.values import fold, slug
from .mail import Attachment, addresses_in, compose, to_bytes

FOLDER = "diffusion"
MAIL_TEMPLATE = "courriel.txt"
MANIFEST_CSV, MANIFEST_TXT = "manifeste.csv", "manifeste.txt"
SUBJECT_PREFIX = "Objet :"
CSV_COLUMNS = (
    "fichier",
    "liste",
    "document",
    "format",
    "taille_octets",
    "sha256",
    "classeur",
    "classeur_sha256",
    "date_construction",
    "version_schema",
)


@dataclass(frozen=True)
class Document:
    """A built file, as the letters name it."""

    name: str  # path in the build folder
    kind: str
    title: str
    day: dt.date
    period: str | None  # label of the reporting period it belongs to, if any
    data: bytes


@dataclass
class Draft:
    """One e-mail of a list: a list whose documents exceed the size limit gets several."""

    name: str  # .eml file name in the package
    message: Message
    subject: str
    attachments: list[Attachment]
    size: int = 0  # bytes of the .eml file


@dataclass
class ListPackage:
    """What one mailing list receives."""

    mailing_list: MailingList
    files: dict[str, tuple[str, bytes]]  # path in the package -> (kind, bytes)
    zip_name: str
    drafts: list[Draft] = field(default_factory=list)  # none when the list has no recipient

    @property
    def eml_name(self) -> str | None:
        return self.drafts[0].name if self.drafts else None

    @property
    def message(self) -> Message | None:
        return self.drafts[0].message if self.drafts else None

    @property
    def subject(self) -> str:
        return self.drafts[0].subject if self.drafts else ""

    @property
    def attachments(self) -> list[Attachment]:
        return [a for d in self.drafts for a in d.attachments]


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
    period: str | None = None  # the period distributed; None: every document

    @property
    def messages(self) -> list[tuple[str, Message, list[str]]]:
        """``(list name, draft, addresses)`` for every draft of every list."""
        return [
            (p.mailing_list.name, d.message, [r.email for r in p.mailing_list.recipients])
            for p in self.lists
            for d in p.drafts
        ]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _build_date(
    kinds: set[str], records: dict[str, dict], sha256: str | None, build_dir: Path
) -> dt.date:
    stale = sorted(k for k in kinds if records.get(k, {}).get("classeur_sha256") != sha256)
    if stale:
        raise BuildNeeded(
            f"Les documents {', '.join(stale)} de {build_dir} n'ont pas été construits à partir "
            "de la version actuelle du classeur, et la diffusion n'envoie jamais une version "
            "périmée"
        )
    dates = {records[k].get("date") for k in kinds}
    if len(dates) != 1:
        raise BuildNeeded(
            f"Les documents de {build_dir} ont été construits à des dates différentes "
            f"({', '.join(sorted(map(str, dates)))}), alors qu'une diffusion les veut tous "
            "de la même construction"
        )
    try:
        return dt.date.fromisoformat(dates.pop())
    except (TypeError, ValueError) as exc:
        raise BuildNeeded(f"Le registre de construction de {build_dir} est illisible") from exc


def _documents_to_send(
    workbook: Workbook,
    workbook_path: Path,
    build_dir: Path,
    index: dict[str, str],
    records: dict[str, dict],
    notes: list[str],
) -> tuple[dict[str, tuple[str, bytes]], dt.date, str | None]:
    """The built documents the Diffusion sheet routes to some list, ``{name: (kind,
    bytes)}``, with their build date and the workbook's SHA-256; refuses documents
    built from another version of the workbook."""
    routed = {k for m in workbook.distribution.lists for k in m.kinds}
    if not routed:
        raise PipelineError(
            "La feuille Diffusion n'associe aucun document à une liste de "
            "diffusion : il n'y a rien à diffuser."
        )
    if not index:
        raise BuildNeeded(f"Aucun document dans {build_dir}")
    available = {k for k in index.values() if k in routed}
    notes += [
        f"Aucun document « {k} » dans {build_dir} (non construit ou aucune période échue) : "
        "les listes prévues ne le recevront pas."
        for k in sorted(routed - available, key=list(KINDS).index)
    ]
    if not available:
        raise BuildNeeded(
            f"Aucun des documents prévus dans la feuille Diffusion n'a été construit dans "
            f"{build_dir}"
        )
    sha256 = workbook_sha256(Path(workbook_path))
    build_date = _build_date(available, records, sha256, build_dir)
    documents = {
        name: (kind, (build_dir / name).read_bytes())
        for name, kind in sorted(index.items())
        if kind in available
    }
    return documents, build_date, sha256


def _mail_text(
    workbook: Workbook,
    mailing_list: MailingList,
    documents: list[dict],
    build_date: dt.date,
    with_pdf: bool,
    template: Path,
    period: str | None,
    part: int,
    parts: int,
    size: int,
) -> tuple[str, str]:
    """Subject and body of a list's e-mail, from the editable text template."""
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formats.FILTERS)
    try:
        source = template.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateProblem(
            f"Le modèle de courriel {template.name} est introuvable dans {template.parent}."
        ) from exc
    try:
        text = env.from_string(source).render(
            liste=mailing_list,
            documents=documents,
            plan=workbook.plan,
            date_construction=build_date,
            avec_pdf=with_pdf,
            periode=period,
            envoi=part,
            envois=parts,
            taille=size,
        )
    except TemplateError as exc:
        raise TemplateProblem(
            f"Modèle de courriel {template.name} : {exc}. Vérifiez les balises entre accolades."
        ) from exc
    first, _, body = text.lstrip().partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise TemplateProblem(
            f"Modèle de courriel {template.name} : la première ligne doit "
            f"commencer par « {SUBJECT_PREFIX} » suivi de l'objet du courriel."
        )
    subject = " ".join(first[len(SUBJECT_PREFIX) :].split())
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
        rows.append(
            {
                "fichier": name,
                "liste": list_name,
                "document": kind,
                "format": PurePosixPath(name).suffix.lstrip("."),
                "taille_octets": len(data),
                "sha256": _sha256(data),
                "classeur": package.workbook_name,
                "classeur_sha256": package.workbook_sha256,
                "date_construction": package.build_date.isoformat(),
                "version_schema": schema.SCHEMA_VERSION,
            }
        )
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
        "Copies PDF : "
        + (
            "jointes"
            if package.pdf_problem is None
            else "absentes (LibreOffice n'a pas pu les produire)"
        ),
    ]
    for part in package.lists:
        mailing_list = part.mailing_list
        count = len(mailing_list.recipients)
        mode = "en copie cachée (Cci)" if mailing_list.uses_bcc else "dans « À »"
        lines += [
            "",
            f"Liste « {mailing_list.name} » – {count} destinataire"
            f"{'s' if count > 1 else ''}, {mode}",
        ]
        lines += [f"  • {r.display_name} <{r.email}>" for r in mailing_list.recipients]
        names = sorted(part.files) + [part.zip_name] + [d.name for d in part.drafts]
        for name in names:
            row = by_name[name]
            lines.append(f"  {name}")
            lines.append(
                f"      {formats.number(row['taille_octets'])} octets – SHA-256 {row['sha256']}"
            )
    lines += [
        "",
        "Pour vérifier l'empreinte d'un fichier : sous Windows, "
        "« certutil -hashfile FICHIER SHA256 » ; sous Linux ou macOS, "
        "« sha256sum FICHIER » (ou « shasum -a 256 FICHIER »).",
    ]
    return csv_bytes, ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _resolve_period(workbook: Workbook, label: str) -> str:
    """The workbook's own spelling of a period label typed with other case or accents."""
    periods = [p.label for p in workbook.reporting.periods]
    found = next((p for p in periods if fold(p) == fold(label)), None)
    if found is None:
        raise PipelineError(
            f"La période « {label} » n'existe pas dans la feuille Périodes. "
            f"Périodes possibles : {', '.join(periods) or 'aucune'}."
        )
    return found


def _documents(
    workbook: Workbook,
    build_dir: Path,
    built: dict[str, tuple[str, bytes]],
    build_date: dt.date,
    period: str | None,
) -> list[Document]:
    """The built files ``{name: (kind, bytes)}`` with the title, date and period the
    build recorded for each."""
    catalogue = read_catalogue(build_dir)
    if period is not None and any(name not in catalogue for name in built):
        raise BuildNeeded(
            f"Les documents de {build_dir} ont été construits par une version antérieure de "
            "l'outil, qui n'enregistrait pas leur période, nécessaire à une diffusion par "
            "période"
        )
    periods = workbook.reporting.periods
    documents = []
    for name, (kind, data) in sorted(built.items()):
        entry = catalogue.get(name, {})
        try:
            day = dt.date.fromisoformat(entry.get("date") or build_date.isoformat())
        except (TypeError, ValueError):
            day = build_date
        own_period = entry.get("periode") or next(
            (p.label for p in periods if p.contains(day)), None
        )
        title = entry.get("titre") or f"{KINDS[kind].label} ({PurePosixPath(name).stem})"
        documents.append(Document(name, kind, title, day, own_period, data))
    return documents


def _selected(
    documents: list[Document], mailing_list: MailingList, period: str | None
) -> list[Document]:
    """What a list receives: its kinds, and for one period the documents of that period
    plus those always sent; in the list's order of kinds, then by date."""
    own = [
        d
        for d in documents
        if d.kind in mailing_list.kinds
        and (period is None or d.kind in mailing_list.always_sent or d.period == period)
    ]
    return sorted(own, key=lambda d: (mailing_list.kinds.index(d.kind), d.day, d.name))


def _unique(name: str, taken: set[str]) -> str:
    """``name``, numbered when a file of the same name (in any case: Windows does not
    tell them apart) is already in the package."""
    stem, dot, ext = name.rpartition(".")
    candidate, counter = name, 2
    while candidate.casefold() in taken:
        candidate, counter = f"{stem}-{counter}{dot}{ext}", counter + 1
    taken.add(candidate.casefold())
    return candidate


def _copies(
    own: list[Document], pdfs: dict[str, bytes]
) -> list[tuple[Document, list[tuple[str, Attachment]]]]:
    """For each document, its files: (path in the list's folder, attachment). Attachments
    are flat, so documents of different folders may share a name: they are numbered."""
    taken: set[str] = set()
    groups = []
    for document in own:
        path = PurePosixPath(document.name)
        files = [(document.name, Attachment(_unique(path.name, taken), document.data))]
        if document.name in pdfs:
            files.append(
                (
                    str(path.with_suffix(".pdf")),
                    Attachment(_unique(path.with_suffix(".pdf").name, taken), pdfs[document.name]),
                )
            )
        groups.append((document, files))
    return groups


def _encoded_size(size: int) -> int:
    """Bytes an attachment takes in a message: base64, 76 characters and CRLF per line,
    plus its part headers."""
    return -(-size // 3) * 4 * 78 // 76 + 400


# What a message takes besides its attachments: headers and the letter.
MESSAGE_OVERHEAD = 20_000


def _split(groups: list, limit: int) -> list[list]:
    """The documents cut into consecutive parts whose messages stay under ``limit``
    bytes (a document larger than the limit alone makes a part of its own)."""
    parts: list[list] = [[]]
    used = MESSAGE_OVERHEAD
    for group in groups:
        size = sum(_encoded_size(len(a.data)) for _path, a in group[1])
        if parts[-1] and used + size > limit:
            parts.append([])
            used = MESSAGE_OVERHEAD
        parts[-1].append(group)
        used += size
    return parts


def _letter_items(groups: list) -> list[dict]:
    # "label" and "files" are the names of templates written before titles and dates.
    return [
        {
            "titre": d.title,
            "date": d.day,
            "fichiers": [a.name for _p, a in files],
            "label": d.title,
            "files": [a.name for _p, a in files],
        }
        for d, files in groups
    ]


def _drafts(
    workbook: Workbook,
    mailing_list: MailingList,
    groups: list,
    build_date: dt.date,
    with_pdf: bool,
    templates: Path,
    period: str | None,
    sender: str | None,
    notes: list[str],
) -> list[Draft]:
    """The list's e-mail, or several when its documents exceed the size limit; each
    states its own size."""
    limit = workbook.distribution.max_mail_bytes
    parts = _split(groups, limit)
    slug = mailing_list.slug
    drafts = []
    for number, part in enumerate(parts, start=1):
        name = f"{slug}.eml" if len(parts) == 1 else f"{slug}-envoi-{number}-sur-{len(parts)}.eml"
        attachments = [a for _d, files in part for _p, a in files]
        size, data = 0, b""
        # The letter states the message's size: compose, measure, compose again with
        # the measured size (the size of its own digits changes by a few bytes at most).
        for _attempt in range(3):
            subject, body = _mail_text(
                workbook,
                mailing_list,
                _letter_items(part),
                build_date,
                with_pdf,
                templates / MAIL_TEMPLATE,
                period,
                number,
                len(parts),
                size,
            )
            message = compose(
                mailing_list,
                subject,
                body,
                attachments,
                sender,
                workbook.distribution.secretariat_email,
            )
            data = to_bytes(message)
            if formats.file_size(len(data)) == formats.file_size(size):
                break
            size = len(data)
        drafts.append(Draft(name, message, subject, attachments, len(data)))
        _check_addresses(mailing_list, name, data, notes)
        if len(data) > limit:
            notes.append(
                f"Le courriel {name} ({formats.file_size(len(data))}) dépasse la taille "
                f"maximale de {formats.file_size(limit)} fixée dans la feuille "
                f"{schema.PARAMETERS_SHEET} : un de ses documents est trop lourd pour "
                "être envoyé par courriel ; transmettez l'archive .zip par un autre "
                "moyen (clé USB, partage de fichiers)."
            )
    if len(parts) > 1:
        notes.append(
            f"Les documents de la liste « {mailing_list.name} » dépassent la taille "
            f"maximale d'un courriel ({formats.file_size(limit)}) : ils sont répartis "
            f"en {len(parts)} courriels ({', '.join(d.name for d in drafts)})."
        )
    return drafts


def _check_addresses(
    mailing_list: MailingList, draft_name: str, data: bytes, notes: list[str]
) -> None:
    """Read the draft back as a mail program does: every recipient of the list must be
    in it; anyone missing is named, with the cell to look at, rather than lost without
    a word."""
    found = addresses_in(data)
    missing = [r for r in mailing_list.recipients if r.email.lower() not in found]
    if missing:
        who = ", ".join(
            f"{r.display_name} <{r.email}>"
            + (f" ('{schema.RECIPIENTS.name}'!{r.refs['email']})" if r.refs.get("email") else "")
            for r in missing
        )
        notes.append(
            f"Le brouillon {draft_name} de la liste « {mailing_list.name} » ne contient pas "
            f"{len(missing)} de ses {len(mailing_list.recipients)} destinataires, dont "
            f"l'adresse n'a pas pu y être écrite lisiblement : {who}. Ajoutez-les à la main "
            "dans le courriel, et signalez ce problème au mainteneur de l'outil."
        )


def prepare(
    workbook_path: Path,
    build_dir: Path,
    pdf: bool = True,
    sender: str | None = None,
    templates: Path = TEMPLATES,
    soffice: str | None = None,
    period: str | None = None,
    progress: Progress = ignore,
) -> Package:
    """The whole package in memory (nothing is written); see :func:`distribute`."""
    workbook, report = load_valid(Path(workbook_path))
    if period is not None:
        period = _resolve_period(workbook, period)
    build_dir = Path(build_dir)
    notes: list[str] = []
    # Under the lock: a build finishing meanwhile cannot mix its documents with these.
    with locked(build_dir, progress) if build_dir.is_dir() else contextlib.nullcontext():
        index, records = read_build(build_dir)
        documents, build_date, sha256 = _documents_to_send(
            workbook, workbook_path, build_dir, index, records, notes
        )
    located = locate_workbook(Path(workbook_path), Report())

    documents = _documents(workbook, build_dir, documents, build_date, period)
    selections = [(m, _selected(documents, m, period)) for m in workbook.distribution.lists]
    # Only Word documents get a PDF copy (a spreadsheet printed by Calc is not the
    # document), and only those some list receives.
    to_convert = {
        d.name: d.data for _m, own in selections for d in own if d.name.lower().endswith(".docx")
    }
    pdf_problem = None
    pdfs: dict[str, bytes] = {}
    if pdf:
        try:
            pdfs = _convert(dict(sorted(to_convert.items())), soffice, progress)
        except ConversionError as exc:
            pdf_problem = str(exc)
    else:
        pdf_problem = "copies PDF non demandées (--sans-pdf)"

    name = build_date.isoformat() + (f"_{slug(period)}" if period else "")
    package = Package(
        build_dir / FOLDER / name,
        build_date,
        located.name if located else str(workbook_path),
        sha256 or "",
        [],
        {},
        notes,
        pdf_problem,
        period=period,
    )
    if period is not None and not any(own for _m, own in selections):
        raise PipelineError(
            f"Aucun document à diffuser pour la période « {period} » : ni "
            "document de cette période, ni document toujours envoyé."
        )
    kinds_by_file: dict[str, tuple[str, str]] = {}
    packaged, to_package = 0, sum(1 for _m, own in selections if own)
    progress(PACKAGING, 0, to_package)
    for mailing_list, own in selections:
        if not own:
            continue
        packaged += 1
        progress(PACKAGING, packaged, to_package)
        groups = _copies(own, pdfs)
        files = {
            f"{mailing_list.slug}/{path}": (document.kind, attachment.data)
            for document, copies in groups
            for path, attachment in copies
        }
        zip_name = f"{mailing_list.slug}.zip"
        archive = make_zip(
            [(path.split("/", 1)[1], data) for path, (_k, data) in files.items()], build_date
        )
        drafts: list[Draft] = []
        if mailing_list.recipients:
            drafts = _drafts(
                workbook,
                mailing_list,
                groups,
                build_date,
                bool(pdfs),
                templates,
                period,
                sender,
                package.notes,
            )
            for draft in drafts:
                package.files[draft.name] = to_bytes(draft.message)
                kinds_by_file[draft.name] = (mailing_list.name, "")
        else:
            package.notes.append(
                f"La liste « {mailing_list.name} » n'a aucun destinataire : "
                "ni courriel ni envoi pour elle."
            )
        for path, (kind, data) in files.items():
            package.files[path] = data
            kinds_by_file[path] = (mailing_list.name, kind)
        package.files[zip_name] = archive
        kinds_by_file[zip_name] = (mailing_list.name, "")
        package.lists.append(ListPackage(mailing_list, files, zip_name, drafts))
    if (
        workbook.distribution.secretariat_email is None
        and any(p.mailing_list.uses_bcc for p in package.lists if p.drafts)
        and not sender
    ):
        package.notes.append(
            f"Aucun « Courriel du secrétariat » dans la feuille "
            f"{schema.PARAMETERS_SHEET} : les courriels en copie cachée sont "
            "adressés à « destinataires non révélés ». Renseignez l'adresse du "
            "secrétariat pour qu'il en soit le destinataire."
        )
    csv_bytes, text_bytes = _manifest(package, kinds_by_file)
    package.files[MANIFEST_CSV] = csv_bytes
    package.files[MANIFEST_TXT] = text_bytes
    return package


def _convert(
    documents: dict[str, bytes], soffice: str | None, progress: Progress = ignore
) -> dict[str, bytes]:
    from .pdf import convert_to_pdf

    return convert_to_pdf(documents, soffice, progress=progress)


def distribute(
    workbook_path: Path,
    build_dir: Path,
    pdf: bool = True,
    sender: str | None = None,
    templates: Path = TEMPLATES,
    soffice: str | None = None,
    period: str | None = None,
    progress: Progress = ignore,
) -> Package:
    """Prepare the package of the last build and write it to build/diffusion/<date>/
    (<date>_<period>/ for one period), replacing an earlier package of the same build
    date and period as a whole; ``progress`` hears of the PDF conversion and of each
    list packaged."""
    check_output_folder(workbook_path, build_dir)
    package = prepare(workbook_path, build_dir, pdf, sender, templates, soffice, period, progress)
    package.written = replace_folder(package.files, package.folder, build_dir, progress)
    return package
