"""Budget candour: plan, pacing, projection, fee, cost per result and return, checked by hand."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from tests import raw_exports as raw
from tests.conftest import REPO
from tests.frames import client, days, table

from nbreport.metrics.budget import UNALLOCATED, budget_report, budget_table, default_result
from nbreport.metrics.spec import BudgetSpec
from nbreport.params import Period
from nbreport.report import open_report

OCTOBER = Period.parse("2026-10")
TEN_DAYS = OCTOBER.to_date(date(2026, 10, 10))
SPEC = BudgetSpec.model_validate({
    "amount": 6200, "by_channel": {"Paid Search": 3100, "Paid Social": 1550},
    "management_fee": {"percent_of_spend": 10, "fixed": 310}})


def ten_days_of_data() -> object:
    ads, crm = [], []
    for day in days("2026-10-01", "2026-10-10"):
        ads.append({"date": day, "campaign": "S1", "channel": "Paid Search", "impressions": 100,
                    "clicks": 10, "spend": 100.0, "conversions": 5})
        ads.append({"date": day, "campaign": "P1", "channel": "Paid Social", "impressions": 100,
                    "clicks": 10, "spend": 50.0, "conversions": 2})
        crm += [{"date": day, "channel": "Paid Search", "stage": "lead"}] * 4
        crm += [{"date": day, "channel": "Paid Social", "stage": "lead"}]
        crm += [{"date": day, "channel": "Organic Search", "stage": "lead"}] * 3
    # deals won during the ten days, by channel: 5000 from search, 1000 from social, 2000 organic
    crm += [{"date": "2026-09-01", "channel": "Paid Search", "stage": "won", "close_date": "2026-10-05",
             "amount": 1000.0}] * 5
    crm += [{"date": "2026-09-01", "channel": "Paid Social", "stage": "won", "close_date": "2026-10-06",
             "amount": 1000.0}]
    crm += [{"date": "2026-09-01", "channel": "Organic Search", "stage": "won",
             "close_date": "2026-10-07", "amount": 2000.0}]
    return client(ads=table("ads", ads), crm=table("crm", crm))


def test_budget_table_by_hand() -> None:
    totals = pd.DataFrame({"spend": [1000.0, 500.0, 0.0], "paid_leads": [40.0, 10.0, 30.0],
                           "paid_revenue": [5000.0, 1000.0, 2000.0]},
                          index=["Paid Search", "Paid Social", "Organic Search"])
    planned = pd.Series({"Paid Search": 3100.0, "Paid Social": 1550.0, UNALLOCATED: 1550.0})
    table_ = budget_table(totals, planned, OCTOBER, TEN_DAYS, cost_metric="cost_per_paid_lead",
                          return_metric="paid_roas")
    assert list(table_.index) == ["Paid Search", "Paid Social", UNALLOCATED]  # no plan, no spend: out
    search = table_.loc["Paid Search"]
    assert (search["expected"], search["pace"], search["projected"], search["variance"]) == \
        pytest.approx((1000, 1.0, 3100, 0.0))
    assert search["share"] == pytest.approx(2 / 3) and search["cost_per_result"] == 25
    assert search["return_on_spend"] == 5
    rest = table_.loc[UNALLOCATED]
    assert rest["spent"] == 0 and rest["pace"] == 0 and rest["variance"] == -1550
    assert math.isnan(rest["cost_per_result"])


def test_budget_report_summary_by_hand() -> None:
    data = ten_days_of_data()
    assert default_result(data) == "leads"
    found = budget_report(data, SPEC, OCTOBER, TEN_DAYS)
    # the figures are the registry's: leads from paid channels, cost per paid lead, ...
    assert (found.result_metric, found.cost_metric, found.all_in_metric) == \
        ("paid_leads", "cost_per_paid_lead", "all_in_cost_per_paid_lead")
    s = found.summary
    assert (s.planned, s.spent, s.expected, s.pace) == pytest.approx((6200, 1500, 2000, 0.75))
    assert (s.projected, s.variance, s.remaining) == pytest.approx((4650, -1550, 4700))
    assert s.fee == pytest.approx(150 + 100)  # 10% of spend + 310 x 10/31 days
    assert s.projected_fee == pytest.approx(465 + 310)
    assert (s.total_cost, s.results, s.cost_per_result, s.all_in_cost_per_result) == \
        pytest.approx((1750, 50, 30, 35))
    assert (s.revenue, s.return_on_spend) == pytest.approx((6000, 4.0))  # organic revenue is not return on spend
    assert s.roi == pytest.approx((6000 - 1750) / 1750)
    assert s.off_pace and not s.complete
    assert list(found.channels.index) == ["Paid Search", "Paid Social", UNALLOCATED]
    campaigns = found.campaigns
    assert campaigns.loc["S1", "results"] == 50 and campaigns.loc["P1", "cost_per_result"] == 25
    assert campaigns["planned"].isna().all()


def test_campaign_plan_and_chosen_result() -> None:
    spec = BudgetSpec.model_validate({"amount": 3100, "by_campaign": {"S1": 2000, "P1": 1000},
                                      "result": "conversions"})
    found = budget_report(ten_days_of_data(), spec, OCTOBER, OCTOBER)
    assert found.result_metric == "conversions" and found.summary.results == 70
    assert (found.cost_metric, found.all_in_metric) == ("cpa", "all_in_cpa")
    assert found.campaigns.loc["S1", "pace"] == pytest.approx(1000 / 2000)  # complete period
    assert found.summary.complete and found.summary.fee == 0
    assert found.channels["planned"].isna().all()  # no split by channel given


@pytest.mark.parametrize("bad, message", [
    ({"amount": 100, "by_channel": {"Search": 150}}, "by_channel adds up to 150.00"),
    ({"amount": 100, "by_campaign": {"A": 60, "B": 60}}, "by_campaign adds up to 120.00"),
    ({"amount": 100, "result": "cpa"}, "is a ratio"),
    ({"amount": 100, "result": "leeds"}, "did you mean 'leads'"),
])
def test_budget_params_are_checked(bad: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BudgetSpec.model_validate(bad)


def test_demo_budget_equals_the_raw_exports(demo_data_dir: Path) -> None:
    report = open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir)
    folder = demo_data_dir / "ledgerline"
    ads = raw.in_month(raw.ledgerline_ads(folder))
    crm = raw.in_month(raw.hubspot_deals(folder / "crm.csv"))
    budget = report.results.budget
    assert budget is not None
    spent = ads.groupby("channel")["spend"].sum()
    assert budget.channels["spent"].to_dict() == pytest.approx(spent.to_dict())
    leads = crm[crm["channel"].isin(spent.index)].groupby("channel").size()
    assert budget.channels["results"].to_dict() == pytest.approx(leads.astype(float).to_dict())
    assert budget.summary.fee == pytest.approx(0.12 * ads["spend"].sum())
    assert budget.summary.planned == 32000 and budget.summary.complete
