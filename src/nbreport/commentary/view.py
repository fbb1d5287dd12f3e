"""What commentary knows of a report: a read-only view of its results, never the report itself.

Placeholders (:mod:`.bindings`, :mod:`.values`), drafts (:mod:`.drafts`) and the consistency
check (:mod:`.facts`) read a :class:`ReportFacts`. The report layer builds it from the
analysis's results once (:func:`nbreport.report.context.open_report`), so commentary depends
on the metrics' result types and nothing above them: the data flows one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from nbreport.commentary.notes import ContextNote
    from nbreport.commentary.spec import CommentarySpec
    from nbreport.core.formatting import Formatter
    from nbreport.core.period import Period
    from nbreport.metrics.budget import BudgetReport
    from nbreport.metrics.kpis import KpiResult


@dataclass(frozen=True)
class ReportFacts:
    """The figures and words of one report that commentary may use.

    Attributes
    ----------
    kpis, headline:
        The scorecard's rows, and the headline KPIs among them.
    contributions:
        Per KPI metric: each channel's part of its change on the previous period.
    budget:
        Spend against plan by channel and campaign (``None`` without a budget).
    period, reported:
        The full period and its reported part (up to ``as_of``).
    context_notes:
        The client's dated events (``commentary/<client-id>/context.yaml``).
    client_name, industry:
        From the client's params.
    settings:
        The client's ``commentary`` params (drafts policy, tolerance, synonyms).
    fmt:
        Formats values in the client's currency and locale.
    """

    kpis: tuple[KpiResult, ...]
    headline: tuple[KpiResult, ...]
    contributions: Mapping[str, pd.DataFrame]
    budget: BudgetReport | None
    period: Period
    reported: Period
    context_notes: tuple[ContextNote, ...]
    client_name: str
    industry: str
    settings: CommentarySpec
    fmt: Formatter

    @property
    def locale(self) -> str:
        return self.fmt.locale
