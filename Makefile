# The two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test examples accuracy bench clean

# requirements.lock pins every package, with hashes (pip-compile --generate-hashes, see `make lock`);
# the project itself is installed on top without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## Re-pin requirements.lock after a change to the dependencies in pyproject.toml.
.PHONY: lock
lock:
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet pip-tools
	var/lock-venv/bin/pip-compile --quiet --extra test --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

## Process the bundled example mail into SQLite (var/inbox.db) and write replies to var/outbox/.
demo: $(STAMP)
	$(BIN)/inbox demo

## Install what the tests need (Python packages, Dovecot, Tesseract), lint (ruff), type-check (mypy), start the servers, run every test.
test: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

## Rebuild examples/mail/*.eml and examples/expected.json from examples/make_examples.py.
examples: $(STAMP)
	$(BIN)/python examples/make_examples.py

## Print how `inbox check` does, field by field: on examples/mail, then on the development corpus tests/corpus.
accuracy: $(STAMP)
	@echo "== examples/mail"
	$(BIN)/python scripts/accuracy.py examples/mail examples/expected.json
	@echo "== tests/corpus/mail"
	$(BIN)/python scripts/accuracy.py tests/corpus/mail tests/corpus/expected.json
	@echo; echo "== tests/heldout (written blind: 321/340 before the fixes it showed) =="
	$(BIN)/python scripts/accuracy.py tests/heldout/mail tests/heldout/expected.json
	@echo; echo "== tests/heldout2 (written blind: 445/510 before the fixes it showed) =="
	$(BIN)/python scripts/accuracy.py tests/heldout2/mail tests/heldout2/expected.json

## Issue 13's table: a 600-message backlog in Dovecot against a raw-fetch floor, start-up, memory (SQLite and
## PostgreSQL when it answers), then scripts/bench_push.py; prints it and appends to var/bench.jsonl.
bench: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/python scripts/bench.py

clean:
	rm -rf var

## Screenshot the workspace (start page, case list, a case), the digest and replies with hostile names on the demo data,
## at phone (390 px) and desktop (1280 px) width, in headless Debian chromium: var/screenshots/*.png (scripts/screenshots.py).
.PHONY: screenshots digest-screenshot
screenshots: $(STAMP)
	bash scripts/ensure-system-packages.sh >/dev/null
	$(BIN)/python scripts/screenshots.py

## The digest's screenshots are among them (var/screenshots/digest-390.png, digest-1280.png); the old name still works.
digest-screenshot: screenshots
