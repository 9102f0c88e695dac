# letdown: two commands do all the set-up on a fresh machine.
#   make run   create .venv, install what the product needs (only), migrate, serve on
#              http://127.0.0.1:8000 (SQLite); `make run EXTRAS=postgres` adds the PostgreSQL driver
#   make test  add the test needs (pytest, Playwright, ruff, ...) and run the whole suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Optional product extras for `make run`, comma-separated (postgres: the psycopg driver).
EXTRAS ?=
RUN_SPEC := .$(if $(EXTRAS),[$(EXTRAS)],)

.PHONY: install install-run run test lint bench demo clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The product alone: no test package lands in a venv made by `make run`.
$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '$(RUN_SPEC)'
	touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP) $(RUN_STAMP)

install-run: $(RUN_STAMP)

# The developer's install: the product and everything the tests and linters use.
install: $(TEST_STAMP)

run: install-run
	$(BIN)/letdown db upgrade
	$(BIN)/letdown serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/cog --check docs/cli.md
	$(BIN)/python tools/import_contracts.py
	$(BIN)/mypy src/letdown

test: lint
	$(BIN)/pytest -n 2

bench: install
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist src/*.egg-info
