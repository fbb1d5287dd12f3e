"""What drove the change: each channel's part of a KPI's change, adding up to the change."""

from __future__ import annotations

import pandas as pd

from nbreport.i18n import N_, _
from nbreport.metrics.definitions import METRICS, is_additive
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, Omitted, render
from nbreport.report.plan import TITLES, empty_reason

SEGMENTS_SHOWN = 6
OTHERS = N_("All other channels")  # the summed row's key, translated where it is shown


def _shown(parts: pd.DataFrame) -> pd.DataFrame:
    """The biggest parts, the rest summed into one row, so that the parts still add up."""
    if len(parts) <= SEGMENTS_SHOWN:
        return parts
    top, rest = parts.iloc[:SEGMENTS_SHOWN - 1], parts.iloc[SEGMENTS_SHOWN - 1:]
    other = pd.DataFrame({"contribution": [rest["contribution"].sum()],
                          "share": [rest["share"].sum()]}, index=[OTHERS])
    return pd.concat([top, other])


def drivers(report: Report) -> Fragment:
    """For each headline KPI, every channel's part of the change on the previous period."""
    fmt = report.fmt
    reason = empty_reason("drivers", report.results)
    if reason is not None:
        return Omitted(TITLES["drivers"], reason)
    tables = []
    for result in report.results.headline:
        parts = report.results.contributions.get(result.metric)
        if parts is None or parts.empty or pd.isna(parts.attrs.get("total_change")):
            continue
        unit = METRICS[result.metric].unit
        opposed = bool((parts["share"].abs() > 1).any())  # shares above 100% would mislead
        rows = [{
            "segment": _(OTHERS) if name == OTHERS else str(name),
            "before": "" if name == OTHERS else fmt.value(row["before"], unit),
            "after": "" if name == OTHERS else fmt.value(row["after"], unit),
            "part": fmt.difference(row["contribution"], unit),
            "share": "" if opposed else fmt.change(row["share"]),
        } for name, row in _shown(parts).iterrows()]
        tables.append({
            "label": result.label, "rows": rows,
            "before": fmt.value(parts.attrs["total_before"], unit),
            "after": fmt.value(parts.attrs["total_after"], unit),
            "change": fmt.difference(parts.attrs["total_change"], unit),
            "ratio": not is_additive(result.metric), "opposed": opposed,
        })
    return render("drivers.html.j2", f"Drivers: {len(tables)} KPIs", tables=tables,
                  previous=report.results.previous_label, period=report.results.reported.label,
                  whole=fmt.value(1.0, "percent"))

