"""How a params file tunes the QA gate (the ``qa:`` section)."""

from __future__ import annotations

from pydantic import Field

from nbreport.core.strict_model import StrictModel


class QaSpec(StrictModel):
    """Limits the gate checks every report against before it may be shared.

    Attributes
    ----------
    max_report_mb:
        Largest acceptable HTML report, in megabytes.
    max_data_lag_days:
        Every source's data must reach to at most this many days before the reported
        period ends; older data is stale.
    markers:
        Strings unique to this client (a canary): if one appears in another client's
        report, index entry or files, the gate fails that report.
    """

    max_report_mb: float = Field(default=1.5, gt=0)
    max_data_lag_days: int = Field(default=2, ge=0)
    markers: list[str] = Field(default_factory=list)
