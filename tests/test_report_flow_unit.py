"""The one-way flow of a report, module by module: inputs -> analysis -> results -> artifacts.

Expected values come from the demo's raw exports read with plain pandas
(:mod:`tests.raw_exports`) or from small hand-built exports, never from the code under test.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from tests import raw_exports as raw
from tests.conftest import REPO

import nbreport.report.artifacts as artifacts_module
from nbreport.commentary.view import ReportFacts
from nbreport.core.compute_cache import CACHE_FOLDER, CACHE_VARIABLE
from nbreport.core.errors import ParamsError
from nbreport.core.formatting import Formatter
from nbreport.metrics.definitions import METRICS
from nbreport.metrics.overlaps import overlap_tables
from nbreport.report.analysis import analyse
from nbreport.report.context import Report, commentary_view, open_report
from nbreport.report.inputs import ReportInputs, load_inputs
from nbreport.report.results import ReportResults
from nbreport.report.wins import collect_insights, watched_metrics


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def empty_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """No earlier reports: the stored forecasts do not depend on what a developer ran."""
    return tmp_path_factory.mktemp("no-outputs")


@pytest.fixture(scope="module")
def ledgerline_inputs(demo_data_dir: Path, empty_outputs: Path) -> ReportInputs:
    return load_inputs("ledgerline", period="2026-10", project_dir=REPO, data_dir=demo_data_dir,
                       outputs_dir=empty_outputs)


@pytest.fixture(scope="module")
def ledgerline_results(ledgerline_inputs: ReportInputs) -> ReportResults:
    return analyse(ledgerline_inputs)


def _october_leads(demo_data_dir: Path) -> int:
    return len(raw.in_month(raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv")))


# --- inputs ---------------------------------------------------------------------------------
def test_load_inputs_reads_params_data_and_commentary(ledgerline_inputs: ReportInputs,
                                                       demo_data_dir: Path) -> None:
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())
    assert ledgerline_inputs.client_id == "ledgerline"
    assert ledgerline_inputs.params.period.key == "2026-10"
    assert [s.name for s in ledgerline_inputs.params.sources] == [s["name"] for s in declared["sources"]]
    deals = raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv")
    assert len(ledgerline_inputs.data.table("crm")) == len(deals)
    written = (REPO / "commentary" / "ledgerline" / "2026-10.md").read_text()
    assert ledgerline_inputs.commentary.text is not None
    assert ledgerline_inputs.commentary.text.strip() == written.strip()
    notes = yaml.safe_load((REPO / "commentary" / "ledgerline" / "context.yaml").read_text())
    assert len(ledgerline_inputs.context_notes) == len(notes["events"] if isinstance(notes, dict)
                                                       else notes)
    assert ledgerline_inputs.project_dir == REPO.resolve()


def test_load_inputs_refuses_parameters_of_another_client(ledgerline_inputs: ReportInputs,
                                                           demo_data_dir: Path) -> None:
    plain = ledgerline_inputs.params.model_dump(mode="json")
    with pytest.raises(ParamsError) as caught:
        load_inputs("northwind-outfitters", params=plain, project_dir=REPO, data_dir=demo_data_dir)
    message = str(caught.value)
    assert "client.id" in message and "'ledgerline'" in message and "northwind-outfitters" in message


# --- analysis and results -------------------------------------------------------------------
def test_analyse_reads_and_writes_no_file(ledgerline_inputs: ReportInputs,
                                          ledgerline_results: ReportResults, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          demo_data_dir: Path) -> None:
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"analyse read a file: {args[:1]}")

    for reader in ("read_csv", "read_parquet", "read_excel", "read_json"):
        monkeypatch.setattr(pd, reader, no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    before = _tree(demo_data_dir), _tree(REPO / "commentary"), _tree(REPO / "params")
    monkeypatch.chdir(tmp_path)
    again = analyse(ledgerline_inputs)
    assert list(tmp_path.iterdir()) == []
    assert (_tree(demo_data_dir), _tree(REPO / "commentary"), _tree(REPO / "params")) == before
    assert again.to_dict() == ledgerline_results.to_dict()  # the same inputs, the same figures


def test_results_pickle_and_serialise_as_plain_json(ledgerline_results: ReportResults) -> None:
    copy = pickle.loads(pickle.dumps(ledgerline_results))
    assert copy.to_dict() == ledgerline_results.to_dict()
    pd.testing.assert_frame_equal(copy.daily, ledgerline_results.daily)
    text = json.dumps(ledgerline_results.to_dict(), allow_nan=False)  # NaN would raise
    back = json.loads(text)
    assert back == ledgerline_results.to_dict()  # nothing but plain JSON values inside
    assert back["client_id"] == "ledgerline" and back["schema"] == 1
    assert "daily" not in back and "daily_by_channel" not in back


def test_results_are_frozen(ledgerline_results: ReportResults) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ledgerline_results.client_id = "someone-else"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ledgerline_results.kpis = ()  # type: ignore[misc]


def test_is_comparable_names_an_unknown_metric(ledgerline_results: ReportResults) -> None:
    with pytest.raises(KeyError, match="no_such_metric"):
        ledgerline_results.is_comparable("no_such_metric")
    # the demo has September's leads, so October's change is reported
    assert ledgerline_results.is_comparable("leads") is True


def test_kpi_value_and_previous_label(ledgerline_results: ReportResults, demo_data_dir: Path) -> None:
    leads = next(r for r in ledgerline_results.kpis if r.metric == "leads")
    assert leads.actual == _october_leads(demo_data_dir)
    september = raw.in_month(raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv"), "2026-09")
    assert leads.previous == len(september)
    assert ledgerline_results.previous_label == "September 2026"
    assert not ledgerline_results.partial


# --- the report and its artifacts -----------------------------------------------------------
def test_open_report_without_a_folder_writes_nothing(demo_data_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     empty_outputs: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    before = _tree(REPO / "outputs")
    report = open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir,
                         outputs_dir=empty_outputs)
    assert report.artifacts == ()
    # nothing but the compute cache, which never holds a report's file (tests/test_compute_cache.py)
    assert list(tmp_path.iterdir()) == [] and list(empty_outputs.iterdir()) == [
        empty_outputs / CACHE_FOLDER]
    assert _tree(REPO / "outputs") == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.artifacts = ("x",)  # type: ignore[misc]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path,
            empty_outputs: Path) -> tuple[Report, Path]:
    folder = tmp_path_factory.mktemp("artifacts")
    report = open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir,
                         outputs_dir=empty_outputs, artifacts_dir=folder)
    return report, folder


def test_open_report_writes_exactly_its_artifacts(written: tuple[Report, Path]) -> None:
    report, folder = written
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())
    kinds = {source["kind"] for source in declared["sources"]}
    expected = {"forecasts.json", "results.json", *(f"rows-{kind}.parquet" for kind in kinds)}
    assert {p.name for p in folder.iterdir()} == expected
    assert report.artifacts == tuple(sorted(expected))


def test_results_json_holds_the_kpis_summed_from_the_raw_rows(written: tuple[Report, Path],
                                                              demo_data_dir: Path) -> None:
    report, folder = written
    stored = json.loads((folder / "results.json").read_text())
    kpis = {row["metric"]: row for row in stored["kpis"]}
    assert kpis["leads"]["actual"] == _october_leads(demo_data_dir)
    spend = raw.in_month(raw.ledgerline_ads(demo_data_dir / "ledgerline"))["spend"].sum()
    assert stored["budget"]["summary"]["spent"] == pytest.approx(spend)
    assert stored == json.loads(json.dumps(report.results.to_dict()))


def test_rows_files_hold_the_canonical_rows(written: tuple[Report, Path], demo_data_dir: Path) -> None:
    _, folder = written
    rows = pd.read_parquet(folder / "rows-crm.parquet")
    deals = raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv")
    assert len(rows) == len(deals)
    assert (rows["date"].astype(str).str[:7] == "2026-10").sum() == len(raw.in_month(deals))
    ads = pd.read_parquet(folder / "rows-ads.parquet")
    assert ads["spend"].sum() == pytest.approx(raw.ledgerline_ads(demo_data_dir / "ledgerline")["spend"].sum())


def test_forecasts_json_is_what_the_results_forecast(written: tuple[Report, Path]) -> None:
    report, folder = written
    stored = json.loads((folder / "forecasts.json").read_text())
    assert "ledgerline" in json.dumps(stored)
    available = [k.metric for k in report.results.forecasts.kpis if k.available]
    assert available and all(metric in json.dumps(stored) for metric in available)


def test_write_artifacts_again_lists_the_same_names(written: tuple[Report, Path],
                                                    tmp_path: Path) -> None:
    report, _ = written
    names = artifacts_module.write_artifacts(report.inputs, report.results, tmp_path)
    assert names == report.artifacts == tuple(sorted(p.name for p in tmp_path.iterdir()))


# --- the commentary's view ------------------------------------------------------------------
def test_commentary_view_carries_the_results_objects(written: tuple[Report, Path]) -> None:
    report, _ = written
    facts = commentary_view(report.inputs, report.results, report.fmt)
    assert isinstance(facts, ReportFacts)
    assert facts.kpis is report.results.kpis
    assert all(any(h is k for k in facts.kpis) for h in facts.headline)
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())
    flagged = [k["metric"] for k in declared["kpis"] if k.get("headline")]
    assert [h.metric for h in facts.headline] == flagged
    assert facts.client_name == "Ledgerline Ltd" and facts.industry == "B2B software"
    assert facts.locale == "en_GB" and facts.period == report.results.period
    assert facts.contributions is report.results.contributions
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.client_name = "x"  # type: ignore[misc]


# --- overlaps -------------------------------------------------------------------------------
def test_overlap_tables_add_up_the_ad_platforms(ledgerline_inputs: ReportInputs,
                                                ledgerline_results: ReportResults,
                                                demo_data_dir: Path) -> None:
    folder = demo_data_dir / "ledgerline"
    tables = overlap_tables(ledgerline_inputs.params, ledgerline_inputs.data,
                            ledgerline_results.reported)
    assert [t.overlap.sources for t in tables] == [["google-ads", "linkedin-ads"],
                                                   ["nps-survey", "effort-survey"]]
    ads = tables[0].frame.set_index("Source")
    spend = {"google-ads": raw.in_month(raw.google_ads_api(folder / "google-ads.csv"))["spend"].sum(),
             "linkedin-ads": raw.in_month(raw.linkedin_ads(folder / "linkedin-ads.csv"))["spend"].sum()}
    label = METRICS["spend"].label
    share = f"Share of {label.lower()}"
    for source, amount in spend.items():
        assert ads.loc[source, label] == pytest.approx(amount)
        assert ads.loc[source, share] == pytest.approx(amount / sum(spend.values()))
        assert ads.loc[source, "Role"] == "Added up"
    assert ads.loc["Total", label] == pytest.approx(sum(spend.values()))
    assert ads.loc["Total", share] == 1.0
    assert tables[0].units[label] == "currency" and tables[0].units[share] == "percent"
    for mine, kept in zip(tables, ledgerline_results.overlaps, strict=True):  # analyse keeps these
        pd.testing.assert_frame_equal(mine.frame, kept.frame)


def test_overlap_tables_count_each_surveys_responses(ledgerline_inputs: ReportInputs,
                                                    ledgerline_results: ReportResults,
                                                    demo_data_dir: Path) -> None:
    surveys = overlap_tables(ledgerline_inputs.params, ledgerline_inputs.data,
                             ledgerline_results.reported)[1].frame.set_index("Source")
    responses = raw.in_month(raw.delighted(demo_data_dir / "ledgerline" / "surveys.jsonl"))
    nps = METRICS["nps_responses"].label
    assert surveys.loc["nps-survey", nps] == (responses["scale"] == "nps").sum()
    assert "Total" not in surveys.index  # scales differ: responses are not added up
    assert not any(column.startswith("Share") for column in surveys.columns)


# --- wins and challenges on a hand-built client ---------------------------------------------
def _leads_export(rng: np.random.Generator) -> pd.DataFrame:
    """1 or 3 leads a day in September, 5 or 7 a day in October (days must vary, else the
    change has no spread to test), from two channels."""
    rows = []
    for day in pd.date_range("2026-09-01", "2026-10-31"):
        odd = day.day % 2
        for _ in range((1 if odd else 3) if day.month == 9 else (5 if odd else 7)):
            rows.append({"date": day.strftime("%Y-%m-%d"), "lead_id": f"L{len(rows):05d}",
                         "channel": str(rng.choice(["Paid Search", "Email"])), "stage": "lead"})
    return pd.DataFrame(rows)


def _survey_export(rng: np.random.Generator) -> pd.DataFrame:
    days = pd.date_range("2026-09-01", "2026-10-31").strftime("%Y-%m-%d")
    csat = pd.DataFrame({"date": rng.choice(days, 80), "score": rng.integers(1, 6, 80), "scale": "csat"})
    ces = pd.DataFrame({"date": rng.choice(days, 40), "score": rng.integers(1, 8, 40), "scale": "ces"})
    frame = pd.concat([csat, ces], ignore_index=True)
    return frame.assign(response_id=[f"R{i}" for i in range(len(frame))])


@pytest.fixture(scope="module")
def small_client(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportInputs, pd.DataFrame]:
    root = tmp_path_factory.mktemp("small-client")
    rng = np.random.default_rng(11)
    leads = _leads_export(rng)
    (root / "data" / "acme").mkdir(parents=True)
    leads.to_csv(root / "data" / "acme" / "crm.csv", index=False)
    _survey_export(rng).to_csv(root / "data" / "acme" / "survey.csv", index=False)
    params = {"client": {"id": "acme", "name": "Acme Ltd", "currency": "GBP", "locale": "en_GB"},
              "period": "2026-10",
              "sources": [{"name": "crm", "kind": "crm", "path": "crm.csv"},
                          {"name": "survey", "kind": "survey", "path": "survey.csv"}],
              "kpis": [{"metric": "leads", "label": "Enquiries", "target": 100}]}
    (root / "params").mkdir()
    (root / "params" / "acme.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    return load_inputs("acme", project_dir=root), leads


def test_watched_metrics_are_the_kpis_then_the_scores_with_data(
        small_client: tuple[ReportInputs, pd.DataFrame]) -> None:
    inputs, _ = small_client
    refs = watched_metrics(inputs.params, inputs.data)
    # csat and ces responses exist; no nps answers and no help desk: those are left out
    assert [r.metric for r in refs] == ["leads", "csat", "ces"]
    assert refs[0].label == "Enquiries"


def test_collect_insights_finds_the_tripled_leads(small_client: tuple[ReportInputs, pd.DataFrame]) -> None:
    inputs, leads = small_client
    results = analyse(inputs)
    october = int(leads["date"].str.startswith("2026-10").sum())
    september = int(leads["date"].str.startswith("2026-09").sum())
    assert (october, september) == (16 * 5 + 15 * 7, 15 * 1 + 15 * 3)
    insights = collect_insights(
        inputs.params, inputs.data, Formatter("GBP", "en_GB"),
        kpis=results.kpis, comparable=results.comparable, periods=results.comparison_periods,
        contributions=results.contributions, daily_by_channel=results.daily_by_channel,
        triangulation=results.triangulation, budget=results.budget,
        customer_success=results.customer_success, source_for={})
    assert insights == results.insights
    change = next(i for i in insights.wins if i.topic == "change" and i.metric == "leads")
    assert (change.value, change.reference) == (october, september)
    assert change.reference_label == "September 2026"
    assert change.change == pytest.approx((october - september) / september)
    # the target was beaten too, but one insight per subject: the bigger effect (the change) wins
    assert [i.topic for i in insights.wins if i.subject == "Enquiries"] == ["change"]
    # the channel behind most of the change among those with enough leads in both months
    # (min_volume, 30 by default), by plain pandas
    by_channel = leads.assign(month=leads["date"].str[:7]).pivot_table(
        index="channel", columns="month", values="lead_id", aggfunc="count")
    eligible = by_channel[(by_channel >= inputs.params.insights.min_volume).all(axis=1)]
    assert 0 < len(eligible) < len(by_channel)  # the case has a channel too small to count
    best = (eligible["2026-10"] - eligible["2026-09"]).idxmax()
    driver = next(i for i in insights.wins if i.topic == "driver")
    assert driver.subject == f"Enquiries from {best}"
    assert (driver.value, driver.reference) == (eligible.loc[best, "2026-10"],
                                                eligible.loc[best, "2026-09"])
    assert insights.challenges == []  # every number rose: nothing to regret


# --- preload --------------------------------------------------------------------------------
# Importing nbreport.report.preload does its work at once (that is its purpose), so it is
# imported in a fresh process, never in the test process.
PRELOAD_CHECK = """
import json, sys
import nbreport.report.preload as preload
from nbreport.report.fragment import _environment
env = _environment()
cached = sorted({key[1] for key in env.cache.keys()})
found = {'loaded': preload.preload(), 'modules': list(preload.MODULES),
         'imported': [m for m in preload.MODULES if m in sys.modules],
         'cached': cached, 'templates': env.list_templates()}
preload.MODULES = ('json', 'no_such_module_for_nbreport')
found['skipping'] = preload.preload()
print(json.dumps(found))
"""


def test_preload_in_a_fresh_process_loads_modules_and_compiles_templates(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", PRELOAD_CHECK], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == found["imported"]  # what it says it loaded is in sys.modules
    assert set(found["loaded"]) <= set(found["modules"])
    assert {"nbreport.report.summary", "nbreport.commentary.compose", "mistune"} <= set(found["loaded"])
    templates = [t for t in found["templates"] if t.endswith(".j2")]
    assert templates and set(templates) <= set(found["cached"])
    assert found["skipping"] == ["json"]  # a module not installed is skipped, not fatal
    assert list(tmp_path.iterdir()) == []  # it writes nothing

