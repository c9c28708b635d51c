# Entry points of the RNN book. Every target sets up .venv itself on first use.
#   make book     build the HTML book into _build/html (stored outputs, no execution)
#   make test     unit tests, nbval over every notebook, and the book build
#   make execute  re-execute the notebooks in place (after changing a chapter or rnn_utils)
#   make bench    execute each notebook from a clean kernel; print time and peak memory
#   make seeds    run notebooks over seeds, report every failing assert, update the record
#                 (make seeds SEEDS=0-9 NOTEBOOKS=notebooks/07_lstm.ipynb)
#   make lint     ruff and codespell
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb))
SEEDS     ?= 0-9

.PHONY: all book test unit execute bench seeds lint clean distclean

all: book

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "Book: $(CURDIR)/_build/html/index.html"
	@! grep -q REPLACE-WITH-OWNER _config.yml || echo "Note: repository.url in _config.yml is \
	still a placeholder; launch buttons and notebook installs point nowhere until it is set."

test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow"

execute: $(STAMP)
	$(BIN)/python scripts/notebooks.py execute $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python scripts/notebooks.py bench $(NOTEBOOKS)

seeds: $(STAMP)
	$(BIN)/python scripts/notebooks.py seeds --seeds $(SEEDS) $(NOTEBOOKS)

lint: $(STAMP)
	$(BIN)/ruff check rnn_utils tests scripts notebooks
	$(BIN)/ruff format --check rnn_utils tests scripts notebooks
	$(BIN)/codespell book rnn_utils tests scripts README.md

clean:
	rm -rf _build .pytest_cache .ruff_cache

distclean: clean
	rm -rf $(VENV)
