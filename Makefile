# The two commands of the README:
#   make demo   set up and write the analyst's report on the seeds and the shipped real data
#               (embedded store, no server; under 3 minutes and 4 GB, README)
#   make test   set up and run lint, types and the whole test suite (real Neo4j, real browser)
# and for Neo4j (docs/readme/neo4j.md):
#   make neo4j-up / make neo4j-down   a local Neo4j 5.26 Community server from Maven Central
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/report

.PHONY: demo test lint setup setup-test clean neo4j-resolve neo4j-up neo4j-down

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[fast,model,xlsx]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[fast,model,xlsx,test]'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test
	bash tools/install_browser.sh

demo: setup
	$(BIN)/stigraph report --default-data --out $(OUT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

# Neo4j Community and GDS jars, resolved by Maven (cached in ~/.m2) into .neo4j/dist
NEO4J_DIST := .neo4j/dist
MVN ?= mvn

$(NEO4J_DIST)/.resolved: tools/neo4j/pom.xml
	sh tools/install_java.sh
	rm -rf $(NEO4J_DIST)/lib $(NEO4J_DIST)/plugins
	$(MVN) --batch-mode --quiet -f tools/neo4j/pom.xml package -Ddist.dir=$(CURDIR)/$(NEO4J_DIST)
	touch $@

neo4j-resolve: $(NEO4J_DIST)/.resolved

# Bolt on localhost:7687, HTTP on localhost:7474; password from NEO4J_PASSWORD or .neo4j/password
neo4j-up: $(VENV)/.installed $(NEO4J_DIST)/.resolved
	$(BIN)/python -m stigraph.neo4j.server up

neo4j-down: | $(VENV)/.installed
	$(BIN)/python -m stigraph.neo4j.server down

test: setup-test lint neo4j-resolve
	bash tools/run_tests.sh $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) out test-artifacts .pytest_cache .mypy_cache .ruff_cache
