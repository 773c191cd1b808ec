# Commands for staff on Linux and macOS: `make reports`, `make distribute`, `make test`.
# Every target calls `troika`, which decides by content whether anything needs redoing
# (hashes of the workbook, templates, code, options and date, kept in $(SORTIE)/): this
# file holds no logic of its own, and on Windows `troika` (or the launcher « Produire
# les documents.bat ») does exactly the same.
#
# The virtual environment (.venv) is made from the locks in requirements/, exact versions
# checked by their hashes: runtime.txt (the tool alone) for the documents' targets,
# test.txt (the tool and the test libraries) for `make test` and `make lint`. Each lock
# has its stamp in .venv: a changed lock (`make mettre-a-jour`, a `git pull`) or a changed
# pyproject.toml makes the environment anew from the locks on the next command.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TROIKA = $(BIN)/troika
RUNTIME_LOCK := requirements/runtime.txt
TEST_LOCK := requirements/test.txt
RUNTIME_STAMP = $(VENV)/.installe-runtime
TEST_STAMP = $(VENV)/.installe-test
PIP = $(BIN)/python -m pip --disable-pip-version-check
INSTALL_FAILED = { echo "L'installation des bibliothèques a échoué : la première fois (et après une mise à jour), une connexion à Internet est nécessaire. Vérifiez-la, puis relancez." >&2; exit 1; }
CLASSEUR ?= inputs
SORTIE ?= build
# Build date (AAAA-MM-JJ): decides which quarterly reports are due. Empty = today for
# `make reports`, and the date of the last build for `make distribute`.
DATE ?=
# Extra options of `troika diffuser`, e.g. DIFFUSER_OPTIONS=--sans-pdf.
DIFFUSER_OPTIONS ?=
WHERE = --classeur "$(CLASSEUR)" --sortie "$(SORTIE)"

.PHONY: reports distribute check check-templates interface site test lint golden bench sample clean help python-check environnement mettre-a-jour test-mise-a-jour

help:
	@echo "make reports      produire les documents dans $(SORTIE)/ (seulement s'il y a du changement)"
	@echo "make distribute   préparer le dossier de diffusion de la dernière construction"
	@echo "make check        vérifier le classeur sans rien produire"
	@echo "make check-templates  vérifier les modèles Word (styles, balises, tableaux)"
	@echo "make interface    ouvrir la page de la Troïka dans le navigateur"
	@echo "make site         produire le site web de suivi du plan dans $(SORTIE)/site/"
	@echo "make test         lancer les tests"
	@echo "make lint         vérifier le style du code (ruff)"
	@echo "make mettre-a-jour  recalculer les versions des bibliothèques, réinstaller, tester"
	@echo "make clean        supprimer les documents produits"

# French messages instead of make's and Debian's when Python cannot make the environment.
python-check:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3 est introuvable ($(PYTHON)) : installez Python 3.10 ou plus récent (Debian, Ubuntu : « sudo apt install python3 python3-venv »), puis relancez." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { echo "Python 3.10 ou plus récent est nécessaire ; $(PYTHON) est trop ancien. Installez une version récente, puis relancez." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || { echo "Le module venv de Python est absent : installez-le (Debian, Ubuntu : « sudo apt install python3-venv »), puis relancez." >&2; exit 1; }

# The tool's environment, made anew from the runtime lock: nothing but the pinned versions
# (the project itself is installed editable, without its dependencies: the lock has them;
# PYTHONWARNINGS hides setuptools' English notes on editable installs from staff).
$(RUNTIME_STAMP): $(RUNTIME_LOCK) pyproject.toml | python-check
	@echo "Installation de l'outil dans $(VENV) (versions de $(RUNTIME_LOCK)) : quelques minutes, avec une connexion à Internet…"
	@$(PYTHON) -m venv --clear $(VENV)
	@$(PIP) install --quiet --upgrade pip || $(INSTALL_FAILED)
	@$(PIP) install --quiet --require-hashes -r $(RUNTIME_LOCK) || $(INSTALL_FAILED)
	@PYTHONWARNINGS=ignore $(PIP) install --quiet --no-deps -e . || $(INSTALL_FAILED)
	@touch $@

# The test libraries on top, for the maintainers' targets only. The test lock pins the
# same versions as the runtime lock for the libraries they share.
$(TEST_STAMP): $(TEST_LOCK) $(RUNTIME_STAMP)
	@echo "Installation des bibliothèques de test dans $(VENV) (versions de $(TEST_LOCK))…"
	@$(PIP) install --quiet --require-hashes -r $(TEST_LOCK) || $(INSTALL_FAILED)
	@touch $@

# The tool's environment alone (the Linux launcher calls it before opening the page).
environnement: $(RUNTIME_STAMP)
	@:

reports: $(RUNTIME_STAMP)
	$(TROIKA) construire $(WHERE) $(if $(DATE),--date "$(DATE)")

# Packages the last build, with its own build date. With DATE=, builds for that date
# first (nothing is redone when it is current). Never sends anything: sending is
# `troika diffuser --envoyer`.
distribute: $(RUNTIME_STAMP)
	$(if $(DATE),$(TROIKA) construire $(WHERE) --date "$(DATE)")
	$(TROIKA) diffuser $(WHERE) $(DIFFUSER_OPTIONS)

check: $(RUNTIME_STAMP)
	$(TROIKA) verifier --classeur "$(CLASSEUR)"

check-templates: $(RUNTIME_STAMP)
	$(TROIKA) verifier-modeles --classeur "$(CLASSEUR)"

# The secretariat's page in the browser (Ctrl+C or its « Quitter » button to stop).
interface: $(RUNTIME_STAMP)
	$(TROIKA) interface $(WHERE)

site: $(RUNTIME_STAMP)
	$(TROIKA) site $(WHERE) $(if $(DATE),--date "$(DATE)")

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Lint and format check of the code (ruff, configured in pyproject.toml); `ruff format .`
# and `ruff check --fix .` mend most of what it reports.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Maintainers only: the newest versions of the libraries that pyproject.toml's ranges
# allow, pinned with their hashes for every platform and Python (Windows included), then
# the environment made anew from them, the golden comparison of the sample's documents
# and the whole test suite. When something fails, `git checkout requirements/` goes back
# to the previous versions. See docs/maintenance.md, « Dépendances ».
LOCK = $(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.10 --upgrade --quiet --custom-compile-command "make mettre-a-jour"
mettre-a-jour: $(TEST_STAMP)
	$(LOCK) -o $(RUNTIME_LOCK)
	$(LOCK) --extra test --constraint $(RUNTIME_LOCK) -o $(TEST_LOCK)
	@$(MAKE) --no-print-directory test-mise-a-jour

# The second half of mettre-a-jour, in a make that sees the new locks: the environment
# is made anew from them, then the golden comparison first (ten seconds), then the rest.
test-mise-a-jour: $(TEST_STAMP)
	$(BIN)/python -m pytest -q tests/test_golden.py
	$(BIN)/python -m pytest -q --ignore=tests/test_golden.py
	@echo "Mise à jour réussie : relisez « git diff requirements/ », puis validez-la (commit)."

# Maintainers only: renew the golden references of the sample's documents (tests/golden/)
# after a change meant to alter them; review `git diff tests/golden` before committing.
golden: $(TEST_STAMP)
	$(BIN)/python -m tests.golden

# Side-by-side benchmark against bare docxtpl and one LibreOffice batch, on synthetic
# workbooks at 1x, 10x, 100x and 300x the sample (half an hour on 2 cores).
# Chosen sizes: make bench TAILLES="1 10".
TAILLES ?= 1 10 100 300
bench: $(TEST_STAMP)
	$(BIN)/python bench/bench.py $(TAILLES)

# Maintainers only: regenerate the sample workbook. The Word templates in templates/
# are sources edited in Word: no command writes them (`make check-templates` checks them).
sample: $(RUNTIME_STAMP)
	$(BIN)/python scripts/make_sample.py

clean: $(RUNTIME_STAMP)
	$(TROIKA) nettoyer --sortie "$(SORTIE)"
