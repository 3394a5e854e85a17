# Two commands: `make demo` (set up, then run the main job) and `make test`
# (set up, then run the tests). Both create .venv on first use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test setup bench clean

demo: $(VENV)/.demo
	$(PY) examples/quickstart.py

test: $(VENV)/.test
	$(PY) -m pytest

bench: $(VENV)/.test
	$(PY) benchmarks/scheduler.py

setup: $(VENV)/.test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.demo

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
