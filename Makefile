# Commands for staff: `make reports`, `make distribute` and `make test`. The virtual
# environment is created from pyproject.toml on first use and refreshed when it changes.
# `make reports` and `make distribute` do nothing when none of their inputs changed
# (workbook, templates, pipeline code, build date): stamp files in $(SORTIE)/ record
# the last successful run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLASSEUR ?= inputs
SORTIE ?= build
# Build date (AAAA-MM-JJ): decides which quarterly reports are due. Empty = today.
DATE ?=
# Extra options of `troika diffuser`, e.g. DIFFUSER_OPTIONS=--sans-pdf.
DIFFUSER_OPTIONS ?=
BUILD_DATE := $(or $(DATE),$(shell date +%F))

# What the documents depend on. A missing workbook is left to troika to report in French.
WORKBOOKS := $(if $(filter %.xlsx,$(CLASSEUR)),$(wildcard $(CLASSEUR)),\
             $(filter-out $(CLASSEUR)/~$$%,$(wildcard $(CLASSEUR)/*.xlsx)))
TEMPLATE_FILES := $(wildcard templates/*)
SOURCES := pyproject.toml $(shell find pipeline -name '*.py')
# The stamps name the build date and the workbook: another workbook is another build.
RUN_ID := $(BUILD_DATE)-$(subst /,_,$(subst .,_,$(CLASSEUR)))
REPORTS_STAMP := $(SORTIE)/.construit-$(RUN_ID)
DISTRIBUTE_STAMP := $(SORTIE)/diffusion/.diffuse-$(RUN_ID)

.PHONY: reports distribute check test bench templates sample clean help

help:
	@echo "make reports      produire tous les documents dans $(SORTIE)/"
	@echo "make distribute   préparer le dossier de diffusion (PDF, archives, courriels)"
	@echo "make check        vérifier le classeur sans rien produire"
	@echo "make test         lancer les tests"

$(BIN)/troika: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

reports: $(REPORTS_STAMP)

$(REPORTS_STAMP): $(WORKBOOKS) $(TEMPLATE_FILES) $(SOURCES) | $(BIN)/troika
	$(BIN)/troika construire --classeur "$(CLASSEUR)" --sortie "$(SORTIE)" --date $(BUILD_DATE)
	@rm -f $(SORTIE)/.construit-*
	@touch $@

# After reports. Never sends anything: sending is `troika diffuser --envoyer`.
distribute: $(DISTRIBUTE_STAMP)

$(DISTRIBUTE_STAMP): $(REPORTS_STAMP) $(WORKBOOKS) $(TEMPLATE_FILES) $(SOURCES) | $(BIN)/troika
	$(BIN)/troika diffuser --classeur "$(CLASSEUR)" --sortie "$(SORTIE)" $(DIFFUSER_OPTIONS)
	@rm -f $(SORTIE)/diffusion/.diffuse-*
	@touch $@

check: $(BIN)/troika
	$(BIN)/troika verifier --classeur $(CLASSEUR)

test: $(BIN)/troika
	$(BIN)/python -m pytest

# Times each stage on synthetic workbooks at 1x, 10x and 100x the sample (a few minutes).
bench: $(BIN)/troika
	$(BIN)/python bench/bench.py 1 10 100

# Maintainers only: regenerate the sample workbook or start the templates over.
sample: $(BIN)/troika
	$(BIN)/python scripts/make_sample.py

templates: $(BIN)/troika
	$(BIN)/python scripts/make_templates.py

clean:
	rm -rf $(SORTIE)
