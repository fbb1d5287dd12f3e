"""The report sections built on the metrics, rendered in-process for the demo clients."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests import raw_exports as raw
from tests.conftest import DEMO_CLIENTS, REPO

from nbreport.params import load_client_params
from nbreport.report import Report, open_report, sections
from nbreport.report.analysis import analyse

NEW_SECTIONS = ("wins_and_challenges", "comparisons", "drivers", "budget", "triangulation",
                "customer_success")


@pytest.fixture(scope="module")
def reports(demo_data_dir: Path) -> dict[str, Report]:
    return {client: open_report(client, project_dir=REPO, data_dir=demo_data_dir) for client in DEMO_CLIENTS}


def text_of(fragment: object) -> str:
    return BeautifulSoup(fragment.html, "html.parser").get_text(" ", strip=True)  # type: ignore[attr-defined]


def with_params(base: Report, data_dir: Path, **changes: object) -> Report:
    plain = base.inputs.params.model_dump(mode="json")
    plain.update(changes)
    return open_report(base.client_id, params=plain, project_dir=REPO, data_dir=data_dir)


@pytest.mark.parametrize("client", DEMO_CLIENTS)
@pytest.mark.parametrize("name", NEW_SECTIONS)
def test_every_section_renders_without_invented_numbers(reports: dict[str, Report], client: str,
                                                        name: str) -> None:
    text = text_of(getattr(sections, name)(reports[client]))
    assert text and not re.search(r"\b(nan|inf|None)\b", text, flags=re.IGNORECASE)


def test_budget_section_shows_where_the_money_went(reports: dict[str, Report], demo_data_dir: Path) -> None:
    report = reports["ledgerline"]
    spend = raw.in_month(raw.ledgerline_ads(demo_data_dir / "ledgerline"))["spend"].sum()
    soup = BeautifulSoup(sections.budget(report).html, "html.parser")
    summary = {row.th.get_text(): row.td.get_text() for row in soup.select(".nbr-budget-summary tr")}
    assert summary["Ad spend"] == f"\u00a3{spend:,.0f}"
    assert summary["Management fee (12.0% of ad spend)"] == f"\u00a3{0.12 * spend:,.0f}"
    # the budget's cost per result is the registry's cost per paid lead, labelled as such
    crm = raw.in_month(raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv"))
    paid_leads = crm["channel"].isin(["Paid Search", "Paid Social"]).sum()
    assert summary["Leads from paid channels"] == f"{paid_leads:,}"
    # the cost per paid lead is a KPI: the scorecard shows it, the budget does not repeat it
    assert "Cost per paid lead" not in summary
    kpi = next(k for k in report.results.kpis if k.metric == "cost_per_paid_lead")
    assert f"\u00a3{kpi.actual:,.2f}" == f"\u00a3{spend / paid_leads:,.2f}"
    assert summary["Cost per paid lead, all-in"] == f"\u00a3{1.12 * spend / paid_leads:,.2f}"
    assert summary["Planned budget"] == "\u00a332,000"
    # by channel and by campaign are the appendix's
    assert soup.select(".nbr-budget-channels, .nbr-budget-campaigns") == []
    detail = BeautifulSoup(sections.budget_detail(report).html, "html.parser")
    channels = [row.th.get_text() for row in detail.select(".nbr-budget-channels tbody tr")]
    assert channels == ["Paid Search", "Paid Social"]
    # no campaign budgets and a month that is over: spend by campaign is the campaigns section's
    assert detail.select(".nbr-budget-campaigns") == []


def test_triangulation_section_flags_the_discrepancy(reports: dict[str, Report]) -> None:
    report = reports["northwind-outfitters"]
    soup = BeautifulSoup(sections.triangulation(report).html, "html.parser")
    warnings = [p.get_text() for p in soup.select(".nbr-warning")]
    assert any(w.startswith("Ad platforms:") and "Shop is taken as the truth" in w for w in warnings)
    assert "outside tolerance" in soup.get_text() and "within tolerance" in soup.get_text()
    assert [h.get_text() for h in soup.select("h3")] == ["Orders from paid channels", "Revenue"]


def test_drivers_total_equals_the_kpi_change(reports: dict[str, Report]) -> None:
    report = reports["northwind-outfitters"]
    soup = BeautifulSoup(sections.drivers(report).html, "html.parser")
    footers = [row.select("td")[2].get_text() for row in soup.select("tfoot tr")]
    expected = [report.fmt.difference(r.change_abs, r.unit) for r in report.results.headline]
    assert footers == expected


def test_customer_success_section(reports: dict[str, Report]) -> None:
    ledgerline = text_of(sections.customer_success(reports["ledgerline"]))
    health = reports["ledgerline"].results.customer_success.health
    assert f"Average health score {health.score:.1f} out of 100" in ledgerline
    nps = reports["ledgerline"].results.customer_success.surveys["nps"][0]
    assert f"Net Promoter Score (0-10 scale) {round(nps.value):+d}" in ledgerline
    # churn and retention are the appendix's
    assert "Customer churn rate" not in ledgerline and "Retention by start month" not in ledgerline
    detail = text_of(sections.customer_success_detail(reports["ledgerline"]))
    assert "Customer churn rate" in detail and "Retention by start month" in detail
    northwind = text_of(sections.customer_success(reports["northwind-outfitters"]))
    assert "CSAT, share answering 4-5 of 5" in northwind
    northwind_detail = text_of(sections.customer_success_detail(reports["northwind-outfitters"]))
    assert "Not available for this client" in northwind_detail
    assert "no account (billing) data" in northwind_detail


def test_a_client_without_customer_data_is_told_so_in_the_appendix(
        reports: dict[str, Report], demo_data_dir: Path) -> None:
    report = reports["harbourside-dental"]
    sources = [s for s in report.inputs.params.model_dump(mode="json")["sources"] if s["kind"] != "survey"]
    kpis = [k for k in report.inputs.params.model_dump(mode="json")["kpis"] if k["metric"] != "csat"]
    english = {**report.inputs.params.model_dump(mode="json")["report"], "language": "en"}
    bare = with_params(report, demo_data_dir, sources=sources, kpis=kpis, report=english)
    assert sections.customer_success(bare).html == ""  # left out, no boilerplate
    assert not bare.plan.shows("customer-success")
    assert ("Customer success: no customer-success data (surveys, support desk, billing accounts "
            "or product usage) for this client") in text_of(sections.data_sources(bare)).replace(" :", ":")


def test_month_to_date_report_paces_kpis_and_spend(reports: dict[str, Report], demo_data_dir: Path) -> None:
    report = with_params(reports["ledgerline"], demo_data_dir, as_of="2026-10-15")
    soup = BeautifulSoup(sections.comparisons(report).html, "html.parser")
    pacing = {row.th.get_text(): [td.get_text() for td in row.select("td")]
              for row in soup.select(".nbr-pacing tbody tr")}
    leads = next(r for r in report.results.kpis if r.metric == "leads")
    assert pacing["Leads"][:4] == [f"{leads.actual:,.0f}", f"{900 * 15 / 31:,.0f}",
                                   f"{leads.actual * 31 / 15:,.0f}", "900"]
    budget = report.results.budget.summary
    assert budget.projected == pytest.approx(budget.spent * 31 / 15) and not budget.complete
    assert "first 15 days" not in soup.get_text()  # named plainly instead:
    assert report.results.previous_label == "1\u201315 September 2026"


def test_wins_and_challenges_always_speak_for_both_sides(reports: dict[str, Report], demo_data_dir: Path) -> None:
    soup = BeautifulSoup(sections.wins_and_challenges(reports["ledgerline"]).html, "html.parser")
    # the top win and challenge open the report (first screen): this section has the rest
    assert [h.get_text() for h in soup.select("h3")] == ["More wins", "More challenges"]
    insights = reports["ledgerline"].results.insights
    assert insights.wins and insights.challenges
    assert [li.select_one(".nbr-insight-text").get_text() for li in soup.select(".nbr-wins li")] == \
        [i.sentence for i in insights.wins[1:]]
    strict = with_params(reports["ledgerline"], demo_data_dir, triangulation=[], budget=None,
                         insights={"min_change": 9, "min_volume": 10**6, "min_days": 10**6})
    text = text_of(sections.wins_and_challenges(strict))
    assert "No win cleared the bar this period" in text and "No challenge cleared the bar" in text


def test_data_values_are_escaped(reports: dict[str, Report]) -> None:
    report = reports["harbourside-dental"]
    data = report.inputs.data
    ads = data.tables["ads"].copy()
    ads.loc[ads["campaign"] == "Local - Maps Listing", "campaign"] = "<script>alert(1)</script>"
    inputs = dataclasses.replace(report.inputs, data=type(data)({**data.tables, "ads": ads}, data.provenance))
    tampered = dataclasses.replace(report, inputs=inputs, results=analyse(inputs))
    html = sections.campaigns(tampered).html  # campaign names: the campaigns section's
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_params_of_every_demo_client_carry_the_new_settings() -> None:
    for client in DEMO_CLIENTS:
        params = load_client_params(client, REPO / "params")
        assert params.triangulation and params.budget is not None and params.budget.result
    assert load_client_params("ledgerline", REPO / "params").customer_success.health_score is not None
