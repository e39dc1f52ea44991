# Everything a fresh machine with Python 3.11+ and Node.js needs, in two commands:
#   make serve   install, build the site (notebooks executed), serve it on 127.0.0.1:8000
#   make test    install, run every test and doctest, lint, build the site strictly,
#                check its links and open every page in Chromium
# Installation happens once, into .venv and node_modules, with the exact versions
# pinned in requirements/lock.txt (with their hashes, which pip requires) and
# package-lock.json; it is redone only when one of those files (or
# pyproject.toml) changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

# Material prints a banner about its end of life on every build; the plan for it
# is in the README. Keep the build output to what matters.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install chromium serve site test test-site test-dist test-examples test-lowest site-zensical test-zensical test-site-zensical lint bench lock clean

install: $(VENV)/.installed node_modules/.installed

# Every dependency from the lock, each file checked against its hash; then the
# project itself, editable and without dependencies (the lock has them all).
# The deploy installs requirements/docs.txt instead (LOCK=requirements/docs.txt):
# the site's build without the test tools.
LOCK ?= requirements/lock.txt
$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--require-hashes --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--no-deps --editable .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium (package chromium), installed here
# where none is on PATH. GitHub's Ubuntu runners have one on PATH; where there
# is none at all, the tests take Playwright's own (`playwright install chromium`).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || { \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The pre-build (python -m sitebuild) writes what the site computes from the
# package into docs/: figures, equation index, executed notebook. See sitebuild/.
serve: install
	$(BIN)/python -m sitebuild
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

site: install
	$(BIN)/python -m sitebuild
	$(BIN)/mkdocs build --strict --site-dir site

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity medium .github

# The Zensical build and its tests (half a minute, most of it installing
# Zensical) run at the same time as the browser tests, which leave part of the
# second core idle once what they run beside the pages is done
# (tests/browser/conftest.py); each one's output is printed when it ends.
test: install lint
	$(BIN)/python -m pytest
	$(BIN)/python benchmarks/speed.py --smoke
	$(MAKE) site
	$(MAKE) --jobs=2 --output-sync=target test-site test-zensical

# The benchmarks behind the performance page; minutes long, run on purpose on a
# quiet machine, and their records in benchmarks/results/ committed. PyTorch and
# JAX are compared when installed (`pip install torch==2.13.0 jax jaxlib`; the
# CPU build of PyTorch), skipped otherwise.
bench: install
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/compiler.py
	$(BIN)/python benchmarks/gradient_cost.py
	$(BIN)/python benchmarks/modes.py
	$(BIN)/python benchmarks/contraction.py
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/fast_path.py

# The built site, served on 127.0.0.1 (tests/browser/conftest.py says how):
# LinkChecker on every link and anchor, and every page in Chromium, with
# screenshots written to screenshots/. LinkChecker runs beside the browser.
test-site: install chromium
	$(BIN)/python -m pytest -m browser tests/browser

# Only the replay of every page's examples in Chromium with Pyodide, block
# after block as a reader presses Run (tests/browser/test_run_examples.py; about
# a minute and a half of runs on two cores, after the site is built). make
# test-site runs it too.
test-examples: install chromium
	$(BIN)/python -m pytest -m examples tests/browser

# The same site built by Zensical, the successor of Material for MkDocs, into
# site-zensical/: the same pre-build, then `zensical build` of the same
# mkdocs.yml (it has no --site-dir; BACKPROP_SITE_DIR sets site_dir), with a
# clean cache so that no page is left from an older build. Zensical lives in
# an environment of its own, pinned in requirements/zensical.txt; a .pth file
# puts the repository on its path, so that it finds the site's Markdown
# extensions (sitebuild/). The README's plan for the move says what it does.
ZENSICAL := .venv-zensical

$(ZENSICAL)/.installed: requirements/zensical.txt
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet --disable-pip-version-check \
		--requirement requirements/zensical.txt
	$(ZENSICAL)/bin/python -c 'import site, sys; open(site.getsitepackages()[0] + "/backprop-site.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	touch $@

site-zensical: install $(ZENSICAL)/.installed
	$(BIN)/python -m sitebuild
	BACKPROP_SITE_DIR=site-zensical BACKPROP_OVERRIDES=overrides/zensical \
		$(ZENSICAL)/bin/zensical build --strict --clean

# What makes the site, checked in the Zensical build: math typeset, every
# figure, the equation index, the executed notebook (tests/test_zensical.py).
test-zensical: site-zensical
	$(BIN)/python -m pytest -m zensical tests/test_zensical.py

# The browser tests of tests/browser/ on the Zensical build, to measure the move
# (the README's plan lists what fails); not part of make test. The second-build
# comparison is left out: it builds with MkDocs.
test-site-zensical: install chromium $(ZENSICAL)/.installed
	BACKPROP_BUILDER=zensical $(BIN)/python -m pytest -m browser tests/browser \
		--deselect tests/browser/test_reproducible.py

# The lowest versions pyproject.toml allows for NumPy, matplotlib and scikit-learn
# (requirements/lowest.txt, which tests/test_metadata.py holds to the declared
# bounds), on the oldest supported Python (3.11; set PYTHON to it): the package's
# tests and doctests, in a venv of their own. The tests of the site's sources
# (hooks, pages, equation index, sitebuild) need the site's tools and are left out.
LOWEST := .venv-lowest
LOWEST_SKIP := tests/browser tests/test_hooks.py tests/test_pages.py tests/test_equation_index.py \
	$(wildcard tests/test_sitebuild*.py tests/test_zensical*.py)
test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -m pip check
	$(LOWEST)/bin/python -m pytest tests backprop $(addprefix --ignore=,$(LOWEST_SKIP))

$(LOWEST)/.installed: pyproject.toml requirements/lowest.txt
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check \
		--only-binary :all: --requirement requirements/lowest.txt \
		--editable ".[figures,data]"
	touch $@

# The package as a user gets it: the sdist and the wheel built into dist/, the
# sdist installed with both extras into a fresh venv of its own (.venv-dist), and
# the README's example run there, outside the tree, checking what it prints.
DIST_VENV := .venv-dist
test-dist: $(VENV)/.installed
	rm -rf dist $(DIST_VENV)
	$(BIN)/python -m build --outdir dist .
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		"$$(ls dist/*.tar.gz)[figures,data]"
	$(DIST_VENV)/bin/python tests/test_readme.py

# Refresh the pins on purpose, review the diff, and commit it.
#
# uv resolves both locks for every platform and for Python 3.11.5 to 3.14 at
# once (a "universal" lock; pymdown-extensions needs 3.11.5), and writes the
# hash of every file of each pinned release: requirements/lock.txt has the docs
# and test extras, requirements/docs.txt the docs extra alone, at the same
# versions. Pins already in a lock are kept where they still fit, so that
# adding a dependency moves nothing else; `make lock UPGRADE=--upgrade` takes
# the newest releases of everything. uv comes from the package index into a
# scratch venv, and reads the index from UV_INDEX_URL (PyPI by default).
UV_VERSION := 0.13.9
UPGRADE ?=
LOCK_FLAGS = --universal --python-version 3.11.5 --generate-hashes --quiet \
	--custom-compile-command "make lock" $(UPGRADE)
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check \
		uv==$(UV_VERSION)
	.lock-venv/bin/uv pip compile $(LOCK_FLAGS) pyproject.toml \
		--extra docs --extra test --output-file requirements/lock.txt
	.lock-venv/bin/uv pip compile $(LOCK_FLAGS) pyproject.toml \
		--extra docs --constraint requirements/lock.txt \
		--output-file requirements/docs.txt
	rm -rf .lock-venv

clean:
	rm -rf site site-zensical .venv $(ZENSICAL) node_modules .lock-venv $(LOWEST) \
		dist $(DIST_VENV)
