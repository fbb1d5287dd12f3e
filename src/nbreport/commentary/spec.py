"""How a params file configures commentary: drafts, checking tolerance, extra metric names."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from nbreport.core.strict_model import StrictModel


class CommentarySpec(StrictModel):
    """Commentary settings of one client (key ``commentary:`` in a params file).

    Attributes
    ----------
    drafts:
        ``block`` (default): a section the analyst has not written shows a marked draft
        generated from the numbers, and the run is recorded as not publishable until the
        analyst writes it. ``allow``: marked drafts may reach the client.
    tolerance:
        Relative difference between a value stated in the commentary and the computed figure
        that is still consistent (besides the rounding of the stated number), e.g. ``0.02``.
    flat_change:
        Largest relative change that may still be called "flat", "stable" or "unchanged".
    synonyms:
        Extra words the client uses for a metric, e.g. ``{leads: [bookings, enquiries]}``;
        the consistency check recognises them.
    """

    drafts: Literal["block", "allow"] = "block"
    tolerance: float = Field(default=0.02, ge=0, le=0.5)
    flat_change: float = Field(default=0.02, ge=0, le=0.5)
    synonyms: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("synonyms")
    @classmethod
    def _known_metrics(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        from nbreport.metrics.definitions import METRICS  # plain Python, no pandas

        unknown = sorted(set(value) - set(METRICS))
        if unknown:
            raise ValueError(f"unknown metric(s) {', '.join(unknown)}; "
                             f"known metrics: {', '.join(sorted(METRICS))}")
        for words in value.values():
            if any(not word.strip() for word in words):
                raise ValueError("a synonym must not be empty")
        return value
