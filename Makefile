# Two commands: `make demo` (set up, then run the main job) and `make test`
# (set up, then run the tests, the import-layer contracts among them). Both
# create .venv on first use. `make imports` checks only the import layers.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test imports setup bench clean

QUESTION ?= How many kilometres is 26.2 miles, and what is 17% of 2400?

demo: $(VENV)/.demo
	$(VENV)/bin/agentc run "$(QUESTION)" --trace agentc-trace.json

test: $(VENV)/.test
	$(PY) -m pytest

imports: $(VENV)/.test
	$(PY) -m pytest -q tests/commands/test_import_layers.py

bench: $(VENV)/.test
	$(PY) benchmarks/scheduler.py

setup: $(VENV)/.test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[local]'
	touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	scripts/install-browser.sh
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.demo

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
