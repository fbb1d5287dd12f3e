"""The gate recomputes the numbers: every KPI of the run summary against the stored rows.

The synthetic reports here are written to the run summary's contract with numbers computed
by plain pandas in this file; the gate must pass them as they are and fail every tampered
number, bound, missing value and tile, naming it.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from nbreport.core.formatting import Formatter
from nbreport.params import ClientParams, params_from_plain
from nbreport.qa import checks
from nbreport.qa.checks import CHECKS, ReportUnderCheck, check_report, numbers_recomputed
from nbreport.qa.recompute import Evidence, Selection, columns_needed, metric_query
from nbreport.qa.truth import TRUTH
from nbreport.core.period import Period
from nbreport.report.evidence import write_evidence
from tests.frames import days, table

FMT = Formatter("USD", "en_US")
UNITS = {"revenue": "currency", "spend": "currency", "blended_roas": "multiple", "cost_per_lead": "currency",
         "deals_won": "count", "blended_roi": "percent", "leads": "count"}
INPUTS = {"revenue": {"revenue": ("orders", ["shop"])},
          "spend": {"spend": ("ads", ["google-ads", "meta-ads"])},
          "blended_roas": {"revenue": ("orders", ["shop"]), "spend": ("ads", ["google-ads", "meta-ads"])},
          "cost_per_lead": {"spend": ("ads", ["google-ads", "meta-ads"]), "leads": ("crm", ["hubspot"])},
          "deals_won": {"deals_won": ("crm", ["hubspot"])},
          "blended_roi": {"revenue": ("orders", ["shop"]), "spend": ("ads", ["google-ads", "meta-ads"])},
          "leads": {"leads": ("crm", ["hubspot"])}}
KPIS = [{"metric": "revenue", "headline": True}, {"metric": "spend"}, {"metric": "blended_roas", "headline": True},
        {"metric": "cost_per_lead", "headline": True}, {"metric": "deals_won"}, {"metric": "blended_roi"},
        {"metric": "leads"}]
# The shop's orders start in January 2026 and Meta's ads in March 2026: October 2025 is not
# (or not all) covered, so last year's revenue, spend and every KPI made from them are unknown
# (no value), never 0. The CRM holds every day but no lead was created in September 2026: its
# leads then are a real 0.
NOT_COVERED = {(metric, "last_year") for metric in ("revenue", "spend", "blended_roas", "cost_per_lead", "blended_roi")}


# --- the synthetic client: rows, and the numbers computed from them with plain pandas -----------
def tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(16)

    def ads(source: str, start: str) -> pd.DataFrame:
        dates = days(start, "2026-10-31")
        return table("ads", [{"date": d, "campaign": "Brand", "impressions": float(rng.integers(900, 1100)),
                              "clicks": float(rng.integers(40, 60)), "spend": round(float(rng.uniform(50, 150)), 2),
                              "conversions": float(rng.integers(0, 5))} for d in dates], source)

    orders = table("orders", [{"date": d, "order_id": f"o{i}", "revenue": round(float(rng.uniform(20, 400)), 2)}
                              for i, d in enumerate(days("2026-01-01", "2026-10-31") * 2)], "shop")
    crm_rows = []
    for i, d in enumerate(days("2025-01-01", "2026-10-31")):
        stage = ["lead", "opportunity", "won", "lost"][int(rng.integers(0, 4))]
        closed = pd.Timestamp(d) + pd.Timedelta(days=int(rng.integers(3, 20))) if stage in ("won", "lost") else None
        crm_rows.append({"date": d, "lead_id": f"l{i}", "stage": stage, "close_date": closed,
                         "amount": 900.0 if stage == "won" else None})
    crm = table("crm", crm_rows, "hubspot")
    crm = crm[crm["close_date"].isna() | (crm["close_date"] <= "2026-10-31")]
    crm = crm[(crm["date"] < "2026-09-01") | (crm["date"] > "2026-09-30")].reset_index(drop=True)
    return {"ads": pd.concat([ads("google-ads", "2025-09-15"), ads("meta-ads", "2026-03-01")], ignore_index=True),
            "orders": orders, "crm": crm}


def between(frame: pd.DataFrame, period: Period, column: str = "date") -> pd.DataFrame:
    return frame[(frame[column] >= pd.Timestamp(period.start)) & (frame[column] <= pd.Timestamp(period.end))]


def pandas_value(metric: str, rows: dict[str, pd.DataFrame], period: Period) -> float | None:
    revenue = between(rows["orders"], period)["revenue"].sum()
    spend = between(rows["ads"], period)["spend"].sum()
    leads = len(between(rows["crm"], period))
    won = between(rows["crm"], period, "close_date")
    values = {"revenue": revenue, "spend": spend, "leads": leads,
              "deals_won": float((won["stage"] == "won").sum()),
              "blended_roas": revenue / spend if spend else None,
              "cost_per_lead": spend / leads if leads else None,
              "blended_roi": (revenue - spend) / spend if spend else None}
    value = values[metric]
    return None if value is None else float(value)


def change(now: float | None, before: float | None) -> float | None:
    return None if now is None or not before else (now - before) / abs(before)


def bounds(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def make_params(as_of: str | None = None) -> ClientParams:
    plain: dict[str, Any] = {
        "client": {"id": "acme", "name": "Acme", "currency": "USD", "locale": "en_US"},
        "period": "2026-10",
        "sources": [{"name": "google-ads", "kind": "ads", "path": "g.csv"},
                    {"name": "meta-ads", "kind": "ads", "path": "m.csv"},
                    {"name": "shop", "kind": "orders", "path": "o.csv"},
                    {"name": "hubspot", "kind": "crm", "path": "c.csv"}],
        "overlaps": [{"sources": ["google-ads", "meta-ads"], "relation": "parts"}],
        "kpis": KPIS}
    if as_of:
        plain["as_of"] = as_of
    return params_from_plain(plain)


def make_summary(rows: dict[str, pd.DataFrame], params: ClientParams) -> dict[str, Any]:
    """The run summary of a correct report, to the contract, numbers from plain pandas."""
    full, reported = params.period, params.report_period
    partial = reported != full
    previous, last_year = full.previous(), full.same_period_last_year()
    if partial:  # a month to date: the same first days of each comparison period
        previous = Period(previous.start, previous.start + (reported.end - reported.start))
        last_year = Period(last_year.start, last_year.start + (reported.end - reported.start))
    kpis = []
    for spec in KPIS:
        metric = spec["metric"]
        periods = {"now": reported, "previous": previous, "last_year": last_year}
        values = {key: None if (metric, key) in NOT_COVERED else pandas_value(metric, rows, period)
                  for key, period in periods.items()}
        kpis.append({
            "metric": metric, "label": metric, "unit": UNITS[metric],
            "actual": values["now"], "previous": values["previous"], "last_year": values["last_year"],
            "change_pct": change(values["now"], values["previous"]),
            "yoy_pct": change(values["now"], values["last_year"]),
            "periods": {key: None if (metric, key) in NOT_COVERED else bounds(period)
                        for key, period in periods.items()},
            "inputs": {name: {"kind": kind, "sources": sources} for name, (kind, sources) in INPUTS[metric].items()}})
    headline = [{"metric": k["metric"], "value": FMT.value(k["actual"], k["unit"]),
                 "change": FMT.change(k["change_pct"])} for k in kpis if k["metric"] in ("revenue", "blended_roas", "cost_per_lead")]
    sources = []
    for kind, frame in rows.items():
        for source, part in frame.groupby("source"):
            sources.append({"source": source, "kind": kind, "rows_used": len(part),
                            "first_date": part["date"].min().date().isoformat(),
                            "last_date": part["date"].max().date().isoformat()})
    return {"client_id": "acme", "period": full.key,
            "full_period": {**bounds(full), "kind": full.kind, "key": full.key},
            "reported": bounds(reported), "headline": headline, "kpis": kpis, "sources": sources,
            "review": {"publishable": True, "reasons": []}}


@pytest.fixture(scope="module")
def rows() -> dict[str, pd.DataFrame]:
    return tables()


@pytest.fixture
def folder(tmp_path: Path, rows: dict[str, pd.DataFrame]) -> Path:
    assert write_evidence(rows, tmp_path) == ["rows-ads.parquet", "rows-crm.parquet", "rows-orders.parquet"]
    return tmp_path


def subject(folder: Path, summary: dict[str, Any], params: ClientParams | None = None) -> ReportUnderCheck:
    return ReportUnderCheck(client_id="acme", html="<p>report</p>", summary=summary,
                            params=params or make_params(), folder=folder)


def kpi(summary: dict[str, Any], metric: str) -> dict[str, Any]:
    return next(k for k in summary["kpis"] if k["metric"] == metric)


# --- an honest report passes ---------------------------------------------------------------
def test_a_correct_report_passes(folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    summary = make_summary(rows, make_params())
    assert kpi(summary, "spend")["last_year"] is None and kpi(summary, "deals_won")["last_year"] > 0
    assert kpi(summary, "leads")["previous"] == 0 and kpi(summary, "cost_per_lead")["previous"] is None
    result = numbers_recomputed(subject(folder, summary))
    assert result.passed, result.detail
    assert checks.numbers_recomputed in CHECKS
    assert {r.name: r.passed for r in check_report(subject(folder, summary))}[TRUTH]


def test_a_month_to_date_is_compared_with_the_same_first_days(folder: Path,
                                                              rows: dict[str, pd.DataFrame]) -> None:
    params = make_params(as_of="2026-10-15")
    summary = make_summary(rows, params)
    assert kpi(summary, "spend")["periods"]["previous"] == {"start": "2026-09-01", "end": "2026-09-15"}
    assert numbers_recomputed(subject(folder, summary, params)).passed
    whole = Period.month(2026, 9)  # a partial period compared with the whole previous month
    tampered = kpi(summary, "spend")
    tampered["periods"]["previous"] = bounds(whole)
    tampered["previous"] = pandas_value("spend", rows, whole)
    tampered["change_pct"] = change(tampered["actual"], tampered["previous"])
    result = numbers_recomputed(subject(folder, summary, params))
    assert not result.passed
    first_days = Period(whole.start, whole.start.replace(day=15))
    assert result.detail.startswith("spend previous period: stored as 2026-09-01..2026-09-30, must be "
                                    "2026-09-01..2026-09-15; ")
    assert (f"spend previous period 2026-09-01..2026-09-15: report {round(tampered['previous'], 6)}, "
            f"recomputed {round(pandas_value('spend', rows, first_days), 6)}") in result.detail


def test_a_summary_without_kpis_has_nothing_to_recompute() -> None:
    result = numbers_recomputed(ReportUnderCheck(client_id="acme", html="", summary={"kpis": []}))
    assert result.passed and result.detail == "no KPIs to recompute"


# --- every kind of wrong number fails, naming it ---------------------------------------------
def tamper_value(summary: dict[str, Any]) -> str:
    kpi(summary, "revenue")["actual"] *= 1.01
    return "revenue reported period 2026-10-01..2026-10-31: report "


def tamper_previous_by_a_cent(summary: dict[str, Any]) -> str:
    kpi(summary, "blended_roas")["previous"] += 0.01  # a multiple, shown with two decimals
    return "roas previous period 2026-09-01..2026-09-30: report "


def tamper_bound(summary: dict[str, Any]) -> str:
    kpi(summary, "deals_won")["periods"]["last_year"]["start"] = "2025-10-02"
    return "deals_won same period last year: stored as 2025-10-02..2025-10-31, must be 2025-10-01..2025-10-31"


def tamper_missing_as_zero(summary: dict[str, Any]) -> str:
    revenue = kpi(summary, "revenue")
    revenue["last_year"], revenue["yoy_pct"] = 0.0, None
    revenue["periods"]["last_year"] = {"start": "2025-10-01", "end": "2025-10-31"}
    return ("revenue same period last year 2025-10-01..2025-10-31: report 0, but no source of revenue "
            "holds a day of it (shop holds 2026-01-01..2026-10-31): missing is not zero")


def tamper_zero_as_missing(summary: dict[str, Any]) -> str:
    leads = kpi(summary, "leads")  # no lead in September, and the CRM holds September: a real 0
    leads["previous"] = leads["change_pct"] = leads["periods"]["previous"] = None
    return "leads previous period 2026-09-01..2026-09-30: report n/a, recomputed 0 (its sources cover it)"


def tamper_omitted_comparison_with_a_value(summary: dict[str, Any]) -> str:
    kpi(summary, "deals_won")["periods"]["previous"] = None
    return "deals_won previous period 2026-09-01..2026-09-30: the period is marked as having no value but holds "


def tamper_change(summary: dict[str, Any]) -> str:
    kpi(summary, "blended_roas")["yoy_pct"] = 0.25
    return "roas yoy_pct against 2025-10-01..2025-10-31: report +25.0%, recomputed n/a"


def tamper_tile_value(summary: dict[str, Any]) -> str:
    summary["headline"][0]["value"] = "$999,999"
    return "headline tile revenue: shows '$999,999', recomputed '$"


def tamper_tile_change(summary: dict[str, Any]) -> str:
    summary["headline"][2]["change"] = "+1.0%"  # September had no lead: no cost per lead
    return "headline tile cost_per_lead: change shows '+1.0%', recomputed 'n/a'"


def tamper_spread_over_a_part(summary: dict[str, Any]) -> str:
    spend = kpi(summary, "spend")  # Meta's ads start in March 2026: October 2025 is not all there
    spend["last_year"], spend["periods"]["last_year"] = 1234.0, {"start": "2025-10-01", "end": "2025-10-31"}
    spend["yoy_pct"] = (spend["actual"] - 1234.0) / 1234.0
    return ("spend same period last year 2025-10-01..2025-10-31: report 1234, but its sources do not hold "
            "all of it (google-ads holds 2025-09-15..2026-10-31, meta-ads holds 2026-03-01..2026-10-31)")


def tamper_inputs(summary: dict[str, Any]) -> str:
    kpi(summary, "blended_roas")["inputs"]["revenue"] = {"kind": "crm", "sources": ["hubspot"]}
    return "roas: revenue summed from crm rows of hubspot; the rows give orders rows of shop"


def tamper_full_period(summary: dict[str, Any]) -> str:
    summary["full_period"] = {"start": "2026-09-01", "end": "2026-09-30", "kind": "month", "key": "2026-09"}
    return "the run summary's full period"


def tamper_provenance(summary: dict[str, Any]) -> str:
    next(s for s in summary["sources"] if s["source"] == "shop")["rows_used"] += 1
    return "source shop: the report used 609 rows from 2026-01-01 to 2026-10-31, the stored rows hold 608"


@pytest.mark.parametrize("tamper", [
    tamper_value, tamper_previous_by_a_cent, tamper_bound, tamper_missing_as_zero, tamper_zero_as_missing,
    tamper_omitted_comparison_with_a_value, tamper_spread_over_a_part, tamper_change, tamper_tile_value, tamper_tile_change,
    tamper_inputs, tamper_full_period, tamper_provenance])
def test_a_wrong_number_fails_naming_it(folder: Path, rows: dict[str, pd.DataFrame], tamper: Any) -> None:
    summary = make_summary(rows, make_params())
    expected = tamper(summary)
    result = numbers_recomputed(subject(folder, summary))
    assert not result.passed
    assert expected in result.detail, result.detail


def test_the_values_named_are_the_report_s_and_the_recomputed_one(folder: Path,
                                                                   rows: dict[str, pd.DataFrame]) -> None:
    summary = make_summary(rows, make_params())
    revenue = kpi(summary, "revenue")
    true = revenue["actual"]
    revenue["actual"] = true + 10
    detail = numbers_recomputed(subject(folder, summary)).detail
    assert f"revenue reported period 2026-10-01..2026-10-31: report {round(true + 10, 6)}, " \
           f"recomputed {round(true, 6)}" in detail


def test_a_difference_below_display_rounding_passes(folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    summary = make_summary(rows, make_params())
    kpi(summary, "revenue")["actual"] += 0.2  # over $1,000: shown in whole dollars either way
    kpi(summary, "deals_won")["previous"] += 1e-7
    result = numbers_recomputed(subject(folder, summary))
    assert result.passed, result.detail


def test_rows_changed_after_the_report_fail_it(folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    changed = rows["orders"].copy()
    changed.loc[changed["date"] == "2026-10-05", "revenue"] += 100.0
    write_evidence({**rows, "orders": changed}, folder)
    result = numbers_recomputed(subject(folder, make_summary(rows, make_params())))
    assert not result.passed and "revenue reported period 2026-10-01..2026-10-31: report" in result.detail


@pytest.mark.parametrize("damage, message", [
    (lambda f: (f / "rows-orders.parquet").unlink(),
     "rows-orders.parquet is missing beside the report: the rows of its orders sources were not stored"),
    (lambda f: (f / "rows-crm.parquet").write_bytes(b"not parquet"), "rows-crm.parquet cannot be read"),
])
def test_missing_or_damaged_rows_fail_naming_the_file(folder: Path, rows: dict[str, pd.DataFrame],
                                                      damage: Any, message: str) -> None:
    damage(folder)
    result = numbers_recomputed(subject(folder, make_summary(rows, make_params())))
    assert not result.passed and message in result.detail


@pytest.mark.parametrize("change_summary, message", [
    (lambda s: s.pop("full_period"), "does not record its full period (full_period)"),
    (lambda s: s["kpis"][1].pop("periods"), "does not record the periods of KPI spend (periods)"),
    (lambda s: s["kpis"][0].pop("inputs"), "does not record the inputs of KPI revenue (inputs)"),
    (lambda s: s["kpis"][1].update(previous="12"), "KPI spend holds '12' as previous, not a number"),
    (lambda s: s["full_period"].update(end="2026-09-30"),
     "full_period ends (2026-09-30) before it starts (2026-10-01)"),
    (lambda s: s["kpis"][2]["periods"].update(now="October"),
     "does not record kpis[blended_roas].periods.now (start and end)"),
])
def test_a_summary_short_of_the_contract_fails_saying_what_is_missing(
        folder: Path, rows: dict[str, pd.DataFrame], change_summary: Any, message: str) -> None:
    summary = make_summary(rows, make_params())
    change_summary(summary)
    result = numbers_recomputed(subject(folder, summary))
    assert not result.passed and message in result.detail, result.detail


def test_without_the_report_s_folder_or_params_the_check_fails(rows: dict[str, pd.DataFrame]) -> None:
    summary = make_summary(rows, make_params())
    unknown_folder = ReportUnderCheck(client_id="acme", html="", summary=summary, params=make_params())
    assert "folder holding the report's files is unknown" in numbers_recomputed(unknown_folder).detail
    unknown_params = ReportUnderCheck(client_id="acme", html="", summary=summary, folder=Path("."))
    assert "parameters are unknown" in numbers_recomputed(unknown_params).detail


def test_publish_passing_holds_back_a_report_whose_numbers_are_wrong(
        folder: Path, rows: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> None:
    """``nbreport run --publish passing`` checks the rows in the run's working folder."""
    import nbformat

    from nbreport.qa.gate import ReportHeldBack, check_before_publishing
    from nbreport.settings import Settings

    project = tmp_path_factory.mktemp("project")
    (project / "params").mkdir()
    html = project / "report.html"
    html.write_text("<html><body><main><p>Revenue rose.</p></main></body></html>")
    params = make_params()
    summary = make_summary(rows, params)
    work = SimpleNamespace(settings=Settings.for_project(project), html_path=html,
                           task=SimpleNamespace(client_id="acme", params=params),
                           notebook=nbformat.v4.new_notebook(), summary=summary, work_dir=folder)
    check_before_publishing(work)  # passes: nothing raised
    kpi(summary, "revenue")["actual"] *= 2
    with pytest.raises(ReportHeldBack, match=r"numbers recomputed \(revenue reported period"):
        check_before_publishing(work)


def test_the_stored_rows_are_searched_for_other_clients_markers_and_secrets(
        folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    """The files are compressed: their values are searched, not their bytes."""
    from nbreport.qa.gate import _assets_check

    foreign, secrets = {"globex": ["GLOBEX-CANARY-7"]}, ["hunter2-pass"]
    assert _assets_check(folder, foreign, secrets).passed
    leaked = rows["orders"].copy()
    leaked.loc[3, "order_id"] = "o-GLOBEX-CANARY-7-x"
    leaked.loc[5, "channel"] = "hunter2-pass"
    write_evidence({"orders": leaked}, folder)
    result = _assets_check(folder, foreign, secrets)
    assert not result.passed
    assert result.detail == ("rows-orders.parquet: marker #1 of globex; rows-orders.parquet: secret #1 "
                             "of the params' environment variables")


# --- the SQL path on its own -------------------------------------------------------------------
ALL_COLUMNS = columns_needed(list(UNITS), {"ads", "orders", "crm"})


def test_only_the_columns_the_kpis_read_are_loaded() -> None:
    assert columns_needed(["blended_roas", "deals_won"], {"ads", "orders", "crm", "usage"}) == {
        "ads": {"source", "date", "spend"}, "orders": {"source", "date", "revenue"},
        "crm": {"source", "date", "close_date", "stage", "amount"}}


def test_each_metric_is_one_query_from_the_registry(folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    october = Period.month(2026, 10)
    with Evidence(folder, ALL_COLUMNS) as evidence:
        for metric in ("revenue", "spend", "blended_roas", "cost_per_lead", "deals_won", "blended_roi", "leads"):
            result = evidence.recompute(metric, {"now": october})
            expected = pandas_value(metric, rows, october)
            assert result.values["now"] == pytest.approx(expected, rel=1e-12), metric
        selections = {"revenue": evidence.select("revenue", None), "spend": evidence.select("spend", "meta-ads")}
    assert selections["spend"] == Selection("spend", selections["spend"].provider, ("meta-ads",))
    sql, parameters = metric_query("blended_roi", selections, {"now": october})
    assert sql.count("FROM rows_") == 2 and "NULLIF(" in sql and parameters == ["shop", "meta-ads"]


def test_a_ratio_over_nothing_is_null_and_a_sum_over_no_rows_is_zero(folder: Path) -> None:
    before = Period(pd.Timestamp("2024-01-01").date(), pd.Timestamp("2024-01-31").date())
    with Evidence(folder, ALL_COLUMNS) as evidence:
        spend = evidence.recompute("spend", {"now": before})
        roas = evidence.recompute("blended_roas", {"now": before})
        nps = evidence.recompute("nps", {"now": before})  # no survey rows at all
    assert spend.values["now"] == 0.0 and spend.rows["spend"]["now"] == 0
    assert roas.values["now"] is None and nps.values["now"] is None and nps.selections["nps_responses"].provider is None


def test_survey_scores_and_won_deals_are_filtered_as_the_registry_says(tmp_path: Path) -> None:
    survey = table("survey", [{"date": "2026-10-01", "scale": "nps", "score": float(s)} for s in
                              (10, 9, 9, 8, 7, 6, 0, 10)] + [{"date": "2026-10-02", "scale": "csat", "score": 5.0}], "typeform")
    write_evidence({"survey": survey}, tmp_path)
    with Evidence(tmp_path, columns_needed(["nps", "csat"], {"survey"})) as evidence:
        nps = evidence.recompute("nps", {"now": Period.month(2026, 10)})
        csat = evidence.recompute("csat", {"now": Period.month(2026, 10)})
    nps_rows = survey[survey["scale"] == "nps"]["score"]
    expected = 100 * ((nps_rows >= 9).sum() - (nps_rows <= 6).sum()) / len(nps_rows)
    assert nps.values["now"] == pytest.approx(expected) and csat.values["now"] == pytest.approx(1.0)


def test_checking_a_report_takes_well_under_a_fifth_of_a_second(folder: Path,
                                                                rows: dict[str, pd.DataFrame]) -> None:
    """Timed in CPU seconds (DuckDB runs single-threaded in the calling thread), so that other
    processes on a busy machine do not count; the wall-clock figure is printed beside it."""
    params = make_params()
    summary = make_summary(rows, params)
    numbers_recomputed(subject(folder, summary, params))  # imports duckdb, opens its database
    cpu, wall = [], []
    for _ in range(15):
        clock, started = time.perf_counter(), time.process_time()
        assert numbers_recomputed(subject(folder, summary, params)).passed
        cpu.append(time.process_time() - started)
        wall.append(time.perf_counter() - clock)
    print(f"\nnumbers recomputed: {statistics.median(cpu) * 1000:.1f} ms CPU per report "
          f"(wall clock: median {statistics.median(wall) * 1000:.1f} ms, best {min(wall) * 1000:.1f} ms; "
          f"{len(summary['kpis'])} KPIs, {sum(len(f) for f in rows.values())} rows)")
    assert statistics.median(cpu) < 0.2


# --- end to end: a real run, then the manifest edited by hand --------------------------------------
def _check(settings: Any, outputs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(settings.project_dir),
                           "--outputs-dir", str(outputs), "check", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.kernel
def test_a_real_report_passes_and_fails_once_its_manifest_is_edited(demo_outputs: Any, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(demo_outputs.outputs_dir, outputs)
    client_dir = outputs / "2026-10" / "northwind-outfitters"
    assert sorted(p.name for p in client_dir.glob("rows-*.parquet")) == [
        "rows-ads.parquet", "rows-orders.parquet", "rows-survey.parquet", "rows-web.parquet"]
    result = _check(demo_outputs, outputs, "2026-10")
    assert result.returncode == 0, result.stdout
    verdicts = json.loads((outputs / "2026-10" / "qa.json").read_text())
    for client in verdicts["clients"].values():
        assert {c["name"]: c["passed"] for c in client["checks"]}[TRUTH]

    manifest_path = outputs / "2026-10" / "manifest.json"
    pristine = manifest_path.read_text()
    manifest = json.loads(pristine)
    revenue = next(k for k in manifest["clients"]["northwind-outfitters"]["summary"]["kpis"]
                   if k["metric"] == "revenue")
    true_previous = revenue["previous"]
    revenue["previous"] = true_previous * 1.05
    manifest_path.write_text(json.dumps(manifest))
    result = _check(demo_outputs, outputs, "2026-10", "--client", "northwind-outfitters")
    assert result.returncode == 1 and TRUTH in result.stdout
    assert (f"revenue previous period 2026-09-01..2026-09-30: report {round(true_previous * 1.05, 6)}, "
            f"recomputed {round(true_previous, 6)}") in result.stdout

    manifest = json.loads(pristine)
    revenue = next(k for k in manifest["clients"]["northwind-outfitters"]["summary"]["kpis"]
                   if k["metric"] == "revenue")
    revenue["periods"]["last_year"]["end"] = "2025-10-30"
    manifest_path.write_text(json.dumps(manifest))
    result = _check(demo_outputs, outputs, "2026-10", "--client", "northwind-outfitters")
    assert result.returncode == 1
    assert ("revenue same period last year: stored as 2025-10-01..2025-10-30, must be "
            "2025-10-01..2025-10-31") in result.stdout
