"""Sources of one kind declared in params ``overlaps``: what the report adds up, and what not.

Parts (e.g. Google Ads and Meta Ads) are summed: each one's total and share is shown, so the
sum can be retraced. Alternatives (the same rows exported twice) are not: the truth source's
numbers are the report's, the others are shown beside it and checked against it in the
triangulation section. The tables are computed with the results
(:mod:`nbreport.metrics.overlaps`).
"""

from __future__ import annotations

from nbreport.core.formatting import Formatter
from nbreport.i18n import _
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
    overlap = found.overlap
    names = _("%(names)s and %(last)s", names=", ".join(overlap.sources[:-1]),
              last=overlap.sources[-1])
    if overlap.relation == "parts":
        sentence = _("%(names)s hold different rows of the same kind of data: the report adds "
                     "them up. Each one's part:", names=names)
        caption = _("What %(names)s add up to, %(period)s", names=names, period=period)
    else:
        others = ", ".join(overlap.set_aside)
        sentence = (_("%(names)s measure the same thing: the report's numbers come from "
                      "%(truth)s alone, and %(others)s is only checked against it (see Checking "
                      "the numbers across sources).", names=names, truth=overlap.truth,
                      others=others) if len(overlap.set_aside) == 1 else
                    _("%(names)s measure the same thing: the report's numbers come from "
                      "%(truth)s alone, and %(others)s are only checked against it (see Checking "
                      "the numbers across sources).", names=names, truth=overlap.truth,
                      others=others))
        caption = _("%(names)s side by side, %(period)s", names=names, period=period)
    # the frame's columns and role words are in the client's language (nbreport.metrics.overlaps)
    table = data_table(found.frame, caption=caption, fmt=fmt, units=dict(found.units))
    return {"sentence": sentence, "table": trusted(table.html)}

