# The two set-up commands (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

.PHONY: install demo test bench bench-peers
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/snn_digits.py

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 tests neurodyn --doctest-modules

bench: $(STAMP)
	$(BIN)/python -m bench

bench-peers: $(STAMP)
	$(BIN)/python -m bench --peers
