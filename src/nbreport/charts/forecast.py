"""The forecast chart: a KPI period by period, its forecast with a range, and the target.

One figure answers "will we hit the goal?" at a glance: the actual values of
the last periods as a line, the forecast continuing it as a dashed line with
its range as a band opening from the last actual, the target as a labelled
horizontal line, and an earlier forecast of a period that is now over as a
hollow marker with its range, next to what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbreport.charts.axes import tick_formatter
from nbreport.charts.theme import (
    CHART_WIDTH_PX,
    SMALL_TEXT_PT,
    ChartTheme,
    height_ratio,
    is_narrow,
    new_figure,
    set_title,
)
from nbreport.i18n import _


@dataclass(frozen=True)
class ForecastPoint:
    """A forecast of one period: its position label, point and range."""

    label: str
    point: float
    lower: float
    upper: float


def forecast_chart(
    actual: Sequence[tuple[str, float]],
    forecast: Sequence[ForecastPoint],
    *,
    target: float | None,
    title: str,
    axis_format: Callable[[float], str],
    theme: ChartTheme,
    earlier: ForecastPoint | None = None,
    range_label: str | None = None,
    width_px: int = CHART_WIDTH_PX,
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Actual values (``(label, value)`` oldest first), then the forecast periods.

    ``earlier`` is a stored forecast of one of the actual periods (drawn over it). A narrow
    ``width_px`` (a phone's, or half a wide screen) gets a taller chart, every other period
    named and the legend in two columns. ``range_label`` names the band in the legend
    (default "80% range").
    """
    labels = [label for label, _value in actual] + [f.label for f in forecast]
    values = np.array([value for _label, value in actual], dtype="float64")
    narrow = is_narrow(width_px)
    with theme.applied():
        figure = new_figure(height_ratio(width_px, wide=0.38, half=0.62, phone=0.8), width_px)
        axes = figure.add_subplot()
        actual_x = np.arange(len(actual))
        axes.plot(actual_x, values, color=theme.primary, marker="o", markersize=4, linewidth=2,
                  label=_("Actual"))
        if forecast:
            # one legend entry for the forecast and its band: four entries make two rows
            band_label = range_label or _("%(percent)s range", percent="80%")
            drawn = _draw_forecast(axes, actual_x, values, forecast, theme, band_label)
            forecast_label = ", ".join((_("Forecast"), band_label))
        if earlier is not None and earlier.label in labels:
            at = labels.index(earlier.label)
            axes.errorbar([at], [earlier.point], yerr=[[earlier.point - earlier.lower],
                                                      [earlier.upper - earlier.point]],
                          fmt="o", mfc="white", color=theme.accent, capsize=4, markersize=6,
                          label=_("Earlier forecast"), zorder=4)
        if target is not None and np.isfinite(target):
            axes.axhline(target, color="#3d4852", linestyle=(0, (2, 2)), linewidth=1.2,
                         label=_("Target %(value)s", value=axis_format(target)))
        axes.set_xticks(range(len(labels)), _every_other(labels) if narrow else labels)
        axes.yaxis.set_major_formatter(tick_formatter(lambda y, _ticks: axis_format(y)))
        set_title(axes, title, width_px)
        axes.grid(axis="x", visible=False)
        handles, names = axes.get_legend_handles_labels()
        if forecast:  # the line over the band, as one entry after "Actual"
            kept = [(h, n) for h, n in zip(handles, names, strict=True) if h not in drawn]
            kept.insert(1, (drawn, forecast_label))
            handles, names = [h for h, _n in kept], [n for _h, n in kept]
        # a figure legend "outside": the layout makes room for it, so it is never cut off
        figure.legend(handles, names, loc="outside lower center", fontsize=SMALL_TEXT_PT,
                      frameon=False, ncols=2 if narrow else 4)
        axes.margins(y=0.15)
    return figure


def _every_other(labels: list[str]) -> list[str]:
    """Every second label, counted back from the last (the forecast keeps its name); the
    year a label carries on a second line moves to the next label shown."""
    shown = []
    carried = ""
    for position, label in enumerate(labels):
        first, _, year = label.partition("\n")
        carried = year or carried
        if (len(labels) - 1 - position) % 2:
            shown.append("")
            continue
        shown.append(f"{first}\n{carried}" if carried else first)
        carried = ""
    return shown


def _draw_forecast(axes: "matplotlib.axes.Axes", actual_x: np.ndarray,  # noqa: F821
                   values: np.ndarray, forecast: Sequence[ForecastPoint],
                   theme: ChartTheme, band_label: str) -> tuple[Any, Any]:
    """Dashed forecast line and a band, both starting at the last actual value; returns
    both, for one legend entry drawn as the line over the band."""
    start = len(actual_x)
    x = np.arange(start, start + len(forecast))
    point = np.array([f.point for f in forecast])
    lower = np.array([f.lower for f in forecast])
    upper = np.array([f.upper for f in forecast])
    if len(values) and np.isfinite(values[-1]):
        x = np.concatenate([[start - 1], x])
        point, lower, upper = (np.concatenate([[values[-1]], a]) for a in (point, lower, upper))
    band = axes.fill_between(x, lower, upper, color=theme.accent, alpha=0.18, linewidth=0,
                             label=band_label)
    (line,) = axes.plot(x, point, color=theme.accent, linestyle="--", linewidth=2, label=_("Forecast"))
    axes.plot(x[-len(forecast):], point[-len(forecast):], color=theme.accent, marker="o",
              markersize=5, linestyle="none")
    return band, line
