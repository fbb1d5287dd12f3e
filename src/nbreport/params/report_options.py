"""The ``report:`` block of a client's params: title, footer lines, feedback, language."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from nbreport.core.strict_model import StrictModel, pattern_text
from nbreport.i18n import N_

_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"']+$")
_EMAIL = re.compile(r"^[^@\s<>\"':]+@[^@\s<>\"']+\.[A-Za-z]{2,}$")

# shown when the params set no title / confidentiality line, in the report's language
DEFAULT_TITLE = N_("Performance report")
DEFAULT_CONFIDENTIALITY = N_("Confidential: prepared by %(agency)s for the client named on the "
                             "cover. Please do not forward.")


class ReportOptions(StrictModel):
    """What the report says around the numbers.

    Attributes
    ----------
    title:
        Report title on the cover; ``{Grain}`` (or ``{grain}``) stands for the period's
        grain ("Weekly", "Monthly"...; nothing for a custom range), so that one title serves
        every kind of period. A fixed grain word that contradicts the period is an error.
        Unset: "Performance report" in the report's language.
    confidentiality:
        Footer line; unset: the standard confidentiality line in the report's language.
    feedback:
        A URL or e-mail address where the client sends feedback.
    language:
        The language the report is written in (its fixed text and Markdown), e.g. ``en``;
        tells browsers and screen readers how to read it. Numbers follow ``client.locale``.
    cell_timeout:
        Seconds any cell of this client's report may run (a cell's own ``timeout=N`` tag wins);
        unset: the run's limit (``nbreport run --cell-timeout``, 600 by default).
    show_changes:
        Whether a re-run of a period already sent says which headline numbers moved since
        (a "Restated since our last report" note, from ``outputs/<period>/sent/<client>/``).
    """

    title: str | None = None
    confidentiality: str | None = None
    feedback: str | None = None
    language: pattern_text(r"^[a-z]{2,3}(?:-[A-Z]{2})?$", "a language code such as 'en' or 'en-GB'") = "en"  # type: ignore[valid-type]
    cell_timeout: float | None = Field(default=None, gt=0)
    show_changes: bool = False

    @field_validator("language")
    @classmethod
    def _translated(cls, value: str) -> str:
        from nbreport.i18n import available_languages  # Babel, only once a language is read

        known = available_languages()
        if value in known or value.split("-")[0] in known:
            return value
        raise ValueError(f"there is no translation of the report into '{value}'; "
                         f"choose one of: {', '.join(known)}")

    @field_validator("feedback")
    @classmethod
    def _url_or_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if _WEB_ADDRESS.match(value) or _EMAIL.match(value):
            return value
        raise ValueError("must be a web address starting with https:// or an e-mail address")


