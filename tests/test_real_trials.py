"""Acceptance trials on real public exports: configured by params only, checked against pandas.

Each trial is one client of a throw-away project: a params file whose ``sources`` point at a
copy of one public file of ``../shared/data/real/`` in the client's data folder (the file
itself, untouched: every quirk is handled by ``sources[].mapping``), and a period to report.
All trials of one file run in one ``nbreport run --all`` batch. The test then reads the raw
file with plain pandas, computes every KPI over the reported window and its two comparison
windows (rules in ``real_trials_expected.py``), and compares them with the run summary in
``outputs/<period>/manifest.json`` and with the scorecard a client reads in ``report.html``.

Per file: a complete month, a month to date (``as_of``), a 30-day month after a 31-day one, a
month without data a year before (the file's first year) and an ISO week, where the file's
dates allow it (see ``FILES``).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from tests import real_trials_expected as ex
from tests.approved import approve_drafts
from tests.conftest import REAL_DATA, REPO
from tests.real_trials_expected import KpiExpectation as K
from tests.real_trials_files import FILES, RealFile, Trial
from tests.scorecard_html import Scorecard, read_scorecard

from nbreport.batch import ClientResult, run_batch
from nbreport.settings import Settings

pytestmark = [pytest.mark.kernel, pytest.mark.realdata]

TRIALS = [pytest.param(real_file, trial, id=real_file.client_id(trial))
          for real_file in FILES for trial in real_file.trials]


# --- one project and one batch per file --------------------------------------------------------

def _params(real_file: RealFile, trial: Trial) -> dict[str, Any]:
    params: dict[str, Any] = {
        "client": {"id": real_file.client_id(trial), **real_file.client},
        "period": trial.period,
        "sources": real_file.sources,
        "kpis": [{"metric": k.metric, "label": k.label, "headline": True} for k in real_file.kpis],
    }
    if trial.as_of:
        params["as_of"] = trial.as_of
    if len(real_file.sources) > 1:  # two exports of one kind: different rows, to be added up
        params["overlaps"] = [{"sources": [s["name"] for s in real_file.sources],
                               "relation": "parts"}]
    return params


def _project(root: Path, real_file: RealFile) -> Settings:
    """A project whose clients are the file's trials, each with a copy of the file as data."""
    for folder in ("notebooks", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "params").mkdir()
    shutil.copy(REPO / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    for trial in real_file.trials:
        client_id = real_file.client_id(trial)
        (root / "params" / f"{client_id}.yaml").write_text(
            yaml.safe_dump(_params(real_file, trial), sort_keys=False))
        approve_drafts(root, client_id, trial.period)  # nobody writes commentary for a trial
        data = root / "data" / client_id
        data.mkdir(parents=True)
        for name in real_file.files:  # a copy: symlinks out of a client's folder are refused
            shutil.copy(REAL_DATA / name, data / name)
    return Settings.for_project(root)


@dataclass
class Outcome:
    """What one batch produced for one file."""

    settings: Settings
    results: dict[str, ClientResult]  # by client id
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)  # period key -> manifest

    def entry(self, client_id: str, period_key: str) -> dict[str, Any]:
        if period_key not in self.manifests:
            path = self.settings.outputs_dir / period_key / "manifest.json"
            self.manifests[period_key] = json.loads(path.read_text())
        return self.manifests[period_key]["clients"][client_id]

    def html(self, client_id: str, period_key: str) -> str:
        return (self.settings.outputs_dir / period_key / client_id / "report.html").read_text()


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> Callable[[RealFile], Outcome]:
    """Runs each file's batch the first time one of its trials asks for it."""
    if not REAL_DATA.is_dir():
        pytest.skip("real data not found at ../shared/data/real (see its MANIFEST.md)")
    done: dict[str, Outcome] = {}

    def run(real_file: RealFile) -> Outcome:
        if real_file.key not in done:
            settings = _project(tmp_path_factory.mktemp(f"trials-{real_file.key}"), real_file)
            outcome = run_batch(settings, None)  # as `nbreport run --all`
            done[real_file.key] = Outcome(settings, {r.client_id: r for r in outcome.results})
        return done[real_file.key]

    return run


def _produced(batches: Callable[[RealFile], Outcome], real_file: RealFile,
              trial: Trial) -> tuple[Outcome, str]:
    """The file's batch, and the trial's period key, once its report is known to exist."""
    outcome = batches(real_file)
    client_id = real_file.client_id(trial)
    result = outcome.results[client_id]
    assert result.status == "ok", f"{client_id}: {result.status}: {result.error}"
    return outcome, result.period


def _expected(real_file: RealFile,
              trial: Trial) -> tuple[ex.Windows, list[ex.ExpectedKpi], pd.DataFrame]:
    rows = real_file.read(REAL_DATA)
    windows = ex.windows_for(trial.period, trial.as_of)
    return windows, [ex.expected_kpi(rows, kpi, windows) for kpi in real_file.kpis], rows


# --- the checks ---------------------------------------------------------------------------------

def _close(shown: float | None, expected: float | None) -> bool:
    if expected is None or shown is None:
        return shown is None and expected is None
    return abs(shown - expected) <= 1e-9 * max(1.0, abs(expected))


def _window_text(window: ex.Window | None) -> str:
    return "not covered" if window is None else f"{window.start}..{window.end}"


def _covered(rows: pd.DataFrame, windows: ex.Windows) -> dict[str, ex.Window | None]:
    """Each comparison window, or None when no source covers it (the comparison is omitted)."""
    return {"now": windows.now,
            "previous": windows.previous if ex.is_covered(rows, windows.previous) else None,
            "last_year": windows.last_year if ex.is_covered(rows, windows.last_year) else None}


@pytest.mark.parametrize(("real_file", "trial"), TRIALS)
def test_report_is_produced_from_params_alone(batches: Callable[[RealFile], Outcome],
                                              real_file: RealFile, trial: Trial) -> None:
    outcome, period_key = _produced(batches, real_file, trial)
    html = outcome.html(real_file.client_id(trial), period_key)
    assert read_scorecard(html).rows, "the scorecard has no KPI rows"


@pytest.mark.parametrize(("real_file", "trial"), TRIALS)
def test_report_passes_the_qa_gate(batches: Callable[[RealFile], Outcome], real_file: RealFile,
                                   trial: Trial) -> None:
    """The gate (numbers recomputed from the stored rows, one value per label...) passes a
    correct report of real data: a false alarm would hold it back from the client."""
    outcome, period_key = _produced(batches, real_file, trial)
    client_id = real_file.client_id(trial)
    qa = outcome.entry(client_id, period_key)["qa"]
    assert qa["passed"], qa["failed"]
    verdicts = json.loads((outcome.settings.outputs_dir / period_key / "qa.json").read_text())
    assert verdicts["clients"][client_id]["passed"], verdicts["clients"][client_id]["checks"]


@pytest.mark.parametrize(("real_file", "trial"), TRIALS)
def test_run_summary_holds_the_numbers_pandas_finds(batches: Callable[[RealFile], Outcome],
                                                     real_file: RealFile, trial: Trial) -> None:
    outcome, period_key = _produced(batches, real_file, trial)
    summary = outcome.entry(real_file.client_id(trial), period_key)["summary"]
    windows, expected, rows = _expected(real_file, trial)
    covered = _covered(rows, windows)
    problems: list[str] = []
    if summary.get("reported") != windows.now.as_dict():
        problems.append(f"reported: expected {windows.now.as_dict()}, "
                        f"got {summary.get('reported')}")
    full = {**windows.whole.as_dict(), "kind": windows.kind, "key": trial.period}
    if summary.get("full_period") != full:
        problems.append(f"full_period: expected {full}, got {summary.get('full_period')}")
    shown = {kpi["label"]: kpi for kpi in summary["kpis"]}
    for spec, want in zip(real_file.kpis, expected, strict=True):
        kpi = shown.get(want.label)
        if kpi is None:
            problems.append(f"{want.label}: not in the run summary (labels: {sorted(shown)})")
            continue
        for name, window in (("actual", covered["now"]), ("previous", covered["previous"]),
                             ("last_year", covered["last_year"])):
            value = getattr(want, name)
            if not _close(kpi.get(name), value):
                problems.append(f"{want.label} {name} ({_window_text(window)}): expected {value}, "
                                f"got {kpi.get(name)}")
        for name in ("change_pct", "yoy_pct"):
            if not _close(kpi.get(name), getattr(want, name)):
                problems.append(f"{want.label} {name}: expected {getattr(want, name)}, "
                                f"got {kpi.get(name)}")
        problems += _period_problems(want.label, kpi.get("periods"), covered)
        problems += _input_problems(real_file, spec, kpi.get("inputs"))
    assert not problems, "\n".join(problems)


def _period_problems(label: str, periods: dict[str, Any] | None,
                     covered: dict[str, ex.Window | None]) -> list[str]:
    if periods is None:
        return [f"{label}: the run summary has no 'periods'"]
    problems = []
    for name, window in covered.items():
        want = None if window is None else window.as_dict()
        if periods.get(name) != want:
            problems.append(f"{label} periods.{name}: expected {want}, got {periods.get(name)}")
    return problems


def _input_problems(real_file: RealFile, spec: K, inputs: dict[str, Any] | None) -> list[str]:
    if inputs is None:
        return [f"{spec.label}: the run summary has no 'inputs'"]
    sources = sorted(source["name"] for source in real_file.sources)
    want = {metric: {"kind": real_file.kind, "sources": sources}
            for metric in real_file.inputs[spec.metric]}
    got = {metric: {"kind": value.get("kind"), "sources": sorted(value.get("sources", []))}
           for metric, value in inputs.items()}
    return [] if got == want else [f"{spec.label} inputs: expected {want}, got {got}"]


@pytest.mark.parametrize(("real_file", "trial"), TRIALS)
def test_scorecard_shows_the_numbers_pandas_finds(batches: Callable[[RealFile], Outcome],
                                                   real_file: RealFile, trial: Trial) -> None:
    outcome, period_key = _produced(batches, real_file, trial)
    card = read_scorecard(outcome.html(real_file.client_id(trial), period_key))
    windows, expected, rows = _expected(real_file, trial)
    covered = _covered(rows, windows)
    locale, currency = real_file.client["locale"], real_file.client["currency"]
    problems: list[str] = []
    for want in expected:
        if want.label not in card.rows:
            problems.append(f"{want.label}: no scorecard row (rows: {sorted(card.rows)})")
            continue
        values = {"actual": want.actual, "previous": want.previous, "last_year": want.last_year}
        for role, value in values.items():
            cell = card.cell(want.label, role)
            if role == "last_year" and cell is None:
                continue  # no last-year value column: the change on last year is checked below
            problems += _cell_problem(want.label, role, cell, None if value is None
                                      else ex.formatted(value, want.unit, locale, currency))
        for role, compared in (("change", want.previous), ("yoy", want.last_year)):
            problems += _cell_problem(want.label, role, card.cell(want.label, role),
                                      ex.formatted_kpi_change(want, compared, locale))
    problems += _label_problems(card, windows, covered)
    assert not problems, "\n".join(problems)


def _cell_problem(label: str, role: str, cell: str | None, want: str | None) -> list[str]:
    if want is None:
        ok = ex.shows_no_number(cell)
        return [] if ok else [f"{label} {role}: expected no number (missing), shown {cell!r}"]
    return [] if cell == want else [f"{label} {role}: expected {want!r}, shown {cell!r}"]


def _label_problems(card: Scorecard, windows: ex.Windows,
                    covered: dict[str, ex.Window | None]) -> list[str]:
    problems = []
    if windows.partial:
        pattern = ex.label_pattern(windows.now, windows.kind, partial=True)
        if not re.search(pattern, card.caption):
            problems.append(f"caption {card.caption!r} does not name the days reported ({pattern})")
    if covered["previous"] is not None:
        header = card.headers.get("previous", "")
        pattern = ex.label_pattern(windows.previous, windows.kind, windows.partial)
        if not re.search(pattern, header):
            problems.append(f"previous-period column {header!r} does not name "
                            f"{_window_text(windows.previous)} ({pattern})")
    return problems


@pytest.mark.parametrize("real_file",
                         [pytest.param(f, id=f.key) for f in FILES if f.private_columns])
def test_private_columns_never_reach_a_report(batches: Callable[[RealFile], Outcome],
                                              real_file: RealFile) -> None:
    outcome = batches(real_file)
    for name in real_file.files:
        raw = pd.read_csv(REAL_DATA / name)
        private = {str(v) for column in real_file.private_columns for v in raw[column].dropna()}
        for trial in real_file.trials:
            _, period_key = _produced(batches, real_file, trial)
            html = outcome.html(real_file.client_id(trial), period_key)
            leaked = sorted(value for value in private if value in html)
            assert not leaked, f"{real_file.client_id(trial)} prints {leaked[:5]}"
