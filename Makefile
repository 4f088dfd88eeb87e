# Every target bootstraps .venv itself, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat serve test lint bench audio package deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## Talk to the skill in this terminal, on the embedded SQLite store.
chat: $(STAMP)
	$(BIN)/movement-snacks chat

## The self-hosted web endpoint (request verification on).
serve: $(STAMP)
	$(BIN)/movement-snacks serve

## Lint, type-check and run every test tier.
test: $(STAMP) lint
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check skill audio tests benchmarks
	$(BIN)/ruff format --check skill audio tests benchmarks
	$(BIN)/mypy

## Speed and memory figures (printed, never asserted).
bench: $(STAMP)
	$(BIN)/python -m benchmarks

## Render every guided set and routine track offline (eSpeak NG) into audio/out.
audio: $(STAMP)
	$(BIN)/movement-snacks audio build --backend espeak --out audio/out

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
