"""The README documents every problem code the pipeline can report."""

from __future__ import annotations

from pipeline.report import CATALOGUE
from tests.conftest import ROOT


def test_every_problem_code_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOGUE if f"`{code}`" not in readme]
    assert missing == []
