"""Reports compared byte for byte, except what differs from one run to the next.

What a run writes that depends on when it ran: the cover's "Generated" date and its
``datetime``, and the time each data source was read (``read_at`` in the appendix's table
of sources). :func:`without_run_times` puts a fixed mark in their place and leaves every
other byte alone, so that two runs of the same inputs give the same text.
"""

from __future__ import annotations

import re

RUN_TIME = "RUN-TIME"
# <dt>Generated</dt><dd><time datetime="2026-11-01T08:15:02+00:00">01 November 2026</time></dd>
_GENERATED = re.compile(r'(<dt>Generated</dt>\s*<dd><time datetime=")[^"]*(">)[^<]*(</time>)')
# a data source's read_at, as the appendix shows it: 2026-11-01 08:15:02 UTC
# (a cell may carry its column's name for the phone layout: <td data-label="Read at">)
_READ_AT = re.compile(r"(<td(?: data-label=\"[^\"]*\")?>)\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
                      r"(?: UTC|[+-]\d{2}:\d{2})</td>")


def without_run_times(html: str) -> str:
    """``html`` with the generation time and the sources' read times replaced by a mark."""
    html, generated = _GENERATED.subn(rf"\g<1>{RUN_TIME}\g<2>{RUN_TIME}\g<3>", html)
    assert generated == 1, "no 'Generated' date on the cover: has the template changed?"
    return _READ_AT.sub(rf"\g<1>{RUN_TIME}</td>", html)
