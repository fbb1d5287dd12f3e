"""One label, one number: every figure of every demo report read as label -> value.

The unit tests plant figures by hand (a duplicate label must fail the check); the kernel
tests read the demo reports `make demo` would produce and the QA gate's verdict on them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nbreport.metrics.definitions import FEE_METRICS, METRICS, RENAMED
from nbreport.metrics.names import resolve
from nbreport.metrics.spec import BudgetSpec, KpiSpec
from nbreport.qa.checks import CHECKS, ReportUnderCheck, one_value_per_label
from nbreport.qa.labels import conflicting_labels, describe, figures
from nbreport.report.fragment import render
from nbreport.settings import Settings

DEMO_CLIENTS = ("northwind-outfitters", "ledgerline", "harbourside-dental")


def figure_html(shown: str, value: object, label: str, period: str, segment: str = "") -> str:
    """A figure as the report's own macro renders it."""
    source = ('{% from "_blocks.html.j2" import figure %}'
              '{{ figure(shown, value, label, period, segment=segment) }}')
    from nbreport.report.fragment import _environment

    return _environment().from_string(source).render(shown=shown, value=value, label=label,
                                                     period=period, segment=segment)


def test_the_macro_marks_label_period_and_number() -> None:
    html = figure_html("$1,234", 1234.5, "Revenue", "October 2026", segment="Paid Search")
    [found] = figures(html)
    assert (found.label, found.period, found.number, found.shown) == \
        ("Revenue | Paid Search", "October 2026", 1234.5, "$1,234")
    assert figures(figure_html("n/a", float("nan"), "ROAS", "October 2026"))[0].value == ""
    assert figures(figure_html("<b>", None, "x & y", "p"))[0].label == "x & y"  # escaped, read back


def test_a_planted_duplicate_label_is_found() -> None:
    html = (figure_html("7.59\u00d7", 7.5912, "Return on ad spend", "October 2026")
            + figure_html("3.27\u00d7", 3.2663, "Return on ad spend", "October 2026"))
    conflicts = conflicting_labels(html)
    assert list(conflicts) == [("Return on ad spend", "October 2026")]
    assert describe(conflicts) == "'Return on ad spend' (October 2026): 7.59\u00d7 / 3.27\u00d7"
    result = one_value_per_label(ReportUnderCheck("acme", html))
    assert not result.passed and "Return on ad spend" in result.detail
    assert one_value_per_label in CHECKS


@pytest.mark.parametrize("second, conflict", [
    (figure_html("$612,346", 612345.67, "Revenue", "October 2026"), False),      # same number
    (figure_html("$612,345.67", 612345.67 + 1e-10, "Revenue", "October 2026"), False),  # sum order
    (figure_html("$598,001", 598001.0, "Revenue", "September 2026"), False),     # another period
    (figure_html("$98,001", 98001.0, "Revenue", "October 2026", "Paid Search"), False),  # segment
    (figure_html("$612,347", 612346.67, "Revenue", "October 2026"), True),       # another number
    (figure_html("n/a", None, "Revenue", "October 2026"), True),                 # no number, other text
])
def test_what_counts_as_two_values(second: str, conflict: bool) -> None:
    first = figure_html("$612,346", 612345.67, "Revenue", "October 2026")
    assert bool(conflicting_labels(first + second)) is conflict


def test_figures_without_a_number_compare_their_text() -> None:
    same = figure_html("1,100 \u2013 1,300", None, "Forecast range: Leads", "November 2026")
    other = figure_html("1,000 \u2013 1,300", None, "Forecast range: Leads", "November 2026")
    assert not conflicting_labels(same + same) and conflicting_labels(same + other)


def test_each_variant_has_its_own_name_and_label() -> None:
    labels = [m.label for m in (*METRICS.values(), *FEE_METRICS.values())]
    assert len(labels) == len(set(labels))
    assert METRICS["paid_roas"].label == "Return on ad spend (revenue from paid channels)"
    assert METRICS["blended_roas"].label == "Blended return (all revenue / ad spend)"
    assert METRICS["cpa"].label == "Cost per platform-reported conversion"
    assert METRICS["cost_per_lead"].label == "Cost per lead (all leads)"
    assert FEE_METRICS["roi_after_fees"].label == "ROI after agency fees"


def test_old_names_keep_working_and_typos_get_a_suggestion() -> None:
    assert KpiSpec(metric="roas").metric == "blended_roas"  # the same number as before, honestly named
    assert {resolve(old) for old in RENAMED} == {"blended_roas", "blended_roi"}
    with pytest.raises(ValueError, match="did you mean 'paid_roas'"):
        KpiSpec(metric="paid_roa")
    with pytest.raises(ValueError, match="budget section only; for a KPI use 'paid_roi'"):
        KpiSpec(metric="roi_after_fees")
    with pytest.raises(ValueError, match="no cost per 'sessions'"):
        BudgetSpec.model_validate({"amount": 100, "result": "sessions"})


def test_a_term_links_to_its_definition() -> None:
    html = render("budget.html.j2", "", summary=[], channels=[], campaigns=[], hidden=0,
                  columns={key: {"name": "paid_roas", "label": "Return on ad spend",
                                 "definition": "Revenue from paid channels / ad spend."}
                           for key in ("planned", "spent", "share", "pace", "projected",
                                       "variance", "results", "cost_per_result", "revenue",
                                       "return_on_spend", "campaign_results", "campaign_cost")},
                  headline="", has_campaign_plan=False, period="October 2026", complete=True,
                  off_pace=False, tolerance="10%", part="detail").html
    link = BeautifulSoup(html, "html.parser").select_one("thead a.nbr-term")
    assert link["href"] == "#def-paid_roas" and link["title"] == "Revenue from paid channels / ad spend."


# --- the demo reports, produced by real kernels -------------------------------------------

def _report(outputs: Path, client: str, period: str = "2026-10") -> str:
    return (outputs / period / client / "report.html").read_text()


@pytest.mark.kernel
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_no_label_carries_two_values_in_a_demo_report(demo_outputs: Settings, client: str) -> None:
    html = _report(demo_outputs.outputs_dir, client)
    assert len(figures(html)) > 100  # the budget, campaigns, triangulation... are all marked
    conflicts = conflicting_labels(html)
    assert not conflicts, describe(conflicts, limit=10)


@pytest.mark.kernel
def test_the_september_report_agrees_too(demo_outputs: Settings) -> None:
    html = _report(demo_outputs.outputs_dir, "northwind-outfitters", "2026-09")
    assert figures(html) and not conflicting_labels(html)


@pytest.mark.kernel
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_every_linked_figure_has_its_definition(demo_outputs: Settings, client: str) -> None:
    soup = BeautifulSoup(_report(demo_outputs.outputs_dir, client), "html.parser")
    links = soup.select("a.nbr-term")
    assert links
    for link in links:
        target = soup.find(id=link["href"].removeprefix("#"))
        assert target is not None and target.find_parent(class_="nbr-appendix"), link["href"]
        assert link["title"] == target.dd.get_text()  # hover and appendix say the same


@pytest.mark.kernel
def test_budget_and_headline_use_the_same_variant(demo_outputs: Settings) -> None:
    soup = BeautifulSoup(_report(demo_outputs.outputs_dir, "northwind-outfitters"), "html.parser")
    tiles = {t.select_one(".nbr-tile-label").get_text(): t.select_one(".nbr-tile-value").get_text()
             for t in soup.select(".nbr-tile")}
    budget = {row.th.get_text(): row.td.get_text() for row in soup.select(".nbr-budget-summary tr")}
    # each figure once: the tiles show these KPIs, so the budget does not repeat them; its
    # all-in variant keeps the same words
    for label in ("Return on ad spend (shop revenue from paid channels)",
                  "Cost per order from paid channels"):
        assert label in tiles and label not in budget
    assert "Cost per order from paid channels, all-in" in budget
    assert "ROI after agency fees" in budget
    sentence = soup.select_one(".nbr-headline-variant").get_text()
    assert re.search(r"headline figures .*count only what the paid channels brought", sentence)
