# Everything a fresh machine with Python 3.11+ and Node.js needs, in two commands:
#   make serve   install, build the site (notebooks executed), serve it on 127.0.0.1:8000
#   make test    install, run every test and doctest, lint, build the site strictly
# Installation happens once, into .venv and node_modules, with the exact versions
# pinned in requirements/lock.txt and package-lock.json; it is redone only when
# one of those files (or pyproject.toml) changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

# Material prints a banner about its end of life on every build; the plan for it
# is in the README. Keep the build output to what matters.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve site test lint lock clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint requirements/lock.txt --editable ".[docs,test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: install
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

site: install
	$(BIN)/mkdocs build --strict --site-dir site

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity medium .github/workflows

test: install lint
	$(BIN)/python -m pytest
	$(MAKE) site

# Refresh the pins: resolve the newest releases in a scratch environment and
# record them. Run it on purpose, review the diff, and commit it.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check ".[docs,test]"
	{ echo "# Exact versions for the site build and CI; refresh with 'make lock'."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^backprop'; } \
		> requirements/lock.txt
	rm -rf .lock-venv

clean:
	rm -rf site .venv node_modules .lock-venv
