"""One KPI as the stored rows say it is, and its change as a report shows it (the QA gate's
"numbers recomputed" check, :mod:`nbreport.qa.truth`)."""

from __future__ import annotations

from dataclasses import dataclass

from nbreport.core.formatting import POINT_UNITS, Formatter


@dataclass(frozen=True)
class Truth:
    """One KPI as the rows say it is: ``None`` where the value is missing (no data, or n/a)."""

    metric: str
    unit: str
    values: dict[str, float | None]

    def change(self, compared: str) -> float | None:
        """``(actual - compared) / |compared|``; ``None`` when either is missing or it is 0."""
        now, before = self.values["now"], self.values[compared]
        if now is None or before is None or before == 0:
            return None
        return (now - before) / abs(before)

    def difference(self, compared: str) -> float | None:
        """``actual - compared``; ``None`` when either is missing."""
        now, before = self.values["now"], self.values[compared]
        return None if now is None or before is None else now - before

    def shown_change(self, compared: str, fmt: Formatter) -> str | None:
        """The change as a tile shows it (points for shares and scores); ``None`` when there
        is none to show."""
        relative, absolute = self.change(compared), self.difference(compared)
        if (absolute if self.unit in POINT_UNITS else relative) is None:
            return None
        return fmt.change_in(self.unit, absolute, relative)
