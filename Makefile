# Rebox: `make run` starts it with a demo store; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CASES ?=

.PHONY: install run test lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	PORT=$(PORT) $(BIN)/rebox run

test: install
	bash scripts/test

lint: install
	$(BIN)/ruff check rebox conftest.py

bench: install
	bash scripts/bench $(CASES)

clean:
	rm -rf $(VENV) var build *.egg-info
