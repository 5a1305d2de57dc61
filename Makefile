# teichaku: `make run` to try it, `make test` to test it.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Development server settings; tests run with DEBUG off, as in production.
run seed migrate: export DEBUG ?= 1

.PHONY: run test install migrate seed web worker lint check clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

# Web server, Celery worker and beat together; Ctrl-C stops all three.
run: seed
	@mkdir -p var/celery
	@echo ""
	@echo "  teichaku is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (username / password): staff, staff2, manager, admin / teichaku-demo-2026"
	@echo "  Broker: $${REDIS_URL:-local file-system broker (set REDIS_URL for Redis)}"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=2 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; else echo "npm not found: the accessibility browser test will skip"; fi

test: install node_modules/axe-core/axe.min.js
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles
