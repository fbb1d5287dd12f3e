"""What changed, end to end: a report is sent, one day of the client's data is restated, the
report is run again, and the diff names exactly the numbers that moved.

The expected numbers are computed here with pandas from the raw export rows, never through
nbreport's metrics.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from nbreport.batch import run_batch
from nbreport.cli import cli
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.delivery.diff import diff_report
from tests.conftest import copy_project

pytestmark = pytest.mark.kernel

CLIENT = "northwind-outfitters"
PERIOD = "2026-10"
RESTATED_DAY = "2026-10-15"
RESTATED_BY = 500.0  # dollars added to one order's total: a late refund reversed, say
PAID = ("Paid Search", "Paid Social")
FMT = Formatter("USD", "en_US")


def order_figures(orders_csv: Path, month: str) -> dict[str, float]:
    """Revenue, orders and their paid-channel parts of one month, from the shop's raw export
    (one row per line item; an order's first row carries its status and totals)."""
    rows = pd.read_csv(orders_csv, dtype={"Financial Status": str})
    orders = rows[rows["Financial Status"].notna() & rows["Created at"].str.startswith(month)]
    paid = orders[orders["Tags"].isin(PAID)]
    return {"revenue": orders["Total"].sum(), "orders": orders["Name"].nunique(),
            "paid_revenue": paid["Total"].sum(), "paid_orders": paid["Name"].nunique(),
            "aov": orders["Total"].sum() / orders["Name"].nunique()}


def restate_one_order(orders_csv: Path) -> str:
    """Add RESTATED_BY to the total of one organic order of RESTATED_DAY; return its name."""
    rows = pd.read_csv(orders_csv, dtype=str, keep_default_na=False)
    day = rows[rows["Created at"].str.startswith(RESTATED_DAY) & (rows["Tags"] == "Organic Search")
               & (rows["Financial Status"] != "")]
    position = day.index[0]
    for column in ("Subtotal", "Total"):
        rows.loc[position, column] = f"{float(rows.loc[position, column]) + RESTATED_BY:.2f}"
    rows.to_csv(orders_csv, index=False)
    return str(rows.loc[position, "Name"])


@pytest.fixture(scope="module")
def restated(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> dict[str, Any]:
    """October run and sent (its results copied to sent/), one order restated, run again."""
    root = tmp_path_factory.mktemp("restated")
    data = root / "data"
    shutil.copytree(demo_data_dir / CLIENT, data / CLIENT)
    settings = copy_project(root / "project", data)
    params_file = settings.params_dir / f"{CLIENT}.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    params.setdefault("report", {})["show_changes"] = True
    params_file.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    layout = ProjectLayout.of(settings)
    first = run_batch(settings, [CLIENT], overrides={"period": PERIOD})
    assert first.exit_code == 0, [r.error for r in first.results]
    sent = layout.sent_results(PERIOD, CLIENT)
    sent.parent.mkdir(parents=True)
    shutil.copy2(layout.results(PERIOD, CLIENT), sent)  # what `nbreport send` keeps
    unchanged = diff_report(layout, CLIENT, PERIOD, "sent", FMT)
    orders_csv = data / CLIENT / "orders.csv"
    before = order_figures(orders_csv, "2026-10")
    order = restate_one_order(orders_csv)
    after = order_figures(orders_csv, "2026-10")
    second = run_batch(settings, [CLIENT], overrides={"period": PERIOD})
    assert second.exit_code == 0, [r.error for r in second.results]
    return {"settings": settings, "layout": layout, "before": before, "after": after,
            "order": order, "unchanged": unchanged,
            "diff": diff_report(layout, CLIENT, PERIOD, "sent", FMT, "Northwind Outfitters")}


def test_the_sent_copy_against_itself_moves_nothing(restated: dict[str, Any]) -> None:
    assert restated["unchanged"].moved == ()
    assert "Nothing moved" in restated["unchanged"].text()


def test_the_scorecard_names_exactly_the_kpis_the_restated_rows_move(restated: dict[str, Any]) -> None:
    before, after = restated["before"], restated["after"]
    # independently: which of the order-based figures moved; everything else (sessions, ad
    # spend, surveys) comes from files that were not touched
    moved_figures = {name for name in before if abs(before[name] - after[name]) > 1e-9}
    assert moved_figures == {"revenue", "aov"}  # an organic order: no paid figure, no order count
    kpi_labels = {"revenue": "Revenue", "aov": "Average order value"}
    scorecard = {item.names[0]: item for item in restated["diff"].moved
                 if item.path[0] == "kpis" and item.path[-1] == "actual"}
    assert set(scorecard) == {kpi_labels[name] for name in moved_figures}
    for name in moved_figures:
        item = scorecard[kpi_labels[name]]
        assert item.old == pytest.approx(before[name]) and item.new == pytest.approx(after[name])
    # no other KPI's row moved in any of its numbers (targets, comparisons, last year)
    kpis_touched = {item.names[0] for item in restated["diff"].moved if item.path[0] == "kpis"}
    assert kpis_touched == {"Revenue", "Average order value"}


def test_every_moved_number_is_one_the_restated_revenue_explains(restated: dict[str, Any]) -> None:
    """Outside the scorecard too: what moved is about revenue or average order value (their
    drivers, wins, forecasts), named in words, never a JSON path."""
    moved = restated["diff"].moved
    print(restated["diff"].text())
    unmoved_labels = ("Orders", "Sessions", "Conversion rate", "Return on ad spend",
                      "Cost per order", "ROI on ad spend", "Post-purchase CSAT")
    for item in moved:
        assert item.path[0] in ("kpis", "contributions", "insights", "forecasts",
                                "triangulation"), item
        assert not any(label in item.where for label in unmoved_labels), item.where
        assert not any(key in item.where for key in ("change_pct", "[", "_")), item.where
    drivers = [item for item in moved if item.path[0] == "contributions"]
    assert drivers and all(item.names[0] in ("Revenue", "Average order value") for item in drivers)
    # the organic channel's own part of the revenue change moved by exactly the restated amount
    organic = [item for item in drivers if item.names[:3] == ("Revenue", "Organic Search", "this period")]
    assert len(organic) == 1 and organic[0].new - organic[0].old == pytest.approx(RESTATED_BY)


def test_the_report_says_what_was_restated(restated: dict[str, Any]) -> None:
    html = restated["layout"].report_html(PERIOD, CLIENT).read_text(encoding="utf-8")
    before, after = restated["before"], restated["after"]
    # revenue is a headline number; average order value is not, so the note names revenue only
    note = (f"Restated since our last report: Revenue {FMT.value(before['revenue'], 'currency')} "
            f"\u2192 {FMT.value(after['revenue'], 'currency')}.")
    assert note in html


def test_the_index_badges_the_changed_report_and_the_cli_lists_it(restated: dict[str, Any]) -> None:
    settings = restated["settings"]
    page = restated["layout"].index(PERIOD).read_text(encoding="utf-8")
    assert "Changed since sent" in page
    result = CliRunner().invoke(cli, ["--project", str(settings.project_dir), "--data-dir",
                                      str(settings.data_dir), "diff", CLIENT, PERIOD,
                                      "--against", "sent", "--json", "--exit-code"])
    assert result.exit_code == 1, result.output
    changes = json.loads(result.output)["changes"]
    revenue = next(change for change in changes
                   if change["what"] == "Performance against targets: Revenue")
    assert revenue["old"] == FMT.value(restated["before"]["revenue"], "currency")
    assert revenue["new"] == FMT.value(restated["after"]["revenue"], "currency")
    assert revenue["change"] == "+$500.00"
