"""Opt-in sending over SMTP, against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import socket
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from pipeline.build import build
from pipeline.cli import main
from pipeline.distribute import distribute
from pipeline.distribute.mail import load_settings, send
from pipeline.exceptions import PipelineError
from tests.test_distribution_sheets import RECIPIENTS, distribution_rows

DAY = dt.date(2021, 12, 31)
REFUSED = "inconnu@ue.example"
SENDER = "st@troika.example"


class Mailbox:
    """aiosmtpd handler keeping every message; refuses one address with a 550."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


def _environment(port: int) -> dict[str, str]:
    return {
        "TROIKA_SMTP_HOTE": "127.0.0.1",
        "TROIKA_SMTP_PORT": str(port),
        "TROIKA_SMTP_SECURITE": "aucune",
        "TROIKA_EXPEDITEUR": SENDER,
        "TROIKA_SMTP_CONFIG": "",
    }


@pytest.fixture
def package(make_workbook, tmp_path):
    def with_refused(rows):
        distribution_rows(rows)
        rows[RECIPIENTS].append(
            {
                "organisation": "Union européenne",
                "contact": "Inconnu",
                "email": REFUSED,
                "lists": ["Membres de la Troïka"],
            }
        )

    workbook = make_workbook(edit_rows=with_refused)
    build(workbook, tmp_path, today=DAY)
    return workbook, tmp_path


def test_send_reports_who_received_and_who_did_not(package, smtp_server):
    mailbox, port = smtp_server
    workbook, out = package
    result = distribute(workbook, out, pdf=False, sender=SENDER)
    settings = load_settings(environ=_environment(port))
    deliveries = {d.list_name: d for d in send(result.messages, settings)}

    members = deliveries["Membres de la Troïka"]
    assert members.accepted == ["claire@ue.example"]
    assert list(members.refused) == [REFUSED]
    assert "550" in members.refused[REFUSED] and not members.complete
    government = deliveries["Gouvernement"]
    assert government.complete and government.accepted == ["dgcoop@minefid.example"]

    by_recipients = {tuple(e.rcpt_tos): e for e in mailbox.envelopes}
    assert set(by_recipients) == {("claire@ue.example",), ("dgcoop@minefid.example",)}
    sent = BytesParser(policy=policy.default).parsebytes(
        by_recipients[("dgcoop@minefid.example",)].content
    )
    # Bcc is in the envelope only, never in the transmitted message.
    assert sent["Bcc"] is None
    assert sent["From"].addresses[0].addr_spec == SENDER
    assert sent["Date"] is not None and sent["Message-ID"] is not None
    assert sent["X-Unsent"] is None
    attachments = list(sent.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["pta_2021.docx"]
    assert attachments[0].get_payload(decode=True) == (out / "pta_2021.docx").read_bytes()


def test_cli_shows_the_sending_plan_and_stops_without_confirmation(package, smtp_server):
    mailbox, port = smtp_server
    workbook, out = package
    args = [
        "diffuser",
        "--classeur",
        str(workbook),
        "--sortie",
        str(out),
        "--sans-pdf",
        "--envoyer",
    ]
    result = CliRunner().invoke(main, args, env=_environment(port), input="n\n")
    assert result.exit_code == 0, result.output
    assert "Liste « Gouvernement »" in result.output
    assert "Cci : DGCOOP <dgcoop@minefid.example>" in result.output
    assert f"À : Inconnu (Union européenne) <{REFUSED}>" in result.output
    assert "pièce jointe : pta_2021.docx" in result.output
    assert "Envoi annulé" in result.output
    assert mailbox.envelopes == []


def test_cli_sends_with_oui_and_names_the_refused_address(package, smtp_server):
    mailbox, port = smtp_server
    workbook, out = package
    args = [
        "diffuser",
        "--classeur",
        str(workbook),
        "--sortie",
        str(out),
        "--sans-pdf",
        "--envoyer",
        "--oui",
    ]
    result = CliRunner().invoke(main, args, env=_environment(port))
    assert result.exit_code == 2, result.output
    assert f"NON REÇU par {REFUSED} : refusé par le serveur (550" in result.output
    assert "« Gouvernement » : reçu par 1 adresse(s) : dgcoop@minefid.example" in result.output
    assert "« Membres de la Troïka » : reçu par 1 adresse(s) : claire@ue.example" in result.output
    assert len(mailbox.envelopes) == 2


def test_unreachable_server_is_reported_per_list(package):
    workbook, out = package
    result = distribute(workbook, out, pdf=False, sender=SENDER)
    settings = load_settings(environ=_environment(_free_port()))
    deliveries = send(result.messages, settings, timeout=5)
    assert all(d.error and "connexion impossible" in d.error for d in deliveries)


def test_settings_come_from_a_file_overridden_by_the_environment(tmp_path):
    config = tmp_path / "smtp.ini"
    config.write_text(
        "[smtp]\nhote = smtp.exemple.bf\nsecurite = ssl\n"
        "expediteur = st@troika.example\nutilisateur = st\nmot_de_passe = secret\n",
        encoding="utf-8",
    )
    settings = load_settings(config, environ={})
    assert (settings.host, settings.port, settings.security, settings.user) == (
        "smtp.exemple.bf",
        465,
        "ssl",
        "st",
    )
    assert "secret" not in repr(settings)
    settings = load_settings(
        config, environ={"TROIKA_SMTP_HOTE": "autre.exemple.bf", "TROIKA_SMTP_PORT": "2525"}
    )
    assert (settings.host, settings.port) == ("autre.exemple.bf", 2525)


def test_incomplete_or_unsafe_settings_are_refused(tmp_path):
    with pytest.raises(PipelineError, match="TROIKA_SMTP_HOTE"):
        load_settings(environ={"TROIKA_EXPEDITEUR": SENDER, "TROIKA_SMTP_CONFIG": ""})
    unsafe = {
        "TROIKA_SMTP_HOTE": "smtp.exemple.bf",
        "TROIKA_SMTP_SECURITE": "aucune",
        "TROIKA_EXPEDITEUR": SENDER,
        "TROIKA_SMTP_UTILISATEUR": "st",
        "TROIKA_SMTP_MOT_DE_PASSE": "x",
    }
    with pytest.raises(PipelineError, match="sans chiffrement"):
        load_settings(environ=unsafe)
    with pytest.raises(PipelineError, match="n'est pas valide"):
        load_settings(
            environ={
                **unsafe,
                "TROIKA_SMTP_SECURITE": "ssl",
                "TROIKA_EXPEDITEUR": "pas une adresse",
            }
        )
