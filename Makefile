# survey_kit: two commands (cookiecutter-data-science convention)
#   make demo   set up everything, then demo exports -> ingest -> validate -> reports
#   make test   set up everything, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: demo test test-fast bench install system-deps lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) system-deps

# Debian's chromium (static chart export with kaleido >= 1, PDF printing, browser tests) and
# poppler-utils (PDF pages to PNG in the tests). Installed only when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  echo "Installing Debian packages: chromium poppler-utils"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils fonts-liberation >/dev/null; \
	fi

demo: install
	$(BIN)/survey-kit demo

# --dist loadfile: a test file's tests run on one worker, so its module fixtures (a demo build, a
# benchmark run) are built once. (pytest-xdist 3.8's loadgroup does not group under pytest 9: it
# renames item._nodeid, which pytest 9 no longer reads, so xdist_group marks are ignored.)
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=25 $(PYTEST_ARGS)

# the inner loop: everything but the slow and browser tests
test-fast: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow and not browser" $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/peers.py

lint: $(STAMP)
	$(BIN)/ruff check survey_kit tests benchmarks
	$(BIN)/lint-imports

clean:
	rm -rf data/raw/demo data/processed/* reports/* tests/artifacts
	git checkout -- data/processed/README.md reports/README.md
