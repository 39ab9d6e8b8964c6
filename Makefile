# The two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test examples accuracy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Process the bundled example mail into SQLite (var/inbox.db) and write replies to var/outbox/.
demo: $(STAMP)
	$(BIN)/inbox demo

## Install what the tests need (Python packages, Dovecot, Tesseract), start the servers, run every test.
test: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/pytest

## Rebuild examples/mail/*.eml and examples/expected.json from examples/make_examples.py.
examples: $(STAMP)
	$(BIN)/python examples/make_examples.py

## Print how `inbox check` does on examples/mail against examples/expected.json, field by field.
accuracy: $(STAMP)
	$(BIN)/python scripts/accuracy.py examples/mail examples/expected.json

clean:
	rm -rf var
