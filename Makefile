# Plotwise: `make run` installs everything and serves the app; `make test` installs everything
# and runs every test. Both work on a fresh Debian machine with Python 3.11 and node 20.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FRONTEND_SRC := $(shell find frontend/src frontend/index.html sandbox/src sandbox/index.html \
	-type f 2>/dev/null) $(wildcard frontend/*.ts sandbox/*.ts frontend/tsconfig*.json sandbox/tsconfig*.json) \
	backend/plotwise/artifact/component_policy.json

.PHONY: run test install install-dev build java chromium postgres lint lock eval clean

run: install java ## install everything and serve http://127.0.0.1:8000
	$(BIN)/plotwise serve

test: install-dev java chromium postgres build ## install everything and run every test
	npm test
	$(BIN)/python -m pytest

install: $(VENV)/.runtime build

install-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.runtime: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@ $(VENV)/.runtime

node_modules/.package-lock.json: package-lock.json package.json frontend/package.json sandbox/package.json
	npm ci --no-audit --no-fund

build: frontend/dist/index.html sandbox/dist/index.html

frontend/dist/index.html sandbox/dist/index.html &: node_modules/.package-lock.json $(FRONTEND_SRC)
	npm run build

# Not a prerequisite of `install`: the Docker image runs Spark jobs on a Spark Connect server of
# its own (docker-compose.yml) and needs no Java.
java: ## Debian's OpenJDK 17 for the Spark Connect server Plotwise starts, unless Java 17+ is there
	@v=$$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'); \
	[ "$${v:-0}" -ge 17 ] 2>/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

chromium: ## Debian's Chromium for the browser tests (Playwright never downloads a browser)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

postgres: ## Debian's PostgreSQL for the store tests (each test session starts its own server)
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

lint:
	$(BIN)/ruff check backend tests
	npm run typecheck

lock: | $(VENV)/bin/python ## re-pin Python dependencies after editing pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -q --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml -q --python-version 3.11 --extra dev --generate-hashes -o requirements-dev.lock

eval: install ## run the bundled question set and print execution accuracy
	$(BIN)/plotwise eval ../shared/eval/nycflights13-dev.jsonl -o eval-results.jsonl

clean:
	rm -rf $(VENV) node_modules frontend/dist sandbox/dist
