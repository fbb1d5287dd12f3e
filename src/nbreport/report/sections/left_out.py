"""Rows left out of a source, said in words a client reads.

The data layer records why it left rows out in the analyst's terms (``'brand' is not
AmazonHelp (tenant filter)``, ``'Campaign' matches ^Total``, ``mapping.if_blank: drop``):
the run's manifest keeps them so. The client's appendix says what happened instead ("only
this client's rows of a shared export were used", "3 rows that were totals were left out"),
never a filter, a pattern, a params key or a line of the file, and never anything about
another client's rows (not even how many there were).
"""

from __future__ import annotations

import re

_LEFT_OUT = re.compile(r"^(?P<count>[\d,]+) rows? left out: (?P<why>.*?)\.?$", re.S)
_TOTAL = re.compile(r"total", re.I)

SHARED_EXPORT = "Only this client's rows of a shared export were used."


def client_sentence(message: str) -> str:
    """The client's sentence for a ``dropped_rows`` warning's ``message``."""
    match = _LEFT_OUT.match(message.strip())
    if not match:
        return "Some rows were left out as not data of this report."
    count = int(match["count"].replace(",", ""))
    why = match["why"]
    if why.startswith("rows of other accounts") or "(tenant filter)" in why:
        return SHARED_EXPORT
    were = "were" if count != 1 else "was"
    if why.startswith(("duplicate rows", "rows sent again")):  # a transform's dedupe step
        return (f"{count:,} row{'s' * (count != 1)} that repeated another {were} counted once.")
    if why.startswith("outside the report's scope"):  # a transform's filter, exclude or where
        return f"{count:,} row{'s' * (count != 1)} outside this report's scope {were} left out."
    if why.startswith("lines that are no data rows"):  # a title block, notes, a footer
        return (f"{count:,} line{'s' * (count != 1)} of the export that {were} titles, notes "
                f"or totals, not data, {were} left out.")
    return f"{count:,} row{'s' * (count != 1)} {_reason(why, were)} left out."


def _reason(why: str, were: str) -> str:
    """What the left-out rows were, from the data layer's reason."""
    blank = re.match(r"^no value in '(?P<column>[^']+)'", why) or \
        re.match(r"^'(?P<column>[^']+)' is empty", why)
    if blank:
        return f"with no {blank['column']} {were}"
    matched = re.match(r"^'(?P<column>[^']+)' matches (?P<pattern>.*?)(?: \(not data in .*\))?$",
                       why, re.S)
    if matched and _TOTAL.search(matched["pattern"]):
        return f"that {were} totals, not data, {were}"
    return f"that {were} not data (such as totals or test entries) {were}"
