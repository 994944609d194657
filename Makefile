# Two commands on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install system-deps run test lint bench dev docs screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python  ## the project and its pinned dependencies, into .venv
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"

system-deps:  ## Debian packages the browser tests and PDF export need (root)
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qi "noto.*cjk"; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; fi

run: install  ## load the bundled sample, build, check, publish; reports in reports/published/
	$(BIN)/python -m pipelines run

test: install system-deps  ## the whole test suite
	$(BIN)/pytest

lint: install  ## ruff on the Python, sqlfluff on the dbt SQL (the tests run both checks too)
	$(BIN)/ruff check pipelines sample tests bench
	cd dbt_project && ../$(BIN)/sqlfluff lint models tests/singular --processes 2

bench: install  ## figures for docs/performance.md (not part of the tests)
	$(BIN)/python -m bench --repeat 3

dev: install  ## the Dagster UI, schedules and sensor on http://127.0.0.1:3000 (history in var/dagster_home)
	export DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/var/dagster_home} VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(BIN):$$PATH; \
	$(BIN)/python -c "from pipelines.runner import ensure_dagster_home; print('DAGSTER_HOME', ensure_dagster_home())" && \
	$(BIN)/python -m pipelines.automation.dev_server -h 127.0.0.1 -p 3000  # stops on Ctrl-C and SIGTERM

docs: install  ## dbt documentation site (static, opens offline)
	cd dbt_project && EM_BUILD_DB=$(CURDIR)/var/warehouse/em_warehouse.duckdb ../$(BIN)/dbt docs generate --static

screenshots: install  ## run on the sample, then the first screen of every page kind at 1366 and 390 px → docs/screenshots/
	$(BIN)/python -m pipelines run --quiet
	$(BIN)/python -m pipelines screenshots

clean:
	rm -rf var reports/published dbt_project/target
