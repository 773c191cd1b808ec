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

from pipeline.build import build
from pipeline.cli import main
from pipeline.distribute import distribute
from pipeline.exceptions import PipelineError, TemplateProblem
from pipeline.workbook import schema
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
        "gouvernement",
        "gouvernement.eml",
        "gouvernement.zip",
        "manifeste.csv",
        "manifeste.txt",
        "membres-de-la-troika",
        "membres-de-la-troika.eml",
        "membres-de-la-troika.zip",
    ]
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
    # Documents named by title and date, never by file name.
    assert "Plan de travail annuel (PTA) 2021, en date du" in body
    assert "pta_2021" not in body
    assert "Ouagadougou, le 31 décembre 2021" in body
    attachments = list(members.iter_attachments())
    assert [a.get_filename() for a in attachments] == [PTA]
    assert attachments[0].get_content_type() == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert attachments[0].get_payload(decode=True) == (out / PTA).read_bytes()

    # "Gouvernement" is marked Cci: addresses hidden from each other, To is the sender.
    government = parse(folder / "gouvernement.eml")
    assert addresses(government, "Bcc") == ["dgcoop@minefid.example"]
    assert addresses(government, "To") == ["st@troika.example"]


def test_a_large_list_goes_in_bcc_without_a_sender(make_workbook, tmp_path):
    def many(rows):
        distribution_rows(rows)
        rows[RECIPIENTS] += [
            {
                "organisation": f"PTF {i}",
                "email": f"ptf{i}@ptf.example",
                "lists": ["Ensemble des PTF"],
            }
            for i in range(schema.BCC_THRESHOLD)
        ]
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
    assert (pta_row["liste"], pta_row["document"], pta_row["format"]) == (
        "Gouvernement",
        "pta",
        "docx",
    )
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
        digests.append(
            {
                str(p.relative_to(package.folder)): sha256(p.read_bytes())
                for p in package.folder.rglob("*")
                if p.is_file()
            }
        )
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
    monkeypatch.setattr("pipeline.distribute.pdf.MAC_SOFFICE", out / "soffice-absent")
    result = CliRunner().invoke(
        main, ["diffuser", "--classeur", str(workbook), "--sortie", str(out)]
    )
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
    result = CliRunner().invoke(
        main, ["diffuser", "--classeur", str(workbook), "--sortie", str(out), "--sans-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Gouvernement : 1 fichier(s), 1 destinataire(s) -> gouvernement.zip, gouvernement.eml"
        in result.output
    )
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


# --- Distribution per period, sizes, Bcc, file names --------------------------------

SAMPLE_DAY = dt.date(2022, 5, 31)


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    from tests.conftest import SAMPLE

    out = tmp_path_factory.mktemp("echantillon")
    build(SAMPLE, out, today=SAMPLE_DAY)
    return SAMPLE, out


def attachment_names(message):
    return [a.get_filename() for a in message.iter_attachments()]


def test_a_periods_package_holds_that_periods_documents_and_those_always_sent(sample_build):
    from pipeline.build import load as load_workbook
    from pipeline.output.writer import read_build, read_catalogue
    from pipeline.report import Report

    workbook_path, out = sample_build
    package = distribute(workbook_path, out, pdf=False, period="trimestre 2")
    assert package.folder == out / "diffusion" / "2022-05-31_trimestre-2"
    assert package.period == "Trimestre 2"
    workbook = load_workbook(workbook_path, Report())
    period = next(p for p in workbook.reporting.periods if p.label == "Trimestre 2")
    index, _records = read_build(out)
    catalogue = read_catalogue(out)
    by_name = {m.name: m for m in workbook.distribution.lists}
    for part in package.lists:
        mailing_list = by_name[part.mailing_list.name]
        sent = {path.split("/", 1)[1] for path in part.files}
        expected = {
            name
            for name, kind in index.items()
            if kind in mailing_list.kinds
            and (
                kind in mailing_list.always_sent
                or period.contains(dt.date.fromisoformat(catalogue[name]["date"]))
                or catalogue[name]["periode"] == "Trimestre 2"
            )
        }
        assert sent == expected
    troika = next(p for p in package.lists if p.mailing_list.slug == "membres-de-la-troika")
    names = {path.split("/", 1)[1] for path in troika.files}
    # The PTA is always sent; the report and the minutes are those of the period only.
    assert "pta_2021-2022.docx" in names
    assert "rapport_trimestriel_2021-12_2022-02.docx" in names
    assert "rapport_trimestriel_2021-09_2021-11.docx" not in names
    minutes = sorted(n for n in names if n.startswith("comptes_rendus/"))
    assert minutes and all(
        "2021-12-01" <= n[len("comptes_rendus/cr_") :][:10] <= "2022-02-28" for n in minutes
    )

    draft = parse(package.folder / "membres-de-la-troika.eml")
    body = draft.get_body(("plain",)).get_content()
    assert "Trimestre 2" in draft["Subject"]
    assert "Rapport d'activités trimestriel – Trimestre 2" in body
    assert "Plan de travail annuel (PTA) 2021-2022, en date du 31 mai 2022" in body
    assert "Compte rendu de réunion" in body
    assert ".docx" not in body.replace("Word (.docx)", "")  # titles, not file names
    attached = attachment_names(draft)
    assert len(attached) == len(troika.files)
    assert len(set(attached)) == len(attached)
    # The letter states the draft's size, as a file manager would show it.
    size = (package.folder / "membres-de-la-troika.eml").stat().st_size
    from pipeline.formats import file_size

    assert f"Taille du courriel, pièces jointes comprises : {file_size(size)}." in body


def test_an_unknown_period_is_refused_with_the_choices(sample_build):
    workbook_path, out = sample_build
    with pytest.raises(PipelineError, match="Trimestre 1, Trimestre 2"):
        distribute(workbook_path, out, pdf=False, period="Trimestre 9")


def test_only_word_documents_get_a_pdf_and_no_two_files_share_a_name(sample_build, monkeypatch):
    """The forecast's .xlsx shares its stem with the Word forecast: its spreadsheet PDF
    must neither be made nor replace the Word document's PDF."""
    workbook_path, out = sample_build
    asked = []

    def fake_convert(documents, soffice, progress=None):
        asked.extend(documents)
        return {name: b"%PDF-1.7 " + name.encode() for name in documents}

    monkeypatch.setattr("pipeline.distribute._convert", fake_convert)
    package = distribute(workbook_path, out, period="Trimestre 3")
    assert asked and all(name.endswith(".docx") for name in asked)
    government = next(p for p in package.lists if p.mailing_list.slug == "gouvernement")
    stem = "prevision_decaissements_2022-2024"
    assert government.files[f"gouvernement/{stem}.pdf"][1] == b"%PDF-1.7 " + f"{stem}.docx".encode()
    assert f"gouvernement/{stem}.xlsx" in government.files
    for part in package.lists:
        folded = [path.casefold() for path in part.files]
        assert len(set(folded)) == len(folded)
        for draft in part.drafts:
            names = attachment_names(parse(package.folder / draft.name))
            assert len({n.casefold() for n in names}) == len(names)
        with zipfile.ZipFile(package.folder / part.zip_name) as archive:
            assert len(set(archive.namelist())) == len(archive.namelist())


def test_attachments_from_different_folders_with_one_name_are_numbered():
    from pipeline.distribute import Document, _copies

    day = dt.date(2022, 1, 1)
    documents = [
        Document("a/note.docx", "pta", "A", day, None, b"1"),
        Document("b/NOTE.docx", "pta", "B", day, None, b"2"),
    ]
    groups = _copies(documents, {"a/note.docx": b"p1", "b/NOTE.docx": b"p2"})
    names = [a.name for _d, files in groups for _p, a in files]
    assert names == ["note.docx", "note.pdf", "NOTE-2.docx", "NOTE-2.pdf"]


def test_a_package_above_the_size_limit_is_split_with_a_warning(sample_build, tmp_path):
    workbook_path, out = sample_build
    from openpyxl import load_workbook

    book = load_workbook(workbook_path)
    sheet = book[schema.PARAMETERS_SHEET]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Taille maximale d'un courriel (Mo)")
    row[1].value = 0.2
    small = tmp_path / "classeur.xlsx"
    book.save(small)
    build(small, tmp_path / "b", today=SAMPLE_DAY)
    package = distribute(small, tmp_path / "b", pdf=False, period="Trimestre 3")
    troika = next(p for p in package.lists if p.mailing_list.slug == "membres-de-la-troika")
    assert len(troika.drafts) > 1
    names = [d.name for d in troika.drafts]
    assert names[0] == f"membres-de-la-troika-envoi-1-sur-{len(names)}.eml"
    attached = []
    for number, draft in enumerate(troika.drafts, start=1):
        data = (package.folder / draft.name).read_bytes()
        assert len(data) == draft.size
        message = parse(package.folder / draft.name)
        assert f"envoi {number} sur {len(names)}" in message["Subject"]
        if len(list(message.iter_attachments())) > 1:
            assert draft.size <= 200_000
        attached += attachment_names(message)
    # Every file is sent once, in one of the parts.
    assert sorted(attached) == sorted(p.rsplit("/", 1)[1] for p in troika.files)
    assert any("répartis en" in note and "Membres de la Troïka" in note for note in package.notes)
    csv_names = (package.folder / "manifeste.csv").read_text(encoding="utf-8-sig")
    assert all(name in csv_names for name in names)


def test_size_limit_defaults_to_10_mb_and_is_checked(make_workbook):
    from pipeline.build import load as load_workbook
    from pipeline.report import Report

    workbook = load_workbook(make_workbook(edit_rows=distribution_rows), Report())
    assert workbook.distribution.max_mail_bytes == 10_000_000
    report = Report()
    load_workbook(
        make_workbook(edit_rows=distribution_rows, parameters={"max_mail_size": -1}), report
    )
    assert [(p.code, p.location.sheet) for p in report.problems] == [
        ("bad-mail-size", schema.PARAMETERS_SHEET)
    ]
    assert report.problems[0].location.cell.startswith("B")


def test_a_workbook_without_the_new_lines_and_column_stays_valid(make_workbook):
    """Workbooks made before the routing column and the mail parameters still load."""
    from pipeline.build import load as load_workbook
    from pipeline.report import Report

    def remove(book):
        params = book[schema.PARAMETERS_SHEET]
        for row in reversed(range(1, params.max_row + 1)):
            if params.cell(row, 1).value in (
                "Courriel du secrétariat",
                "Taille maximale d'un courriel (Mo)",
            ):
                params.delete_rows(row)
        routes = book["Diffusion"]
        envoi = next(c.column for c in routes[1] if c.value == "Envoi")
        routes.delete_cols(envoi)

    report = Report()
    workbook = load_workbook(make_workbook(edit_rows=distribution_rows, edit_book=remove), report)
    # At most a warning for the absent optional column, never an error.
    assert [p.code for p in report.problems] == ["missing-optional-column"]
    assert not report.errors
    troika = workbook.distribution.lists[0]
    assert troika.kinds == ["pta"] and troika.always_sent == {"pta"}
    assert workbook.distribution.secretariat_email is None


def test_bcc_drafts_are_addressed_to_the_secretariat(make_workbook, tmp_path):
    workbook = make_workbook(
        edit_rows=distribution_rows, parameters={"secretariat_email": "st@troika-ptf.example"}
    )
    build(workbook, tmp_path, today=DAY)
    package = distribute(workbook, tmp_path, pdf=False)  # no sender configured
    government = parse(package.folder / "gouvernement.eml")
    assert addresses(government, "To") == ["st@troika-ptf.example"]
    assert addresses(government, "Bcc") == ["dgcoop@minefid.example"]
    assert b"undisclosed-recipients" not in (package.folder / "gouvernement.eml").read_bytes()
    # Lists in "To" keep their members there.
    assert addresses(parse(package.folder / "membres-de-la-troika.eml"), "To") == [
        "claire@ue.example"
    ]


def test_routing_column_sends_a_kind_always_or_per_period(make_workbook):
    from pipeline.build import load as load_workbook
    from pipeline.report import Report

    def routed(rows):
        distribution_rows(rows)
        rows["Diffusion"][0]["routing"] = "selon la periode"  # typed without the accent
        rows["Diffusion"][1]["routing"] = "Toujours envoyé"

    workbook = load_workbook(make_workbook(edit_rows=routed), Report())
    lists = {m.name: m for m in workbook.distribution.lists}
    assert lists["Membres de la Troïka"].always_sent == set()
    assert lists["Gouvernement"].always_sent == {"pta"}
    report = Report()

    def wrong(rows):
        distribution_rows(rows)
        rows["Diffusion"][0]["routing"] = "parfois"

    load_workbook(make_workbook(edit_rows=wrong), report)
    envoi = schema.DISTRIBUTION.columns.index(schema.DISTRIBUTION.column("routing"))
    assert [(p.code, p.location.cell) for p in report.problems] == [
        ("bad-choice", f"{'ABCDEFGH'[envoi]}2")
    ]


def test_line_breaks_in_cells_never_cut_or_add_a_header(make_workbook, tmp_path):
    def edit(rows):
        distribution_rows(rows)
        rows[RECIPIENTS] += [
            {
                "organisation": f"Ambassade n° {i}\r\nBcc: pirate{i}@exemple.org",
                "contact": f"Aïcha\nTraoré {i}",
                "email": f"ptf{i}@ptf.example",
                "lists": ["Ensemble\ndes PTF"],
            }
            for i in range(14)
        ]
        rows["Listes de diffusion"][1]["name"] = "Ensemble des\nPTF"
        rows["Diffusion"].append({"document": "pta", "list": "Ensemble des PTF"})

    workbook = make_workbook(edit_rows=edit)
    result = build(workbook, tmp_path, today=DAY)
    assert set(result.report.codes()) == {"line-break"}
    distribute(workbook, tmp_path, pdf=False)
    raw = (tmp_path / "diffusion" / "2021-12-31" / "ensemble-des-ptf.eml").read_bytes()
    draft = parse(tmp_path / "diffusion" / "2021-12-31" / "ensemble-des-ptf.eml")
    found = [a for header in ("To", "Cc", "Bcc") for a in addresses(draft, header)]
    assert len(found) == 16 and not any("pirate" in a for a in found)
    assert len(draft.get_all("Bcc")) == 1 and b"\nBcc: pirate" not in raw
    assert "Ensemble des PTF" in draft["Subject"]
    assert draft.get_body(("plain",)) is not None and list(draft.iter_attachments())


def test_a_draft_header_is_one_line_whatever_it_is_given():
    from email.parser import BytesParser

    from pipeline.distribute.mail import compose, to_bytes
    from pipeline.model import MailingList, Recipient

    mailing_list = MailingList("Liste", "", False, "liste")
    mailing_list.recipients += [
        Recipient("UE\r\nBcc: pirate@exemple.org", "", "", "a@ue.example"),
        Recipient("Ambassade\u2028Cc: x@exemple.org", "Aïcha\nT.", "", "b@amb.example"),
    ]
    data = to_bytes(compose(mailing_list, "Objet\nBcc: pirate@exemple.org", "Corps", []))
    draft = BytesParser(policy=policy.default).parsebytes(data)
    assert addresses(draft, "To") == ["a@ue.example", "b@amb.example"]
    assert draft["Bcc"] is None and draft["Cc"] is None
    assert draft["Subject"] == "Objet Bcc: pirate@exemple.org"


def test_progress_hears_of_each_list_packaged(built):
    from pipeline.progress import PACKAGING

    workbook, out = built
    heard = []
    distribute(workbook, out, pdf=False, progress=lambda *step: heard.append(step))
    # Two of the three lists receive documents ("Ensemble des PTF" gets none).
    assert heard[0] == (PACKAGING, 0, 2) and heard[-1] == (PACKAGING, 2, 2)
    assert [done for _stage, done, _total in heard] == [0, 1, 2]


# Names as staff type them: commas, quotes, semicolons, parentheses, accents.
AWKWARD_NAMES = (
    "Dupont, Jean",
    'Kaboré, Nadia "SNU"',
    "Ngom; Awa",
    'O\'Neil "Bob"',
    "Diop \\ Fatou",
    "Sy (DGCOOP), chef",
    "Ouédraogo",
)


def test_five_hundred_recipients_with_awkward_names_are_all_in_the_draft(make_workbook, tmp_path):
    from email.utils import getaddresses

    def many(rows):
        distribution_rows(rows)
        rows[RECIPIENTS] += [
            {
                "organisation": f'Organisation {i}, "Beta"',
                "contact": f"{AWKWARD_NAMES[i % len(AWKWARD_NAMES)]} {i}",
                "email": f"personne{i}@ptf.example",
                "lists": ["Ensemble des PTF"],
            }
            for i in range(500)
        ]
        rows["Diffusion"].append({"document": "pta", "list": "Ensemble des PTF"})

    workbook = make_workbook(edit_rows=many)
    build(workbook, tmp_path, today=DAY)
    package = distribute(workbook, tmp_path, pdf=False)
    part = next(p for p in package.lists if p.mailing_list.name == "Ensemble des PTF")
    expected = {r.email for r in part.mailing_list.recipients}
    names = {r.email: r.display_name for r in part.mailing_list.recipients}
    assert len(expected) == 502
    data = (package.folder / part.eml_name).read_bytes()
    # Read back as a modern mail program does, and as an older, simpler parser does.
    modern = BytesParser(policy=policy.default).parsebytes(data)
    assert {a.addr_spec: a.display_name for a in modern["Bcc"].addresses} == names
    older = BytesParser(policy=policy.compat32).parsebytes(data)
    assert {address for _n, address in getaddresses(older.get_all("Bcc"))} == expected
    assert not [n for n in package.notes if "ne contient pas" in n]
    # Every line of the headers stays within the 998 characters of the standard.
    assert max(len(line) for line in data.split(b"\r\n\r\n")[0].split(b"\r\n")) <= 998


def test_a_recipient_missing_from_a_draft_is_named_with_its_cell(built, monkeypatch):
    import pipeline.distribute as distribution

    def losing_one(data):
        return distribution.mail.addresses_in(data) - {"claire@ue.example"}

    monkeypatch.setattr(distribution, "addresses_in", losing_one)
    workbook, out = built
    package = distribute(workbook, out, pdf=False)
    notes = [n for n in package.notes if "claire@ue.example" in n]
    assert notes and all("'Destinataires'!D" in n and "ne contient pas" in n for n in notes)


def test_distribution_before_a_build_says_what_to_run_at_a_terminal(make_workbook, tmp_path):
    workbook = make_workbook(edit_rows=distribution_rows)
    result = CliRunner().invoke(
        main, ["diffuser", "--classeur", str(workbook), "--sortie", str(tmp_path / "b")]
    )
    assert result.exit_code == 1
    assert "« Produire les documents »" in result.output and "troika construire" in result.output
    assert "make" not in result.output
