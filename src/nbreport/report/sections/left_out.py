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

from nbreport.i18n import N_, _, ngettext

_LEFT_OUT = re.compile(r"^(?P<count>[\d,]+) rows? left out: (?P<why>.*?)\.?$", re.S)
_TOTAL = re.compile(r"total", re.I)

SHARED_EXPORT = N_("Only this client's rows of a shared export were used.")


def client_sentence(message: str) -> str:
    """The client's sentence for a ``dropped_rows`` warning's ``message``."""
    match = _LEFT_OUT.match(message.strip())
    if not match:
        return _("Some rows were left out as not data of this report.")
    count = int(match["count"].replace(",", ""))
    why = match["why"]
    if why.startswith("rows of other accounts") or "(tenant filter)" in why:
        return _(SHARED_EXPORT)
    shown = f"{count:,}"
    if why.startswith(("duplicate rows", "rows sent again")):  # a transform's dedupe step
        return ngettext("%(count)s row that repeated another was counted once.",
                        "%(count)s rows that repeated another were counted once.",
                        count, count=shown)
    if why.startswith("outside the report's scope"):  # a transform's filter, exclude or where
        return ngettext("%(count)s row outside this report's scope was left out.",
                        "%(count)s rows outside this report's scope were left out.",
                        count, count=shown)
    if why.startswith("lines that are no data rows"):  # a title block, notes, a footer
        return ngettext("%(count)s line of the export that was titles, notes or totals, not "
                        "data, was left out.",
                        "%(count)s lines of the export that were titles, notes or totals, not "
                        "data, were left out.", count, count=shown)
    return _reason(why, count, shown)


def _reason(why: str, count: int, shown: str) -> str:
    """The sentence for rows left out for the data layer's reason ``why``."""
    blank = re.match(r"^no value in '(?P<column>[^']+)'", why) or \
        re.match(r"^'(?P<column>[^']+)' is empty", why)
    if blank:
        return ngettext("%(count)s row with no %(column)s was left out.",
                        "%(count)s rows with no %(column)s were left out.",
                        count, count=shown, column=blank["column"])
    matched = re.match(r"^'(?P<column>[^']+)' matches (?P<pattern>.*?)(?: \(not data in .*\))?$",
                       why, re.S)
    if matched and _TOTAL.search(matched["pattern"]):
        return ngettext("%(count)s row that was totals, not data, was left out.",
                        "%(count)s rows that were totals, not data, were left out.",
                        count, count=shown)
    return ngettext("%(count)s row that was not data (such as totals or test entries) was left "
                    "out.",
                    "%(count)s rows that were not data (such as totals or test entries) were "
                    "left out.", count, count=shown)
