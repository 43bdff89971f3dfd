# Qualizyklus: `make run` serves the demo, `make test` runs every test (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Browser tests (tests/e2e): Debian's Chromium (Playwright's own browser download is not used)
# and axe-core from npm (package-lock.json).
CHROMIUM := /usr/bin/chromium
# German locale data for Chromium: without it the browser tests' Chromium runs in en-US whatever
# LANG says, and shows date inputs as mm/dd/yyyy (they follow the browser's locale, not the page's).
CHROMIUM_DE := /usr/lib/chromium/locales/de.pak
AXE      := node_modules/axe-core/axe.min.js
# The report's PDF (WeasyPrint) needs Pango, and HarfBuzz-Subset to embed fonts quickly (without it
# WeasyPrint falls back to the slower fontTools); the tests turn its pages into images with pdftoppm.
PANGO    := /usr/share/doc/libpangoft2-1.0-0
HBSUBSET := /usr/share/doc/libharfbuzz-subset0
PDFTOPPM := /usr/bin/pdftoppm
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export QUALIZYKLUS_DATABASE ?= sqlite:///var/qualizyklus.db
# `make test` spreads the tests over processes (pytest-xdist), one per core unless told
# (`make test TEST_WORKERS=4`); each process has its own databases, demo store and ports.
TEST_WORKERS ?= auto

.PHONY: setup pdf-deps browser-deps run reset-demo test lint bench clean translations

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[postgres,dev]'
	touch $(STAMP)

setup: $(STAMP) pdf-deps

$(PANGO) $(PDFTOPPM) $(HBSUBSET):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

pdf-deps: $(PANGO) $(PDFTOPPM) $(HBSUBSET)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(CHROMIUM_DE): $(CHROMIUM)
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-l10n

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

browser-deps: $(CHROMIUM) $(CHROMIUM_DE) $(AXE)

# `make run` serves the demo until Ctrl+C; its dates are counted from today.
run: setup
	$(BIN)/qualizyklus init
	$(BIN)/qualizyklus demo
	$(BIN)/qualizyklus serve

# The demo store deleted and loaded afresh, dated around today (refused for a SQLite file that
# holds other organisations; a PostgreSQL database is never reset by this).
reset-demo: setup
	$(BIN)/qualizyklus demo --reset

test: setup browser-deps lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# After changing UI strings: collect the msgids (babel.cfg), merge them into the English
# catalogue without guessing (new entries arrive untranslated), compile the .mo the app reads.
# Translate the new entries in web/translations/en/LC_MESSAGES/messages.po, then run it again.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --project=Qualizyklus --version=0.1.0 \
		-o web/translations/messages.pot web
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations -l en \
		--init-missing --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d web/translations --statistics

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/ .pytest_cache .mypy_cache .ruff_cache .import_linter_cache *.egg-info node_modules/ test-artifacts/
