# Commands for staff on Linux and macOS: `make reports`, `make distribute`, `make test`.
# Every target calls `troika`, which decides by content whether anything needs redoing
# (hashes of the workbook, templates, code, options and date, kept in $(SORTIE)/): this
# file holds no logic of its own, and on Windows `troika` (or the launcher « Produire
# les documents.bat ») does exactly the same. The virtual environment is created from
# pyproject.toml on first use and refreshed when it changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TROIKA = $(BIN)/troika
CLASSEUR ?= inputs
SORTIE ?= build
# Build date (AAAA-MM-JJ): decides which quarterly reports are due. Empty = today for
# `make reports`, and the date of the last build for `make distribute`.
DATE ?=
# Extra options of `troika diffuser`, e.g. DIFFUSER_OPTIONS=--sans-pdf.
DIFFUSER_OPTIONS ?=
WHERE = --classeur "$(CLASSEUR)" --sortie "$(SORTIE)"

.PHONY: reports distribute check check-templates interface site test lint golden bench sample clean help python-check

help:
	@echo "make reports      produire les documents dans $(SORTIE)/ (seulement s'il y a du changement)"
	@echo "make distribute   préparer le dossier de diffusion de la dernière construction"
	@echo "make check        vérifier le classeur sans rien produire"
	@echo "make check-templates  vérifier les modèles Word (styles, balises, tableaux)"
	@echo "make interface    ouvrir la page de la Troïka dans le navigateur"
	@echo "make site         produire le site web de suivi du plan dans $(SORTIE)/site/"
	@echo "make test         lancer les tests"
	@echo "make lint         vérifier le style du code (ruff)"
	@echo "make clean        supprimer les documents produits"

# French messages instead of make's and Debian's when Python cannot make the environment.
python-check:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3 est introuvable ($(PYTHON)) : installez Python 3.10 ou plus récent (Debian, Ubuntu : « sudo apt install python3 python3-venv »), puis relancez." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { echo "Python 3.10 ou plus récent est nécessaire ; $(PYTHON) est trop ancien. Installez une version récente, puis relancez." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || { echo "Le module venv de Python est absent : installez-le (Debian, Ubuntu : « sudo apt install python3-venv »), puis relancez." >&2; exit 1; }

$(BIN)/troika: pyproject.toml | python-check
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test]' || { echo "L'installation des bibliothèques a échoué : la première fois, une connexion à Internet est nécessaire. Vérifiez-la, puis relancez." >&2; exit 1; }
	@touch $@

reports: $(BIN)/troika
	$(TROIKA) construire $(WHERE) $(if $(DATE),--date "$(DATE)")

# Packages the last build, with its own build date. With DATE=, builds for that date
# first (nothing is redone when it is current). Never sends anything: sending is
# `troika diffuser --envoyer`.
distribute: $(BIN)/troika
	$(if $(DATE),$(TROIKA) construire $(WHERE) --date "$(DATE)")
	$(TROIKA) diffuser $(WHERE) $(DIFFUSER_OPTIONS)

check: $(BIN)/troika
	$(TROIKA) verifier --classeur "$(CLASSEUR)"

check-templates: $(BIN)/troika
	$(TROIKA) verifier-modeles --classeur "$(CLASSEUR)"

# The secretariat's page in the browser (Ctrl+C or its « Quitter » button to stop).
interface: $(BIN)/troika
	$(TROIKA) interface $(WHERE)

site: $(BIN)/troika
	$(TROIKA) site $(WHERE) $(if $(DATE),--date "$(DATE)")

test: $(BIN)/troika
	$(BIN)/python -m pytest

# Lint and format check of the code (ruff, configured in pyproject.toml); `ruff format .`
# and `ruff check --fix .` mend most of what it reports.
lint: $(BIN)/troika
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Maintainers only: renew the golden references of the sample's documents (tests/golden/)
# after a change meant to alter them; review `git diff tests/golden` before committing.
golden: $(BIN)/troika
	$(BIN)/python -m tests.golden

# Side-by-side benchmark against bare docxtpl and one LibreOffice batch, on synthetic
# workbooks at 1x, 10x, 100x and 300x the sample (half an hour on 2 cores).
# Chosen sizes: make bench TAILLES="1 10".
TAILLES ?= 1 10 100 300
bench: $(BIN)/troika
	$(BIN)/python bench/bench.py $(TAILLES)

# Maintainers only: regenerate the sample workbook. The Word templates in templates/
# are sources edited in Word: no command writes them (`make check-templates` checks them).
sample: $(BIN)/troika
	$(BIN)/python scripts/make_sample.py

clean: $(BIN)/troika
	$(TROIKA) nettoyer --sortie "$(SORTIE)"
