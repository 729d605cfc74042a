# Two commands for a newcomer: `make run` and `make test`. Both are safe to run twice.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test setup lint typecheck pytest chromium wrk web worker beat migrate demo bench clean

setup: $(STAMPS)/python $(STAMPS)/assets

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/assets: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	@test -x $(CHROMIUM)

migrate: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

run: demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	RTW_TESTING=1 $(BIN)/mypy .

pytest: setup chromium
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck pytest

# The production processes, without Docker (docker-compose.yml describes the same).
web: setup
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn rtw.wsgi:application --bind 127.0.0.1:8000 --workers 2 --access-logfile -

worker: setup
	$(BIN)/celery -A rtw worker --loglevel=INFO --queues=celery,pdf --concurrency=2

beat: setup
	$(BIN)/celery -A rtw beat --loglevel=INFO

# The benchmark at clinic-network scale (up to 15 minutes; PostgreSQL at 127.0.0.1 and Redis
# db 2 as the bench broker). BENCH_ARGS=--keep keeps the seeded databases for the next run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rtw_bench
BENCH_ARGS ?=
WRK := /usr/bin/wrk

wrk:
	@test -x $(WRK) || { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	@test -x $(WRK)

bench: setup wrk
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(STAMPS) staticfiles
