# Qualizyklus: `make run` serves the demo, `make test` runs every test (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export QUALIZYKLUS_DATABASE ?= sqlite:///var/qualizyklus.db

.PHONY: setup run test lint bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[postgres,dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/qualizyklus init
	$(BIN)/qualizyklus demo
	$(BIN)/qualizyklus serve

test: setup lint
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/ .pytest_cache .mypy_cache .ruff_cache *.egg-info
