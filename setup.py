"""Packaging beyond what pyproject.toml can say: the Word templates ship inside the
package as ``pipeline/modeles`` while they stay in ``templates/`` at the top of the
repository, where the secretariat edits them (see pipeline/locations.py).

pyproject.toml's ``packages.find`` cannot add a package that lives outside ``pipeline/``,
so the list of packages is made here: every package under ``pipeline/``, found as
``packages.find`` would (namespace packages such as ``pipeline/web`` included), plus the
templates folder mapped onto ``pipeline.modeles``.
Nor can it move setuptools' working folder out of ``build/``, the documents' folder.
"""

from setuptools import find_namespace_packages, setup

setup(
    # setuptools' working folder, away from build/ where the documents go.
    options={"build": {"build_base": ".setuptools-build"}},
    packages=[
        *find_namespace_packages(include=["pipeline", "pipeline.*"], exclude=["*__pycache__"]),
        "pipeline.modeles",
    ],
    package_dir={"pipeline.modeles": "templates"},
)
