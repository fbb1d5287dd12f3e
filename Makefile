# nbreport: `make demo` sets up and runs every demo client; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo docs messages test mutate bench bench-scale bench-report bench-data bench-transform bench-forecast bench-truth backtest clean

setup: $(STAMP)

# Re-install only when the dependencies change: a second `make demo` starts at once.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Two periods, so that October's reports hold September's stored forecasts against what happened.
# September first: the demo's history, so October's reports hold its forecasts to account.
# The demo's account team approved the drafts it did not write (commentary/<client>/<period>.md:
# {{ draft }} under a heading), so every report passes the QA gate.
demo: $(STAMP)
	$(BIN)/nbreport demo-data
	$(BIN)/nbreport run --all --period 2026-09
	$(BIN)/nbreport run --all
	$(BIN)/nbreport send 2026-10 --dry-run   # writes outputs/2026-10/outbox/<client>.eml, sends nothing

# What forecasting adds to a report (seconds and ratios measured in one run, not a timed test).
bench-forecast: $(STAMP)
	$(BIN)/nbreport demo-data
	$(BIN)/python benchmarks/forecast_speed.py

# Rolling-origin backtests of the forecasts against seasonal naive (demo clients and public series).
backtest: $(STAMP)
	$(BIN)/nbreport demo-data
	$(BIN)/nbreport backtest

test: $(STAMP)
	$(BIN)/python -m pytest

# The canonical model, generated from the code (tests/test_model_doc.py fails when it drifts).
docs: $(STAMP)
	$(BIN)/nbreport metrics --columns > docs/sources.md

# The catalogues (src/nbreport/locale/*/LC_MESSAGES/nbreport.po) in step with the code's marked
# messages; `make messages LANGUAGES=fr` starts a new language (see docs/translating.md).
messages: $(STAMP)
	$(BIN)/python -m nbreport.i18n.messages $(LANGUAGES)

# Mutation testing of the comparison, coverage, KPI and period code (not part of `make test`).
# mutmut mutates the functions below and runs the fast unit tests named in pyproject's
# [tool.mutmut] against each mutant; then every metric of the registry gets structural mutants
# (tests/mutation_registry.py). Results and caches: mutants/ (git-ignored).
MUTATE_JOBS ?= 2
MUTATE_TARGETS := \
	'nbreport.metrics.kpis.*' \
	'nbreport.metrics.coverage.*' \
	'nbreport.metrics.daily.x_period_totals__mutmut_*' \
	'nbreport.metrics.daily.x_metric_value__mutmut_*' \
	'nbreport.metrics.daily.x_safe_divide__mutmut_*' \
	'nbreport.metrics.daily.x__keys__mutmut_*' \
	'nbreport.metrics.definitions.x_summed_inputs__mutmut_*' \
	'nbreport.metrics.definitions.x_is_additive__mutmut_*' \
	'nbreport.core.period.x*Period*previous__mutmut_*' \
	'nbreport.core.period.x*Period*same_period_last_year__mutmut_*' \
	'nbreport.core.period.x*Period*to_date__mutmut_*' \
	'nbreport.core.period.x*Period*month__mutmut_*' \
	'nbreport.core.period.x*Period*quarter__mutmut_*' \
	'nbreport.core.period.x*Period*iso_week__mutmut_*' \
	'nbreport.core.period.x*Period*year__mutmut_*' \
	'nbreport.core.period.x__one_year_earlier__mutmut_*' \
	'nbreport.core.period.x__calendar_period_containing__mutmut_*'

mutate: $(STAMP)
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTATE_TARGETS)
	$(BIN)/python tests/mutation_report.py $(MUTATE_TARGETS)
	$(BIN)/python tests/mutation_registry.py -j $(MUTATE_JOBS)

# the data layer on a big client (1.3 million rows): time and peak memory against a pandas baseline
bench-data: $(STAMP)
	$(BIN)/python benchmarks/bench_data.py

# preview and source load of a 1M-row hit export reshaped by transform steps, against pandas by hand
bench-transform: $(STAMP)
	$(BIN)/python benchmarks/bench_transform.py

# the QA gate's recomputation of every KPI from the stored rows, per demo report (target < 0.2 s)
bench-truth: demo
	$(BIN)/python benchmarks/qa_truth.py

# nbreport run against four hand-written anchors (CLI loop, CLI loop two at a time, papermill API
# pool, warm in-process pool), on the same clients, in one run
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py

# 500 generated clients: time and memory per client over the run, and on a local Dask cluster
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

# one client's report compute (every notebook cell, no kernel start or export) against an earlier commit
bench-report: $(STAMP)
	$(BIN)/nbreport demo-data
	$(BIN)/python benchmarks/report_compute.py

clean:
	rm -rf $(VENV) outputs/*/ outputs/index.html
	@echo "client data in data/ is left alone; delete demo folders by hand if you want them gone"
