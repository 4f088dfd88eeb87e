# Every target bootstraps .venv itself, so a fresh clone needs only Python 3.11+.
# Each target installs only what it needs: `make chat` the runtime, `make serve` also
# [web], every other target the whole [dev] toolchain (one venv; installs only add).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
CHAT_STAMP := $(VENV)/.installed-chat
WEB_STAMP := $(VENV)/.installed-web
STAMP := $(VENV)/.installed-dev
# uv (from PyPI) installs in about a second what pip takes 10-15 s for. Bytecode is
# compiled at install, as pip does: a first import would otherwise warn about the
# invalid escapes in some dependencies' docstrings.
INSTALL := $(UV) pip install --quiet --compile-bytecode --python $(BIN)/python

.PHONY: chat serve test lint bench audio package skill-package deploy clean

# A venv without pip of its own (ensurepip alone costs ~8 s): this Python's pip puts uv
# into it; an older pip without --python falls back to the venv's own pip.
$(UV):
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --no-compile uv 2>/dev/null \
		|| { $(BIN)/python -m ensurepip --default-pip && $(BIN)/python -m pip install -q uv; }

$(CHAT_STAMP): pyproject.toml | $(UV)
	$(INSTALL) -e .
	touch $@

$(WEB_STAMP): pyproject.toml | $(UV)
	$(INSTALL) -e '.[web]'
	touch $@

$(STAMP): pyproject.toml | $(UV)
	$(INSTALL) -e '.[dev]'
	touch $@

## Talk to the skill in this terminal, on the embedded SQLite store; LOCALE=de-DE (or
## any supported locale) talks in that locale.
chat: $(CHAT_STAMP)
	$(BIN)/movement-snacks chat $(if $(LOCALE),--locale $(LOCALE))

## The self-hosted web endpoint (request verification on).
serve: $(WEB_STAMP)
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

## Render every guided set and routine track offline (eSpeak NG) into audio/out;
## LOCALE=de-DE renders that locale's catalog in its voice into audio/out-de-DE.
audio: $(STAMP)
	$(BIN)/movement-snacks audio build --backend espeak \
		$(if $(LOCALE),--locale $(LOCALE) --out audio/out-$(LOCALE),--out audio/out)

## The Lambda bundle in build/lambda: linux arm64 wheels of [project.dependencies]
## and the [aws] extra only, plus the skill package; prints its size.
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
