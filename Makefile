# `make run` sets everything up and starts the server; `make test` sets everything up
# and runs the whole suite (what CI runs); `make dist` builds the wheel and the sdist.
# Every target is idempotent.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
UPSTREAM_VENV := .venv-upstream
UPSTREAM3_VENV := .venv-upstream3
# The training frameworks the integration tests train with (tests/frameworks): test-only.
FRAMEWORKS_VENV := .venv-frameworks
# visdom 0.3.0 needs Python >= 3.12: the first python3.12 that actually runs (a pyenv shim
# without a selected 3.12 refuses to), else pyenv's own 3.12.x.
ifeq ($(origin PYTHON312), undefined)
PYTHON312 := $(shell for p in python3.12 "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12; do \
	command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { command -v "$$p"; break; }; done)
endif
BIN := $(VENV)/bin
ARGS ?=
# e.g. make bench BENCH_ARGS="--quick --no-upstream" (bench/bigdata.py's flags)
BENCH_ARGS ?=

.PHONY: setup run test dist lint format bench screenshot system-packages chromium upstream upstream3 frameworks vendor clean check-tools check-python312

check-tools:
	@test -n "$(PYTHON)" || { echo "error: python3.11 (or python3) is required" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 is required, found $$($(PYTHON) --version)" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is required to install the browser libraries" >&2; exit 1; }

# pyproject.toml too: the editable install's metadata holds the version and the dependencies.
$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml | check-tools
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json | check-tools
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser libraries into app/static/vendor, each page's ES modules bundled into one file
# (app/static/js/bundle), then the .br/.gz copies of every static text file over 1 KB
# (served by Accept-Encoding; `make dist` ships them in the wheel).
vendor: node_modules/.installed $(BIN)/.installed
	$(BIN)/python scripts/vendor.py
	$(BIN)/python scripts/bundle.py
	$(BIN)/python scripts/compress.py

setup: $(BIN)/.installed vendor

# The real upstream client, in its own venv, for the compatibility tests and benchmarks.
# visdom 0.2.4 is an sdist whose setup.py needs pkg_resources: build it without isolation.
$(UPSTREAM_VENV)/.installed: | check-tools
	test -x $(UPSTREAM_VENV)/bin/python || $(PYTHON) -m venv $(UPSTREAM_VENV)
	$(UPSTREAM_VENV)/bin/python -m pip install -q --upgrade pip
	$(UPSTREAM_VENV)/bin/python -m pip install -q "setuptools==75.8.0" "wheel==0.45.1"
	$(UPSTREAM_VENV)/bin/python -m pip install -q --no-build-isolation "visdom==0.2.4" "matplotlib==3.11.2" "plotly==7.1.0"
	touch $@

upstream: $(UPSTREAM_VENV)/.installed

check-python312:
	@test -n "$(PYTHON312)" && "$(PYTHON312)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { echo "error: Python 3.12 is required for the visdom 0.3.0 client venv ($(UPSTREAM3_VENV)): install python3.12 (e.g. apt-get install python3.12-venv, or pyenv install 3.12), or pass PYTHON312=/path/to/python3.12 (found: '$(PYTHON312)')" >&2; exit 1; }

# The real visdom 0.3.0 client (Python >= 3.12), for the wire and compatibility tests.
# Its sdist builds with pip's isolated build; it pulls openTSNE and scikit-learn.
$(UPSTREAM3_VENV)/.installed: | check-python312
	test -x $(UPSTREAM3_VENV)/bin/python || $(PYTHON312) -m venv $(UPSTREAM3_VENV)
	$(UPSTREAM3_VENV)/bin/python -m pip install -q --upgrade pip setuptools wheel
	$(UPSTREAM3_VENV)/bin/python -m pip install -q "visdom==0.3.0" "matplotlib==3.11.2" "plotly==7.1.0"
	touch $@

upstream3: $(UPSTREAM3_VENV)/.installed

# torch, Lightning, transformers, Keras on JAX, xgboost-cpu and LightGBM, for the callbacks'
# tests only (never a dependency of the server or the client). torch is pinned to the CPU
# wheel; pip's cache is kept: a fresh venv took 1.5-2 min here (1.8 GB), ~6 min on a busy machine.
$(FRAMEWORKS_VENV)/.installed: requirements-frameworks.txt | check-tools
	test -x $(FRAMEWORKS_VENV)/bin/python || $(PYTHON) -m venv $(FRAMEWORKS_VENV)
	$(FRAMEWORKS_VENV)/bin/python -m pip install -q --upgrade pip
	$(FRAMEWORKS_VENV)/bin/python -m pip install -q -r requirements-frameworks.txt
	touch $@

frameworks: $(FRAMEWORKS_VENV)/.installed

# Debian's chromium (browser tests) and nginx (the reverse-proxy test), when missing.
system-packages:
	@bash scripts/ensure-system-packages.sh

chromium: system-packages

run: setup
	$(BIN)/python -m app $(ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup upstream upstream3 frameworks system-packages lint
	VISDOM_UPSTREAM_PYTHON=$(CURDIR)/$(UPSTREAM_VENV)/bin/python \
	VISDOM_FRAMEWORKS_PYTHON=$(CURDIR)/$(FRAMEWORKS_VENV)/bin/python \
	VISDOM_UPSTREAM3_PYTHON=$(CURDIR)/$(UPSTREAM3_VENV)/bin/python $(BIN)/python -m pytest

# dist/visdom_flask-<version>.tar.gz, then the wheel built from that sdist (so the sdist alone
# builds a complete wheel). Both carry the browser assets `make setup` vendored: installing
# the wheel needs no Node.js. Built with the pinned setuptools of requirements-dev.txt.
dist: setup
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

bench: setup upstream upstream3 system-packages
	VISDOM_UPSTREAM_PYTHON=$(CURDIR)/$(UPSTREAM_VENV)/bin/python \
	VISDOM_UPSTREAM3_PYTHON=$(CURDIR)/$(UPSTREAM3_VENV)/bin/python $(BIN)/python bench/append.py
	$(BIN)/python bench/client_nonblocking.py
	VISDOM_UPSTREAM_PYTHON=$(CURDIR)/$(UPSTREAM_VENV)/bin/python $(BIN)/python bench/soak.py
	$(BIN)/python bench/append_path.py
	$(BIN)/python bench/scaleout.py
	$(BIN)/python bench/redis_outage.py
	$(BIN)/python bench/redis_writes.py
	VISDOM_UPSTREAM_PYTHON=$(CURDIR)/$(UPSTREAM_VENV)/bin/python $(BIN)/python bench/bigdata.py $(BENCH_ARGS)
	$(BIN)/python bench/bigdata.py --pages
	$(BIN)/python bench/manywindows.py

screenshot: setup system-packages
	$(BIN)/python scripts/screenshot.py docs/screenshot.png

clean:
	rm -rf $(VENV) $(UPSTREAM_VENV) $(UPSTREAM3_VENV) $(FRAMEWORKS_VENV) node_modules app/static/vendor .pytest_cache
	find app/static -name '*.br' -delete -o -name '*.gz' -delete
	rm -rf app/static/compressed.json app/static/bundles.json app/static/js/bundle
	rm -rf dist build visdom_flask.egg-info
