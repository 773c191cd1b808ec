"""The README and the pages of docs/ say what the code does: every problem code is
explained, every link leads somewhere, every command, option and make target they
show exists, and every document kind is listed."""

from __future__ import annotations

import re
import unicodedata

import pytest

from pipeline.report import CATALOGUE
from tests.conftest import ROOT

README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    heading = unicodedata.normalize("NFC", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    text = re.sub(r"^ *```.*?^ *```", "", text, flags=re.M | re.S)
    return {_slug(h) for h in re.findall(r"^#{1,6} +(.+?) *$", text, re.M)}


def _code_spans(text: str) -> list[str]:
    """Inline code and the lines of fenced blocks, where commands are shown."""
    fenced = re.findall(r"^ *```[^\n]*\n(.*?)^ *```", text, re.M | re.S)
    rest = re.sub(r"^ *```.*?^ *```", "", text, flags=re.M | re.S)
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", rest)] + [
        line for block in fenced for line in block.splitlines()
    ]


def test_every_problem_code_is_explained_in_the_error_catalogue():
    catalogue = _text(ROOT / "docs" / "erreurs.md")
    rows = set(re.findall(r"^\| `([a-z-]+)` \|", catalogue, re.M))
    assert [code for code in CATALOGUE if code not in rows] == []
    assert rows - set(CATALOGUE) == set()


def test_the_readme_links_every_page_of_docs():
    readme = _text(README)
    assert [p.name for p in PAGES if f"](docs/{p.name}" not in readme] == []


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(page):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _text(page)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(_text(file)):
            broken.append(target)
    assert broken == []


def test_commands_and_options_shown_exist():
    from pipeline.cli import main

    wrong = []
    for page in [README, *PAGES]:
        for span in _code_spans(_text(page)):
            for match in re.finditer(r"(?:^|[\s/\\])troika +([a-z-]+)((?: +[^|#;`]*)?)", span):
                name, args = match.groups()
                command = main.commands.get(name)
                if command is None:
                    if not name.startswith("-"):
                        wrong.append(f"{page.name}: troika {name}")
                    continue
                known = {opt for param in command.params for opt in param.opts}
                wrong += [
                    f"{page.name}: troika {name} {opt}"
                    for opt in re.findall(r"(?<![\w-])--[a-z-]+", args)
                    if opt not in known
                ]
    assert wrong == []


def test_make_targets_shown_exist():
    makefile = _text(ROOT / "Makefile")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    wrong = []
    for page in [README, *PAGES]:
        for span in _code_spans(_text(page)):
            for words in re.findall(r"^\s*make((?: +[a-z][a-z-]*)+)", span):
                wrong += [f"{page.name}: make {t}" for t in words.split() if t not in targets]
    assert wrong == []


def test_every_document_kind_is_described_and_offered_in_the_diffusion_sheet():
    from pipeline.documents import KINDS

    documents = _text(ROOT / "docs" / "documents.md")
    diffusion_row = re.search(r"^\| Document \|.*$", _text(ROOT / "docs" / "classeur.md"), re.M)
    assert diffusion_row
    assert [k for k in KINDS if f"`{k}`" not in documents] == []
    assert [k for k in KINDS if f"`{k}`" not in diffusion_row.group(0)] == []


def test_the_readme_states_the_rules_for_the_figures():
    """Issue 9: the rule for each figure is in the README itself, in French."""
    readme = _text(README)
    section = readme.split("## Comment les chiffres sont calculés", 1)[1].split("\n## ", 1)[0]
    for rule in (
        "Taux d'exécution",
        "Annulées",
        "Réunions prévues",
        "Retard",
        "Années n à n+2",
        "Date de situation",
    ):
        assert rule in section


def test_the_template_guide_explains_every_check_and_every_variable():
    """docs/modeles.md: each verifier-modeles code, and each template's variables."""
    import datetime as dt

    from pipeline.build import load
    from pipeline.documents import Options, plan_outputs
    from pipeline.render.template_check import __doc__ as checks
    from pipeline.report import Report
    from tests.conftest import SAMPLE

    guide = (ROOT / "docs" / "modeles.md").read_text(encoding="utf-8")
    codes = re.findall(r"^- ``([a-z-]+)``", checks, re.M)
    assert len(codes) >= 6
    assert [c for c in codes if f"`{c}`" not in guide] == []
    sections = dict(
        re.findall(r"^### `(\w+\.docx)`.*?\n(.*?)(?=^### |^## |\Z)", guide, re.M | re.S)
    )
    workbook = load(SAMPLE, Report())
    missing = []
    for output in plan_outputs(workbook, Options(dt.date(2022, 6, 30))):
        if output.template:
            section = sections.get(output.template, "")
            missing += [
                f"{output.template}: {key}" for key in output.context if f"`{key}" not in section
            ]
    assert missing == []
