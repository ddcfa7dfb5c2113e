# Fieldgate developer entry points.
#
#   make run     local server on http://127.0.0.1:8000 with demo data
#   make test    checks + full test suite against a throwaway PostgreSQL/Redis
#   make lint    ruff (lint and format check) and the import contract (no database needed)
#   make bench   benchmarks against a throwaway PostgreSQL/Redis (statement render; pages at scale:
#                gunicorn + wrk, ~7 min). Quick: make bench BENCH_ARGS="--scale 0.1 --seconds 3"
#   make constraints  refresh constraints.txt, the pinned releases installs use
#   make clean   remove the virtualenv and local state

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

RUN_SETTINGS ?= config.settings.local
TEST_SETTINGS ?= config.settings.test
BENCH_SETTINGS ?= $(TEST_SETTINGS)
PYTEST_ARGS ?=
# pytest-xdist processes (each with its own test database and Celery queue); 0 runs in one.
PYTEST_WORKERS ?= 2
BENCH_ARGS ?=

.PHONY: venv constraints system-deps system-deps-run system-deps-bench run test lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# Rewrite constraints.txt with the newest releases pyproject.toml's ranges allow (then make test).
constraints:
	rm -rf build/constraints-venv
	$(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/pip install -q --upgrade pip
	build/constraints-venv/bin/pip install -q -e '.[dev]'
	{ sed -n '/^#/p' constraints.txt; build/constraints-venv/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf build/constraints-venv

# All Debian packages (harness services, chromium, poppler, WeasyPrint libs, fonts).
system-deps:
	sh scripts/system-deps.sh test

# Only what the running app needs (WeasyPrint libs + fonts).
system-deps-run:
	sh scripts/system-deps.sh run

# Everything make test needs, and wrk for the page-load benchmark.
system-deps-bench:
	sh scripts/system-deps.sh bench

run: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
run: system-deps-run venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	exec $(PY) manage.py runserver 127.0.0.1:8000

# ruff's lint and format check, and the layering contract of [tool.importlinter] in pyproject.toml.
LINT = $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

lint: venv
	$(LINT)

# The harness exports DATABASE_URL/REDIS_URL for a private PostgreSQL and Redis.
# Pytest's exit code (5 = no tests collected included) is passed through as is.
test: export DJANGO_SETTINGS_MODULE = $(TEST_SETTINGS)
test: system-deps venv
	$(LINT)
	$(PY) scripts/harness.py -- sh -c "\
	$(PY) manage.py check --fail-level WARNING && \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) -m pytest -p no:randomly -n $(PYTEST_WORKERS) $(PYTEST_ARGS)"

# The bench command builds its data set in the harness's database, serves it with gunicorn and
# config.settings.production on loopback, loads it with wrk, and stops gunicorn (the harness then
# stops PostgreSQL and Redis). Options: python manage.py bench --help.
bench: export DJANGO_SETTINGS_MODULE = $(BENCH_SETTINGS)
bench: system-deps-bench venv
	$(PY) scripts/harness.py -- $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 var/
