# Quick start: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
# Stanza needs torch; pin the CPU build so pip does not fetch a multi-GB CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: demo test models lint bench evaluate clean screenshots

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e ".[notebook]"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[dev,stanza,train]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/citat run data/samples --out runs/demo --force

test: $(VENV)/.installed-dev
	$(BIN)/ruff check pipeline tests
	$(BIN)/pytest -q

models: $(VENV)/.installed-dev
	$(BIN)/citat train --shared $(SHARED) --out models/sv_citat

bench: $(VENV)/.installed
	$(BIN)/citat bench --shared $(SHARED)

# docs/review.png and docs/report.png, taken by the browser tests (needs chromium)
screenshots: $(VENV)/.installed-dev
	CITAT_SCREENSHOTS=docs $(BIN)/pytest -q tests/test_outputs.py -k browser

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check pipeline tests

clean:
	rm -rf runs/demo .pytest_cache
