"""The README documents every problem code the pipeline can report."""

from __future__ import annotations

from pipeline.report import CATALOGUE
from tests.conftest import ROOT


def test_every_problem_code_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOGUE if f"`{code}`" not in readme]
    assert missing == []


def test_the_template_guide_explains_every_check_and_every_variable():
    """docs/modeles.md: each verifier-modeles code, and each template's variables."""
    import datetime as dt
    import re

    from pipeline.build import load
    from pipeline.documents import Options, plan_outputs
    from pipeline.report import Report
    from pipeline.template_check import __doc__ as checks
    from tests.conftest import SAMPLE

    guide = (ROOT / "docs" / "modeles.md").read_text(encoding="utf-8")
    codes = re.findall(r"^- ``([a-z-]+)``", checks, re.M)
    assert len(codes) >= 6
    assert [c for c in codes if f"`{c}`" not in guide] == []
    sections = dict(re.findall(r"^### `(\w+\.docx)`.*?\n(.*?)(?=^### |^## |\Z)", guide, re.M | re.S))
    workbook = load(SAMPLE, Report())
    missing = []
    for output in plan_outputs(workbook, Options(dt.date(2022, 6, 30))):
        if output.template:
            section = sections.get(output.template, "")
            missing += [f"{output.template}: {key}" for key in output.context
                        if f"`{key}" not in section]
    assert missing == []
