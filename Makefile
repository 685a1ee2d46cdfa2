# Every target sets itself up: a .venv made with python3 -m venv, and the package installed
# editable with the extras that target needs (again whenever pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# test-fast: fewer hypothesis examples and no test marked slow, for a quick loop while editing.
.PHONY: test test-fast demo bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$*]"
	touch $@

test: $(VENV)/installed-dev
	$(BIN)/python -m pytest -q

test-fast: $(VENV)/installed-dev
	HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -q -m "not slow"

lint: $(VENV)/installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy

demo: $(VENV)/installed-demo
	$(BIN)/python -m demos

# PyTorch is compared when it installs, tried once per .venv: "2.13.0+cpu" is a CPU build that
# only a local wheel provides (PyPI has no "+cpu" versions), so this never pulls the CUDA build.
$(VENV)/torch-tried: | $(BIN)/python
	@$(BIN)/python -m pip install --quiet "torch==2.13.0+cpu" \
		|| echo "note: PyTorch 2.13.0+cpu is not available here; the PyTorch rows are skipped"
	@touch $@

bench: $(VENV)/installed-bench $(VENV)/torch-tried
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
