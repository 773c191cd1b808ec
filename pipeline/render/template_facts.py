"""Facts written in a template's own words: ``fait-dans-le-modele`` (warning).

A template's fixed text is the same in every document, whatever happened: a sentence
that states a count (« 4 numéros »), a frequency (« chaque mois ») or a judgement
(« à bonne date ») in the template's words will one day be false. Such facts must come
from the data (« {{ flash_count }} numéros du Flash info diffusés »). This check reads
the template's paragraphs with their tags taken out, and reports each such wording with
the paragraph it stands in.

The rules are plain word patterns (a list, easy to extend):

- a count: a number, in figures or in words from « deux », followed by a word
  (« 3 réunions », « trois rencontres »); a numbered heading (« 2. Répartition »), a
  year and « 1 sur 1 » (page numbers) are not counts;
- a frequency: « chaque jour / semaine / mois / trimestre / année » (not « chaque année
  du mandat », which ranges over a set), « mensuellement », « régulièrement »…;
- a judgement: « à bonne date », « dans les délais », « avec succès », « pleinement ».
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_NUMBER_WORDS = "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|cent"
_NOT_COUNTED = {"sur", "et", "ou", "à", "au", "aux", "de", "du", "des", "h", "pt", "cm", "mm"}
_COUNT = re.compile(rf"(?<![\w.,])(\d+|{_NUMBER_WORDS})\s+([a-zà-ÿœ]+)", re.IGNORECASE)
# « chaque mois » as an adverb states a frequency; « chaque année du mandat » or
# « chaque mois qui… » ranges over a set (a rule's wording), and is not reported.
_FREQUENCY = re.compile(
    r"\bchaque\s+(?:jour|semaine|mois|trimestre|semestre|année|an)\b"
    r"(?!\s+(?:du|de|des|d['’]|qui|où|dont)\b)|"
    r"\b(?:quotidiennement|hebdomadairement|mensuellement|trimestriellement|"
    r"annuellement|régulièrement|systématiquement)\b",
    re.IGNORECASE,
)
_JUDGEMENT = re.compile(
    r"\bà\s+bonne\s+date\b|\bdans\s+les\s+délais\b|\bavec\s+succès\b|\bpleinement\b|"
    r"\bconformément\s+au\s+calendrier\b",
    re.IGNORECASE,
)


def fixed_facts(text: str) -> list[str]:
    """The wordings of ``text`` (a paragraph with its tags) that state a fact in the
    template's own words: counts, frequencies, judgements; in reading order."""
    plain = _TAGS.sub(" ", text)
    found = []
    for match in _COUNT.finditer(plain):
        number, word = match.group(1), match.group(2).lower()
        if word in _NOT_COUNTED or (number.isdigit() and len(number) == 4):
            continue
        found.append((match.start(), match.group(0)))
    for pattern in (_FREQUENCY, _JUDGEMENT):
        found += [(m.start(), m.group(0)) for m in pattern.finditer(plain)]
    return [" ".join(words.split()) for _at, words in sorted(found)]


def _paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of the body, headers and footers."""
    with zipfile.ZipFile(path) as archive:
        names = [
            n
            for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
        roots = [etree.fromstring(archive.read(n)) for n in names]
    texts = []
    for root in roots:
        for paragraph in root.iter(f"{_W}p"):
            # Field results (page numbers) are Word's own, not the template's wording.
            texts.append("".join(t.text or "" for t in paragraph.iter(f"{_W}t")))
    return texts


def check_fixed_facts(path: Path) -> list[tuple[str, str]]:
    """(wording, paragraph) for each fact a template states in its own words."""
    found = []
    for text in _paragraphs(path):
        for words in fixed_facts(text):
            paragraph = " ".join(_TAGS.sub("…", text).split())
            found.append((words, paragraph[:90] + ("…" if len(paragraph) > 90 else "")))
    return found
