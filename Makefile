# letdown: two commands do all the set-up on a fresh machine.
#   make run   create .venv, install, migrate, serve on http://127.0.0.1:8000 (SQLite)
#   make test  install the test needs and run the whole suite (PostgreSQL too when configured)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
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
