"""Triangulation: differences against the truth, tolerance, plain sentences; demo and KAG data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests import raw_exports as raw
from tests.conftest import REPO
from tests.frames import client, table
from tests.real_sources import facebook_ads

from nbreport.core.formatting import Formatter
from nbreport.metrics.spec import TriangulationSpec
from nbreport.metrics.triangulation import history_periods, reconcile, triangulate
from nbreport.params import Period
from nbreport.report import open_report
from nbreport.sources import SourceSpec, load_source
from nbreport.sources.loader import ClientData

OCTOBER = Period.parse("2026-10")


def test_reconcile_by_hand() -> None:
    values = pd.DataFrame({"CRM": [100.0, 0.0, 50.0], "Platforms": [120.0, 5.0, float("nan")],
                           "Web": [95.0, 0.0, 45.0]}, index=["2026-10", "2026-09", "2026-08"])
    rows = reconcile(values, 0.1).set_index(["period", "measure"])
    assert rows.loc[("2026-10", "Platforms"), "difference"] == 20
    assert rows.loc[("2026-10", "Platforms"), "difference_pct"] == pytest.approx(0.2)
    assert not rows.loc[("2026-10", "Platforms"), "within"]
    assert rows.loc[("2026-10", "Web"), "difference_pct"] == pytest.approx(-0.05)
    assert rows.loc[("2026-10", "Web"), "within"]
    assert pd.isna(rows.loc[("2026-09", "Platforms"), "difference_pct"])  # truth 0: no inf
    assert not rows.loc[("2026-09", "Platforms"), "within"]  # something against nothing
    assert rows.loc[("2026-09", "Web"), "within"]  # nothing against nothing agrees
    assert rows.loc[("2026-08", "Platforms"), "within"] is pd.NA  # no data: no verdict
    assert rows.loc[("2026-08", "Web"), "difference_pct"] == pytest.approx(-0.1)
    assert rows.loc[("2026-08", "Web"), "within"]  # exactly at the tolerance


def test_history_is_the_reported_period_then_whole_periods_before() -> None:
    periods = history_periods(Period.parse("2026-10"), Period.parse("2026-10-01..2026-10-12"), 3)
    assert [p.key for p in periods] == ["2026-10-01_2026-10-12", "2026-09", "2026-08"]


def paid_conversions() -> TriangulationSpec:
    return TriangulationSpec.model_validate({
        "label": "Paid conversions", "tolerance": 0.1, "truth_reason": "the CRM is checked by sales",
        "measures": [
            {"metric": "leads", "label": "CRM", "channels": ["Paid Search"]},
            {"metric": "conversions", "label": "Ad platforms", "note": "They count view-throughs"},
            {"metric": "web_conversions", "label": "Web analytics", "channels": ["Paid Search"]}]})


def test_triangulate_sentences_name_the_truth_and_the_gap() -> None:
    ads = table("ads", [{"date": "2026-10-01", "campaign": "A", "channel": "Paid Search",
                         "impressions": 100, "clicks": 50, "spend": 10.0, "conversions": 13}])
    web = table("web", [{"date": "2026-10-01", "channel": "Paid Search", "sessions": 40, "conversions": 9},
                        {"date": "2026-10-01", "channel": "Direct", "sessions": 40, "conversions": 30}])
    crm = table("crm", [{"date": "2026-10-02", "channel": "Paid Search", "stage": "lead"}] * 10
                + [{"date": "2026-10-02", "channel": "Direct", "stage": "lead"}] * 7)
    found = triangulate(client(ads=ads, web=web, crm=crm), paid_conversions(), OCTOBER, OCTOBER,
                        Formatter("GBP", "en_GB"))
    assert found.truth == "CRM" and found.truth_value == 10 and found.flagged
    assert found.current["value"].tolist() == [13, 9]
    assert found.sentences == [
        "Ad platforms: 13, 30.0% more than CRM (10); more than the 10.0% difference we accept. "
        "They count view-throughs. CRM is taken as the truth: the CRM is checked by sales.",
        "Web analytics: 9, 10.0% fewer than CRM (10); within the 10.0% difference we accept.",
    ]
    assert found.history.index[0] == "October 2026" and len(found.history) == 6
    assert found.history.loc["September 2026"].isna().all()  # no data then: no verdict, no zero


def test_measures_must_be_comparable() -> None:
    with pytest.raises(ValueError, match="different units"):
        TriangulationSpec.model_validate({"label": "x", "measures": [{"metric": "leads"},
                                                                     {"metric": "revenue"}]})
    with pytest.raises(ValueError, match="at least 2"):
        TriangulationSpec.model_validate({"label": "x", "measures": [{"metric": "leads"}]})


def test_demo_discrepancy_is_found_and_equals_the_raw_files(demo_data_dir: Path) -> None:
    report = open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir)
    (check,) = report.results.triangulation
    folder = demo_data_dir / "ledgerline"
    paid = ["Paid Search", "Paid Social"]
    crm = raw.in_month(raw.hubspot_deals(folder / "crm.csv"))
    crm = crm[crm["channel"].isin(paid)]
    ads = raw.in_month(raw.ledgerline_ads(folder))
    web = raw.in_month(raw.ga4(folder / "web-analytics.csv"))
    web = web[web["channel"].isin(paid)]
    values = check.current.set_index("measure")["value"]
    assert check.truth_value == len(crm)
    assert values["Ad platforms"] == ads["conversions"].sum()
    assert values["Web analytics"] == web["conversions"].sum()
    assert values["Ad platforms"] > 1.1 * len(crm) > values["Web analytics"] * 1.05  # over and under
    assert check.flagged and "CRM is taken as the truth" in " ".join(check.sentences)


def kag_specs() -> list[SourceSpec]:
    return [facebook_ads("facebook-reported", "Total_Conversion"),
            facebook_ads("advertiser-approved", "Approved_Conversion")]


@pytest.mark.realdata
def test_kag_reported_against_approved_conversions(real_data: Path) -> None:
    frames = [load_source(spec, real_data)[0] for spec in kag_specs()]
    data = ClientData({"ads": pd.concat(frames, ignore_index=True)})
    spec = TriangulationSpec.model_validate({
        "label": "Conversions", "tolerance": 0.2,
        "measures": [{"metric": "conversions", "source": "advertiser-approved", "label": "Approved"},
                     {"metric": "conversions", "source": "facebook-reported", "label": "Facebook"}]})
    august = Period.parse("2017-08")
    found = triangulate(data, spec, august, august, Formatter())
    row = found.current.iloc[0]
    assert (found.truth_value, row["value"], row["difference"]) == (1079, 3264, 2185)  # MANIFEST totals
    assert row["difference_pct"] == pytest.approx(2185 / 1079) and found.flagged
    assert found.sentences[0].startswith("Facebook: 3,264, 202.5% more than Approved (1,079)")


@pytest.mark.realdata
def test_kag_kpis_are_ratios_of_the_manifest_totals(real_data: Path) -> None:
    from nbreport.metrics import daily_metrics, metric_value, period_totals

    frame, _ = load_source(kag_specs()[0], real_data)
    names = ["impressions", "clicks", "spend", "conversions", "ctr", "cpc", "cpm", "cpa"]
    totals = period_totals(daily_metrics(ClientData({"ads": frame}), names), Period.parse("2017-08"))
    value = {name: metric_value(totals, name) for name in names}
    assert (value["impressions"], value["clicks"], value["conversions"]) == (213_434_828, 38_165, 3_264)
    assert value["spend"] == pytest.approx(58_705.23, abs=0.01)
    assert value["ctr"] == pytest.approx(38_165 / 213_434_828)
    assert value["cpc"] == pytest.approx(58_705.23 / 38_165, rel=1e-6)
    assert value["cpm"] == pytest.approx(1000 * 58_705.23 / 213_434_828, rel=1e-6)
    assert value["cpa"] == pytest.approx(58_705.23 / 3_264, rel=1e-6)


@pytest.mark.parametrize("change, message", [
    ("triangulation:\n  - label: x\n    measures:\n      - {metric: orders}\n"
     "      - {metric: conversions, source: nope}\n",
     "triangulation[0].measures[1].source: no source named 'nope'"),
    ("triangulation:\n  - label: x\n    measures:\n      - {metric: leads}\n      - {metric: conversions}\n",
     "triangulation[0].measures[0]: 'leads' needs 'leads', which comes from crm data"),
    ("customer_success:\n  health_score:\n    components:\n"
     "      - {signal: seat_utilisation, weight: 1, bad: 0.2, good: 0.8}\n",
     "customer_success.health_score needs accounts, usage data"),
])
def test_params_name_what_the_data_cannot_give(tmp_path: Path, change: str, message: str) -> None:
    from nbreport.core.errors import ParamsError
    from nbreport.params import load_client_params

    text = (REPO / "params" / "northwind-outfitters.yaml").read_text()
    text = text[:text.index("triangulation:")] + change
    (tmp_path / "northwind-outfitters.yaml").write_text(text)
    with pytest.raises(ParamsError) as caught:
        load_client_params("northwind-outfitters", tmp_path)
    assert message in str(caught.value) and "northwind-outfitters.yaml" in str(caught.value)
