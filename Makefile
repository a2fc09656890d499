# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Postgres and Redis of the test suite (CI starts them if they are down).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/creditscore
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: venv test lint fmt demo clean-demo bench screenshots fuzz load

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# ruff (rules, then layout: `make fmt` mends both), then the import rule (contracts in
# pyproject.toml: imports only go down the layers), then the types of the apps and ml/
# (mypy with the Django and DRF plugins, pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pytest exits 5 when it collected no test: that is a failure here, as any non-zero code.
test: venv lint
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m pytest --create-db $(PYTEST_ARGS)

# The API fuzzed from its schema (tests/api/test_fuzz.py) for FUZZ_SECONDS (default 15
# minutes; `make test` runs it for 60 s): prints the request count; fails on a 5xx or an
# answer the schema does not describe. Niced: it shares the machine. No pytest timeout
# (pyproject's 600 s cut a 600 s run short).
fuzz: venv
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		FUZZ_SECONDS=$${FUZZ_SECONDS:-900} nice -n 10 $(PY) -m pytest tests/api/test_fuzz.py -q \
		--timeout=0 $(PYTEST_ARGS)

# The committed screenshots of docs/screenshots/ (the README shows them), taken by the
# browser tests; a plain `make test` writes its screenshots under test-output/ instead.
screenshots: venv
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest --create-db -m browser $(PYTEST_ARGS)

# Each benchmark is its own one-line command: benchmarks/README.md lists them.
bench:
	@sed -n '/^| script/,/^$$/p' benchmarks/README.md

# 60 s of mixed traffic (advisors, API, portal) through gunicorn and a Celery worker on
# 127.0.0.1, against a scratch database of 50,000 clients built on the first run and reused
# (benchmarks/load/run.py; LOAD_ARGS="--users 20 --rebuild" etc.). Exits 1 on any error.
load: venv
	$(PY) benchmarks/load/run.py $(LOAD_ARGS)

# Embedded PostgreSQL and Redis under .demo/ unless DATABASE_URL / REDIS_URL are set;
# a second run reuses the database, the generated data and the model. Ctrl-C stops all.
demo: venv
	$(PY) -m creditscore.demo

# Forget everything the demo built (stop the demo first).
clean-demo:
	rm -rf .demo
