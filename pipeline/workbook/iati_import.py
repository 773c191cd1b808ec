"""Propose the partners' IATI forecasts and disbursements in a new workbook, beside
the amounts typed by staff, with a reconciliation of both (``troika importer-iati``).

    result = import_iati(["bm.xml", "ue.xml"], "troika.xlsx", "troika_iati.xlsx")

The workbook given is never modified: a new one is written (as ``migrer-classeur``
does, so any version is brought to the current one), holding every typed row and,
in ``Prévisions`` and ``Décaissements``, one proposed row per partner, IATI
activity, year and instrument, marked with its source (« Activité IATI », « Fichier
IATI », « Mise à jour IATI »). Nothing typed is overwritten: where a partner already
has a typed amount for the year, the proposed row is written with « Retenu » = Non
(it does not count; staff choose by switching the two). A new import replaces the
rows of the previous one (found by their « Activité IATI ») and keeps the choice
made on each, so importing the same files again gives the same workbook.

Partners are matched by the « Identifiant IATI » column of ``Partenaires``; an
organisation found there nowhere is listed, never guessed. Amounts are converted to
FCFA: XOF as they are, EUR at the fixed parity 655,957, any other currency at the
rate of the ``Taux de change`` sheet dated on or before the amount's value date (the
earliest rate when all are later); without one, the amounts are left out with an
``iati-no-rate`` problem naming the file, activity and currency. Each proposed row
is rounded once, to the franc. Forecasts are kept for the forecast years (n to n+2),
disbursements for the years of the mandate.

The reconciliation (partner, year, typed amount, IATI amount, difference, source
date), for every partner whose identifier a file publishes, is written beside the new workbook as ``rapprochement_iati_<date>.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..exceptions import IatiError
from ..model import Partner, Partners
from ..report import Report
from . import schema
from .iati import DISBURSED, FORECAST, IatiAmount, read_iati_file
from .migrate import OldSheet, OldWorkbook, _check_target, migrate_workbook
from .values import fold, parse_int, parse_number

XOF_PER_EUR = Decimal("655.957")  # the CFA franc's fixed parity with the euro
FCFA_CODES = ("XOF", "FCFA")
NOT_GIVEN = "(non précisée)"
SHEET_OF = {FORECAST: schema.FORECASTS, DISBURSED: schema.DISBURSEMENTS}


@dataclass(frozen=True)
class Conversion:
    """One source amount of a proposed row, and how it became FCFA."""

    amount: IatiAmount
    rate: Decimal  # FCFA for one unit
    fcfa: Decimal  # value × rate × share, exact


@dataclass
class ProposedRow:
    kind: str  # FORECAST or DISBURSED
    partner: Partner
    year: int
    activity: str
    instrument: str
    file: str
    updated: dt.date | None
    firm: bool
    parts: list[Conversion] = field(default_factory=list)
    kept: str | None = None  # « Retenu »: None (counts), "Non"…

    @property
    def exact(self) -> Decimal:
        return sum((p.fcfa for p in self.parts), Decimal(0))

    @property
    def fcfa(self) -> int:
        """The row's amount, rounded once to the franc."""
        return int(self.exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def key(self) -> tuple:
        return (self.kind, self.partner.acronym, self.year, self.activity, self.instrument)


@dataclass(frozen=True)
class ReconciliationLine:
    kind: str
    partner: Partner
    year: int
    typed: float | None  # None: nothing typed
    iati: int | None  # None: nothing in the files
    source_date: dt.date | None  # the latest update of the activities read
    counted: str  # which amount the documents use

    @property
    def difference(self) -> float | None:
        if self.typed is None or self.iati is None:
            return None
        return self.iati - self.typed


@dataclass
class IatiImport:
    rows: list[ProposedRow]
    lines: list[ReconciliationLine]
    report: Report  # iati-no-rate, iati-unknown-organisation
    unknown: list[tuple[str, str, str, int]]  # file, identifier, name, activities
    missing_rates: list[tuple[str, str, str]]  # file, activity, currency
    skipped: list[str]  # French notes: amounts outside the years
    files: list[str]
    covered: set[str] = field(default_factory=set)  # acronyms of the partners read
    reconciliation: Path | None = None


def rate_for(amount: IatiAmount, rates: dict[str, list[tuple]]) -> Decimal | None:
    """FCFA for one unit of the amount's currency at its value date, or None."""
    if amount.currency in FCFA_CODES:
        return Decimal(1)
    if amount.currency == "EUR":
        return XOF_PER_EUR
    dated = rates.get(amount.currency)
    if not dated:
        return None
    before = [rate for day, rate in dated if day <= amount.value_date]
    return Decimal(str(before[-1] if before else dated[0][1]))


def _read_partners(workbook: Path, today: dt.date | None) -> Partners:
    from ..validate.partners import check_partners
    from ..validate.plan import check_plan
    from .reader import read_workbook

    report = Report()
    raw = read_workbook(Path(workbook), report)
    plan = check_plan(raw, report) if raw is not None else None
    partners = check_partners(raw, plan, report) if plan is not None else None
    if partners is None:
        first = report.errors[0].message if report.errors else ""
        raise IatiError(
            f"Le classeur {Path(workbook).name} ne peut pas être complété : ses paramètres "
            f"ou son plan ne sont pas lisibles ({first}). Corrigez-le (troika verifier) "
            "puis relancez l'import."
        )
    return partners


def propose(
    files: Iterable[Path],
    partners: Partners,
    country: str = "BF",
    schema_dir: Path | None = None,
) -> IatiImport:
    """The rows the files propose for the workbook's partners and years (no writing)."""
    by_id = {fold(i): p for p in partners.partners for i in p.iati_ids}
    report = Report()
    rows: dict[tuple, ProposedRow] = {}
    unknown, missing, skipped, names = [], [], [], []
    covered: set[str] = set()
    outside: dict[tuple, int] = {}
    for path in files:
        read = read_iati_file(Path(path), country, schema_dir)
        names.append(read.name)
        for ref, name in read.organisations.items():
            count = read.kept.get(ref, 0)
            if fold(ref) in by_id:
                covered.add(by_id[fold(ref)].acronym)
            elif count:
                unknown.append((read.name, ref, name, count))
                report.add(
                    "iati-unknown-organisation",
                    file=read.name,
                    identifier=ref or "(sans identifiant)",
                    name=name,
                    count=count,
                )
        for amount in read.amounts:
            partner = by_id.get(fold(amount.organisation))
            if partner is None:
                continue
            years = partners.forecast_years if amount.kind == FORECAST else partners.mandate_years
            if amount.year not in years:
                key = (read.name, amount.kind, amount.year)
                outside[key] = outside.get(key, 0) + 1
                continue
            rate = rate_for(amount, partners.exchange_rates)
            if rate is None:
                currency = amount.currency or NOT_GIVEN
                entry = (read.name, amount.activity, currency)
                if entry not in missing:
                    missing.append(entry)
                    report.add(
                        "iati-no-rate", file=read.name, activity=amount.activity, currency=currency
                    )
                continue
            row = ProposedRow(
                amount.kind,
                partner,
                amount.year,
                amount.activity,
                amount.instrument,
                read.name,
                amount.updated,
                amount.firm,
            )
            row = rows.setdefault(row.key, row)
            row.firm = row.firm and amount.firm
            row.parts.append(Conversion(amount, rate, amount.value * rate * amount.share))
    for (name, kind, year), count in sorted(outside.items()):
        period = "des années de prévision" if kind == FORECAST else "du mandat"
        skipped.append(
            f"{name} : {count} montant(s) de {kind} de {year}, hors {period}, non repris."
        )
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.kind != FORECAST, _order(partners, r.partner), r.year, r.activity),
    )
    return IatiImport(ordered, [], report, unknown, missing, skipped, names, covered)


def _order(partners: Partners, partner: Partner) -> int:
    return next(i for i, p in enumerate(partners.partners) if p.acronym == partner.acronym)


# --- Writing the new workbook ---


def _header(sheet: schema.Sheet, key: str) -> str:
    return sheet.column(key).header


def _is_imported(sheet: schema.Sheet, row: dict) -> bool:
    return bool(row.get(_header(sheet, "iati_activity")))


def _typed_sums(
    old: OldWorkbook, partners: Partners
) -> dict[tuple[str, str, int], tuple[float, bool]]:
    """(kind, acronym, year) -> (sum of the typed rows, whether one of them counts)."""
    by_acronym = {fold(p.acronym): p for p in partners.partners}
    sums: dict[tuple[str, str, int], tuple[float, bool]] = {}
    for kind, sheet in SHEET_OF.items():
        own = old.sheets.get(sheet.name)
        for row in own.rows if own else []:
            if _is_imported(sheet, row):
                continue
            partner = by_acronym.get(fold(str(row.get(_header(sheet, "partner"), ""))))
            try:
                year = parse_int(row.get(_header(sheet, "year")))
                amount = parse_number(row.get(_header(sheet, "amount")))
            except (TypeError, ValueError):
                continue
            if partner is None or year is None or amount is None:
                continue
            counts = fold(str(row.get(_header(sheet, "kept")) or "")) != fold(schema.NO)
            total, counted = sums.get((kind, partner.acronym, year), (0.0, False))
            sums[kind, partner.acronym, year] = (total + amount, counted or counts)
    return sums


def _previous_choices(old: OldWorkbook) -> dict[tuple, object]:
    """The « Retenu » cell of each row of a previous import, by the row's key."""
    choices = {}
    for kind, sheet in SHEET_OF.items():
        own = old.sheets.get(sheet.name)
        for row in own.rows if own else []:
            if not _is_imported(sheet, row):
                continue
            try:
                year = parse_int(row.get(_header(sheet, "year")))
            except (TypeError, ValueError):
                continue
            key = (
                kind,
                str(row.get(_header(sheet, "partner"), "")),
                year,
                str(row.get(_header(sheet, "iati_activity"))),
                str(row.get(_header(sheet, "instrument"), "")),
            )
            choices[key] = row.get(_header(sheet, "kept"))
    return choices


def _as_row(sheet: schema.Sheet, row: ProposedRow) -> dict:
    values = {
        "partner": row.partner.acronym,
        "instrument": row.instrument,
        "year": row.year,
        "amount": row.fcfa,
        "kept": row.kept,
        "iati_activity": row.activity,
        "iati_file": row.file,
        "iati_updated": row.updated,
    }
    if sheet is schema.FORECASTS:
        values["status"] = schema.FORECAST_STATUSES[0 if row.firm else 1]
    return {_header(sheet, k): v for k, v in values.items() if v is not None}


def _replace_rows(old: OldWorkbook, rows: list[ProposedRow]) -> None:
    """Keep the typed rows of both sheets, put the proposed ones after them."""
    for kind, sheet in SHEET_OF.items():
        own = old.sheets.setdefault(sheet.name, OldSheet([c.header for c in sheet.columns]))
        for column in sheet.columns:
            if column.header not in own.headers:
                own.headers.append(column.header)
        own.rows = [r for r in own.rows if not _is_imported(sheet, r)]
        own.rows += [_as_row(sheet, r) for r in rows if r.kind == kind]


def _counted(typed: tuple[float, bool] | None, proposed: list[ProposedRow]) -> str:
    iati = any(fold(r.kept or "") != fold(schema.NO) for r in proposed)
    mine = typed is not None and typed[1]
    if mine and iati:
        return "les deux (à vérifier)"
    if mine:
        return "montant saisi"
    return "montant IATI" if iati else "aucun"


def import_iati(
    files: Iterable[Path],
    workbook: Path,
    target: Path,
    country: str = "BF",
    schema_dir: Path | None = None,
    today: dt.date | None = None,
) -> IatiImport:
    """Write ``target``: ``workbook`` with the rows the IATI ``files`` propose, and
    the reconciliation beside it; ``workbook`` is left as it is."""
    from .migrate import read_old, upgrade

    files = [Path(f) for f in files]
    _check_target(Path(workbook), Path(target))
    partners = _read_partners(workbook, today)
    result = propose(files, partners, country, schema_dir)
    old = upgrade(read_old(Path(workbook)))
    typed = _typed_sums(old, partners)
    choices = _previous_choices(old)
    for row in result.rows:
        if row.key in choices:
            row.kept = choices[row.key]
        elif (row.kind, row.partner.acronym, row.year) in typed:
            row.kept = schema.NO  # never overwrite silently: staff choose
    covered = {k: v for k, v in typed.items() if k[1] in result.covered}
    result.lines = _reconcile(partners, covered, result.rows)
    migrate_workbook(Path(workbook), Path(target), edit=lambda o: _replace_rows(o, result.rows))
    result.reconciliation = write_reconciliation(result, Path(target).parent, today)
    return result


def _reconcile(
    partners: Partners, typed: dict, rows: list[ProposedRow]
) -> list[ReconciliationLine]:
    by_acronym = {p.acronym: p for p in partners.partners}
    grouped: dict[tuple, list[ProposedRow]] = {}
    for row in rows:
        grouped.setdefault((row.kind, row.partner.acronym, row.year), []).append(row)
    keys = set(grouped) | set(typed)
    order = {p.acronym: i for i, p in enumerate(partners.partners)}
    lines = []
    for kind, acronym, year in sorted(keys, key=lambda k: (k[0] != FORECAST, order[k[1]], k[2])):
        own = grouped.get((kind, acronym, year), [])
        mine = typed.get((kind, acronym, year))
        dates = [r.updated for r in own if r.updated]
        lines.append(
            ReconciliationLine(
                kind,
                by_acronym[acronym],
                year,
                mine[0] if mine else None,
                sum(r.fcfa for r in own) if own else None,
                max(dates) if dates else None,
                _counted(mine, own),
            )
        )
    return lines


def reconciliation_text(result: IatiImport) -> list[str]:
    """The reconciliation as lines of text, for the terminal (amounts in FCFA)."""
    from ..formats import number

    def show(value) -> str:
        return "–" if value is None else number(value)

    lines = []
    for line in result.lines:
        difference = line.difference
        gap = (
            ""
            if difference is None
            else f", écart {'+' if difference > 0 else ''}{show(difference)}"
        )
        source = f" (source du {line.source_date:%d/%m/%Y})" if line.source_date else ""
        lines.append(
            f"{line.kind.capitalize()} {line.partner.acronym} {line.year} : saisi "
            f"{show(line.typed)}, IATI {show(line.iati)}{gap}{source} ; compté : {line.counted}"
        )
    return lines


# --- The reconciliation workbook ---

RECONCILIATION_HEADERS = (
    ("Nature", 14),
    ("Partenaire", 12),
    ("Année", 8),
    ("Montant saisi (FCFA)", 20),
    ("Montant IATI (FCFA)", 20),
    ("Écart IATI – saisi (FCFA)", 22),
    ("Date de la source", 14),
    ("Compté dans les documents", 24),
)
DETAIL_HEADERS = (
    ("Fichier", 24),
    ("Activité IATI", 30),
    ("Partenaire", 12),
    ("Nature", 14),
    ("Année", 8),
    ("Origine", 20),
    ("Montant publié", 18),
    ("Devise", 8),
    ("Taux (FCFA)", 12),
    ("Part du pays", 12),
    ("Montant (FCFA)", 20),
    ("Retenu", 8),
)


def reconciliation_name(folder: Path, today: dt.date) -> Path:
    """``rapprochement_iati_<date>.xlsx`` in ``folder``, numbered when it exists."""
    stem = f"rapprochement_iati_{today.isoformat()}"
    path, number = folder / f"{stem}.xlsx", 2
    while path.exists():
        path, number = folder / f"{stem}_{number}.xlsx", number + 1
    return path


def write_reconciliation(result: IatiImport, folder: Path, today: dt.date | None) -> Path:
    """Write the reconciliation (summary, detail of each amount, what was left out)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .create import AMOUNT_FORMAT, DATE_FORMAT, HEADER_FILL, HEADER_FONT

    book = Workbook()

    def sheet(ws, headers):
        ws.append([h for h, _ in headers])
        for index, (_, width) in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=index)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            ws.column_dimensions[cell.column_letter].width = width
        ws.freeze_panes = "A2"

    summary = book.active
    summary.title = "Rapprochement"
    sheet(summary, RECONCILIATION_HEADERS)
    for line in result.lines:
        summary.append(
            [
                line.kind,
                line.partner.acronym,
                line.year,
                line.typed,
                line.iati,
                line.difference,
                line.source_date,
                line.counted,
            ]
        )
        row = summary.max_row
        for column in "DEF":
            summary[f"{column}{row}"].number_format = AMOUNT_FORMAT
        summary[f"G{row}"].number_format = DATE_FORMAT
    detail = book.create_sheet("Détail IATI")
    sheet(detail, DETAIL_HEADERS)
    for row in result.rows:
        for part in row.parts:
            a = part.amount
            detail.append(
                [
                    a.file,
                    a.activity,
                    row.partner.acronym,
                    a.kind,
                    a.year,
                    a.origin,
                    float(a.value),
                    a.currency or NOT_GIVEN,
                    float(part.rate),
                    float(a.share),
                    float(part.fcfa),
                    row.kept or schema.YES,
                ]
            )
            number = detail.max_row
            detail[f"J{number}"].number_format = "0.00%"
    notes = book.create_sheet("À signaler")
    notes.column_dimensions["A"].width = 120
    for problem in result.report.problems:
        notes.append([problem.message])
    for note in result.skipped:
        notes.append([note])
    if notes.max_row == 1 and notes["A1"].value is None:
        notes["A1"] = "Rien à signaler."
    notes["A1"].font = Font(bold=False)
    path = reconciliation_name(folder, today or dt.date.today())
    from .create import save_new

    save_new(book, path)
    return path
