"""qa/table, render/sanitize, speedups/freeze and charts/forecast, each on its own."""

from __future__ import annotations

import gc
import importlib

import matplotlib
import numpy as np
import pytest

from nbreport.charts import ChartTheme
from nbreport.charts.forecast import ForecastPoint, forecast_chart
from nbreport.qa.checks import CheckResult
from nbreport.qa.gate import ClientVerdict, GateReport
from nbreport.qa.table import gate_table
from nbreport.render.sanitize import sanitize_markdown_html

matplotlib.use("Agg")


# --- qa/table ----------------------------------------------------------------------------
def gate() -> GateReport:
    return GateReport("2026-10", clients=[
        ClientVerdict("acme", [CheckResult("size", True), CheckResult("canary", True)]),
        ClientVerdict("ledgerline", [CheckResult("size", False, "2.1 MB > 1.5 MB"),
                                     CheckResult("canary", True)]),
    ], shared=[CheckResult("index", True, "3 links")])


def test_the_gate_table_shows_each_client_and_explains_failures() -> None:
    lines = gate_table(gate()).splitlines()
    assert lines[0] == "QA gate for 2026-10"
    assert lines[3].split() == ["acme", "pass", "2/2"]
    assert lines[4].split() == ["ledgerline", "FAIL", "1/2"]
    assert lines[5].strip() == "- size: 2.1 MB > 1.5 MB"
    assert lines[6].split() == ["index", "pass", "3", "links"]
    assert lines[-1] == "2 reports checked, 1 failing"


def test_after_a_batch_only_failures_are_shown() -> None:
    text = gate_table(gate(), failures_only=True)
    assert "acme" not in text and "ledgerline" in text and "index" not in text
    passing = GateReport("2026-10", clients=[ClientVerdict("acme", [CheckResult("size", True)])])
    assert gate_table(passing, failures_only=True) == "QA gate for 2026-10: all 1 reports pass"
    assert gate_table(passing).splitlines()[-1] == "1 reports checked, all pass"


# --- render/sanitize ---------------------------------------------------------------------
@pytest.mark.parametrize(("written", "kept"), [
    ("<p>Up <strong>12%</strong></p>", "<p>Up <strong>12%</strong></p>"),
    ("<p onclick=\"x()\">a</p><script>alert(1)</script>", "<p>a</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="https://example.com" style="color:red">x</a>',
     '<a href="https://example.com" rel="noopener noreferrer">x</a>'),
    ('<img src="https://tracker.example/p.gif">', ""),
    ('<table><tr><td align="right" class="x">1</td></tr></table>',
     '<table><tbody><tr><td align="right">1</td></tr></tbody></table>'),
])
def test_only_formatting_and_safe_links_survive(written: str, kept: str) -> None:
    assert sanitize_markdown_html(written) == kept


# --- speedups/freeze ----------------------------------------------------------------------
def test_importing_freeze_moves_existing_objects_out_of_the_collector() -> None:
    import nbreport.speedups.freeze as freeze

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    importlib.reload(freeze)  # what a zygote's import does
    try:
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()  # the test process keeps collecting as usual


# --- charts/forecast ---------------------------------------------------------------------
def test_the_forecast_chart_draws_actual_forecast_band_earlier_and_target() -> None:
    theme = ChartTheme.from_branding("#1f3a5f", "#e07a1f", "Arial, sans-serif")
    actual = [("Aug", 100.0), ("Sep", 120.0), ("Oct", 110.0)]
    forecast = [ForecastPoint("Nov", 130.0, 115.0, 145.0), ForecastPoint("Dec", 140.0, 118.0, 160.0)]
    figure = forecast_chart(actual, forecast, target=125.0, title="Revenue will likely reach its goal",
                            axis_format=lambda v: f"${v:,.0f}", theme=theme,
                            earlier=ForecastPoint("Oct", 105.0, 95.0, 118.0))
    axes = figure.axes[0]
    titles = {axes.get_title(loc=where) for where in ("left", "center", "right")} - {""}
    assert titles == {"Revenue will likely reach its goal"}  # where the theme puts titles
    assert [t.get_text() for t in axes.get_xticklabels()] == ["Aug", "Sep", "Oct", "Nov", "Dec"]
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert lines["Actual"].get_ydata().tolist() == [100.0, 120.0, 110.0]
    # the forecast line starts at the last actual value, then the two forecasts
    assert lines["Forecast"].get_xdata().tolist() == [2, 3, 4]
    assert lines["Forecast"].get_ydata().tolist() == [110.0, 130.0, 140.0]
    assert list(lines["Target $125"].get_ydata()) == [125.0, 125.0]
    # one figure legend, the forecast line and its band as one entry (four entries: two rows)
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert legend == ["Actual", "Forecast, 80% range", "Target $125", "Earlier forecast"]
    band = next(c for c in axes.collections if c.get_label() == "80% range")
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx(110.0) and vertices[:, 1].max() == pytest.approx(160.0)
    matplotlib.pyplot.close(figure)


def test_no_target_and_no_forecast_leave_only_the_actual_line() -> None:
    theme = ChartTheme.from_branding("#1f3a5f", "#e07a1f", "Arial, sans-serif")
    figure = forecast_chart([("Oct", 5.0)], [], target=np.nan, title="t", axis_format=str, theme=theme)
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["Actual"]
    matplotlib.pyplot.close(figure)
