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
        What happens to a report with an unreviewed draft (a section the analyst has neither
        written nor approved: a draft is approved by writing ``{{ draft }}`` under its heading).
        ``block`` (default): the report is held back by the QA gate and not published.
        ``preview``: the report is published with its drafts marked, for the analyst to read,
        and fails the QA gate, so it is never sent (the index page says "Needs review").
        Drafts never reach a client unreviewed: the former ``allow`` is an error.
    tolerance:
        Relative difference between a value stated in the commentary and the computed figure
        that is still consistent (besides the rounding of the stated number), e.g. ``0.02``.
    flat_change:
        Largest relative change that may still be called "flat", "stable" or "unchanged".
    synonyms:
        Extra words the client uses for a metric, e.g. ``{leads: [bookings, enquiries]}``;
        the consistency check recognises them.
    """

    drafts: Literal["block", "preview"] = "block"
    tolerance: float = Field(default=0.02, ge=0, le=0.5)
    flat_change: float = Field(default=0.02, ge=0, le=0.5)
    synonyms: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("drafts", mode="before")
    @classmethod
    def _no_longer_allow(cls, value: object) -> object:
        if value == "allow":
            raise ValueError(
                "'allow' is no longer accepted: drafts never reach a client unreviewed. Did you "
                "mean 'preview'? It publishes the report with its drafts marked for you to read, "
                "and the QA gate keeps it from being sent; to send a draft as it is, approve it "
                "by writing {{ draft }} under its heading in the commentary file")
        return value

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
