# Everything a fresh machine with Python 3.11+ and Node.js needs, in two commands:
#   make serve   install the site's tools, build the site, serve it on 127.0.0.1:8000
#   make test    install the test tools too, lint, run every test, build and check the site
# sitebuild/README.md describes the site's build; CONTRIBUTING.md what the tests run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

# Material prints a banner about its end of life on every build; the plan for it
# is in contributing/zensical.md. Keep the build output to what matters.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-site chromium serve site test test-site test-dist test-examples test-lowest site-zensical test-zensical test-site-zensical lint bench lock clean

# Two installs into one .venv, each from a lock with the hash of every file
# (which pip requires), each redone only when its inputs change:
# install-site (make serve, make site) takes requirements/docs.txt, the site's
# build alone; install (make test) adds requirements/lock.txt, the same pins
# and the test tools. Then the project itself, editable and without
# dependencies, built by the pinned hatchling (no build isolation, no index).
# The site's packages are not byte-compiled when installed (--no-compile):
# Python compiles what the build imports, on first use, and leaves the rest
# (most of SciPy, for one) as source, which makes .venv smaller and the first
# install quicker.
install-site: $(VENV)/.installed-site node_modules/.installed
install: $(VENV)/.installed node_modules/.installed

PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
$(VENV)/.installed-site: pyproject.toml requirements/docs.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) --no-compile --require-hashes --requirement requirements/docs.txt
	$(PIP) --no-deps --no-build-isolation --editable .
	touch $@

$(VENV)/.installed: $(VENV)/.installed-site requirements/lock.txt
	$(PIP) --require-hashes --requirement requirements/lock.txt
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

# The pre-build, then MkDocs (sitebuild/README.md).
serve: install-site
	$(BIN)/python -m sitebuild
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

site: install-site
	$(BIN)/python -m sitebuild
	$(BIN)/mkdocs build --strict --site-dir site

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity medium .github

# pytest runs the tests and doctests on two workers (pytest-xdist, -n 2), with
# a smoke run of every benchmark among them (tests/test_benchmarks_smoke.py);
# then the pre-build writes what the site computes into docs/ once, and the
# browser tests (which build the site strictly, so there is no `make site`
# here) run while Zensical builds the same site and its tests check it; each
# one's output is printed when it ends. CONTRIBUTING.md says how long each part
# takes.
test: install lint
	$(BIN)/python -m pytest -n 2 --dist loadfile
	$(BIN)/python -m sitebuild
	$(MAKE) --jobs=2 --output-sync=target test-site test-zensical

# The benchmarks behind the performance page; minutes long, run on purpose on a
# quiet machine, each between two checks of benchmarks/steady.py that put its
# record back where the machine's speed swings, and the records committed. PyTorch and
# JAX are compared when installed (`pip install torch==2.13.0 jax jaxlib`; the
# CPU build of PyTorch), skipped otherwise.
bench: install
	$(BIN)/python benchmarks/steady.py --around benchmarks/modes.py --threads 1 --tries 8
	for script in speed compiler gradient_cost contraction allocation fast_path; do \
	    $(BIN)/python benchmarks/steady.py --around benchmarks/$$script.py --tries 8 || exit 1; \
	done

# The built site, served on 127.0.0.1 (tests/browser/conftest.py says how),
# every page opened in Chromium on parallel workers (pytest-xdist, which hands
# each idle worker the next test), every link and anchor checked, screenshots
# written to screenshots/.
XDIST := -n auto --dist worksteal
test-site: install chromium
	$(BIN)/python -m pytest -m browser $(XDIST) tests/browser

# Only the replay of every page's examples in Chromium with Pyodide, block
# after block as a reader presses Run (tests/browser/test_run_examples.py).
# make test-site runs it too.
test-examples: install chromium
	$(BIN)/python -m pytest -m examples tests/browser

# The same site built by Zensical, the successor of Material for MkDocs, into
# site-zensical/: the same pre-build, then `zensical build` of the same
# mkdocs.yml (it has no --site-dir; BACKPROP_SITE_DIR sets site_dir), with a
# clean cache so that no page is left from an older build. Zensical lives in
# an environment of its own, pinned in requirements/zensical.txt; a .pth file
# puts the repository on its path, so that it finds the site's Markdown
# extensions (sitebuild/). contributing/zensical.md says what it does.
ZENSICAL := .venv-zensical

$(ZENSICAL)/.installed: requirements/zensical.txt
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet --disable-pip-version-check \
		--requirement requirements/zensical.txt
	$(ZENSICAL)/bin/python -c 'import site, sys; open(site.getsitepackages()[0] + "/backprop-site.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	touch $@

site-zensical: install-site $(ZENSICAL)/.installed
	$(BIN)/python -m sitebuild
	BACKPROP_SITE_DIR=site-zensical BACKPROP_OVERRIDES=overrides/zensical \
		$(ZENSICAL)/bin/zensical build --strict --clean

# What makes the site, checked in the Zensical build: math typeset, every
# figure, the equation index, the executed notebook (tests/test_zensical.py).
test-zensical: site-zensical
	$(BIN)/python -m pytest -m zensical tests/test_zensical.py

# The browser tests of tests/browser/ on the Zensical build, to measure the move
# (contributing/zensical.md lists what fails); not part of make test. The second-build
# comparison is left out: it builds with MkDocs.
test-site-zensical: install chromium $(ZENSICAL)/.installed
	BACKPROP_BUILDER=zensical $(BIN)/python -m pytest -m browser $(XDIST) tests/browser \
		--deselect tests/browser/test_reproducible.py

# The lowest versions pyproject.toml allows for NumPy, matplotlib and threadpoolctl
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
		--editable ".[figures]"
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
		"$$(ls dist/*.tar.gz)[figures]"
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
