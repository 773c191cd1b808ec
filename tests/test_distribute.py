"""The distribution package: list folders, zips, .eml drafts and manifests."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from email import policy
from email.parser import BytesParser

import pytest
from click.testing import CliRunner

from pipeline import schema
from pipeline.build import build
from pipeline.cli import main
from pipeline.distribute import distribute
from pipeline.exceptions import PipelineError, TemplateProblem
from tests.test_distribution_sheets import RECIPIENTS, distribution_rows

DAY = dt.date(2021, 12, 31)
PTA = "pta_2021.docx"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse(path):
    return BytesParser(policy=policy.default).parse(path.open("rb"))


def addresses(message, header):
    return [a.addr_spec for a in message[header].addresses] if message[header] else []


@pytest.fixture
def built(make_workbook, tmp_path):
    """A workbook with three lists, built once; returns (workbook, build folder)."""
    workbook = make_workbook(edit_rows=distribution_rows)
    out = tmp_path / "build"
    build(workbook, out, today=DAY)
    return workbook, out


def test_package_holds_each_lists_documents_zip_and_draft(built):
    workbook, out = built
    package = distribute(workbook, out, pdf=False)
    folder = out / "diffusion" / "2021-12-31"
    assert package.folder == folder
    # Lists that receive the PTA get it; "Ensemble des PTF" receives nothing.
    assert sorted(p.name for p in folder.iterdir()) == [
        "gouvernement", "gouvernement.eml", "gouvernement.zip", "manifeste.csv", "manifeste.txt",
        "membres-de-la-troika", "membres-de-la-troika.eml", "membres-de-la-troika.zip"]
    original = (out / PTA).read_bytes()
    assert (folder / "membres-de-la-troika" / PTA).read_bytes() == original
    with zipfile.ZipFile(folder / "gouvernement.zip") as archive:
        assert archive.namelist() == [PTA]
        assert archive.read(PTA) == original
    assert package.pdf_problem  # no PDF asked


def test_drafts_parse_back_with_recipients_and_attachments(built):
    workbook, out = built
    distribute(workbook, out, pdf=False, sender="st@troika.example")
    folder = out / "diffusion" / "2021-12-31"

    members = parse(folder / "membres-de-la-troika.eml")
    assert addresses(members, "To") == ["claire@ue.example"]
    assert members["To"].addresses[0].display_name == "Claire Dumont (Union européenne)"
    assert members["Bcc"] is None
    assert addresses(members, "From") == ["st@troika.example"]
    assert members["X-Unsent"] == "1"
    assert "Troïka des partenaires techniques et financiers" in members["Subject"]
    assert "(Membres de la Troïka)" in members["Subject"]
    body = members.get_body(("plain",)).get_content()
    assert "Plan de travail annuel (PTA) (pta_2021)" in body
    assert "Ouagadougou, le 31 décembre 2021" in body
    attachments = list(members.iter_attachments())
    assert [a.get_filename() for a in attachments] == [PTA]
    assert attachments[0].get_content_type() == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert attachments[0].get_payload(decode=True) == (out / PTA).read_bytes()

    # "Gouvernement" is marked Cci: addresses hidden from each other, To is the sender.
    government = parse(folder / "gouvernement.eml")
    assert addresses(government, "Bcc") == ["dgcoop@minefid.example"]
    assert addresses(government, "To") == ["st@troika.example"]


def test_a_large_list_goes_in_bcc_without_a_sender(make_workbook, tmp_path):
    def many(rows):
        distribution_rows(rows)
        rows[RECIPIENTS] += [{"organisation": f"PTF {i}", "email": f"ptf{i}@ptf.example",
                              "lists": ["Ensemble des PTF"]}
                             for i in range(schema.BCC_THRESHOLD)]
        rows["Diffusion"].append({"document": "pta", "list": "Ensemble des PTF"})

    workbook = make_workbook(edit_rows=many)
    build(workbook, tmp_path, today=DAY)
    distribute(workbook, tmp_path, pdf=False)
    draft = parse(tmp_path / "diffusion" / "2021-12-31" / "ensemble-des-ptf.eml")
    bcc = addresses(draft, "Bcc")
    assert len(bcc) == schema.BCC_THRESHOLD + 2
    assert "bm@bm.example" in bcc and "ptf0@ptf.example" in bcc
    assert draft["To"].addresses == () and draft["From"] is None
    assert "undisclosed-recipients" in str(draft["To"])


def test_manifest_hashes_match_the_files(built):
    workbook, out = built
    distribute(workbook, out, pdf=False)
    folder = out / "diffusion" / "2021-12-31"
    text = (folder / "manifeste.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    listed = {row["fichier"] for row in rows}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert listed == on_disk - {"manifeste.csv", "manifeste.txt"}
    workbook_hash = sha256(workbook.read_bytes())
    for row in rows:
        data = (folder / row["fichier"]).read_bytes()
        assert row["sha256"] == sha256(data), row["fichier"]
        assert int(row["taille_octets"]) == len(data)
        assert row["classeur_sha256"] == workbook_hash
        assert row["classeur"] == workbook.name
        assert row["date_construction"] == "2021-12-31"
        assert row["version_schema"] == str(schema.SCHEMA_VERSION)
    pta_row = next(r for r in rows if r["fichier"] == f"gouvernement/{PTA}")
    assert (pta_row["liste"], pta_row["document"], pta_row["format"]) == ("Gouvernement", "pta", "docx")
    readable = (folder / "manifeste.txt").read_text(encoding="utf-8-sig")
    assert workbook_hash in readable
    assert "Construction du 31 décembre 2021" in readable
    assert f"SHA-256 {pta_row['sha256']}" in readable
    assert "Liste « Gouvernement » – 1 destinataire, en copie cachée (Cci)" in readable


def test_two_packages_of_the_same_build_are_byte_identical(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    digests = []
    for name in ("un", "deux"):
        build(workbook, tmp_path / name, today=DAY)
        package = distribute(workbook, tmp_path / name, pdf=False, sender="st@troika.example")
        digests.append({str(p.relative_to(package.folder)): sha256(p.read_bytes())
                        for p in package.folder.rglob("*") if p.is_file()})
    assert digests[0] == digests[1]
    assert len(digests[0]) == 8


def test_documents_of_another_workbook_version_are_refused(make_workbook, built):
    workbook, out = built

    def changed(rows):
        distribution_rows(rows)
        rows["Axes"][0]["title"] = "Axe modifié"

    workbook.write_bytes(make_workbook(edit_rows=changed).read_bytes())
    with pytest.raises(PipelineError, match="version actuelle du classeur"):
        distribute(workbook, out, pdf=False)
    assert not (out / "diffusion").exists()


def test_nothing_built_or_nothing_routed(make_workbook, tmp_path):
    with pytest.raises(PipelineError, match="Aucun document"):
        distribute(make_workbook(edit_rows=distribution_rows), tmp_path / "vide", pdf=False)
    plain = make_workbook()
    build(plain, tmp_path / "b", today=DAY)
    with pytest.raises(PipelineError, match="n'associe aucun document"):
        distribute(plain, tmp_path / "b", pdf=False)


def test_mail_template_without_subject_line_is_a_template_problem(built, tmp_path):
    workbook, out = built
    templates = tmp_path / "modeles"
    templates.mkdir()
    (templates / "courriel.txt").write_text("Bonjour {{ liste.name }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="Objet :"):
        distribute(workbook, out, pdf=False, templates=templates)
    (templates / "courriel.txt").write_text("Objet : {{ liste.nom }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="courriel.txt"):
        distribute(workbook, out, pdf=False, templates=templates)


def test_missing_libreoffice_keeps_word_documents_and_says_how_to_install(built, monkeypatch):
    workbook, out = built
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("TROIKA_SOFFICE", raising=False)
    monkeypatch.setattr("pipeline.pdf.MAC_SOFFICE", out / "soffice-absent")
    result = CliRunner().invoke(main, ["diffuser", "--classeur", str(workbook),
                                       "--sortie", str(out)])
    assert result.exit_code == 0, result.output
    assert "LibreOffice est introuvable" in result.output
    assert "apt install libreoffice-writer" in result.output
    folder = out / "diffusion" / "2021-12-31"
    assert (folder / "gouvernement" / PTA).is_file()
    assert not list(folder.rglob("*.pdf"))
    draft = parse(folder / "gouvernement.eml")
    assert [a.get_filename() for a in draft.iter_attachments()] == [PTA]
    assert "au format Word (.docx)." in draft.get_body(("plain",)).get_content()


def test_cli_prints_the_package_in_french(built):
    workbook, out = built
    result = CliRunner().invoke(main, ["diffuser", "--classeur", str(workbook),
                                       "--sortie", str(out), "--sans-pdf"])
    assert result.exit_code == 0, result.output
    assert "Gouvernement : 1 fichier(s), 1 destinataire(s) -> gouvernement.zip, gouvernement.eml" \
        in result.output
    assert "Dossier de diffusion prêt" in result.output


def test_a_new_package_replaces_the_previous_one_whole(built):
    workbook, out = built
    distribute(workbook, out, pdf=False)
    folder = out / "diffusion" / "2021-12-31"
    (folder / "ancien-brouillon.eml").write_bytes(b"perime")
    (folder / "gouvernement" / "ancien.docx").write_bytes(b"perime")
    distribute(workbook, out, pdf=False)
    assert not (folder / "ancien-brouillon.eml").exists()
    assert not (folder / "gouvernement" / "ancien.docx").exists()
    assert (folder / "gouvernement" / PTA).is_file()
    assert [p.name for p in (out / "diffusion").iterdir()] == ["2021-12-31"]
