"""The budget summary leaves out a figure the scorecard shows already (one figure, one place)."""

from __future__ import annotations

import math
from types import SimpleNamespace

from nbreport.report.sections.budget import _not_in_scorecard


def _row(name: str | None, value: float | None) -> dict:
    return {"term": {"name": name, "label": name or "Planned budget"}, "shown": str(value), "value": value}


def test_a_scorecard_figure_is_not_repeated() -> None:
    rows = [_row(None, 32000.0), _row("spend", 33127.0), _row("cost_per_paid_lead", 107.2134),
            _row("paid_roas", 3.53)]
    kpis = [SimpleNamespace(metric="cost_per_paid_lead", actual=107.2134),
            SimpleNamespace(metric="paid_roas", actual=3.9),  # another figure: a filtered KPI
            SimpleNamespace(metric="leads", actual=math.nan)]
    kept = [row["term"]["name"] for row in _not_in_scorecard(rows, kpis)]
    assert kept == [None, "spend", "paid_roas"]


def test_nothing_is_left_out_without_a_matching_kpi() -> None:
    rows = [_row("spend", 100.0), _row("cpa", None)]
    assert _not_in_scorecard(rows, [SimpleNamespace(metric="cpa", actual=5.0)]) == rows
