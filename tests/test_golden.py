"""End to end: the sample's documents are those of the committed references.

A change that alters what any document of the sample shows (text, styles, tables,
shading, merges, headers, charts) fails here with the lines that differ. When the
change is meant (a template or the sample was edited, and the documents were read),
renew the references with ``make golden`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden import GOLDEN, build_sample, describe, documents


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "build"
    build_sample(out)
    return documents(out)


def test_the_sample_builds_exactly_the_referenced_documents(sample_build):
    references = {p.relative_to(GOLDEN).as_posix()[: -len(".txt")] for p in GOLDEN.rglob("*.txt")}
    assert len(references) == 91
    assert set(sample_build) == references


def test_each_document_reads_as_its_reference(sample_build):
    differences = []
    for name, path in sample_build.items():
        reference = GOLDEN / f"{name}.txt"
        if not reference.exists():
            continue  # named by the test above
        expected = reference.read_text(encoding="utf-8").splitlines()
        actual = describe(path).splitlines()
        if actual != expected:
            diff = difflib.unified_diff(
                expected, actual, f"référence {name}", "construit", lineterm="", n=1
            )
            differences.append("\n".join(list(diff)[:40]))
    assert not differences, (
        "Documents différents des références (si c'est voulu : "
        "make golden, puis relire git diff tests/golden) :\n" + "\n\n".join(differences)
    )
