"""The workbook as a form: input messages, data validation, formats, print settings,
and what LibreOffice keeps of them after opening and saving the file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from pipeline.build import check
from pipeline.workbook import schema
from pipeline.workbook.create import (
    AMOUNT_FORMAT,
    DATE_FORMAT,
    MONTH_WIDTH,
    append_rows,
    new_workbook,
    row_height,
)
from tests.conftest import SAMPLE, SOFFICE

START, END = dt.date(2022, 9, 1), dt.date(2023, 6, 1)
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent")


def soffice(args: list[str], out_dir: Path) -> None:
    """Run LibreOffice headless with its own profile: other processes may be using
    LibreOffice at the same time, and a shared profile makes conversions fail."""
    profile = out_dir / f"lo-profile-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                *args,
                "--outdir",
                str(out_dir),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def validations(ws) -> dict[str, object]:
    """The data validation covering each column's second row, by header."""
    found = {}
    for cell in ws[1]:
        if cell.value is None:
            continue
        target = f"{cell.column_letter}2"
        for validation in ws.data_validations.dataValidation:
            if any(target in r for r in validation.sqref.ranges):
                found[str(cell.value)] = validation
    return found


def check_form(book, months: int) -> None:
    """Every column of every sheet has its input message (required or optional, and
    the schema's help text) and the check its kind calls for."""
    for spec in schema.SHEETS.values():
        found = validations(book[spec.name])
        for column in spec.columns:
            validation = found[column.header]
            assert validation.promptTitle == column.header[:32]
            assert validation.prompt.startswith(
                "Obligatoire." if column.required else "Facultatif."
            )
            assert column.help[:60] in validation.prompt
            assert len(validation.prompt) <= 255
            if column.choices:
                assert validation.type == "list"
            elif column.kind == schema.DATE:
                assert validation.type == "date" and validation.showErrorMessage
            elif column.kind == schema.NUMBER:
                assert (validation.type, validation.operator, validation.formula1) == (
                    "decimal",
                    "greaterThanOrEqual",
                    "0",
                )
            elif column.kind == schema.EMAIL:
                assert validation.type == "custom" and "@" in validation.formula1
            if validation.showErrorMessage:
                assert validation.errorTitle and validation.error  # French alert
        if spec.months:
            month_checks = [v for h, v in found.items() if re.fullmatch(r"\w+\.? \d{4}", h)]
            assert len(month_checks) == months
    forecasts = validations(book[schema.FORECASTS.name])
    assert (forecasts["Année"].type, forecasts["Année"].formula1, forecasts["Année"].formula2) == (
        "whole",
        "2000",
        "2100",
    )
    assert forecasts["Année"].errorStyle in (None, "stop")
    assert validations(book[schema.AXES.name])["N°"].type == "whole"
    params = book[schema.PARAMETERS_SHEET]
    rows = {p.key: i for i, p in enumerate(schema.PARAMETERS, start=2)}
    param_checks = {
        r.coord: v for v in params.data_validations.dataValidation for r in v.sqref.ranges
    }
    assert param_checks[f"B{rows['document_date']}"].type == "date"
    assert "31/05/2022" in param_checks[f"B{rows['document_date']}"].prompt
    # A size in megabytes is a number, not an amount of money.
    mail_size = param_checks[f"B{rows['max_mail_size']}"]
    assert mail_size.type == "decimal"
    assert "montant" not in (mail_size.errorTitle + mail_size.error + mail_size.prompt).lower()


def check_print(book) -> None:
    for ws in book.worksheets:
        if ws.sheet_state == "hidden":
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.fitToWidth or 1) == 1, ws.title
        assert int(ws.page_setup.fitToHeight) == 0, ws.title
        if ws.title != schema.INSTRUCTIONS:
            assert ws.print_title_rows in ("1:1", "$1:$1"), ws.title


def test_blank_workbook_is_a_form():
    book = new_workbook(START, END)
    check_form(book, months=10)
    check_print(book)
    activities = book[schema.ACTIVITIES.name]
    assert activities.freeze_panes == "C2"
    headers = [c.value for c in activities[1]]
    assert headers[1] == "Intitulé de l'activité"
    # Month headers wrap between month and year, never inside a word.
    months = headers[-10:]
    assert months[0] == "sept. 2022" and months[-1] == "juin 2023"
    assert all(len(word) < MONTH_WIDTH for header in months for word in header.split())
    # Required and optional headers look different, as the legend on Instructions shows.
    flash = book[schema.FLASH.name]
    by_header = {c.value: c for c in flash[1]}
    assert by_header["Source"].fill.fgColor.rgb != by_header["Titre"].fill.fgColor.rgb
    legend = [c for c in book[schema.INSTRUCTIONS]["A"] if c.fill.fill_type == "solid"]
    assert {c.fill.fgColor.rgb for c in legend} == {
        by_header["Source"].fill.fgColor.rgb,
        by_header["Titre"].fill.fgColor.rgb,
    }
    # Paramètres: mandate dates consistent with their help examples (first and last day).
    params = {r[0].value: r[1] for r in book[schema.PARAMETERS_SHEET].iter_rows(min_row=2)}
    assert params["Début du mandat"].value == dt.date(2022, 9, 1)
    assert params["Fin du mandat"].value == dt.date(2023, 6, 30)
    assert params["Fin du mandat"].number_format == DATE_FORMAT


def offered(book, validation) -> list[str] | str:
    """What a drop-down list offers: the values of the hidden Listes sheet, or the
    sheet and header of the column it refers to."""
    sheet, cells = validation.formula1.lstrip("=").rsplit("!", 1)
    sheet = sheet.strip("'")
    first, last = cells.replace("$", "").split(":")
    ws = book[sheet]
    if sheet != schema.LISTS_SHEET:
        return f"{sheet}: {ws[first[0] + '1'].value}"
    return [cell.value for row in ws[first:last] for cell in row if cell.value is not None]


def test_blank_workbook_has_the_register_and_the_status_history():
    book = new_workbook(START, END)
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames}
    assert headers["Recommandations"] == [
        "N°",
        "Recommandation ou engagement",
        "Nature de la source",
        "Source",
        "Date de la source",
        "Destinataire",
        "Structure responsable",
        "Activité du plan",
        "Échéance",
        "Publique",
        "Reprise du mandat",
    ]
    assert headers["Historique des statuts"] == ["N°", "Date", "Statut", "Commentaire"]
    # Décisions: a number, and no single status any more (it is in the history).
    assert headers["Décisions"] == [
        "N° de réunion",
        "N°",
        "Décision ou recommandation",
        "Responsable",
        "Échéance",
    ]
    register = validations(book["Recommandations"])
    assert offered(book, register["Nature de la source"]) == [
        "Revue annuelle",
        "Revue CGAB",
        "Cadre sectoriel de dialogue",
        "Réunion",
        "Autre",
    ]
    assert offered(book, register["Destinataire"]) == ["Gouvernement", "PTF", "Gouvernement et PTF"]
    assert offered(book, register["Publique"]) == ["Oui", "Non"]
    assert offered(book, register["Structure responsable"]) == "Responsables: Responsable"
    assert offered(book, register["Activité du plan"]) == "Activités: Code"
    required = [h for h, v in register.items() if v.prompt.startswith("Obligatoire.")]
    assert required == [
        "N°",
        "Recommandation ou engagement",
        "Nature de la source",
        "Source",
        "Destinataire",
    ]
    assert register["Date de la source"].type == "date"
    assert register["Échéance"].type == "date"
    history = validations(book["Historique des statuts"])
    assert offered(book, history["Statut"]) == ["à faire", "en cours", "réalisé", "abandonné"]
    assert history["Date"].type == "date"
    assert [h for h, v in history.items() if v.prompt.startswith("Obligatoire.")] == [
        "N°",
        "Date",
        "Statut",
    ]
    assert validations(book["Décisions"])["N°"].prompt.startswith("Obligatoire.")


def test_sample_stores_real_dates_and_formatted_amounts():
    book = openpyxl.load_workbook(SAMPLE)
    flash = book[schema.FLASH.name]
    date = flash["B2"]
    assert isinstance(date.value, dt.datetime) and date.number_format == DATE_FORMAT
    forecasts = book[schema.FORECASTS.name]
    amounts = [row[3] for row in forecasts.iter_rows(min_row=2) if row[3].value is not None]
    assert amounts and all(c.number_format == AMOUNT_FORMAT for c in amounts)
    decisions = book[schema.DECISIONS.name]
    column = next(c.column_letter for c in decisions[1] if c.value == "Échéance")
    deadline = next(c for c in decisions[column][1:] if c.value is not None)
    assert isinstance(deadline.value, dt.datetime) and deadline.number_format == DATE_FORMAT


def test_rows_are_appended_after_the_last_row_with_tall_enough_heights():
    book = new_workbook(START, END)
    long_text = "mot " * 100
    append_rows(book, "Textes", [{"heading": "Introduction", "text": "Court."}])
    append_rows(book, "Textes", [{"heading": "Contexte", "text": long_text}])
    ws = book["Textes"]
    assert [ws["A2"].value, ws["A3"].value] == ["Introduction", "Contexte"]
    assert ws.row_dimensions[2].height is None  # one line: Excel's own height
    assert ws.row_dimensions[3].height == row_height({2: long_text}, {2: 110})
    assert ws.row_dimensions[3].height >= 4 * 15
    append_rows(
        book,
        "Activités",
        [
            {
                "code": "1.1",
                "title": "A",
                "product": 1,
                "bodies": ["Troïka"],
                "months": {dt.date(2023, 6, 1)},
            }
        ],
    )
    activities = book["Activités"]
    assert activities.cell(row=2, column=len(list(activities[1]))).value == "x"


@needs_soffice
def test_form_survives_a_libreoffice_round_trip(tmp_path):
    """Open and save with LibreOffice (as a user of Calc would): input messages, checks,
    formats and print settings are still there, and the sample prints on few pages
    with amounts and dates written the French way."""
    blank = tmp_path / "vierge.xlsx"
    new_workbook(START, END).save(blank)
    sample = tmp_path / "exemple.xlsx"
    shutil.copy(SAMPLE, sample)
    out = tmp_path / "lo"
    out.mkdir()
    soffice(["--convert-to", "xlsx", str(blank), str(sample)], out)

    saved_blank = openpyxl.load_workbook(out / "vierge.xlsx")
    check_form(saved_blank, months=10)
    check_print(saved_blank)
    saved = openpyxl.load_workbook(out / "exemple.xlsx")
    check_form(saved, months=10)
    check_print(saved)
    assert isinstance(saved[schema.FLASH.name]["B2"].value, dt.datetime)
    assert saved[schema.FLASH.name]["B2"].number_format.upper() == DATE_FORMAT
    assert "###" in saved[schema.FORECASTS.name]["D2"].number_format
    assert check(out / "exemple.xlsx").errors == []  # still the same data for the pipeline

    soffice(["--convert-to", "pdf", str(sample)], out)
    pdf = out / "exemple.pdf"
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout,
        )[1]
    )
    assert pages <= 40  # 87 before the print settings
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "150 000 000 000" in text and "E+" not in text
    assert "30/11/2021" in text and "2021-11-30" not in text


def test_the_instructions_name_what_the_secretary_has_in_front_of_her():
    """No « make » on Windows: the launcher and the page's button, the command only
    for a terminal; one documented month mark."""
    from pipeline.workbook.create import INSTRUCTIONS_TEXT

    text = " ".join(line for line, _style in INSTRUCTIONS_TEXT)
    assert "make" not in text
    assert "Produire les documents" in text and "troika construire" in text
    assert "« x »" in text
    sample = openpyxl.load_workbook(SAMPLE, read_only=True)["Instructions"]
    shown = " ".join(str(c) for row in sample.iter_rows(values_only=True) for c in row if c)
    assert "make reports" not in shown and "Produire les documents" in shown
