# make site   build the static site into site/ from content/ (sets up .venv/ on first run)
# make serve  preview it at http://127.0.0.1:8000 (or ADDR=host:port); a save rebuilds what it changed
# make test   lint, type-check, check the package's layers and run the test suite
# make bench  measure generation, builds and the live preview at 10, 100 and 1,000 roles
# make engines  build the site with MkDocs, ProperDocs, Zensical and Backstage TechDocs, timed
PYTHON ?= python3
ADDR ?= 127.0.0.1:8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site serve test bench engines clean

site: $(VENV)/.installed
	$(BIN)/playbook build

serve: $(VENV)/.installed
	$(BIN)/playbook serve --dev-addr $(ADDR)

test: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

engines: $(VENV)/.installed-test .venv-techdocs/.installed
	$(BIN)/python .ci/engines --techdocs-python $(CURDIR)/.venv-techdocs/bin/python

# TechDocs' plugin pins a Material of its own, so it gets an environment of its own.
.venv-techdocs/.installed: pyproject.toml
	test -x .venv-techdocs/bin/python || $(PYTHON) -m venv .venv-techdocs
	.venv-techdocs/bin/python -m pip install --quiet -e . "mkdocs-techdocs-core>=1.7,<2"
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[properdocs]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
