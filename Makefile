# Two commands for a newcomer: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
# Links in emails use SITE_URL: `make run` points it at the address it serves unless SITE_URL is already set.
RUN_SITE_URL = $(if $(SITE_URL),$(SITE_URL),http://$(HOST):$(PORT))
# The Nu HTML checker for the browser suite, from npm (kept out of the repository, under var/).
VNU_JAR := var/node/node_modules/vnu-jar/build/dist/vnu.jar
VNU_VERSION := 26.9.27

.PHONY: run test test-browser install lint format worker beat clean-db bench bench-newsletter bench-library bench-facilitation

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,lint]"
	touch $@

install: $(VENV)/.installed

## Serve the demo community on http://$(HOST):$(PORT) (SQLite and in-process tasks unless DATABASE_URL/REDIS_URL are set).
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop; links in emails use $(RUN_SITE_URL))"
	@export SITE_URL="$(RUN_SITE_URL)"; trap 'kill 0' INT TERM EXIT; \
	if [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/celery -A cop_platform worker --beat --loglevel INFO --schedule var/celerybeat-schedule & \
	else \
		$(VENV)/bin/celery -A cop_platform beat --loglevel INFO --schedule var/celerybeat-schedule & \
	fi; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## A Celery worker and a beat scheduler on their own, for use with REDIS_URL.
worker: install
	$(VENV)/bin/celery -A cop_platform worker --loglevel INFO

beat: install
	$(VENV)/bin/celery -A cop_platform beat --loglevel INFO --schedule var/celerybeat-schedule

## The whole suite (browser tests included), on SQLite by default or on PostgreSQL when DATABASE_URL is set.
test: install $(VNU_JAR)
	mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS)

## Only the browser suite: Debian's chromium against a live server, axe and the Nu checker (see tests/browser/).
test-browser: install $(VNU_JAR)
	mkdir -p var
	$(PY) -m pytest tests/browser -m browser $(PYTEST_ARGS)

$(VNU_JAR):
	mkdir -p var/node
	npm install --silent --no-audit --no-fund --prefix var/node vnu-jar@$(VNU_VERSION)

## Benchmarks (not part of `make test`): a large data set in PostgreSQL, the busiest pages timed; see bench/README.md.
# (Defaults go through the shell: a target-specific DATABASE_URL would stop make exporting it to every other target.)
bench: install
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench}" $(PY) bench/run.py --write $(BENCH_ARGS)

## Newsletter sending benchmark: 10,000 subscribers, real Celery workers (Redis db 11), an SMTP sink; see bench/README.md.
bench-newsletter: install
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench_newsletter}" $(PY) bench/newsletter.py --write --workers 1 2 --concurrency 1 2 $(BENCH_ARGS)

## Library benchmark: a 25 MB upload and download through a real gunicorn worker, a 100-page PDF's text; see bench/README.md.
bench-library: install
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench_library}" $(PY) bench/library.py --write $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Facilitation benchmark: Health and the knowledge map on 100,000 members / 1,000,000 posts of roll-ups; see bench/README.md.
bench-facilitation: install
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench_facilitation}" $(PY) bench/facilitation.py --write $(BENCH_ARGS)
