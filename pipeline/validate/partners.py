"""Validation of the partners' sheets: Partenaires, Sessions, Protocole, Préoccupations,
Discours, Aide-mémoire and Prévisions (speeches, aide-mémoire, disbursement forecast)."""

from __future__ import annotations

import re

from ..model import Concern, Disbursement, Forecast, Partner, Partners, Plan, Session
from ..report import Report
from ..workbook import schema
from ..workbook.reader import RawTable, RawWorkbook
from ..workbook.values import fold
from .common import Typed, convert, index_unique, type_rows


def forecast_years(plan: Plan) -> list[int]:
    """Years n to n+2 of the disbursement forecast: n is the year the mandate ends."""
    n = plan.mandate.end.year
    return list(range(n, n + schema.FORECAST_YEARS))


def _check_partners(table: RawTable | None, report: Report) -> dict[str, Partner]:
    """Partners by folded acronym; a repeated acronym or name is ``duplicate-partner``."""
    spec = schema.PARTNERS
    name = spec.name
    partners: dict[str, Partner] = {}
    seen: dict[tuple[str, str], str] = {}  # (column, folded value) -> first cell
    for row in type_rows(table, report):
        duplicate = False
        for key in ("acronym", "name"):
            if row[key] is None:
                continue
            marker = (key, fold(row[key]))
            if marker in seen:
                report.add(
                    "duplicate-partner",
                    name,
                    row.ref(key),
                    value=row[key],
                    other=f"'{name}'!{seen[marker]}",
                )
                duplicate = True
            else:
                seen[marker] = row.ref(key)
        kind = row["kind"]
        troika = row["troika"]
        signatory = row["signatory"]
        if duplicate or row["acronym"] is None or row["name"] is None:
            continue
        partners[fold(row["acronym"])] = Partner(
            row["acronym"],
            row["name"],
            kind or "",
            troika == schema.YES,
            row["head_name"] or "",
            row["head_title"] or "",
            signatory != schema.NO,
            refs={
                key: row.ref(key)
                for key in ("acronym", "troika", "head_name", "head_title", "signatory", "iati_id")
            },
            iati_ids=tuple(
                part.strip() for part in (row["iati_id"] or "").split(";") if part.strip()
            ),
        )
    members = [p for p in partners.values() if p.troika]
    if partners and len(members) != 3:
        report.add("troika-size", name, table.header_refs.get("troika"), count=len(members))
    return partners


def _check_protocol(table: RawTable | None, report: Report) -> dict[str, list[str]]:
    """Salutations by body acronym, sorted by rank."""
    spec = schema.PROTOCOL
    name = spec.name
    by_body: dict[str, dict[int, Typed]] = {}
    for row in type_rows(table, report):
        body = row["body"]
        if body is None or row["rank"] is None or row["salutation"] is None:
            continue
        ranks = by_body.setdefault(body, {})
        if row["rank"] in ranks:
            report.add(
                "duplicate-rank",
                name,
                row.ref("rank"),
                value=row["rank"],
                body=body,
                other=f"'{name}'!{ranks[row['rank']].ref('rank')}",
            )
            continue
        ranks[row["rank"]] = row
    return {
        body: [ranks[r]["salutation"] for r in sorted(ranks)] for body, ranks in by_body.items()
    }


def _check_sessions(
    table: RawTable | None,
    partners: dict[str, Partner],
    protocol: dict[str, list[str]],
    report: Report,
    refs: dict[str, str],
    plan: Plan | None,
) -> dict[str, Session]:
    """Sessions by folded code; ``refs`` receives the cell of each session's code."""
    spec = schema.SESSIONS
    name = spec.name
    sessions: dict[str, Session] = {}
    for row in type_rows(table, report):
        code = row["code"]
        if code is not None and fold(code) in refs:
            report.add(
                "duplicate-code",
                name,
                row.ref("code"),
                value=code,
                other=f"'{name}'!{refs[fold(code)]}",
            )
            continue
        if code is not None:
            refs[fold(code)] = row.ref("code")
        body = row["body"]
        speaker = None
        if row["speaker_org"] is not None:
            speaker = partners.get(fold(row["speaker_org"]))
            if speaker is None:
                report.add(
                    "unknown-partner", name, row.ref("speaker_org"), value=row["speaker_org"]
                )
        if body is not None and not protocol.get(body):
            report.add("no-protocol", name, row.ref("body"), value=code or body, body=body)
        activity = None
        if row["activity"] is not None and plan is not None:
            activity = plan.activity(row["activity"])
            if activity is None:
                report.add("unknown-activity", name, row.ref("activity"), value=row["activity"])
        required = (
            "code",
            "label",
            "date",
            "place",
            "chair_name",
            "chair_title",
            "speaker_name",
            "speaker_title",
        )
        if body is None or speaker is None or any(row[k] is None for k in required):
            continue
        session = Session(
            code,
            body,
            schema.SESSION_BODIES[body],
            row["label"],
            row["date"],
            row["place"],
            row["chair_name"],
            row["chair_title"],
            row["speaker_name"],
            row["speaker_title"],
            speaker,
            protocol.get(body, []),
            activity=activity,
            memo_date=row["memo_date"],
            refs={
                key: row.ref(key)
                for key in (
                    "code",
                    "date",
                    "activity",
                    "speaker_name",
                    "speaker_title",
                    "memo_date",
                )
            },
        )
        sessions[fold(code)] = session
    return sessions


def _session_of(
    row: Typed, sessions: dict[str, Session], known_codes: set[str], sheet: str, report: Report
) -> Session | None:
    code = row["session"]
    if code is None:
        return None
    session = sessions.get(fold(code))
    if session is None and fold(code) not in known_codes:
        report.add("unknown-session", sheet, row.ref("session"), value=code)
    return session


def _check_concerns(
    table: RawTable | None, sessions: dict[str, Session], known_codes: set[str], report: Report
) -> list[Concern]:
    spec = schema.CONCERNS
    name = spec.name
    concerns: list[Concern] = []
    rows = type_rows(table, report)
    index_unique(rows, "number", name, report)
    for row in rows:
        number = row["number"]
        priority = row["priority"]
        codes = []
        for cell in row.raw.repeated:
            if cell.value is None:
                continue
            key = fold(str(cell.value))
            if key not in sessions and key not in known_codes:
                report.add("unknown-session", name, cell.ref, value=cell.value)
            elif key in sessions:
                codes.append(sessions[key].code)
        if number is None or row["theme"] is None or row["text"] is None or priority is None:
            continue
        concerns.append(
            Concern(
                number, row["theme"], row["text"], schema.PRIORITIES.index(priority), tuple(codes)
            )
        )
    return sorted(concerns, key=lambda c: (c.priority, c.number))


def _check_texts(
    table: RawTable | None,
    sheet: schema.Sheet,
    sections: dict[str, str],
    attribute: str,
    sessions: dict[str, Session],
    known_codes: set[str],
    report: Report,
) -> None:
    """Paragraphs of the speech (or aide-mémoire) of each session, by section."""
    name = sheet.name
    for row in type_rows(table, report):
        session = _session_of(row, sessions, known_codes, name, report)
        label = row["section"]
        if session is None or label is None or row["text"] is None:
            continue
        key = next(k for k, v in sections.items() if v == label)
        getattr(session, attribute).setdefault(key, []).append(row["text"])


def _check_forecasts(
    table: RawTable | None, partners: dict[str, Partner], years: list[int] | None, report: Report
) -> list[Forecast]:
    """Forecast lines; ``years`` (n to n+2) is None when the mandate is unknown."""
    spec = schema.FORECASTS
    name = spec.name
    forecasts = []
    for row in type_rows(table, report):
        partner, year, amount = _partner_year_amount(
            row, name, partners, years, "forecast-year-outside", report
        )
        status = row["status"]
        if None in (partner, year, amount, status) or row["instrument"] is None:
            continue
        if row["kept"] == schema.NO:  # kept for the record, does not count
            continue
        forecasts.append(
            Forecast(
                partner, row["instrument"], year, amount, status == schema.FORECAST_STATUSES[0]
            )
        )
    return forecasts


def _partner_year_amount(
    row,
    sheet: str,
    partners: dict[str, Partner],
    years: list[int] | None,
    outside: str,
    report: Report,
):
    """The partner, year and amount of a forecast or disbursement row, each None when
    it is refused (unknown partner, a year outside ``years`` reported as ``outside``, a
    negative amount), with its problem in ``report``."""
    partner = None
    if row["partner"] is not None:
        partner = partners.get(fold(row["partner"]))
        if partner is None:
            report.add("unknown-partner", sheet, row.ref("partner"), value=row["partner"])
    year, amount = row["year"], row["amount"]
    if year is not None and years is not None and year not in years:
        report.add(outside, sheet, row.ref("year"), value=year, first=years[0], last=years[-1])
        year = None
    if amount is not None and amount < 0:
        report.add("negative-amount", sheet, row.ref("amount"), value=amount)
        amount = None
    return partner, year, amount


def _check_disbursements(
    table: RawTable | None,
    partners: dict[str, Partner],
    mandate: list[int] | None,
    forecasts: list[Forecast],
    report: Report,
) -> list[Disbursement]:
    """Disbursement lines of the mandate's years; one without a forecast of the same
    partner and year is counted but warned about (no predictability for it)."""
    name = schema.DISBURSEMENTS.name
    planned = {(f.partner.acronym, f.year) for f in forecasts}
    lines = []
    for row in type_rows(table, report):
        partner, year, amount = _partner_year_amount(
            row, name, partners, mandate, "disbursement-year-outside", report
        )
        if None in (partner, year, amount) or row["instrument"] is None:
            continue
        if row["kept"] == schema.NO:
            continue
        if (partner.acronym, year) not in planned:
            report.add(
                "disbursement-without-forecast",
                name,
                row.ref("year"),
                partner=partner.acronym,
                year=year,
            )
        lines.append(Disbursement(partner, row["instrument"], year, amount))
    return lines


def _check_rates(table: RawTable | None, report: Report) -> dict[str, list[tuple]]:
    """Exchange rates by currency code: (date, FCFA for one unit), sorted by date."""
    name = schema.EXCHANGE_RATES.name
    rates: dict[str, list[tuple]] = {}
    seen: dict[tuple, str] = {}
    for row in type_rows(table, report):
        currency, day, rate = row["currency"], row["date"], row["rate"]
        if currency is not None:
            currency = currency.strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", currency):
                report.add("bad-currency", name, row.ref("currency"), value=row["currency"])
                currency = None
        if rate is not None and rate <= 0:
            report.add("bad-rate", name, row.ref("rate"), value=rate)
            rate = None
        if None in (currency, day, rate):
            continue
        if (currency, day) in seen:
            report.add(
                "duplicate-rate",
                name,
                row.ref("date"),
                currency=currency,
                date=day.strftime("%d/%m/%Y"),
                other=f"'{name}'!{seen[currency, day]}",
            )
            continue
        seen[currency, day] = row.ref("date")
        rates.setdefault(currency, []).append((day, rate))
    return {currency: sorted(values) for currency, values in rates.items()}


def mandate_years(plan: Plan) -> list[int]:
    """The calendar years the mandate touches (disbursements are counted by year)."""
    return list(range(plan.mandate.start.year, plan.mandate.end.year + 1))


def _check_forecast_date(raw: RawWorkbook, forecasts: list[Forecast], report: Report):
    """The date the forecast is stated at; without it (an empty cell, or an older
    workbook without the row) the forecast is dated on the build date, with a warning."""
    sheet = schema.PARAMETERS_SHEET
    param = next(p for p in schema.PARAMETERS if p.key == "forecast_date")
    cell = raw.parameters.get(param.key)
    day = convert(cell, param, sheet, report) if cell else None
    if day is None and forecasts and (cell is None or cell.value is None):
        report.add("no-forecast-date", sheet, cell.ref if cell else None, name=param.label)
    return day


def _raw_codes(table: RawTable | None) -> set[str]:
    """Every session code typed in the Sessions sheet, valid or not: a reference to a
    session that has its own errors is not reported a second time as unknown."""
    if table is None:
        return set()
    return {
        fold(str(row.cells["code"].value))
        for row in table.rows
        if "code" in row.cells and row.cells["code"].value is not None
    }


def check_partners(raw: RawWorkbook, plan: Plan | None, report: Report) -> Partners | None:
    """Check the partners' sheets; None only when the plan (for the mandate) is missing."""
    tables = raw.tables
    partners = _check_partners(tables.get(schema.PARTNERS.name), report)
    protocol = _check_protocol(tables.get(schema.PROTOCOL.name), report)
    sessions_table = tables.get(schema.SESSIONS.name)
    refs: dict[str, str] = {}
    sessions = _check_sessions(sessions_table, partners, protocol, report, refs, plan)
    known = _raw_codes(sessions_table)
    concerns = _check_concerns(tables.get(schema.CONCERNS.name), sessions, known, report)
    _check_texts(
        tables.get(schema.SPEECHES.name),
        schema.SPEECHES,
        schema.SPEECH_SECTIONS,
        "texts",
        sessions,
        known,
        report,
    )
    _check_texts(
        tables.get(schema.MEMO.name),
        schema.MEMO,
        schema.MEMO_SECTIONS,
        "memo",
        sessions,
        known,
        report,
    )
    years = forecast_years(plan) if plan is not None else None
    forecasts = _check_forecasts(tables.get(schema.FORECASTS.name), partners, years, report)
    mandate = mandate_years(plan) if plan is not None else None
    disbursements = _check_disbursements(
        tables.get(schema.DISBURSEMENTS.name), partners, mandate, forecasts, report
    )
    rates = _check_rates(tables.get(schema.EXCHANGE_RATES.name), report)
    if years is None:
        return None
    forecast_date = _check_forecast_date(raw, forecasts, report)
    result = Partners(
        list(partners.values()),
        list(sessions.values()),
        concerns,
        forecasts,
        years,
        forecast_date,
        disbursements,
        mandate,
        rates,
    )
    for session in result.sessions:
        session.concerns = result.numbered([c for c in concerns if session.code in c.sessions])
        if not session.has_speech:
            report.add(
                "no-speech", schema.SESSIONS.name, refs[fold(session.code)], value=session.code
            )
    return result
