# Two commands: `make demo` (set up, then run the main job) and `make test`
# (set up, then run the tests, the import-layer contracts among them). Both
# create .venv on first use. `make imports` checks only the import layers.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test imports setup bench clean

QUESTION ?= How many kilometres is 26.2 miles, and what is 17% of 2400?

# llama-cpp-python compiles llama.cpp on install. Built for the machine's own
# CPU (llama.cpp's default), it crashed in its first decode on a Xeon with AMX
# tiles; a build for AVX2/FMA/F16C, which every x86-64 CPU of the last decade
# has, runs everywhere. `make setup CMAKE_ARGS=...` picks other flags.
CMAKE_ARGS ?= -DGGML_NATIVE=OFF
export CMAKE_ARGS

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
