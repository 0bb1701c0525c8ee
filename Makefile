# Tawasul — the newcomer's commands. `make demo` and `make test` work on a fresh machine
# with Python >= 3.11 and make: they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint format messages screenshots bench clean help

help:
	@echo "make demo      run the portal with Arabic/English demo content on http://127.0.0.1:8000"
	@echo "make test      run the whole test suite (browser tests need Debian's chromium)"
	@echo "make lint      ruff check and format check"
	@echo "make messages  refresh the Arabic catalog from the code (needs GNU gettext)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tawasul needs Python 3.11 or newer")'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tawasul demo $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd tawasul && TAWASUL_DATA=../var ../$(BIN)/tawasul makemessages -l ar --no-obsolete --ignore 'tests/*' --add-location file
	$(BIN)/python -m tawasul.core.catalog compile

screenshots: $(STAMP)
	$(BIN)/python -m pytest tawasul/core/tests/test_browser.py -k "home_page and 1280 and ar"
	cp test-results/screenshots/readme-home-ar.png docs/screenshots/home-ar.png

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-results
