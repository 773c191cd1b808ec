"""Parsing of single cell values typed by people: dates, months, numbers, codes.

Each parser returns the typed value or raises ValueError; the validator turns the
ValueError into a located problem. Month names come from Babel's French locale data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from babel.dates import get_month_names

_MONTHS: dict[str, int] = {}
for _width in ("wide", "abbreviated"):
    for _num, _name in get_month_names(_width, locale="fr").items():
        _MONTHS[_name.lower().rstrip(".")] = _num
# Common spellings people type that CLDR does not list.
_MONTHS.update({"fev": 2, "fevr": 2, "aout": 8, "dec": 12, "sep": 9, "sept": 9})


# Characters nobody sees on screen, each with the French name a message gives it.
INVISIBLE = {
    "\u200b": "espace de largeur nulle (U+200B)",
    "\u200c": "antiliant sans chasse (U+200C)",
    "\u200d": "liant sans chasse (U+200D)",
    "\u2060": "gluon de mots (U+2060)",
    "\ufeff": "indicateur d'ordre des octets, BOM (U+FEFF)",
    "\u00ad": "trait d'union conditionnel (U+00AD)",
}
# Spaces that look like a plain space.
ODD_SPACES = {
    "\u00a0": "espace insécable (U+00A0)",
    "\u202f": "espace fine insécable (U+202F)",
    "\u2007": "espace tabulaire (U+2007)",
    "\u2009": "espace fine (U+2009)",
    "\u200a": "espace ultrafine (U+200A)",
    "\u3000": "espace idéographique (U+3000)",
}
# Apostrophes Word and Excel type in place of the straight one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`\u2032", "'"))
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form used to compare headers and choices:
    what reads the same on screen is equal (curly and straight apostrophes, any kind
    of space, invisible characters)."""
    text = unicodedata.normalize("NFKD", str(text).translate(_INVISIBLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def sheet_key(name: str) -> str:
    """A sheet name as a reader sees it: spaces at the ends, doubled spaces, invisible
    characters and the kind of apostrophe do not count (case and accents do)."""
    text = unicodedata.normalize("NFC", str(name).translate(_INVISIBLE))
    return " ".join(text.translate(_APOSTROPHES).split())


def describe_unseen(text: str) -> str:
    """The characters of ``text`` a reader does not see, with their positions, in
    French (« une espace insécable (U+00A0) en position 4 »), or ""."""
    found = [
        f"{names[ch]} en position {index}"
        for index, ch in enumerate(str(text), start=1)
        for names in (INVISIBLE, ODD_SPACES)
        if ch in names
    ]
    return ", ".join(found)


def slug(text: str, separator: str = "-") -> str:
    """ "membres-de-la-troika": an accent-free, lower-case name safe for files."""
    return re.sub(r"[^a-z0-9]+", separator, fold(text)).strip(separator)


# Line breaks and tabs, including the Unicode ones that mail and text tools also treat
# as line ends (NEL, line and paragraph separators).
BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def to_one_line(text: str) -> str:
    """``text`` on one line: each run of line breaks and tabs (with the spaces around
    it) becomes one space."""
    return re.sub(rf" *(?:{BREAKS.pattern} *)+", " ", text).strip()


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in _MONTHS:
        return _MONTHS[word]
    return _MONTHS.get(fold(word))


def parse_date(value) -> dt.date:
    """A date from a date cell or from text such as 31/05/2022, 2022-05-31, 31 mai 2022."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})(?:er)?\s+([^\d\s]+)\s+(\d{4})", text, flags=re.IGNORECASE)
    if m and _month_number(m[2]):
        return dt.date(int(m[3]), _month_number(m[2]), int(m[1]))
    raise ValueError(value)


def parse_month(value) -> dt.date:
    """The first day of a month, from a date or from text such as "sept. 2021", 09/2021."""
    if isinstance(value, (dt.date, dt.datetime)):
        day = parse_date(value)
        return day.replace(day=1)
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", text)
    if m and 1 <= int(m[1]) <= 12:
        return dt.date(int(m[2]), int(m[1]), 1)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m and 1 <= int(m[2]) <= 12:
        return dt.date(int(m[1]), int(m[2]), 1)
    m = re.fullmatch(r"([^\d\s]+)\s*(\d{4})", text)
    if m and _month_number(m[1]):
        return dt.date(int(m[2]), _month_number(m[1]), 1)
    return parse_date(text).replace(day=1)


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def parse_int(value) -> int:
    """A whole number from a number cell or text ("2", "2.0", " 3 ")."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:[.,]0+)?\s*", value):
        return int(re.split(r"[.,]", value.strip())[0])
    raise ValueError(value)


def parse_number(value) -> float:
    """A number from a number cell or French-formatted text ("12 500 000", "87,5")."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            number = float(text)
            return int(number) if number.is_integer() else number
    raise ValueError(value)


def parse_code(value) -> str:
    """An activity code such as "1.2". A number cell (Excel turned "1.2" into 1.2)
    is read back as its shortest text form."""
    if isinstance(value, (bool, dt.date)):
        raise ValueError(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d+(?:\.\d+)*", text):
        raise ValueError(value)
    return text


_MONTH_WORD = r"[^\W\d_]+\.?"
_DAY_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_WORD})\s+(\d{{4}})\b"
    r"|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
)
_MONTH_DATE = re.compile(rf"(?<![\w/])({_MONTH_WORD})\s+(\d{{4}})\b")


def dates_in(text: str) -> list[tuple[str, dt.date]]:
    """The dates a French text cites, as (words, earliest day they may mean): « 24 mars
    2022 » and 24/03/2022 mean that day; « juin 2022 », the month's first day."""
    found = []
    for match in _DAY_DATE.finditer(text):
        day, month, year = (
            (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
        )
        try:
            first = (
                parse_month(f"{month} {year}") if match[1] else dt.date(int(year), int(month), 1)
            )
            found.append((match[0], first.replace(day=int(day))))
        except ValueError:
            continue
    for match in _MONTH_DATE.finditer(_DAY_DATE.sub(" ", text)):
        try:
            found.append((match[0], parse_month(f"{match[1]} {match[2]}")))
        except ValueError:
            continue
    return found


def cites_after(text: str, day: dt.date) -> bool:
    """Whether a text cites a date after ``day`` (an event it could not know then)."""
    return any(cited > day for _words, cited in dates_in(text))
