# Helhedsplan — the two sacred commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench loadtest migrate demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py create_demo_users

# The background worker (django-tasks, database backend: PDFs and LBF exports) runs alongside the server
# and is stopped when the server stops.
run: demo
	DEBUG=1 $(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on every core (pytest-xdist: one test database per worker, each with the demo data
# loaded once). Tests that need Redis or S3 start real servers themselves (tests/servers.py).
test: setup
	$(VENV)/bin/pytest -n auto

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) -m benchmarks $(BENCH)

# The load test (not in CI): MODE=cluster (default: two gunicorn servers behind haproxy, with Redis,
# SeaweedFS and PostgreSQL, one server killed and PostgreSQL restarted mid-run) or MODE=single.
# THINK: a reader's mean pause after each page in seconds (0: none, a throughput test).
MODE ?= cluster
THINK ?= 5
loadtest: setup
	$(PY) -m benchmarks.loadtest --mode $(MODE) --think $(THINK)
