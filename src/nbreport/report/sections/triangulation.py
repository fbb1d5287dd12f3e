"""Triangulation: the same number from several sources, with the discrepancies said plainly."""

from __future__ import annotations

from typing import Any

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.i18n import _
from nbreport.metrics.triangulation import TriangulationResult
from nbreport.report.context import Report
from nbreport.report.figures import raw
from nbreport.report.fragment import Fragment, Omitted, render
from nbreport.report.plan import TITLES, empty_reason


def _check(fmt: Formatter, result: TriangulationResult) -> dict[str, object]:
    rows = [{
        "measure": row["measure"],
        "value": _cell(fmt.value(row["value"], result.unit), row["value"]),
        "difference": _cell(fmt.difference(row["difference"], result.unit), row["difference"]),
        "difference_pct": _cell(fmt.change(row["difference_pct"]), row["difference_pct"]),
        "verdict": _verdict(row["within"]),
        "verdict_class": _verdict_class(row["within"]),
    } for row in result.current.to_dict("records")]
    history = [{"period": str(period),
                "cells": [_cell(fmt.change(v), v) | {"measure": measure}
                          for measure, v in values.items()]}
               for period, values in result.history.iterrows()]
    return {"label": result.label, "truth": result.truth,
            "difference_label": _("%(measure)s: difference from %(truth)s", measure=result.label,
                                  truth=result.truth),
            "truth_value": _cell(fmt.value(result.truth_value, result.unit), result.truth_value),
            "tolerance": fmt.value(result.tolerance, "percent"), "rows": rows,
            "notes": [{"text": text, "warn": row["verdict_class"] == "bad"}
                      for text, row in zip(result.sentences, rows, strict=True)],
            "flagged": result.flagged,
            "measures": list(result.history.columns), "history": history}


def _cell(shown: str, value: Any) -> dict[str, Any]:
    return {"shown": shown, "value": raw(value)}


def _verdict(within: object) -> str:
    if within is pd.NA:
        return _("no data")
    return _("within tolerance") if within else _("outside tolerance")


def _verdict_class(within: object) -> str:
    """``good``/``bad``/``flat``: the verdict's colour, whatever language its words are in."""
    if within is pd.NA:
        return "flat"
    return "good" if within else "bad"


def triangulation(report: Report) -> Fragment:
    """Per check: each source's value, difference and verdict against the truth, a plain
    sentence per source, and the difference over the last periods."""
    if not report.results.triangulation:
        return Omitted(TITLES["triangulation"], empty_reason("triangulation", report.results))
    checks = [_check(report.fmt, result) for result in report.results.triangulation]
    flagged = sum(check["flagged"] for check in checks)
    text = f"Triangulation: {len(checks)} checks, {flagged} flagged"
    return render("triangulation.html.j2", text, checks=checks, period=report.results.reported.label)
