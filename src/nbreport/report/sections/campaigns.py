"""Where the media money went: spend and cost per result by campaign for the period, as two
charts, with the whole table a click away."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from nbreport.charts.compare import ranked_bars
from nbreport.charts.embed import chart_html
from nbreport.delivery.sheets import Cell, Sheet, chart_sheet
from nbreport.i18n import N_, _
from nbreport.metrics.daily import safe_divide
from nbreport.report.context import Report
from nbreport.report.figures import plain, raw, term
from nbreport.report.fragment import Fragment, Omitted, render, trusted
from nbreport.report.plan import TITLES, empty_reason

ROWS_SHOWN = 12
ALL_CAMPAIGNS = N_("All campaigns")


def _cell(shown: str, value: Any) -> dict[str, Any]:
    return {"shown": shown, "value": raw(value)}


def campaigns(report: Report) -> Fragment:
    """Spend, clicks, platform-reported conversions, their cost and share of spend per
    campaign, biggest spend first."""
    found = report.results.campaigns
    if found is None:
        return Omitted(TITLES["campaigns"], empty_reason("campaigns", report.results))
    fmt = report.fmt
    totals, cpa, platforms = found.totals, found.cpa, found.platforms
    overall_spend = totals["spend"].sum()
    rows = [{
        "campaign": name,
        "platform": platforms.get(name, ""),
        "spend": _cell(fmt.money(row["spend"], cents=False), row["spend"]),
        "share": _cell(fmt.value(safe_divide(row["spend"], overall_spend), "percent"),
                       safe_divide(row["spend"], overall_spend)),
        "clicks": _cell(fmt.value(row["clicks"], "count"), row["clicks"]),
        "conversions": _cell(fmt.value(row["conversions"], "count"), row["conversions"]),
        "cpa": _cell(fmt.money(cpa[name]), cpa[name]),
    } for name, row in totals.head(ROWS_SHOWN).iterrows()]
    hidden = max(len(totals) - ROWS_SHOWN, 0)
    columns = {"spend": term(report.inputs.params, "spend"), "share": plain(_("Share of ad spend")),
               "clicks": term(report.inputs.params, "clicks"), "conversions": term(report.inputs.params, "conversions"),
               "cpa": term(report.inputs.params, "cpa")}
    shown = totals.head(ROWS_SHOWN)
    drawn = [_chart(report, shown["spend"], _("Ad spend by campaign"), columns["spend"]["label"]),
             _chart(report, pd.Series({name: cpa[name] for name in shown.index}),
                    _("%(cost)s by campaign (lower is better)", cost=columns["cpa"]["label"]),
                    columns["cpa"]["label"])]
    return render("campaigns.html.j2", f"Campaigns: {len(totals)}", rows=rows, hidden=hidden,
                  columns=columns, total=_cell(fmt.money(overall_spend, cents=False), overall_spend),
                  whole=fmt.value(1.0, "percent"), all_campaigns=_(ALL_CAMPAIGNS),
                  period=report.results.reported.label,
                  charts=[trusted(html) for html, _sheet in drawn],
                  chart_data=[sheet for _html, sheet in drawn])


def _chart(report: Report, values: pd.Series, title: str, label: str) -> tuple[str, Sheet]:
    """Horizontal bars of ``values`` by campaign, largest first, each with its value; and the
    bars' data for the data pack."""
    fmt, ranked = report.fmt, values.dropna().sort_values(ascending=False)
    build = functools.partial(ranked_bars, ranked, title=title, unit="currency", fmt=fmt,
                              theme=report.theme, limit=ROWS_SHOWN)
    listed = "; ".join(f"{name} {fmt.money(value)}" for name, value in ranked.items())
    alt = _("Bar chart, %(title)s: %(bars)s.", title=title, bars=listed)
    rows = [(Cell(str(name)), Cell.of(fmt.money(value), value)) for name, value in ranked.items()]
    return chart_html(build, alt=alt), chart_sheet(title, (_("Campaign"), label), rows)
