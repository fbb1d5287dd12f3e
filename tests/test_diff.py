"""``nbreport diff``: KPI deltas against the previous period's report, and every number that
moved against the sent copy, from stored results (small hand-written ones here; the end-to-end
restatement is tests/test_diff_restated.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.core.errors import ConfigError
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.delivery.changes import moved_numbers
from nbreport.delivery.diff import diff_report, previous_period, sent_copy_differs

FMT = Formatter("EUR", "de_DE")


def kpi(metric: str, label: str, unit: str, actual: float, **more: Any) -> dict[str, Any]:
    return {"metric": metric, "label": label, "unit": unit, "actual": actual, "previous": 1.0,
            "change_pct": 0.1, "days": 7, **more}


def results(revenue: float = 1000.0, rate: float = 0.032, spend: float = 500.0) -> dict[str, Any]:
    return {
        "schema": 1, "client_id": "acme", "params_hash": "abc",
        "kpis": [kpi("revenue", "Umsatz", "currency", revenue), kpi("conversion_rate", "Rate", "percent", rate)],
        "headline": [kpi("revenue", "Umsatz", "currency", revenue)],
        "contributions": {"revenue": [{"channel": "Email", "after": revenue / 2, "share": 0.5},
                                      {"channel": "Direct", "after": revenue / 2, "share": 0.5}]},
        "campaigns": {"totals": [{"campaign": "Brand", "spend": spend, "clicks": 40}]},
        "forecasts": {"made_at": "2026-10-31T10:00:00", "paths": [{"points": [1.0, 2.0]}]},
    }


def write(layout: ProjectLayout, period: str, document: dict[str, Any], *, sent: bool = False) -> None:
    path = layout.sent_results(period, "acme") if sent else layout.results(period, "acme")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_round_off_and_timestamps_are_no_change() -> None:
    old, new = results(), results()
    new["kpis"][0]["actual"] += 1e-7  # below a cent
    new["kpis"][1]["actual"] += 1e-6  # below a tenth of a percentage point
    new["forecasts"]["made_at"] = "2026-11-02T08:00:00"
    new["forecasts"]["paths"][0]["points"] = [5.0, 6.0]  # chart points, not printed numbers
    new["params_hash"] = "def"
    assert moved_numbers(old, new, FMT) == []


def test_moved_numbers_are_named_in_the_clients_words() -> None:
    old, new = results(), results(revenue=1200.0, spend=650.0)
    new["campaigns"]["totals"].reverse()  # paired by campaign, not by position
    moved = {item.where: item for item in moved_numbers(old, new, FMT)}
    assert set(moved) == {"Umsatz", "Umsatz \u00b7 Email \u00b7 this period",
                          "Umsatz \u00b7 Direct \u00b7 this period", "Brand \u00b7 spend"}
    assert moved["Umsatz"].texts(FMT) == ("1.000\u00a0€", "1.200\u00a0€", "+200,00\u00a0€")
    assert moved["Brand \u00b7 spend"].section == "Campaigns"
    assert moved["Brand \u00b7 spend"].unit == "currency"


def test_a_number_that_appears_or_disappears_is_a_change() -> None:
    old, new = results(), results()
    new["campaigns"]["totals"].append({"campaign": "Late campaign", "spend": 80.0})
    del new["kpis"][1]
    where = {item.where: (item.old, item.new) for item in moved_numbers(old, new, FMT)}
    assert where == {"Late campaign \u00b7 spend": (None, 80.0), "Rate": (0.032, None),
                     "Rate \u00b7 previous period": (1.0, None),
                     "Rate \u00b7 change on previous period": (0.1, None)}


def test_previous_period_of_weeks_and_quarters() -> None:
    assert previous_period("2026-W01") == "2025-W52"
    assert previous_period("2026-Q1") == "2025-Q4"
    assert previous_period("2026-10") == "2026-09"


def test_weekly_report_against_the_week_before(tmp_path: Path) -> None:
    layout = ProjectLayout(tmp_path)
    write(layout, "2026-W01", results(revenue=1500.0, rate=0.04))
    write(layout, "2025-W52", results(revenue=1000.0, rate=0.032))
    found = diff_report(layout, "acme", "2026-W01", "previous", FMT)
    assert found.rows == [("Umsatz", "1.000\u00a0€", "1.500\u00a0€", "+500,00\u00a0€ (+50,0\u00a0%)"),
                          ("Rate", "3,2\u00a0%", "4,0\u00a0%", "+0,8 pts")]
    assert found.old_label == "Week 52, 2025" and found.new_label == "Week 1, 2026"


def test_missing_reports_are_clear_errors(tmp_path: Path) -> None:
    layout = ProjectLayout(tmp_path)
    write(layout, "2026-10", results())
    with pytest.raises(ConfigError, match=r"2026-09/acme/results.json does not exist: run `nbreport run acme --period 2026-09`"):
        diff_report(layout, "acme", "2026-10", "previous", FMT)
    with pytest.raises(ConfigError, match="has not been sent"):
        diff_report(layout, "acme", "2026-10", "sent", FMT)
    layout.results("2026-09", "acme").parent.mkdir(parents=True)
    layout.results("2026-09", "acme").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be read as stored results"):
        diff_report(layout, "acme", "2026-10", "previous", FMT)


def test_sent_copy_differs_only_when_a_number_reads_differently(tmp_path: Path) -> None:
    layout = ProjectLayout(tmp_path)
    write(layout, "2026-10", results())
    assert not sent_copy_differs(layout, "acme", "2026-10", FMT)  # never sent
    write(layout, "2026-10", results(), sent=True)
    assert not sent_copy_differs(layout, "acme", "2026-10", FMT)
    write(layout, "2026-10", results(spend=501.0))
    assert sent_copy_differs(layout, "acme", "2026-10", FMT)
    # the sent folder is no client of the period
    assert layout.published_clients("2026-10") == []


@pytest.mark.kernel
def test_kpi_deltas_against_the_previous_month(demo_outputs: Any, demo_data_dir: Path) -> None:
    """October against September for the demo shop: old and new revenue and orders as the raw
    export adds them up, in the command's output."""
    rows = pd.read_csv(demo_data_dir / "northwind-outfitters" / "orders.csv",
                       dtype={"Financial Status": str})
    orders = rows[rows["Financial Status"].notna()]
    fmt = Formatter("USD", "en_US")
    expected = {}
    for month in ("2026-09", "2026-10"):
        month_rows = orders[orders["Created at"].str.startswith(month)]
        expected[month] = (month_rows["Total"].sum(), month_rows["Name"].nunique())
    result = CliRunner().invoke(cli, ["--project", str(demo_outputs.project_dir), "--data-dir",
                                      str(demo_outputs.data_dir), "diff", "northwind-outfitters",
                                      "2026-10", "--json"])
    assert result.exit_code == 0, result.output
    changes = {row["what"]: row for row in json.loads(result.output)["changes"]}
    (old_revenue, old_orders), (new_revenue, new_orders) = expected["2026-09"], expected["2026-10"]
    assert changes["Revenue"]["old"] == fmt.value(old_revenue, "currency")
    assert changes["Revenue"]["new"] == fmt.value(new_revenue, "currency")
    assert changes["Revenue"]["change"].startswith(fmt.difference(new_revenue - old_revenue, "currency"))
    assert (changes["Orders"]["old"], changes["Orders"]["new"]) == (
        fmt.value(old_orders, "count"), fmt.value(new_orders, "count"))
    params_kpis = 9  # every KPI of params/northwind-outfitters.yaml
    assert len(changes) == params_kpis
