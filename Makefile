# Entry points of the RNN book. Every target sets up .venv itself on first use.
#   make book     build the HTML book into _build/html (stored outputs, no execution)
#   make test     unit tests, nbval over every notebook, and the book build (TensorFlow),
#                 then the unit tests and three chapters again under JAX (make test-jax with
#                 JAX_SMOKE; the seed sweep covers every chapter under every backend),
#                 then two chapters as a reader runs them, from the wheel (make test-reader)
#   make test-reader  build the wheel; in a fresh environment outside the repository, run
#                 each notebook copied alone, its first cell installing the wheel
#                 (READER_NOTEBOOKS= to choose; make test runs two of them)
#   make test-torch  install a CPU build of PyTorch into .venv, then the same under PyTorch
#   make execute  re-execute the notebooks in place (after changing a chapter or rnn_utils)
#   make bench    execute each notebook from a clean kernel; print time and peak memory
#   make seeds    run notebooks over seeds, report every failing assert, update the record
#                 (make seeds SEEDS=0-9 NOTEBOOKS=notebooks/07_lstm.ipynb)
#   make record   after a sweep, re-run only each notebook's seed-record cell (a notebook
#                 where another cell reads the record is refused: make execute it)
#   make pdf      the whole book as one PDF (XeLaTeX and latexmk from TeX Live; .ci/run
#                 installs Debian's), copied to _build/html/rnn-book.pdf for the landing page
#   make taught   write the code the chapters teach (cells marked rnn_book.export) into
#                 rnn_utils/taught/; make test fails while it is not current
#   make lint     ruff and codespell
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb))
READER_NOTEBOOKS ?= $(NOTEBOOKS)
# make test keeps the reader's path alive with two chapters that read a shipped record
READER_SMOKE := notebooks/05_vanishing_exploding_gradients.ipynb notebooks/10_gpu.ipynb
# make test runs these under JAX too: the chapters with backend-specific paths (cuDNN and
# device placement; stateful=True, which JAX's stateless fit and predict do not carry) and
# one plain chapter. All of them,
# under every backend and seed, is the seed sweep's job (make seeds), which keeps make test
# inside its time budget.
JAX_SMOKE := notebooks/02_recurrent_networks.ipynb notebooks/10_gpu.ipynb \
	notebooks/14_streams_and_devices.ipynb
SEEDS     ?= 0-9
# PyTorch's CPU build (about 200 MB) from PyTorch's own index: PyPI's default Linux x86_64
# wheel is the CUDA build, several GB. The +cpu pin makes pip replace a CUDA build already
# in .venv. On a GPU machine: make test-torch TORCH_INDEX= TORCH_SPEC=torch==2.13.0
TORCH_SPEC  ?= torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
# axe-core, the accessibility checker tests/test_site.py runs in Chromium on every page; from
# the npm registry into .venv (the test is skipped, saying so, where npm is missing).
AXE_VERSION := 4.14.1
AXE         := $(VENV)/node_modules/axe-core/axe.min.js
# Another backend: unit tests (the book build aside), then every notebook from a clean
# kernel at RNN_BOOK_SEED (default 0); a failing assert or a line on stderr fails the run.
# The outputs differ from the stored TensorFlow ones in their digits, so they are not compared.
UNIT_TESTS     = $(BIN)/python -m pytest tests -m "not slow" -q
NOTEBOOK_RUNS  = $(BIN)/python scripts/notebooks.py seeds --no-record \
	--seeds $${RNN_BOOK_SEED:-0} $(NOTEBOOKS)

.PHONY: all book pdf taught test test-jax test-torch test-reader unit execute bench seeds record lint clean \
	distclean

all: book

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "Book: $(CURDIR)/_build/html/index.html"
	@! grep -q REPLACE-WITH-OWNER pyproject.toml || echo "Note: the Repository address in \
	pyproject.toml is still a placeholder; launch buttons and notebook installs point nowhere \
	until it is set (README: Publishing a release)."

pdf: $(STAMP)
	$(BIN)/jupyter-book build . --builder pdflatex --warningiserror --nitpick --keep-going
	@mkdir -p _build/html && cp _build/latex/rnn-book.pdf _build/html/rnn-book.pdf
	@echo "PDF: $(CURDIR)/_build/html/rnn-book.pdf"

$(AXE): | $(STAMP)
	@if command -v npm > /dev/null; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV) axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility test (axe-core) will be skipped"; fi

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-jax NOTEBOOKS="$(JAX_SMOKE)"
	$(MAKE) --no-print-directory test-reader READER_NOTEBOOKS="$(READER_SMOKE)"

test-jax: $(STAMP)
	KERAS_BACKEND=jax $(UNIT_TESTS)
	KERAS_BACKEND=jax $(NOTEBOOK_RUNS)

test-torch: $(STAMP)
	$(BIN)/python -m pip install --quiet $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) \
		$(TORCH_SPEC)
	KERAS_BACKEND=torch $(UNIT_TESTS)
	KERAS_BACKEND=torch $(NOTEBOOK_RUNS)

test-reader: $(STAMP)
	$(BIN)/python scripts/reader_run.py $(READER_NOTEBOOKS)

taught: $(STAMP)
	$(BIN)/python scripts/taught_code.py

unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow"

execute: $(STAMP)
	$(BIN)/python scripts/notebooks.py execute $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python scripts/notebooks.py bench $(NOTEBOOKS)

seeds: $(STAMP)
	$(BIN)/python scripts/notebooks.py seeds --seeds $(SEEDS) $(NOTEBOOKS)

record: $(STAMP)
	$(BIN)/python scripts/notebooks.py record $(NOTEBOOKS)

lint: $(STAMP)
	$(BIN)/ruff check rnn_utils tests scripts notebooks
	$(BIN)/ruff format --check rnn_utils tests scripts notebooks
	$(BIN)/codespell book rnn_utils tests scripts README.md

clean:
	rm -rf _build .pytest_cache .ruff_cache

distclean: clean
	rm -rf $(VENV)
