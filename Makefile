# Parley: `make run` serves the embedded default at http://127.0.0.1:5000; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run serve worker test lint fuzz security mutate chromium migrate seed clean help

help:
	@echo "make run    install, migrate, seed the demo and serve at http://$(HOST):$(PORT)"
	@echo "make test   install what the tests need and run them all"
	@echo "make mutate mutation-test the pure core (policy, words, normaliser, membership dates, cursors)"
	@echo "make lint   ruff: lint and formatting (ruff.toml)"

# The first install downloads a few hundred MB (PyTorch and the model's libraries) and takes
# minutes: each step says what it is doing, and pip shows its progress bars.
$(VENV)/.installed: requirements.txt
	@echo "[1/3] Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "[2/3] Installing Parley's requirements (the first time takes several minutes)"
	$(BIN)/pip install --progress-bar on -r requirements.txt
	@echo "[3/3] Installed"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	@echo "Installing the test tools (requirements-dev.txt)"
	$(BIN)/pip install --progress-bar on -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	@echo "Migrating the database"
	PARLEY_ENV=$${PARLEY_ENV:-development} $(BIN)/flask db upgrade

seed: migrate
	@echo "Seeding the demo articles, readers and comments"
	PARLEY_ENV=$${PARLEY_ENV:-development} $(BIN)/flask seed-demo

run: seed
	@echo "Embedded comments demo: http://$(HOST):$(PORT)/embed/demo"
	EMBED_DEMO=$${EMBED_DEMO:-1} PARLEY_ENV=$${PARLEY_ENV:-development} $(BIN)/flask run --host $(HOST) --port $(PORT)

# Production-style: gunicorn processes; with DATABASE_URL on PostgreSQL, run `make worker`
# processes too and set SCORING_WORKER=external so web processes never load the model.
serve: migrate
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

worker: migrate
	$(BIN)/flask worker

# Browser tests use Debian's Chromium; install it where we may, else those tests skip.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium not installed and not root: browser tests will skip"; fi

# Line and branch coverage of service/ and the runtime part of moderation/ (.coveragerc), with a
# floor for the whole suite: raise COVERAGE_FLOOR when coverage rises, never lower it. A run
# narrowed with PYTEST_ARGS reports coverage without the floor.
COVERAGE_FLOOR ?= 92
COVERAGE_ARGS ?= --cov --cov-config=.coveragerc --cov-report=term:skip-covered \
	$(if $(PYTEST_ARGS),,--cov-fail-under=$(COVERAGE_FLOOR))
test: $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest $(COVERAGE_ARGS) $(PYTEST_ARGS)

# ruff, as CI runs it: `$(BIN)/ruff format .` and `$(BIN)/ruff check --fix .` fix most findings.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The adversarial suite (SECURITY.md), and the API fuzzer with many more examples than CI's 10.
security: $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest -q tests/security $(PYTEST_ARGS)

FUZZ_EXAMPLES ?= 200
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 $(BIN)/python -m pytest -q tests/security/test_fuzz.py $(PYTEST_ARGS)

# Mutation testing of the pure core (mutation/run.py): minutes, so not part of .ci/run.
MUTATE_WORKERS ?= 2
mutate: $(VENV)/.installed-dev
	MUTATE_WORKERS=$(MUTATE_WORKERS) $(BIN)/python mutation/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache mutants .coverage
