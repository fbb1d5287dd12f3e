# nbreport: `make demo` sets up and runs every demo client; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

setup: $(STAMP)

# Re-install only when the dependencies change: a second `make demo` starts at once.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/nbreport demo-data
	$(BIN)/nbreport run --all

test: $(STAMP)
	$(BIN)/python -m pytest

# nbreport run against the hand-written papermill + nbconvert loop, on the same clients, in one run
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) outputs/*/ outputs/index.html
	@echo "client data in data/ is left alone; delete demo folders by hand if you want them gone"
