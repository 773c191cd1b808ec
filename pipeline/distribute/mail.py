"""E-mails for the distribution: .eml drafts, and opt-in sending over SMTP.

A draft is one message per mailing list with the list's documents attached. It
carries ``X-Unsent: 1`` so Outlook opens it as a message to send (Thunderbird: « Modifier
comme nouveau message »). Drafts are reproducible: no date, no message id, and MIME
boundaries derived from the content, so the same build gives the same bytes.

Sending is never automatic: the CLI asks for an explicit flag and a confirmation.
Server settings come from environment variables or a configuration file, never from
the workbook (which staff circulate).
"""

from __future__ import annotations

import base64
import configparser
import copy
import hashlib
import io
import mimetypes
import os
import quopri
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from ..exceptions import PipelineError, describe_os_error
from ..model import MailingList
from ..workbook.values import to_one_line

MIME_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


@dataclass(frozen=True)
class Attachment:
    name: str  # file name shown to the recipient
    data: bytes


# A display name made of plain words only: anything else is encoded (see _address).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


def _encoded_name(name: str) -> str:
    """``name`` as one RFC 2047 encoded word (UTF-8, base64): no space, no special
    character. One word even for a long name: readers are meant to join adjacent
    words, but some (Python's own email package among them) leave a space between."""
    return f"=?utf-8?b?{base64.b64encode(name.encode('utf-8')).decode('ascii')}?="


def _address(email: str, display_name: str = "") -> str:
    """``Name <address>`` for an address header, in plain ASCII, made so that the header
    can be folded anywhere it has a space without changing what it says.

    A name of plain words stays as typed; any other (accents, commas, quotes,
    parentheses, semicolons, backslashes...) becomes RFC 2047 encoded words, which hold
    no space and no special character. A quoted name ("Dupont, Jean") would be folded
    by the message generator inside its quotes, at a comma or a semicolon: mail
    programs, and Python's own compat32 parser, then split it into several broken
    addresses and drop the recipients behind them (200 of 500 in a test). (The newer
    EmailMessage API is avoided on purpose: Python 3.11 folds long address lists with
    accented names into encoded words that swallow the commas between addresses.)
    A header is one line: a line break from the workbook would cut it or start a
    header of its own ("Bcc: …"), whatever validation let through."""
    name, email = to_one_line(display_name), to_one_line(email)
    if not name:
        return email
    if not _PLAIN_NAME.fullmatch(name) or "=?" in name:
        name = _encoded_name(name)
    return f"{name} <{email}>"


def addresses_in(data: bytes) -> set[str]:
    """The addresses (lower case) a message's To, Cc and Bcc headers carry, read back
    from its bytes as a mail program reads them."""
    message = message_from_bytes(data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")
    values = [str(v) for h in ("To", "Cc", "Bcc") for v in message.get_all(h) or []]
    return {address.lower() for _name, address in getaddresses(values) if "@" in address}


def compose(
    mailing_list: MailingList,
    subject: str,
    body: str,
    attachments: list[Attachment],
    sender: str | None = None,
    secretariat: str | None = None,
) -> Message:
    """The draft for one list: To (or Bcc for a large list), subject, body, files.
    A Bcc draft is addressed To the secretariat's own address (else the sender's)."""
    digest = hashlib.sha256(body.encode() + b"".join(a.data for a in attachments))
    # "=_" never occurs in quoted-printable or base64 text, so this boundary is safe,
    # and derived from the content it keeps drafts reproducible.
    message = MIMEMultipart(boundary=f"=_troika_{digest.hexdigest()[:32]}")
    if sender:
        message["From"] = _address(sender)
    recipients = ", ".join(_address(r.email, r.display_name) for r in mailing_list.recipients)
    if mailing_list.uses_bcc:
        # Partners must not see each other's addresses: the list goes in Bcc, and To
        # holds the secretariat itself, which keeps a copy of what it sent (the
        # "undisclosed recipients" group only when no address is known at all).
        own = secretariat or sender
        message["To"] = _address(own) if own else "undisclosed-recipients:;"
        message["Bcc"] = recipients
    else:
        message["To"] = recipients
    message["Subject"] = Header(to_one_line(subject), "utf-8")
    message["X-Unsent"] = "1"
    text = MIMEText(body, "plain", "utf-8")
    del text["Content-Transfer-Encoding"]
    text.set_payload(quopri.encodestring(body.encode("utf-8")).decode("ascii"))
    text["Content-Transfer-Encoding"] = "quoted-printable"
    message.attach(text)
    for attachment in attachments:
        mime = (
            MIME_TYPES.get(Path(attachment.name).suffix.lower())
            or mimetypes.guess_type(attachment.name)[0]
            or "application/octet-stream"
        )
        part = MIMEApplication(attachment.data, _subtype=mime.split("/", 1)[1])
        part.replace_header("Content-Type", mime)
        part.add_header("Content-Disposition", "attachment", filename=attachment.name)
        message.attach(part)
    return message


def to_bytes(message: Message) -> bytes:
    """The message as an .eml file (CRLF line ends)."""
    buffer = io.BytesIO()
    BytesGenerator(buffer, policy=compat32.clone(linesep="\r\n"), mangle_from_=False).flatten(
        message
    )
    return buffer.getvalue()


# --- Sending -----------------------------------------------------------------------

ENVIRONMENT = {
    "hote": "TROIKA_SMTP_HOTE",
    "port": "TROIKA_SMTP_PORT",
    "securite": "TROIKA_SMTP_SECURITE",
    "utilisateur": "TROIKA_SMTP_UTILISATEUR",
    "mot_de_passe": "TROIKA_SMTP_MOT_DE_PASSE",
    "expediteur": "TROIKA_EXPEDITEUR",
}
CONFIG_VARIABLE = "TROIKA_SMTP_CONFIG"
DEFAULT_CONFIG = Path.home() / ".troika-smtp.ini"
SECURITY = {"starttls": 587, "ssl": 465, "aucune": 25}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls, ssl or aucune
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)


def sender_address(config: Path | None = None, environ=os.environ) -> str | None:
    """The sender for drafts, when one is configured (no server needed)."""
    return _raw_settings(config, environ).get("expediteur") or None


def _raw_settings(config: Path | None, environ) -> dict[str, str]:
    values: dict[str, str] = {}
    path = config or (Path(environ[CONFIG_VARIABLE]) if environ.get(CONFIG_VARIABLE) else None)
    if path is None and DEFAULT_CONFIG.is_file():
        path = DEFAULT_CONFIG
    if path is not None:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            with open(path, encoding="utf-8") as handle:
                parser.read_file(handle)
        except OSError as exc:
            raise PipelineError(
                f"Le fichier de configuration {path} ne peut pas être lu : "
                f"{describe_os_error(exc, path)}"
            ) from exc
        except configparser.Error as exc:
            raise PipelineError(
                f"Le fichier de configuration {path} ne peut pas être lu "
                f"({exc}). Il doit contenir une section [smtp]."
            ) from exc
        if not parser.has_section("smtp"):
            raise PipelineError(f"Le fichier de configuration {path} n'a pas de section [smtp].")
        values.update({k: v.strip() for k, v in parser.items("smtp") if k in ENVIRONMENT})
    # The environment overrides the file.
    values.update({k: environ[v].strip() for k, v in ENVIRONMENT.items() if environ.get(v)})
    return values


def load_settings(config: Path | None = None, environ=os.environ) -> SmtpSettings:
    """SMTP settings from the configuration file (``--config``, $TROIKA_SMTP_CONFIG or
    ~/.troika-smtp.ini), overridden by the TROIKA_* environment variables."""
    values = _raw_settings(config, environ)
    missing = [key for key in ("hote", "expediteur") if not values.get(key)]
    if missing:
        names = ", ".join(f"{k} (variable {ENVIRONMENT[k]})" for k in missing)
        raise PipelineError(
            f"Réglages d'envoi incomplets : il manque {names}. Renseignez-les "
            f"dans un fichier de configuration [smtp] ou dans l'environnement."
        )
    security = values.get("securite", "starttls").lower()
    if security not in SECURITY:
        raise PipelineError(
            f"Sécurité SMTP « {security} » inconnue : choisissez {', '.join(SECURITY)}."
        )
    try:
        port = int(values.get("port") or SECURITY[security])
    except ValueError:
        raise PipelineError(f"Le port SMTP « {values['port']} » n'est pas un nombre.") from None
    from ..validate.distribution import is_email

    if not is_email(values["expediteur"]):
        raise PipelineError(f"L'adresse d'expéditeur « {values['expediteur']} » n'est pas valide.")
    settings = SmtpSettings(
        values["hote"],
        port,
        security,
        values["expediteur"],
        values.get("utilisateur", ""),
        values.get("mot_de_passe", ""),
    )
    if settings.user and security == "aucune" and settings.host not in _LOOPBACK:
        raise PipelineError(
            "Refus d'envoyer un mot de passe sans chiffrement : choisissez la "
            "sécurité starttls ou ssl."
        )
    return settings


@dataclass
class Delivery:
    """What happened to one list's message."""

    list_name: str
    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # address -> server's answer
    error: str | None = None  # the whole message failed

    @property
    def complete(self) -> bool:
        return self.error is None and not self.refused


def _answer(code: int, text: bytes | str) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def send(
    messages: list[tuple[str, Message, list[str]]], settings: SmtpSettings, timeout: float = 60
) -> list[Delivery]:
    """Send each ``(list name, draft, addresses)`` over one SMTP connection (the
    addresses are the envelope: the list's members, whether in To or Bcc); one
    Delivery per message, saying who received it and who did not (and why)."""
    deliveries = [Delivery(name) for name, _message, _recipients in messages]
    try:
        if settings.security == "ssl":
            server = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        for delivery in deliveries:
            delivery.error = (
                f"connexion impossible au serveur {settings.host}:{settings.port} ({exc})"
            )
        return deliveries
    with server:
        try:
            if settings.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password)
        except (OSError, smtplib.SMTPException) as exc:
            for delivery in deliveries:
                delivery.error = f"le serveur a refusé la connexion ou l'identification ({exc})"
            return deliveries
        domain = settings.sender.partition("@")[2]
        for delivery, (_name, draft, recipients) in zip(deliveries, messages):
            message = copy.deepcopy(draft)
            del message["X-Unsent"]
            if message["From"] is None:
                message["From"] = _address(settings.sender)
            message["Date"] = formatdate(localtime=True)
            message["Message-ID"] = make_msgid(domain=domain)
            try:
                refused = server.send_message(
                    message, from_addr=settings.sender, to_addrs=recipients
                )
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            except smtplib.SMTPSenderRefused as exc:
                delivery.error = f"l'expéditeur {settings.sender} a été refusé ({_answer(exc.smtp_code, exc.smtp_error)})"
                continue
            except (OSError, smtplib.SMTPException) as exc:
                delivery.error = f"l'envoi a échoué ({exc})"
                continue
            delivery.refused = {addr: _answer(code, text) for addr, (code, text) in refused.items()}
            delivery.accepted = [a for a in recipients if a not in refused]
    return deliveries
