"""French formatting of dates, numbers, percentages and amounts, through Babel.

These functions are also registered as Jinja filters, so templates write
``{{ plan.document_date|mois_annee }}`` and never format anything themselves.
"""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from .workbook.schema import NOUN_GENDERS, STATUS_AGREEMENT

LOCALE = "fr_FR"
# The locale's own percent pattern ("#,##0 %", a non-breaking space before "%"): a
# pattern typed here would carry an ordinary space, which breaks lines before "%".
_PERCENT_PATTERN = Locale.parse(LOCALE).percent_formats[None].pattern
NBSP = "\u00a0"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def month_year(day: dt.date) -> str:
    """ "mai 2022"."""
    return format_date(day, "MMMM y", locale=LOCALE)


def month_year_title(day: dt.date) -> str:
    """ "Mai 2022", as on a title page."""
    return _capitalize(month_year(day))


def month_short(day: dt.date) -> str:
    """ "sept.", "mai": the abbreviated month, for compact lists of months."""
    return format_date(day, "MMM", locale=LOCALE)


def month_initial(day: dt.date) -> str:
    """ "S" for septembre: the one-letter column heading of a schedule."""
    return format_date(day, "MMMMM", locale=LOCALE).upper()


def long_date(day: dt.date) -> str:
    """ "1er septembre 2021", "30 novembre 2021" (French writes the first day as 1er)."""
    text = format_date(day, "d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def day_month(day: dt.date) -> str:
    """ "1er septembre", for a period within one year."""
    text = format_date(day, "d MMMM", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def period(start: dt.date, end: dt.date) -> str:
    """ "du 1er septembre au 30 novembre 2021" (the year once when both ends share it)."""
    first = day_month(start) if start.year == end.year else long_date(start)
    return f"du {first} au {long_date(end)}"


def short_date(day: dt.date) -> str:
    """ "31/05/2022"."""
    return format_date(day, "dd/MM/y", locale=LOCALE)


def number(value: float, decimals: int = 0) -> str:
    """ "12 500 000", "87,5"."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def file_size(size: int) -> str:
    """ "2,4 Mo", "850 ko" (decimal units, as mail programs show sizes)."""
    from babel.units import format_unit

    if size >= 1_000_000:
        return format_unit(
            size / 1_000_000, "digital-megabyte", length="short", locale=LOCALE, format="#,##0.#"
        )
    return format_unit(
        max(1, round(size / 1000)),
        "digital-kilobyte",
        length="short",
        locale=LOCALE,
        format="#,##0",
    )


def days(count: int) -> str:
    """ "60 j": a number of days, the unit never alone at the start of a line."""
    from babel.units import format_unit

    return format_unit(count, "duration-day", length="short", locale=LOCALE, format="#,##0")


def percent(ratio: float | None, decimals: int = 1) -> str:
    """ "87,5 %" from 0.875; "–" when there is nothing to divide by."""
    if ratio is None:
        return "–"
    # The locale's pattern has no decimals: they go after its last digit ("0").
    pattern = (
        _PERCENT_PATTERN.replace("0", "0." + "#" * decimals, 1) if decimals else _PERCENT_PATTERN
    )
    return format_percent(ratio, format=pattern, locale=LOCALE)


def amount(value: float, currency: str = "FCFA") -> str:
    """ "12 500 000 000 FCFA", the unit never alone at the start of a line."""
    return f"{number(value)}{NBSP}{currency}"


def quantity(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 réunion a été tenue", "12 réunions ont été tenues": the number and the words
    agreed with it (French uses the singular for 0 and 1)."""
    return f"{number(count)} {singular if count <= 1 else plural or singular + 's'}"


NB_HYPHEN = "\u2011"  # trait d'union insécable
WORD_JOINER = "\u2060"  # no line break here, and nothing shown
_CODE_HYPHEN = re.compile(r"(?<=[A-Z0-9])-(?=[A-Z0-9])")
_SLASH_WORD = re.compile(r"(?<=\w)/(?=\w)")
_ROMAN_AFTER_ACRONYM = re.compile(r"(?<=[A-Z]{2}) (?=[IVX]{1,4}\b)")
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:FCFA|EUR|USD|%|j|jours?|mois|ans?|Mo|Ko)\b)")


def keep_together(text: str) -> str:
    """A code, a number with its unit or a slash word that a line must never cut:
    « CR-2021-001 » and « 2022-2024 » with no-break hyphens, « coordonnateur/s » with a
    word joiner after the slash, « 12 FCFA » and « PNDES II » with a no-break space."""
    text = _CODE_HYPHEN.sub(NB_HYPHEN, str(text))
    text = _SLASH_WORD.sub("/" + WORD_JOINER, text)
    text = _ROMAN_AFTER_ACRONYM.sub(NBSP, text)
    return _NUMBER_UNIT.sub(NBSP, text)


def agree(status: str, noun: str) -> str:
    """A status agreed with the noun it qualifies, from the declared table of the schema:
    « réalisé » for a décision gives « réalisée ». An unknown status or noun is left as is."""
    forms, gender = STATUS_AGREEMENT.get(status), NOUN_GENDERS.get(noun)
    if forms is None or gender is None:
        return status
    return forms[1] if gender == "f" else forms[0]


FILTERS = {
    "mois_annee": month_year,
    "mois_annee_titre": month_year_title,
    "initiale_mois": month_initial,
    "date_longue": long_date,
    "date_courte": short_date,
    "nombre": number,
    "pourcentage": percent,
    "jours": days,
    "montant": amount,
    "quantite": quantity,
    "taille": file_size,
    "accord": agree,
    "insecable": keep_together,
}
