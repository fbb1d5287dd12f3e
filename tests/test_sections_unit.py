"""Each section module on the demo reports: one figure it shows, checked independently.

Expected values come from the demo's raw exports read with plain pandas
(:mod:`tests.raw_exports`), from the params and commentary files, or, where a section only
presents what the analysis computed, from the results field it must show. Figures are read
from the ``<data value=... data-label=... data-period=...>`` marks of the HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from tests import raw_exports as raw
from tests.conftest import REPO

from nbreport.metrics.definitions import METRICS
from nbreport.protocol import SUMMARY_MIME
from nbreport.report.context import Report, open_report
from nbreport.report.figures import headline_sentence, metric_definitions, term
from nbreport.report.figures import plain as plain_term
from nbreport.report.figures import raw as raw_value
from nbreport.report.sections.appendix import data_sources
from nbreport.report.sections.budget import budget, budget_detail
from nbreport.report.sections.campaigns import campaigns
from nbreport.report.sections.commentary import commentary, next_steps
from nbreport.report.sections.comparisons import comparisons
from nbreport.report.sections.contribution import OTHERS, drivers
from nbreport.report.sections.customer_success import customer_success
from nbreport.report.sections.forecast import forecast
from nbreport.report.sections.insights import wins_and_challenges
from nbreport.report.sections.kpis import executive_summary, scorecard
from nbreport.report.sections.overlaps import source_split
from nbreport.report.sections.trends import monthly_values, trends
from nbreport.report.sections.triangulation import triangulation
from nbreport.report.summary import run_summary

PAID = ["Paid Search", "Paid Social"]


@pytest.fixture(scope="module")
def reports(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    outputs = tmp_path_factory.mktemp("no-earlier-reports")
    return {client: open_report(client, period="2026-10", project_dir=REPO, data_dir=demo_data_dir,
                                outputs_dir=outputs)
            for client in ("ledgerline", "northwind-outfitters")}


@pytest.fixture(scope="module")
def deals(demo_data_dir: Path) -> pd.DataFrame:
    return raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv")


def figures(html: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(label, period) -> (value, shown text) of every figure (the first of each)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for data in BeautifulSoup(html, "html.parser").select("data.nbr-figure"):
        key = (data["data-label"], data["data-period"])
        found.setdefault(key, (data["value"], data.get_text()))
    return found


def number(shown: str) -> float:
    """A shown figure as a number: '£17,120' -> 17120.0, '−48' -> -48.0, '51.7%' -> 51.7."""
    return float(re.sub(r"[^\d.\-+]", "", shown.replace("\u2212", "-")))


# --- appendix and overlaps ------------------------------------------------------------------
def test_data_sources_lists_every_source_with_its_rows(reports: dict[str, Report],
                                                       deals: pd.DataFrame) -> None:
    html = data_sources(reports["ledgerline"]).html
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())["sources"]
    shown = figures(html)
    assert shown[("Sources", "")] == (str(len(declared)), str(len(declared)))
    assert shown[("Rows used | crm", "")][1] == f"{len(deals):,}"
    for source in declared:
        assert (f"Rows used | {source['name']}", "") in shown
    assert "What google-ads and linkedin-ads add up to" in html  # the overlaps follow


def test_source_split_shows_each_ad_platforms_spend(reports: dict[str, Report],
                                                    demo_data_dir: Path) -> None:
    report = reports["northwind-outfitters"]
    folder = demo_data_dir / "northwind-outfitters"
    spend = {"google-ads": raw.in_month(raw.google_ads_report(folder / "google-ads.csv"))["spend"].sum(),
             "meta-ads": raw.in_month(raw.meta_ads(folder / "meta-ads.csv"))["spend"].sum()}
    caption = "What google-ads and meta-ads add up to, October 2026"
    shown = figures(source_split(report).html)
    for source, amount in spend.items():
        assert shown[(f"Ad spend | {source}", caption)][1] == f"${amount:,.0f}"
        share = 100 * amount / sum(spend.values())
        assert number(shown[(f"Share of ad spend | {source}", caption)][1]) == pytest.approx(share, abs=0.05)
    assert shown[("Ad spend | Total", caption)][1] == f"${sum(spend.values()):,.0f}"


# --- money ----------------------------------------------------------------------------------
def test_budget_spend_figures_are_the_raw_spend(reports: dict[str, Report], demo_data_dir: Path) -> None:
    ads = raw.in_month(raw.ledgerline_ads(demo_data_dir / "ledgerline"))
    shown = figures(budget(reports["ledgerline"]).html)
    assert float(shown[("Ad spend", "October 2026")][0]) == pytest.approx(ads["spend"].sum())
    shown = figures(budget_detail(reports["ledgerline"]).html)  # by channel: the appendix's
    by_channel = ads.groupby("channel")["spend"].sum()
    for channel in PAID:
        value = float(shown[(f"Ad spend | {channel}", "October 2026")][0])
        assert value == pytest.approx(by_channel[channel])


def test_campaigns_are_the_raw_spend_by_campaign_biggest_first(reports: dict[str, Report],
                                                               demo_data_dir: Path) -> None:
    ads = raw.in_month(raw.ledgerline_ads(demo_data_dir / "ledgerline"))
    expected = ads.groupby("campaign")["spend"].sum().sort_values(ascending=False)
    html = campaigns(reports["ledgerline"]).html
    soup = BeautifulSoup(html, "html.parser")
    assert [row.th.get_text() for row in soup.select("tbody tr")] == list(expected.index)
    shown = figures(html)
    for name, spend in expected.items():
        assert float(shown[(f"Ad spend | {name}", "October 2026")][0]) == pytest.approx(spend)
        share = float(shown[(f"Share of ad spend | {name}", "October 2026")][0])
        assert share == pytest.approx(spend / expected.sum())
    assert float(shown[("Ad spend", "October 2026")][0]) == pytest.approx(expected.sum())


# --- KPIs -----------------------------------------------------------------------------------
def test_executive_summary_tiles_are_the_headline_kpis(reports: dict[str, Report],
                                                       deals: pd.DataFrame) -> None:
    report = reports["ledgerline"]
    html = executive_summary(report).html
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())["kpis"]
    soup = BeautifulSoup(html, "html.parser")
    tiles = [d["data-label"] for d in soup.select(".nbr-tile-value data")]
    assert len(tiles) == sum(bool(k.get("headline")) for k in declared)
    shown = figures(html)
    assert float(shown[("Leads", "October 2026")][0]) == len(raw.in_month(deals))
    for result in report.results.headline:
        assert float(shown[(result.label, "October 2026")][0]) == pytest.approx(result.actual)


def test_scorecard_has_every_kpi_in_params_order(reports: dict[str, Report], deals: pd.DataFrame) -> None:
    html = scorecard(reports["ledgerline"]).html
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())["kpis"]
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("tbody tr")) == len(declared)
    shown = figures(html)
    assert float(shown[("Leads", "October 2026")][0]) == len(raw.in_month(deals))
    assert float(shown[("Leads", "September 2026")][0]) == len(raw.in_month(deals, "2026-09"))
    assert float(shown[("Leads target", "October 2026")][0]) == declared[0]["target"]


def test_comparisons_show_previous_period_and_last_year(reports: dict[str, Report],
                                                        deals: pd.DataFrame) -> None:
    shown = figures(comparisons(reports["ledgerline"]).html)
    # October and September are the scorecard's figures (tested above): here last year only
    assert float(shown[("Leads", "October 2025")][0]) == len(raw.in_month(deals, "2025-10"))
    assert ("Leads", "October 2026") not in shown and ("Leads", "September 2026") not in shown


def test_drivers_split_the_change_by_channel(reports: dict[str, Report], deals: pd.DataFrame) -> None:
    html = drivers(reports["ledgerline"]).html
    counts = deals.assign(month=deals["date"].str[:7]).pivot_table(
        index="channel", columns="month", values="stage", aggfunc="count").fillna(0)
    shown = figures(html)
    channels = [label.split(" | ")[1] for label, period in shown
                if label.startswith("Leads: part of the change | ")]
    named = [channel for channel in channels if channel != OTHERS]
    assert named
    for channel in named:
        before, after = counts.loc[channel, "2026-09"], counts.loc[channel, "2026-10"]
        assert number(shown[(f"Leads | {channel}", "September 2026")][1]) == before
        assert number(shown[(f"Leads | {channel}", "October 2026")][1]) == after
        assert number(shown[(f"Leads: part of the change | {channel}", "October 2026")][1]) == after - before
    total = counts["2026-10"].sum() - counts["2026-09"].sum()
    assert number(shown[("Leads: change", "October 2026")][1]) == total
    if OTHERS in channels:  # the smaller channels summed into one row: the parts still add up
        rest = total - sum(counts.loc[c, "2026-10"] - counts.loc[c, "2026-09"] for c in named)
        assert number(shown[(f"Leads: part of the change | {OTHERS}", "October 2026")][1]) == rest


def test_trends_chart_the_monthly_leads(reports: dict[str, Report], deals: pd.DataFrame) -> None:
    report = reports["ledgerline"]
    monthly = deals.groupby(deals["date"].str[:7]).size()
    expected = monthly.loc["2025-10":"2026-10"]
    values = monthly_values(report.results, "leads")
    assert [f"{t:%Y-%m}" for t in values.index] == list(expected.index)
    assert values.tolist() == expected.tolist()
    fragment = trends(report)
    alts = [img["alt"] for img in BeautifulSoup(fragment.html, "html.parser").select("img")]
    assert len(alts) == 2 and fragment.text == "Trends: 2 charts"
    peak = pd.Period(expected.idxmax(), "M")
    assert alts[0].startswith("Bar chart of Leads by month from October 2025 to October 2026. "
                              f"Latest month: {expected.iloc[-1]:,}. "
                              f"Highest: {expected.max():,} in {peak:%B %Y}.")


# --- checks, customers, forecasts, insights --------------------------------------------------
def test_triangulation_shows_the_crm_and_the_ad_platforms(reports: dict[str, Report],
                                                          deals: pd.DataFrame,
                                                          demo_data_dir: Path) -> None:
    shown = figures(triangulation(reports["ledgerline"]).html)
    october = raw.in_month(deals)
    paid_leads = october["channel"].isin(PAID).sum()
    label = "Leads from paid channels"
    assert float(shown[(f"{label} | CRM", "October 2026")][0]) == paid_leads
    conversions = raw.in_month(raw.ledgerline_ads(demo_data_dir / "ledgerline"))["conversions"].sum()
    assert float(shown[(f"{label} | Ad platforms", "October 2026")][0]) == pytest.approx(conversions)
    difference = float(shown[(f"{label}: difference from CRM (%) | Ad platforms", "October 2026")][0])
    assert difference == pytest.approx((conversions - paid_leads) / paid_leads)


def test_customer_success_shows_the_raw_nps(reports: dict[str, Report], demo_data_dir: Path) -> None:
    responses = raw.in_month(raw.delighted(demo_data_dir / "ledgerline" / "surveys.jsonl"))
    scores = responses.loc[responses["scale"] == "nps", "score"]
    shown = figures(customer_success(reports["ledgerline"]).html)
    name = "Net Promoter Score (0-10 scale)"
    assert number(shown[(name, "October 2026")][1]) == round(raw.nps(scores))  # a signed whole number
    assert number(shown[(f"{name}: responses", "October 2026")][1]) == len(scores)


def test_forecast_states_what_the_results_forecast(reports: dict[str, Report]) -> None:
    report = reports["ledgerline"]
    fragment = forecast(report)
    text = BeautifulSoup(fragment.html, "html.parser").get_text(" ", strip=True)
    available = [k for k in report.results.forecasts.kpis if k.available]
    assert available
    for kpi in available:  # drawn (the forecast in the caption) or one line each
        period = kpi.periods[0]
        assert f"forecast {report.fmt.value(period.point, period.unit)}" in text.lower()
        assert period.period_label == "November 2026"  # October is complete: the next month
    drawn = len(BeautifulSoup(fragment.html, "html.parser").select("img"))
    listed = len(BeautifulSoup(fragment.html, "html.parser").select(".nbr-forecast-statements li"))
    assert drawn == min(2, len(available)) and drawn + listed == len(available)


def test_wins_and_challenges_are_the_ranked_insights(reports: dict[str, Report]) -> None:
    report = reports["northwind-outfitters"]
    fragment = wins_and_challenges(report)
    soup = BeautifulSoup(fragment.html, "html.parser")
    found = report.results.insights
    top = BeautifulSoup(executive_summary(report).html, "html.parser").get_text(" ")
    for side, insights in (("wins", found.wins), ("challenges", found.challenges)):
        shown = [li.select_one(".nbr-insight-text").get_text() for li in soup.select(f".nbr-{side} li")]
        # the top one is the summary's (first screen); this section lists the rest, in rank order
        assert shown == [i.sentence for i in insights[1:]]
        assert not insights or " ".join(insights[0].sentence.split()) in " ".join(top.split())
    assert fragment.text == (f"Wins and challenges: {len(found.wins)} wins, "
                             f"{len(found.challenges)} challenges")


# --- commentary -----------------------------------------------------------------------------
def test_commentary_marks_a_draft_and_shows_the_written_next_steps(reports: dict[str, Report],
                                                                   deals: pd.DataFrame) -> None:
    report = reports["ledgerline"]
    drafted = BeautifulSoup(commentary(report, "trends").html, "html.parser")
    block = drafted.select_one(".nbr-commentary")
    assert block["data-section"] == "trends"
    assert ("nbr-draft" in block["class"]) == report.commentary.section("trends").draft
    assert f"to {len(raw.in_month(deals)):,}." in " ".join(block.get_text().split())  # leads
    written = (REPO / "commentary" / "ledgerline" / "2026-10.md").read_text()
    flat = " ".join(written.split())
    steps = BeautifulSoup(next_steps(report).html, "html.parser")
    items = [" ".join(li.get_text().split()) for li in steps.select(".nbr-commentary li")]
    assert items and all(item[:40] in flat for item in items)
    assert steps.select_one(".nbr-feedback") is None  # the footer's, once per report


# --- figures and the run summary ------------------------------------------------------------
def test_figure_terms_use_the_clients_kpi_label(reports: dict[str, Report]) -> None:
    params = reports["ledgerline"].inputs.params
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())["kpis"]
    revenue = next(k for k in declared if k["metric"] == "revenue")
    assert term(params, "revenue")["label"] == revenue["label"] == "Won deal value"
    assert term(params, "spend") == {"name": "spend", "label": METRICS["spend"].label,
                                     "definition": term(params, "spend")["definition"]}
    assert term(params, "spend")["definition"]  # every linked figure has a definition
    assert plain_term("Planned budget") == {"name": "", "label": "Planned budget", "definition": ""}
    names = [entry["name"] for entry in metric_definitions(params, reports["ledgerline"].results.budget,
                                                          True)]
    assert {k["metric"] for k in declared} <= set(names) and len(names) == len(set(names))


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (True, None), (float("nan"), None), ("n/a", None), ("3.5", 3.5), (7, 7.0)])
def test_raw_number_behind_a_figure(value: object, expected: float | None) -> None:
    assert raw_value(value) == expected


def test_headline_sentence_names_the_paid_only_headline_figures(reports: dict[str, Report]) -> None:
    params = reports["northwind-outfitters"].inputs.params
    sentence = headline_sentence(params)
    declared = yaml.safe_load((REPO / "params" / "northwind-outfitters.yaml").read_text())["kpis"]
    for kpi in declared:
        if kpi.get("headline") and kpi["metric"] in ("paid_roas", "cost_per_paid_order"):
            assert f"\u201c{kpi['label']}\u201d" in sentence
    assert "count only what the paid channels brought" in sentence


def test_run_summary_carries_the_headline_figures(reports: dict[str, Report], deals: pd.DataFrame) -> None:
    report = reports["ledgerline"]
    summary = run_summary(report)
    bundle = summary._repr_mimebundle_()
    data = bundle[SUMMARY_MIME]
    json.dumps(data, allow_nan=False)  # serialisable as the notebook stores it
    leads = next(h for h in data["headline"] if h["metric"] == "leads")
    assert leads["value"] == f"{len(raw.in_month(deals)):,}"
    assert data["client_id"] == "ledgerline" and data["period"] == "2026-10"
    assert data["artifacts"] == []  # opened without a folder for artifacts
    declared = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text())
    assert len(data["sources"]) == len(declared["sources"])
    assert len(data["headline"]) == sum(bool(k.get("headline")) for k in declared["kpis"])
    assert bundle["text/plain"] == repr(summary)
