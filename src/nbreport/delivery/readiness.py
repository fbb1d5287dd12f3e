"""Whether a client's data is in for a period: the last day each source covers.

The same reading as ``nbreport preview`` and ``validate --data`` (each source loaded as a run
loads it, its grain and span from :mod:`nbreport.metrics.coverage`), without the KPIs: only
the dates are needed. A source covers the period's end when its last row's span reaches it,
allowing the quiet days it usually has (a weekday business's Friday covers the weekend).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from nbreport.core.errors import DataError
from nbreport.metrics.coverage import source_coverage
from nbreport.params import ClientParams
from nbreport.sources.loader import load_one
from nbreport.sources.spec import SourceSpec


@dataclass(frozen=True)
class SourceEnd:
    """How far one source's data reaches, or why it could not be read.

    Attributes
    ----------
    last:
        The last day its rows stand for, quiet days included (``None``: no dated row or unreadable).
    problem:
        Why the source could not be read (a file not delivered yet, say).
    """

    source: str
    last: date | None
    problem: str = ""

    def covers(self, day: date) -> bool:
        return self.last is not None and self.last >= day

    def words(self) -> str:
        """``google-ads (data to 2026-10-29)``: a late source as ``nbreport due`` names it."""
        if self.problem:
            return f"{self.source} ({self.problem})"
        if self.last is None:
            return f"{self.source} (no dated rows)"
        return f"{self.source} (data to {self.last.isoformat()})"


def source_ends(params: ClientParams, client_dir: Path) -> list[SourceEnd]:
    """Every data source of ``params`` (lookups aside) and the last day it covers."""
    return [_source_end(spec, params, client_dir) for spec in params.sources if spec.is_data]


def _source_end(spec: SourceSpec, params: ClientParams, client_dir: Path) -> SourceEnd:
    try:
        loaded = load_one(spec, client_dir, params.sources)
    except DataError as error:
        return SourceEnd(spec.name, None, _first_line(str(error)))
    days = loaded.table.column("date").to_pandas()
    coverage = source_coverage(spec.name, days, spec.grain)
    if coverage is None:
        return SourceEnd(spec.name, None)
    return SourceEnd(coverage.source, coverage.last + timedelta(days=coverage.slack))


def late_sources(params: ClientParams, client_dir: Path, period_end: date) -> list[SourceEnd]:
    """The sources whose data does not reach ``period_end`` yet."""
    return [end for end in source_ends(params, client_dir) if not end.covers(period_end)]


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "cannot be read"
    return line if len(line) <= 160 else line[:157] + "..."
