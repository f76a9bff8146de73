# The two commands a newcomer needs: `make run` and `make test`. Everything else here serves those two.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ found: python3.13, python3.12, pyenv's 3.13/3.12, then python3.
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null | sort -rV) python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: help run setup test lint typecheck bench messages lock clean

help:
	@echo "make run    - set up and start the whole application at http://$(HOST):$(PORT)"
	@echo "make test   - run the test suite"
	@echo "make bench  - measure the list pages at national scale (needs DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff, mypy and the import layers"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (Django 6.1 needs it)."; \
		echo "Install one: 'pyenv install 3.12', or 'apt-get install python3.12 python3.12-venv',"; \
		echo "or run: make PYTHON=/path/to/python3.12 run"; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.installed: $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --group dev -c constraints.txt
	@touch $@

locale/id/LC_MESSAGES/django.mo: locale/id/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

setup: $(VENV)/.installed locale/id/LC_MESSAGES/django.mo
	@mkdir -p var/broker/queue var/broker/processed var/broker/control var/media

# Migrates, loads Purbalingga and the demo accounts (both idempotent), then runs the web server, one
# Celery worker and exactly one beat until Ctrl-C, which stops all three.
run: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) import_areas --regency 33.03
	$(MANAGE) load_demo
	@echo
	@echo "  KIM Purbalingga is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops everything)"
	@echo
	@$(MANAGE) run_all $(HOST):$(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_ENV=test $(MANAGE) makemigrations --check --dry-run -v 1
	DJANGO_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

bench: setup
	DJANGO_ENV=test $(MANAGE) bench
	DJANGO_ENV=test $(MANAGE) bench_reminders
	DJANGO_ENV=test $(MANAGE) bench_recap
	DJANGO_ENV=test $(MANAGE) bench_documents

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --add-location=file
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

# Re-pins every transitive dependency after a change to pyproject.toml.
lock: $(PY)
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv && var/lockenv/bin/pip install -q --upgrade "pip>=25.1"
	var/lockenv/bin/pip install -q --group dev
	var/lockenv/bin/pip freeze --exclude pip > constraints.txt
	rm -rf var/lockenv

clean:
	rm -rf $(VENV) staticfiles
