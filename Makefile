# Mboa — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -y -q
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The suite runs on two processes (pytest-xdist); PYTEST_WORKERS= runs it on one.
PYTEST_WORKERS ?= -n 2

.PHONY: run test test-fast lint typecheck install messages messages-update system-deps browser-deps migrate demo worker beat bench clean

## Install the Python dependencies (pinned in requirements/dev.txt) into .venv, once per change of the lock.
$(VENV)/.installed: requirements/dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	@touch $@

install: $(VENV)/.installed system-deps

## System libraries: gettext (to compile translations), Pango (WeasyPrint PDFs).
system-deps:
	@if ! command -v msgfmt >/dev/null || ! ldconfig -p | grep -q libpango-1.0; then \
	  echo "Installing system packages (gettext, pango)…"; \
	  $(SUDO) $(APT_GET) update -qq && $(SUDO) $(APT_GET) install -qq gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

## Debian's Chromium for the browser tests (Playwright drives it; its own download does not work here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  $(SUDO) $(APT_GET) update -qq && $(SUDO) $(APT_GET) install -qq chromium >/dev/null; \
	fi

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0

## Re-extract the strings after a change, then translate the new French entries (tools/po_fill.py --check lists them).
messages-update: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --ignore=e2e --ignore=benchmarks --no-location -v 0
	$(BIN)/python tools/po_fill.py --check || true

migrate: install
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py seed_demo

run: install messages migrate
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Mboa is starting at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite: unit, API (schemathesis) and browser tests.
test: install messages browser-deps
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

## Everything but the browser tests.
test-fast: install messages
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_WORKERS) $(PYTEST_ARGS)

## ruff, and the layers between the apps (import-linter contract in pyproject.toml).
lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/python -m mypy

worker: install
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf var/mboa.sqlite3 var/static .pytest_cache
