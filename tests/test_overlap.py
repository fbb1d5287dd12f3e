"""Sources of one kind: an overlap is declared (parts or alternatives), never summed silently.

Expected numbers are computed here with plain pandas from the files the test writes (or from
the public real files), never through the data layer under test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from nbreport.core.errors import ParamsError
from nbreport.metrics.daily import daily_metrics, period_totals, summed_sources
from nbreport.params import Period, params_from_plain
from nbreport.report.context import open_report
from nbreport.report.sections import data_sources
from nbreport.sources import load_sources
from tests.real_sources import facebook_ads

HUBSPOT_STAGES = ["Appointment scheduled", "Qualified to buy", "Contract sent", "Closed won"]
SALESFORCE_STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won"]


def params(sources: list[dict], kpis: list[dict], overlaps: list[dict] | None = None) -> dict:
    data = {"client": {"id": "acme", "name": "Acme Ltd", "currency": "GBP", "locale": "en_GB"},
            "period": "2026-10", "sources": sources, "kpis": kpis}
    if overlaps is not None:
        data["overlaps"] = overlaps
    return data


ADS = [{"name": "google-ads", "kind": "ads", "path": "google-ads.csv", "preset": "google_ads"},
       {"name": "meta-ads", "kind": "ads", "path": "meta-ads.csv", "preset": "meta_ads"},
       {"name": "shop", "kind": "orders", "path": "orders.csv"}]
CRM = [{"name": "hubspot", "kind": "crm", "path": "hubspot.csv", "preset": "hubspot_deals"},
       {"name": "salesforce", "kind": "crm", "path": "salesforce.csv",
        "preset": "salesforce_opportunities"}]


def problems(data: dict) -> str:
    with pytest.raises(ParamsError) as caught:
        params_from_plain(data)
    return str(caught.value)


# --- validation ---------------------------------------------------------------------------
def test_undeclared_overlap_names_both_sources_both_columns_and_the_fix() -> None:
    message = problems(params(ADS, [{"metric": "roas", "target": 4}]))
    assert "overlaps: sources google-ads and meta-ads are both ads data" in message
    assert "their rows would be added together without a word" in message
    assert "both feed spend" in message  # roas = revenue / spend: spend comes from the ad data
    assert "google-ads maps its export column 'Cost' onto spend" in message
    assert ("meta-ads maps its export column 'Amount spent (<currency>)' (or 'Amount spent', "
            "'spend') onto spend") in message
    assert "'- {sources: [google-ads, meta-ads], relation: parts}'" in message
    assert "relation: alternatives, truth: google-ads" in message
    assert "shop" not in message  # one orders source: nothing to declare


def test_undeclared_counted_metric_names_the_identifier_columns() -> None:
    message = problems(params(CRM, [{"metric": "leads"}]))
    assert "sources hubspot and salesforce are both crm data" in message
    assert "both feed leads (it counts rows, one per lead_id)" in message
    assert "hubspot maps its export column 'Record ID' (or 'Deal ID') onto lead_id" in message
    assert "salesforce maps its export column 'Opportunity ID' (or 'Opportunity Id') onto lead_id" in message


def test_own_rename_wins_over_the_preset_in_the_message() -> None:
    sources = [{**ADS[0], "mapping": {"rename": {"Kosten": "spend"}}}, ADS[1]]
    message = problems(params(sources, [{"metric": "spend", "direction": "lower"}]))
    assert "google-ads maps its export column 'Kosten' onto spend" in message


def test_nbreport_validate_reports_the_overlap_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "params"
    folder.mkdir()
    text = yaml.safe_dump(params(CRM, [{"metric": "leads", "target": 100}]), sort_keys=False)
    (folder / "acme.yaml").write_text(text)
    result = subprocess.run([sys.executable, "-m", "nbreport", "--project", str(tmp_path),
                             "validate", "acme"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "params/acme.yaml: overlaps: sources hubspot and salesforce are both crm data" in result.stderr
    assert "'Record ID'" in result.stderr and "'Opportunity ID'" in result.stderr


@pytest.mark.parametrize(("overlap", "expected"), [
    ({"sources": ["hubspot", "salesfroce"], "relation": "parts"},
     "overlaps: entry 1 (hubspot, salesfroce): no source named 'salesfroce'; did you mean 'salesforce'?"),
    ({"sources": ["hubspot", "salesforce"], "relation": "alternatives"},
     "overlaps[0]: alternatives need truth: the source whose rows feed the report"),
    ({"sources": ["hubspot", "salesforce"], "relation": "alternatives", "truth": "hubspt"},
     "truth 'hubspt' is not among sources (hubspot, salesforce); did you mean 'hubspot'?"),
    ({"sources": ["hubspot", "salesforce"], "relation": "parts", "truth": "hubspot"},
     "truth, tolerance and truth_reason are for relation: alternatives"),
    ({"sources": ["hubspot", "salesforce"], "relation": "both"},
     "overlaps[0].relation: Input should be 'parts' or 'alternatives'"),
    ({"sources": ["hubspot", "salesforce"], "relaton": "parts"},
     "overlaps[0].relaton: unknown key; did you mean 'relation'?"),
    ({"sources": ["hubspot"], "relation": "parts"}, "overlaps[0].sources: List should have at least 2"),
])
def test_wrong_declarations_say_what_to_fix(overlap: dict, expected: str) -> None:
    assert expected in problems(params(CRM, [{"metric": "leads"}], [overlap]))


def test_only_sources_of_one_summed_kind_can_overlap() -> None:
    sources = [*CRM, {"name": "billing", "kind": "accounts", "path": "a.csv"},
               {"name": "billing-eu", "kind": "accounts", "path": "b.csv"}]
    mixed = {"sources": ["hubspot", "billing"], "relation": "parts"}
    assert ("only sources of one kind can overlap (hubspot is crm, billing is accounts data)"
            in problems(params(sources, [{"metric": "leads"}], [mixed])))
    never = {"sources": ["billing", "billing-eu"], "relation": "parts"}
    crm = {"sources": ["hubspot", "salesforce"], "relation": "parts"}
    assert "accounts data is never added up" in problems(params(sources, [{"metric": "leads"}],
                                                                [crm, never]))
    assert params_from_plain(params(sources, [{"metric": "leads"}], [crm]))  # accounts: no need


def test_a_set_aside_alternative_is_not_summed_as_a_part() -> None:
    third = {"name": "webforms", "kind": "crm", "path": "forms.csv"}
    alternatives = {"sources": ["hubspot", "salesforce"], "relation": "alternatives", "truth": "hubspot"}
    wrong = {"sources": ["salesforce", "webforms"], "relation": "parts"}
    assert "salesforce is an alternative set aside" in problems(
        params([*CRM, third], [{"metric": "leads"}], [alternatives, wrong]))
    missing = problems(params([*CRM, third], [{"metric": "leads"}], [alternatives]))
    assert "sources hubspot and webforms are both crm data" in missing  # salesforce is set aside
    right = {"sources": ["hubspot", "webforms"], "relation": "parts"}
    checked = params_from_plain(params([*CRM, third], [{"metric": "leads"}], [alternatives, right]))
    assert checked.alternatives == {"salesforce": "hubspot"}


def test_a_kpi_source_key_keeps_working() -> None:
    alternatives = {"sources": ["hubspot", "salesforce"], "relation": "alternatives", "truth": "hubspot"}
    checked = params_from_plain(params(CRM, [{"metric": "leads", "source": "salesforce"},
                                             {"metric": "deals_won"}], [alternatives]))
    assert checked.kpis[0].source == "salesforce"
    # the automatic check covers the metric the report takes from the overlap, not the KPI pinned
    assert [c.measures[0].metric for c in checked.triangulation_checks] == ["deals_won"]


def test_demo_clients_declare_their_ad_platforms_as_parts() -> None:
    from nbreport.params import load_client_params
    from tests.conftest import DEMO_CLIENTS, REPO

    for client_id in DEMO_CLIENTS:
        loaded = load_client_params(client_id, REPO / "params")
        ads = [s.name for s in loaded.sources if s.kind == "ads"]
        assert any(o.relation == "parts" and set(ads) <= set(o.sources) for o in loaded.overlaps)


# --- what the report does with them -------------------------------------------------------
def _project(tmp_path: Path, files: dict[str, pd.DataFrame], data: dict) -> Path:
    folder = tmp_path / "data" / "acme"
    folder.mkdir(parents=True)
    for name, frame in files.items():
        frame.to_csv(folder / name, index=False)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "acme.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return tmp_path


def _crm_exports(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two CRM exports holding many of the same leads: HubSpot's and Salesforce's."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-09-01", "2026-10-31", freq="D")
    count = 420
    created = pd.Series(rng.choice(days, count)).sort_values(ignore_index=True)
    stage = rng.integers(0, 4, count)
    hubspot = pd.DataFrame({"Record ID": [f"L{i:05d}" for i in range(count)],
                            "Create Date": created.dt.strftime("%Y-%m-%d"),
                            "Deal Stage": [HUBSPOT_STAGES[s] for s in stage],
                            "Original Traffic Source": "Paid search"})
    shared = rng.random(count) < 0.8  # 80% of HubSpot's leads are in Salesforce too
    extra = 35
    extra_days = pd.Series(rng.choice(days, extra))
    salesforce = pd.DataFrame({
        "Opportunity ID": [f"006{i:06d}" for i in range(int(shared.sum()) + extra)],
        "Created Date": pd.concat([created[shared], extra_days]).dt.strftime("%m/%d/%Y").to_numpy(),
        "Stage": [SALESFORCE_STAGES[s] for s in stage[shared]]
        + [SALESFORCE_STAGES[0]] * extra,
        "Lead Source": "Web"})
    return hubspot, salesforce


def _in_october(dates: pd.Series, date_format: str) -> int:
    parsed = pd.to_datetime(dates, format=date_format)
    return int(((parsed >= "2026-10-01") & (parsed <= "2026-10-31")).sum())


def test_alternatives_take_only_the_truth_source(tmp_path: Path) -> None:
    hubspot, salesforce = _crm_exports()
    truth = _in_october(hubspot["Create Date"], "%Y-%m-%d")
    other = _in_october(salesforce["Created Date"], "%m/%d/%Y")
    alternatives = {"sources": ["hubspot", "salesforce"], "relation": "alternatives",
                    "truth": "hubspot", "tolerance": 0.05,
                    "truth_reason": "sales checks every lead in HubSpot"}
    project = _project(tmp_path, {"hubspot.csv": hubspot, "salesforce.csv": salesforce},
                       params(CRM, [{"metric": "leads", "target": 300}], [alternatives]))
    report = open_report("acme", project_dir=project)

    assert report.results.kpis[0].actual == truth  # not truth + other: the same leads exported twice
    assert truth + other != truth and summed_sources(report.inputs.data, "leads") == ("crm", ["hubspot"])

    check = next(result for result in report.results.triangulation if result.truth == "hubspot")
    assert check.truth_value == truth
    row = check.current.iloc[0]
    assert row["measure"] == "salesforce" and row["value"] == other
    assert check.tolerance == 0.05
    html = data_sources(report).html
    assert "salesforce is only checked against it" in html and "Checked only" in html
    assert f">{report.fmt.value(other, 'count')}<" in html


def test_parts_are_summed_and_the_split_is_shown(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    days = pd.date_range("2026-09-01", "2026-10-31", freq="D")

    def export(campaigns: list[str], channel: str) -> pd.DataFrame:
        index = pd.MultiIndex.from_product([days, campaigns], names=["date", "campaign"])
        frame = index.to_frame(index=False)
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        frame["channel"] = channel
        frame["impressions"] = rng.integers(500, 5000, len(frame))
        frame["clicks"] = rng.integers(5, 200, len(frame))
        frame["spend"] = rng.integers(1000, 40000, len(frame)) / 100
        return frame

    google, meta = export(["Brand", "Generic"], "Paid Search"), export(["Prospecting"], "Paid Social")
    sources = [{"name": "google-ads", "kind": "ads", "path": "google.csv"},
               {"name": "meta-ads", "kind": "ads", "path": "meta.csv"}]
    project = _project(tmp_path, {"google.csv": google, "meta.csv": meta},
                       params(sources, [{"metric": "clicks", "target": 9000}, {"metric": "cpc"}],
                              [{"sources": ["google-ads", "meta-ads"], "relation": "parts"}]))
    report = open_report("acme", project_dir=project)

    def october(frame: pd.DataFrame, column: str) -> float:
        return float(frame.loc[frame["date"].str.startswith("2026-10"), column].sum())

    spend = {"google-ads": october(google, "spend"), "meta-ads": october(meta, "spend")}
    clicks = october(google, "clicks") + october(meta, "clicks")
    assert report.results.kpis[0].actual == clicks
    assert report.results.kpis[1].actual == pytest.approx(sum(spend.values()) / clicks)
    assert summed_sources(report.inputs.data, "spend") == ("ads", ["google-ads", "meta-ads"])

    html = data_sources(report).html
    assert "google-ads and meta-ads hold different rows of the same kind of data" in html
    for name, amount in spend.items():
        share = report.fmt.value(amount / sum(spend.values()), "percent")
        assert f">{report.fmt.value(amount, 'currency')}<" in html and f">{share}<" in html
    assert f">{report.fmt.value(sum(spend.values()), 'currency')}<" in html  # the total row


# --- on the public real files -------------------------------------------------------------
@pytest.mark.realdata
def test_real_export_read_twice_counts_once_as_alternatives(real_data: Path) -> None:
    """KAG's ads read twice (platform-reported and advertiser-approved conversions): the same
    ads, so spend is counted once and conversions come from the truth source."""
    specs = [facebook_ads("platform-reported", "Total_Conversion").model_dump(exclude_defaults=True),
             facebook_ads("advertiser-approved", "Approved_Conversion").model_dump(exclude_defaults=True)]
    base = params(specs, [{"metric": "cpa"}])
    assert "sources platform-reported and advertiser-approved are both ads data" in problems(base)
    checked = params_from_plain({**base, "overlaps": [{
        "sources": ["advertiser-approved", "platform-reported"], "relation": "alternatives",
        "truth": "advertiser-approved"}]})
    data = load_sources(list(checked.sources), real_data, alternatives=checked.alternatives)
    raw = pd.read_csv(real_data / "KAG_conversion_data.csv", encoding="utf-8-sig")
    totals = period_totals(daily_metrics(data, ["cpa"]), Period.parse("2017-08"))
    assert totals["spend"] == pytest.approx(raw["Spent"].sum())  # once, not twice
    assert totals["conversions"] == raw["Approved_Conversion"].sum()
    assert [c.label for c in checked.triangulation_checks] == [
        "Ad spend: advertiser-approved and platform-reported",
        "Platform-reported conversions: advertiser-approved and platform-reported"]


def test_readme_overlaps_example_is_valid() -> None:
    import re

    from nbreport.params.overlaps import OverlapSpec
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    block = re.search(r"\*\*Sources of one kind\*\*.*?```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    entries = [OverlapSpec.model_validate(item) for item in yaml.safe_load(block.group(1))["overlaps"]]
    assert [entry.relation for entry in entries] == ["parts", "alternatives"]
    assert entries[1].set_aside == ["salesforce"]
