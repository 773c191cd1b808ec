# Two commands for staff: `make reports` and `make test`. The virtual environment
# is created from pyproject.toml on first use and refreshed when it changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLASSEUR ?= inputs
SORTIE ?= build
# Build date (AAAA-MM-JJ): decides which quarterly reports are due. Empty = today.
DATE ?=
DATE_OPT := $(if $(DATE),--date $(DATE),)

.PHONY: reports check test templates sample clean help

help:
	@echo "make reports   produire tous les documents dans $(SORTIE)/"
	@echo "make check     vérifier le classeur sans rien produire"
	@echo "make test      lancer les tests"

$(BIN)/troika: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

reports: $(BIN)/troika
	$(BIN)/troika construire --classeur $(CLASSEUR) --sortie $(SORTIE) $(DATE_OPT)

check: $(BIN)/troika
	$(BIN)/troika verifier --classeur $(CLASSEUR)

test: $(BIN)/troika
	$(BIN)/python -m pytest

# Maintainers only: regenerate the sample workbook or start the templates over.
sample: $(BIN)/troika
	$(BIN)/python scripts/make_sample.py

templates: $(BIN)/troika
	$(BIN)/python scripts/make_templates.py

clean:
	rm -rf $(SORTIE)
