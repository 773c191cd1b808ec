"""Read the budget support of a recipient country from partners' IATI activity files.

IATI (International Aid Transparency Initiative) activity files are XML, version
2.01 to 2.03 of the standard. From each file this module keeps the activities, or
transactions, of aid type A01 (general budget support) or A02 (sector budget support),
OECD-DAC vocabulary, for one recipient country, and returns their amounts in the
currency they were published in, with what converting them needs:

- forecasts: the ``planned-disbursement`` elements of an activity; only where an
  activity has none, its ``budget`` elements (never both). Within one period a
  revised amount (``@type`` 2) replaces the original (1). The year is the year of
  the period's start. A forecast is firm when a budget of the activity for that
  year is committed (``@status`` 2), indicative otherwise;
- disbursements: the transactions of type 3, by year of their date.

An activity shared between countries counts for the country's share
(``recipient-country/@percentage``; a single country without a percentage is 100 %).

    read_iati_file(path, country="BF", schema_dir=None) -> IatiFile

Safety: the file's size is checked before it is opened (``pipeline.unpack``); it is
parsed by defusedxml, which refuses a DTD and entities instead of expanding them;
with ``schema_dir`` (the folder holding ``iati-activities-schema.xsd``) it is then
validated against the IATI activity schema with lxml, without network access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

from ..exceptions import IatiError, UnsafeArchive
from ..unpack import check_xml_size

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
# OECD-DAC aid types kept, with the instrument they become in the workbook.
BUDGET_SUPPORT = {
    "A01": "Appui budgétaire général",
    "A02": "Appui budgétaire sectoriel",
}
DAC_VOCABULARY = "1"  # aid-type/@vocabulary: absent means the OECD-DAC list too
DISBURSEMENT = "3"  # transaction-type/@code
REVISED = "2"  # budget/@type and planned-disbursement/@type: 1 original, 2 revised
COMMITTED = "2"  # budget/@status: 1 indicative, 2 committed
SCHEMA_FILE = "iati-activities-schema.xsd"
FORECAST, DISBURSED = "prévision", "décaissement"


@dataclass(frozen=True)
class IatiAmount:
    """One amount of one activity, in its published currency, before conversion."""

    kind: str  # FORECAST or DISBURSED
    organisation: str  # reporting-org/@ref
    activity: str  # iati-identifier
    file: str
    updated: dt.date | None  # iati-activity/@last-updated-datetime
    aid_type: str  # A01 or A02
    year: int
    value: Decimal
    currency: str  # ISO 4217 code, "" when the file gives none
    value_date: dt.date
    share: Decimal  # the country's share, 0 to 1
    firm: bool = False  # forecasts: a committed budget for the year
    origin: str = ""  # planned-disbursement, budget or transaction

    @property
    def instrument(self) -> str:
        return BUDGET_SUPPORT[self.aid_type]


@dataclass
class IatiFile:
    """What one file holds for the country: amounts, and who published them."""

    name: str
    version: str
    organisations: dict[str, str] = field(default_factory=dict)  # every publisher: ref -> name
    amounts: list[IatiAmount] = field(default_factory=list)
    activities: int = 0  # activities in the file
    kept: dict[str, int] = field(default_factory=dict)  # organisation -> activities kept


def read_iati_file(path: Path, country: str = "BF", schema_dir: Path | None = None) -> IatiFile:
    """The budget-support amounts for ``country`` in one IATI activity file.

    Raises :class:`~pipeline.exceptions.IatiError` (French, naming the file) for a
    file too large, not well-formed, with a DTD or entities, of an unsupported
    version, or, when ``schema_dir`` is given, not valid against the schema."""
    path = Path(path)
    name = path.name
    try:
        check_xml_size(path, name)
    except UnsafeArchive as exc:
        raise IatiError(str(exc)) from exc
    except OSError as exc:
        raise IatiError(f"Le fichier IATI {name} ne peut pas être lu ({exc.strerror}).") from exc
    try:
        root = safe_parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise IatiError(
            f"Le fichier {name} contient une déclaration de type de document ou des entités "
            "XML, que l'outil refuse (elles peuvent faire grossir le fichier sans limite) : "
            "enregistrez à nouveau le fichier depuis la publication du partenaire."
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise IatiError(
            f"Le fichier {name} n'est pas un XML bien formé (ligne {line}, colonne "
            f"{column + 1}) : il est peut-être incomplet ; téléchargez-le à nouveau."
        ) from exc
    except OSError as exc:
        raise IatiError(f"Le fichier IATI {name} ne peut pas être lu ({exc.strerror}).") from exc
    if root.tag != "iati-activities":
        raise IatiError(
            f"Le fichier {name} n'est pas un fichier d'activités IATI (élément racine "
            f"« {root.tag} » au lieu de « iati-activities »)."
        )
    version = (root.get("version") or "").strip()
    if version.startswith("1."):
        raise IatiError(
            f"Le fichier {name} suit la version {version} du standard IATI, qui n'est plus "
            "publiée depuis 2016 : l'outil lit les versions 2.01 à 2.03. Téléchargez la "
            "publication actuelle du partenaire (registre IATI ou d-portal.org)."
        )
    if version not in SUPPORTED_VERSIONS:
        raise IatiError(
            f"Le fichier {name} annonce la version « {version or '(aucune)'} » du standard "
            "IATI : l'outil lit les versions 2.01 à 2.03."
        )
    if schema_dir is not None:
        _validate(path, Path(schema_dir), name)
    result = IatiFile(name, version)
    for activity in root.iter("iati-activity"):
        result.activities += 1
        _read_activity(activity, country.upper(), result)
    return result


_SCHEMAS: dict[Path, object] = {}


def _validate(path: Path, schema_dir: Path, name: str) -> None:
    """Check the file against the IATI activity schema (lxml, no network)."""
    from lxml import etree

    xsd = schema_dir / SCHEMA_FILE
    if xsd not in _SCHEMAS:
        try:
            _SCHEMAS[xsd] = etree.XMLSchema(etree.parse(str(xsd)))
        except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
            raise IatiError(
                f"Le schéma IATI {xsd} ne peut pas être lu ({exc}) : indiquez le dossier "
                f"qui contient {SCHEMA_FILE} et les fichiers qu'il inclut."
            ) from exc
    schema = _SCHEMAS[xsd]
    # Already parsed safely by defusedxml: no DTD, no entity; lxml must not fetch anything.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.parse(str(path), parser)
    if not schema.validate(document):
        errors = [f"ligne {e.line} : {e.message}" for e in list(schema.error_log)[:3]]
        raise IatiError(
            f"Le fichier {name} ne respecte pas le schéma des activités IATI ("
            + " ; ".join(errors)
            + ") : signalez-le au partenaire qui le publie ; l'outil ne le lit pas."
        )


def _text(element: Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _aid_types(element: Element, tag: str) -> set[str]:
    """OECD-DAC aid type codes of ``element``'s ``tag`` children (2.01: no vocabulary)."""
    return {
        (child.get("code") or "").strip().upper()
        for child in element.findall(tag)
        if (child.get("vocabulary") or DAC_VOCABULARY).strip() == DAC_VOCABULARY
    }


def _budget_support(codes: set[str]) -> str | None:
    return next((code for code in sorted(codes) if code in BUDGET_SUPPORT), None)


def _country_share(activity: Element, country: str) -> Decimal | None:
    """The country's share of the activity (0 to 1); None when the activity names
    countries but not this one, or names none (its transactions may)."""
    countries = activity.findall("recipient-country")
    if not countries:
        return None
    for element in countries:
        if (element.get("code") or "").strip().upper() != country:
            continue
        percentage = _decimal(element.get("percentage"))
        if percentage is None:
            return Decimal(1) if len(countries) == 1 else None
        return percentage / 100
    return None


def _latest_per_period(elements: list[Element]) -> list[Element]:
    """Within each period, the revised amounts if there are any, else the originals."""
    periods: dict[tuple, list[Element]] = {}
    for element in elements:
        key = (
            (element.find("period-start").get("iso-date") or "")
            if element.find("period-start") is not None
            else "",
            (element.find("period-end").get("iso-date") or "")
            if element.find("period-end") is not None
            else "",
        )
        periods.setdefault(key, []).append(element)
    kept = []
    for group in periods.values():
        revised = [e for e in group if (e.get("type") or "").strip() == REVISED]
        kept += revised or group
    return kept


def _read_activity(activity: Element, country: str, result: IatiFile) -> None:
    reporting = activity.find("reporting-org")
    organisation = (reporting.get("ref") or "").strip() if reporting is not None else ""
    label = _text(reporting, "narrative") or _text(reporting, ".") or organisation
    identifier = _text(activity, "iati-identifier")
    updated = _date(activity.get("last-updated-datetime"))
    currency = (activity.get("default-currency") or "").strip().upper()
    default_type = _budget_support(_aid_types(activity, "default-aid-type"))
    share = _country_share(activity, country)
    common = dict(organisation=organisation, activity=identifier, file=result.name)
    common["updated"] = updated
    amounts: list[IatiAmount] = []

    def amount(element: Element, kind: str, aid_type: str, year_of: str, share, **extra):
        value = element.find("value")
        number = _decimal(value.text if value is not None else None)
        when = (
            _date(element.find(year_of).get("iso-date"))
            if element.find(year_of) is not None
            else None
        )
        if number is None or when is None:
            return
        value_date = _date(value.get("value-date")) or when
        amounts.append(
            IatiAmount(
                kind,
                aid_type=aid_type,
                year=when.year,
                value=number,
                currency=(value.get("currency") or currency).strip().upper(),
                value_date=value_date,
                share=share,
                **common,
                **extra,
            )
        )

    # Forecasts: the activity's own aid type and country share.
    if default_type and share is not None:
        committed = {
            _date(b.find("period-start").get("iso-date")).year
            for b in activity.findall("budget")
            if (b.get("status") or "").strip() == COMMITTED
            and b.find("period-start") is not None
            and _date(b.find("period-start").get("iso-date"))
        }
        planned = activity.findall("planned-disbursement")
        origin = "planned-disbursement" if planned else "budget"
        for element in _latest_per_period(planned or activity.findall("budget")):
            start = element.find("period-start")
            day = _date(start.get("iso-date")) if start is not None else None
            if planned:  # a planned disbursement has no status: its year's budget has
                firm = day is not None and day.year in committed
            else:
                firm = (element.get("status") or "").strip() == COMMITTED
            amount(element, FORECAST, default_type, "period-start", share, firm=firm, origin=origin)
    # Disbursements: the transaction's aid type if it gives one, else the activity's;
    # its own country if it names one, else the activity's share.
    for transaction in activity.findall("transaction"):
        kind = transaction.find("transaction-type")
        if kind is None or (kind.get("code") or "").strip() != DISBURSEMENT:
            continue
        codes = _aid_types(transaction, "aid-type")
        aid_type = _budget_support(codes) if codes else default_type
        if aid_type is None:
            continue
        own = transaction.find("recipient-country")
        if own is not None:
            if (own.get("code") or "").strip().upper() != country:
                continue
            part = Decimal(1)
        elif share is None:
            continue
        else:
            part = share
        amount(transaction, DISBURSED, aid_type, "transaction-date", part, origin="transaction")
    result.organisations.setdefault(organisation, label)
    if amounts:
        result.amounts += amounts
        result.kept[organisation] = result.kept.get(organisation, 0) + 1
