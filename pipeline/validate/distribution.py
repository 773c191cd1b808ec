"""Validation of the distribution sheets: Listes de diffusion, Destinataires, Diffusion.

Addresses must be well formed and unique; every list named by a recipient or by a
distribution row must exist; every document named in the Diffusion sheet must be a
document kind the pipeline knows (the registry :data:`pipeline.documents.KINDS`).
A route says whether the document joins every distribution of a period or only its
own period's; the Paramètres sheet may give the secretariat's address and the
largest e-mail the secretariat's server accepts.
"""

from __future__ import annotations

import re

from ..documents import KINDS
from ..model import Distribution, MailingList, Recipient
from ..output.names import MAX_COMPONENT, windows_name
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawTable, RawWorkbook
from ..workbook.values import fold, slug
from .common import convert, resolve_repeated, type_rows

# Routing of a document kind whose "Envoi" cell is empty (or whose workbook predates
# the column): the reference documents go with every period's distribution.
ALWAYS_SENT_BY_DEFAULT = frozenset({"pta", "previsions-decaissements"})

# A practical address check: one @, a dotted domain, no spaces or separators. What
# staff paste by mistake ("Nom <a@b>", "a@b; c@d", "mailto:a@b") fails it.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}")


def is_email(text: str) -> bool:
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def _check_lists(table: RawTable | None, report: Report) -> dict[str, MailingList]:
    """Lists by slug (two names giving the same folder name are duplicates)."""
    if table is None:
        return {}
    name = table.sheet.name
    lists: dict[str, MailingList] = {}
    refs: dict[str, str] = {}
    for row in type_rows(table, report):
        if row["name"] is None:
            continue
        key = slug(row["name"])
        if not key:
            report.add("bad-list-name", name, row.ref("name"), value=row["name"])
            continue
        if key in lists:
            report.add(
                "duplicate-code",
                name,
                row.ref("name"),
                value=row["name"],
                other=f"'{name}'!{refs[key]}",
                hint=" (deux noms qui ne diffèrent que par les accents, les majuscules "
                "ou la ponctuation désignent la même liste)",
            )
            continue
        bcc = None if row["bcc"] is None else row["bcc"] == schema.YES  # checked against its list
        # The slug names the list's folder, .zip and .eml: it must be valid on Windows.
        lists[key] = MailingList(
            row["name"],
            row["description"] or "",
            bcc,
            windows_name(key, MAX_COMPONENT - len(".zip")),
            ref=row.ref("name"),
        )
        refs[key] = row.ref("name")
    return lists


def _check_recipients(
    table: RawTable | None, lists: dict[str, MailingList], report: Report
) -> list[Recipient]:
    if table is None:
        return []
    name = table.sheet.name
    recipients = []
    seen: dict[str, str] = {}  # lower-case address -> cell
    for row in type_rows(table, report):
        email = row["email"]
        if email is not None:
            if not is_email(email):
                report.add("bad-email", name, row.ref("email"), value=email)
                email = None
            elif email.lower() in seen:
                report.add(
                    "duplicate-email",
                    name,
                    row.ref("email"),
                    value=email,
                    other=f"'{name}'!{seen[email.lower()]}",
                )
                email = None
            else:
                seen[email.lower()] = row.ref("email")
        memberships = resolve_repeated(
            row, lambda text: lists.get(slug(text)), "unknown-list", name, report
        )
        if email is None or row["organisation"] is None:
            continue
        if not memberships:
            first = row.raw.repeated[0].ref if row.raw.repeated else row.ref("email")
            report.add("recipient-without-list", name, first, value=email)
        recipient = Recipient(
            row["organisation"],
            row["contact"] or "",
            row["title"] or "",
            email,
            row["partner"] or "",
            refs={
                key: row.ref(key)
                for key in ("organisation", "contact", "title", "email", "partner")
            },
        )
        recipients.append(recipient)
        for mailing_list in memberships:
            mailing_list.recipients.append(recipient)
    return recipients


def _check_routes(
    table: RawTable | None, lists: dict[str, MailingList], report: Report
) -> set[str]:
    """Give each list its document kinds; the kinds marked public."""
    public: set[str] = set()
    if table is None:
        return public
    name = table.sheet.name
    kinds = {fold(key): key for key in KINDS}
    seen: dict[tuple[str, str], str] = {}
    for row in type_rows(table, report):
        document, list_name = row["document"], row["list"]
        kind = kinds.get(fold(document)) if document is not None else None
        if document is not None and kind is None:
            report.add(
                "unknown-document-kind",
                name,
                row.ref("document"),
                value=document,
                choices=", ".join(KINDS),
            )
        if kind in schema.NEVER_PUBLIC_KINDS and row["public"] == schema.YES:
            report.add("internal-document-public", name, row.ref("public"), value=kind)
        elif kind is not None and row["public"] == schema.YES:
            public.add(kind)
        mailing_list = lists.get(slug(list_name)) if list_name is not None else None
        if list_name is not None and mailing_list is None:
            report.add("unknown-list", name, row.ref("list"), value=list_name)
        if kind is None or mailing_list is None:
            continue
        pair = (kind, mailing_list.slug)
        if pair in seen:
            report.add(
                "duplicate-distribution",
                name,
                row.ref("document"),
                value=kind,
                list=mailing_list.name,
                other=f"'{name}'!{seen[pair]}",
            )
            continue
        seen[pair] = row.ref("document")
        mailing_list.kinds.append(kind)
        routing = row["routing"]
        if routing == schema.ALWAYS_SENT or (routing is None and kind in ALWAYS_SENT_BY_DEFAULT):
            mailing_list.always_sent.add(kind)
    return public


def _check_mail_settings(raw: RawWorkbook, report: Report) -> tuple[str | None, int]:
    """The secretariat's address and the largest e-mail, in bytes (Paramètres sheet)."""
    sheet = schema.PARAMETERS_SHEET
    email = None
    cell = raw.parameters.get("secretariat_email")
    if cell is not None and cell.value is not None:
        email = str(cell.value).strip()
        if not is_email(email):
            report.add("bad-email", sheet, cell.ref, value=cell.value)
            email = None
    megabytes = schema.DEFAULT_MAX_MAIL_SIZE
    cell = raw.parameters.get("max_mail_size")
    if cell is not None and cell.value is not None:
        # A value that is not a number was reported with the other parameters.
        parameter = next(p for p in schema.PARAMETERS if p.key == "max_mail_size")
        value = convert(cell, parameter, sheet, Report())
        if value is not None and value <= 0:
            report.add("bad-mail-size", sheet, cell.ref, value=cell.value)
        elif value is not None:
            megabytes = value
    return email, int(megabytes * 1_000_000)


def check_distribution(raw: RawWorkbook, report: Report) -> Distribution:
    tables = raw.tables
    lists = _check_lists(tables.get(schema.MAILING_LISTS.name), report)
    recipients = _check_recipients(tables.get(schema.RECIPIENTS.name), lists, report)
    public = _check_routes(tables.get(schema.DISTRIBUTION.name), lists, report)
    for mailing_list in lists.values():
        if mailing_list.kinds and not mailing_list.recipients:
            report.add("empty-list", schema.MAILING_LISTS.name, value=mailing_list.name)
        # Registry order, so packages and e-mails list documents the same way each time.
        mailing_list.kinds.sort(key=list(KINDS).index)
    email, max_bytes = _check_mail_settings(raw, report)
    return Distribution(
        list(lists.values()),
        recipients,
        sorted(public, key=list(KINDS).index),
        email,
        max_bytes,
        publish_meetings=_check_yes_no(raw, "publish_meetings", report),
    )


def _check_yes_no(raw: RawWorkbook, key: str, report: Report) -> bool:
    """A Oui/Non parameter of the Paramètres sheet: empty is « Non »."""
    cell = raw.parameters.get(key)
    if cell is None or cell.value is None or not str(cell.value).strip():
        return False
    value = fold(str(cell.value))
    if value not in (fold(schema.YES), fold(schema.NO)):
        parameter = next(p for p in schema.PARAMETERS if p.key == key)
        report.add(
            "bad-choice",
            schema.PARAMETERS_SHEET,
            cell.ref,
            value=cell.value,
            column=parameter.label,
            choices=f"{schema.YES}, {schema.NO}",
        )
        return False
    return value == fold(schema.YES)
