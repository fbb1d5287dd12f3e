"""The typed schema of a client's parameter file.

Every domain owns the models of its own settings (``sources.spec``,
``metrics.spec``...); this module composes them into :class:`ClientParams`.
``nbreport schema`` prints the JSON Schema generated from it.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from nbreport.commentary.spec import CommentarySpec
from nbreport.forecast.spec import ForecastSpec
from nbreport.metrics.definitions import METRICS, SummedMetric, summed_inputs
from nbreport.metrics.spec import (
    BudgetSpec,
    CustomerSuccessSpec,
    InsightSettings,
    KpiSpec,
    StatusThresholds,
    TriangulationSpec,
    missing_data,
)
from nbreport.params.delivery import DeliverySpec
from nbreport.params.overlaps import OverlapSpec, alternative_checks, check_overlaps
from nbreport.params.report_options import DEFAULT_CONFIDENTIALITY, DEFAULT_TITLE, ReportOptions
from nbreport.params.schedule import ScheduleSpec
from nbreport.params.sections import SectionsSpec
from nbreport.core.period import PERIOD_FORMATS_HELP, Period, PeriodParseError
from nbreport.core.period_names import as_of_key, resolve_title, title_grain_conflict
from nbreport.qa.spec import QaSpec
from nbreport.sources.spec import SourceSpec
from nbreport.core.layout import RESERVED_FOLDERS
from nbreport.core.strict_model import HexColor, Slug, StrictModel, pattern_text
from nbreport.i18n import _


def _parse_period(value: Any) -> Period:
    try:
        return Period.parse(value)
    except PeriodParseError as exc:
        raise ValueError(str(exc)) from None


PeriodField = Annotated[
    Period,
    BeforeValidator(_parse_period),
    PlainSerializer(lambda period: period.key if period.kind != "custom"
                    else f"{period.start}..{period.end}", return_type=str),
    WithJsonSchema({
        "description": f"The reporting period: {PERIOD_FORMATS_HELP}.",
        "anyOf": [
            {"type": "string", "examples": ["2026-10", "2026-Q3", "2026-W42", "last-month"]},
            {"type": "object", "required": ["start", "end"], "additionalProperties": False,
             "properties": {"start": {"type": "string", "format": "date"},
                            "end": {"type": "string", "format": "date"}}},
        ],
    }),
]

# ISO 4217 codes that are no money a client's numbers are in (testing, "no currency")
NOT_MONEY = frozenset({"XTS", "XXX"})
_FONT_STACK = re.compile(r"^[A-Za-z0-9 ,'\"_-]+$")


class ClientInfo(StrictModel):
    """Who the client is.

    Attributes
    ----------
    id:
        A slug, also the name of the params file and of the client's output folder.
    name:
        Display name on the report.
    industry:
        Free text shown on the cover (e.g. "Online shop").
    currency:
        ISO 4217 code of the client's money, e.g. ``EUR``.
    locale:
        How numbers and money are written, e.g. ``en_GB`` or ``de_DE``.
    country:
        ISO 3166 alpha-2 code; used for public holidays in forecasts.
    """

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=120)]
    industry: str | None = None
    currency: pattern_text(r"^[A-Z]{3}$", "an ISO 4217 code in capitals, e.g. 'EUR'") = "USD"  # type: ignore[valid-type]
    locale: pattern_text(r"^[a-z]{2,3}(?:_[A-Z]{2})?$", "a locale such as 'en_GB'") = "en_US"  # type: ignore[valid-type]
    country: pattern_text(r"^[A-Z]{2}$", "an ISO 3166 code in capitals, e.g. 'DE'") | None = None  # type: ignore[valid-type]

    @field_validator("id")
    @classmethod
    def _not_a_period_folder(cls, value: str) -> str:
        if value in RESERVED_FOLDERS:  # outputs/<period>/sent/ and outbox/ are nbreport's own
            raise ValueError(f"'{value}' is the name of a folder nbreport keeps beside the clients' "
                             f"reports ({', '.join(RESERVED_FOLDERS)}); choose another client id")
        return value

    @field_validator("currency")
    @classmethod
    def _iso_4217(cls, value: str) -> str:
        from babel.numbers import list_currencies  # Babel's list of ISO 4217 codes

        if value not in list_currencies() or value in NOT_MONEY:
            close = difflib.get_close_matches(value, sorted(list_currencies() - NOT_MONEY), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ValueError(f"'{value}' is not an ISO 4217 currency code{hint} "
                             "(e.g. USD, EUR, GBP)")
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError  # small import, only when validating

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"unknown locale '{value}'; use a code such as en_US, en_GB, de_DE")
        return value


class Branding(StrictModel):
    """How the report looks: the agency's or the client's brand (white-label).

    Attributes
    ----------
    agency_name:
        Shown on the cover and in the footer.
    logo:
        Image file relative to the project folder (PNG, JPEG or SVG); embedded in the report.
    primary_color, accent_color:
        CSS colours ``#rrggbb`` for headings and highlights.
    font_family:
        A CSS font stack of system fonts (nothing is downloaded).
    """

    agency_name: str = "nbreport"
    logo: str | None = None
    primary_color: HexColor = "#1f3a5f"
    accent_color: HexColor = "#e07a1f"
    font_family: str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    @field_validator("font_family")
    @classmethod
    def _css_font_stack(cls, value: str) -> str:
        if not _FONT_STACK.match(value):
            raise ValueError("must be a CSS font stack: font names separated by commas, "
                             "e.g. \"'Segoe UI', Roboto, Arial, sans-serif\"")
        return value

    @field_validator("logo")
    @classmethod
    def _image_file(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().endswith((".png", ".jpg", ".jpeg", ".svg")):
            raise ValueError("the logo must be a .png, .jpg, .jpeg or .svg file")
        if value is not None and (value.startswith("/") or ".." in value.split("/")):
            raise ValueError("the logo path must be relative to the project folder, without '..'")
        return value


class ClientParams(StrictModel):
    """Everything one client's report needs; built from ``params/_defaults.yaml``,
    the client's file and command-line overrides, in that order."""

    client: ClientInfo
    period: PeriodField
    as_of: date | None = Field(
        default=None,
        description="Report the period up to this day (month-to-date); targets are pro-rated.",
    )
    sources: Annotated[list[SourceSpec], Field(min_length=1)]
    kpis: Annotated[list[KpiSpec], Field(min_length=1)]
    overlaps: list[OverlapSpec] = Field(
        default_factory=list, validate_default=True,  # validated even when absent: undeclared ones
        description="Sources of one kind whose rows would be added together: parts (summed) or "
                    "alternatives (only the truth is summed, the others are checked against it).")
    status: StatusThresholds = Field(default_factory=StatusThresholds)
    budget: BudgetSpec | None = None
    triangulation: list[TriangulationSpec] = Field(default_factory=list)
    insights: InsightSettings = Field(default_factory=InsightSettings)
    customer_success: CustomerSuccessSpec = Field(default_factory=CustomerSuccessSpec)
    branding: Branding = Field(default_factory=Branding)
    report: ReportOptions = Field(default_factory=ReportOptions)
    commentary: CommentarySpec = Field(default_factory=CommentarySpec)
    forecast: ForecastSpec = Field(default_factory=ForecastSpec)
    sections: SectionsSpec = Field(default_factory=SectionsSpec)
    qa: QaSpec = Field(default_factory=QaSpec)
    schedule: ScheduleSpec | None = None
    delivery: DeliverySpec | None = None

    @field_validator("sources")
    @classmethod
    def _unique_source_names(cls, sources: list[SourceSpec]) -> list[SourceSpec]:
        names = [source.name for source in sources]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"source names must be unique; repeated: {', '.join(duplicates)}")
        _check_joins(sources)
        if all(not source.is_data for source in sources):
            raise ValueError("every source is a lookup: add the source the report reads "
                             "(a lookup is only joined into other sources)")
        return sources

    @field_validator("overlaps")
    @classmethod
    def _overlaps_declared(cls, overlaps: list[OverlapSpec], info: ValidationInfo) -> list[OverlapSpec]:
        # sources and kpis come before overlaps, so they are validated already (when valid)
        if "sources" in info.data:
            check_overlaps(overlaps, info.data["sources"], info.data.get("kpis", []))
        return overlaps

    @model_validator(mode="after")
    def _kpis_have_data(self) -> ClientParams:
        kinds = {source.kind for source in self.sources}
        by_name = {source.name: source for source in self.sources}
        for position, kpi in enumerate(self.kpis):
            if kpi.source is not None and kpi.source not in by_name:
                raise ValueError(
                    f"kpis[{position}].source: no source named '{kpi.source}' "
                    f"(sources: {', '.join(by_name)})"
                )
            if kpi.source is not None and not by_name[kpi.source].is_data:
                raise ValueError(f"kpis[{position}].source: '{kpi.source}' is a lookup, only joined "
                                 "into other sources; name the source that joins it")
            for needed in summed_inputs(kpi.metric):
                metric = METRICS[needed]
                assert isinstance(metric, SummedMetric)
                able = [p.kind for p in metric.providers]
                if not kinds.intersection(able):
                    raise ValueError(
                        f"kpis[{position}] '{kpi.metric}' needs '{needed}', which comes from "
                        f"{' or '.join(able)} data, and this client has no such source"
                    )
        return self

    @model_validator(mode="after")
    def _metrics_settings_have_data(self) -> ClientParams:
        kinds = {source.kind for source in self.sources}
        names = {source.name for source in self.sources}
        for position, check in enumerate(self.triangulation):
            for index, measure in enumerate(check.measures):
                key = f"triangulation[{position}].measures[{index}]"
                if measure.source is not None and measure.source not in names:
                    raise ValueError(f"{key}.source: no source named '{measure.source}' "
                                     f"(sources: {', '.join(sorted(names))})")
                if problem := missing_data(measure.metric, kinds):
                    raise ValueError(f"{key}: {problem}")
        health = self.customer_success.health_score
        if health is not None and (missing := sorted(health.kinds_needed - kinds)):
            raise ValueError(f"customer_success.health_score needs {', '.join(missing)} data, "
                             "and this client has no such source; drop those components")
        if self.budget is not None and self.budget.result is not None:
            if problem := missing_data(self.budget.result, kinds):
                raise ValueError(f"budget.result: {problem}")
        return self

    @model_validator(mode="after")
    def _forecast_names_kpis(self) -> ClientParams:
        unknown = self.forecast.unknown_metrics([kpi.metric for kpi in self.kpis])
        if unknown:
            raise ValueError(f"forecast names {', '.join(unknown)}, which "
                             f"{'is' if len(unknown) == 1 else 'are'} not among this client's kpis "
                             f"({', '.join(kpi.metric for kpi in self.kpis)})")
        return self

    @model_validator(mode="after")
    def _title_fits_the_period(self) -> ClientParams:
        if self.report.title and (problem := title_grain_conflict(self.report.title, self.period)):
            raise ValueError(f"report.title: {problem}")
        return self

    @field_validator("as_of")
    @classmethod
    def _as_of_inside_period(cls, as_of: date | None, info: ValidationInfo) -> date | None:
        period = info.data.get("period")
        if as_of is None or period is None:
            return as_of
        if as_of < period.start:
            raise ValueError(f"as_of {as_of} is before the period starts ({period.start}); "
                             "as_of cuts the period short, so it must fall inside it")
        if as_of > period.end:
            raise ValueError(f"as_of {as_of} is after the period ends ({period.end}): the report would "
                             "show the whole period as if cut short; remove as_of to report the "
                             f"whole period, or give a day from {period.start} to {period.end}")
        return as_of

    @property
    def alternatives(self) -> dict[str, str]:
        """Source -> the truth source it is an alternative to (its rows are never summed)."""
        return {name: overlap.truth for overlap in self.overlaps if overlap.truth
                for name in overlap.set_aside}

    @property
    def triangulation_checks(self) -> list[TriangulationSpec]:
        """The declared triangulation checks, then one per alternatives overlap and metric."""
        return [*self.triangulation,
                *alternative_checks(self.overlaps, self.sources, self.kpis, self.triangulation)]

    @property
    def report_period(self) -> Period:
        """The period actually reported: up to ``as_of`` when it falls inside the period."""
        return self.period.to_date(self.as_of)

    @property
    def output_key(self) -> str:
        """The run's folder under ``outputs/``: the period's key, or ``2026-10-as-of-2026-10-15``
        for a period to date, which never overwrites the period's final report."""
        return as_of_key(self.period, self.report_period)

    @property
    def title(self) -> str:
        """``report.title`` with its ``{Grain}`` filled in for this period ("Performance
        report" in the language in use when unset)."""
        return resolve_title(self.report.title or _(DEFAULT_TITLE), self.period)

    @property
    def confidentiality(self) -> str:
        """``report.confidentiality``, or the standard line in the language in use."""
        return self.report.confidentiality or _(DEFAULT_CONFIDENTIALITY,
                                                agency=self.branding.agency_name)


def _check_joins(sources: list[SourceSpec]) -> None:
    """Each ``join`` step names another source of the client (the closest name when misspelt)."""
    import difflib

    names = [source.name for source in sources]
    for position, source in enumerate(sources):
        for number, step in enumerate(source.transform):
            if step.join is None or (step.join.source in names and step.join.source != source.name):
                continue
            others = [name for name in names if name != source.name]
            close = difflib.get_close_matches(step.join.source, others, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(f"sources[{position}].transform[{number}].join.source: no other source "
                             f"named '{step.join.source}'; {hint}sources: {', '.join(others) or 'none'}")
