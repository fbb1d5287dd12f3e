"""Sources of one kind declared in params ``overlaps``: what the report adds up, and what not.

Parts (e.g. Google Ads and Meta Ads) are summed: each one's total and share is shown, so the
sum can be retraced. Alternatives (the same rows exported twice) are not: the truth source's
numbers are the report's, the others are shown beside it and checked against it in the
triangulation section. The tables are computed with the results
(:mod:`nbreport.metrics.overlaps`).
"""

from __future__ import annotations

from nbreport.core.formatting import Formatter
from nbreport.metrics.overlaps import OverlapTable
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render, trusted
from nbreport.report.tables import data_table


def source_split(report: Report) -> Fragment:
    """One table per declared overlap: each source's totals over the reported period."""
    label = report.results.reported.label
    items = [_item(table, label, report.fmt) for table in report.results.overlaps]
    return render("source_split.html.j2", f"Sources of one kind: {len(items)} declared overlaps",
                  items=items)


def _item(found: OverlapTable, period: str, fmt: Formatter) -> dict[str, object]:
    overlap, frame, units = found.overlap, found.frame, dict(found.units)
    names = ", ".join(overlap.sources[:-1]) + f" and {overlap.sources[-1]}"
    if overlap.relation == "parts":
        sentence = (f"{names} hold different rows of the same kind of data: the report adds them "
                    "up. Each one's part:")
        caption = f"What {names} add up to, {period}"
    else:
        others = ", ".join(overlap.set_aside)
        sentence = (f"{names} measure the same thing: the report's numbers come from "
                    f"{overlap.truth} alone, and {others} {'is' if len(overlap.set_aside) == 1 else 'are'} "
                    f"only checked against it (see Checking the numbers across sources).")
        caption = f"{names} side by side, {period}"
    table = data_table(frame, caption=caption, fmt=fmt, units=units)
    return {"sentence": sentence, "table": trusted(table.html)}
