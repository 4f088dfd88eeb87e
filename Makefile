# Every target bootstraps .venv itself, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat serve test lint bench audio package skill-package deploy clean

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
	$(BIN)/ruff check skill audio tests benchmarks infrastructure
	$(BIN)/ruff format --check skill audio tests benchmarks infrastructure
	$(BIN)/mypy
	$(BIN)/mypy infrastructure/package.py

## Speed and memory figures (printed, never asserted).
bench: $(STAMP)
	$(BIN)/python -m benchmarks

## Render every guided set and routine track offline (eSpeak NG) into audio/out.
audio: $(STAMP)
	$(BIN)/movement-snacks audio build --backend espeak --out audio/out

## The Lambda bundle in build/lambda: linux arm64 wheels of [project.dependencies]
## only, plus the skill package; prints its size.
package: $(STAMP)
	$(BIN)/python infrastructure/package.py lambda --out build/lambda

## The ASK skill package in build/skill-package (manifest + models from interaction_models/);
## ENDPOINT=<function ARN> points the skill at a deployed function.
skill-package: $(STAMP)
	$(BIN)/python infrastructure/package.py skill-package --out build/skill-package \
		$(if $(ENDPOINT),--endpoint $(ENDPOINT))

## Deploy the stack (sam, settings in infrastructure/samconfig.toml) and the skill package
## (ask). Needs the AWS, SAM and ASK CLIs; README "Deploying to AWS".
deploy: package
	PYTHON=$(abspath $(BIN))/python infrastructure/deploy.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
