"""The report the master notebook shows: inputs, results and commentary, put together once.

``open_report`` is the first library call of the master notebook. The data flows one way::

    load_inputs()  ->  ReportInputs   params, harmonised data, commentary file, stored forecasts
    analyse()      ->  ReportResults  every number (frozen, serialisable)
    ReportCommentary(facts view of the results, commentary file)
    write_artifacts()                 the files for later, in one place (only when asked)
    sections.*(report)  ->  Fragment  each cell turns results into HTML; nothing is computed
                                      or written while displaying (the data pack keeps the
                                      body's tables and charts, written by run_summary)

:class:`Report` is a frozen container of those parts: it computes nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbreport.charts.chart_cache import use_chart_cache
from nbreport.charts.theme import ChartTheme
from nbreport.commentary.compose import ReportCommentary
from nbreport.commentary.view import ReportFacts
from nbreport.core.formatting import Formatter
from nbreport.delivery.datapack import DataPackRecorder, PackHeader
from nbreport.i18n import _, language
from nbreport.report.analysis import analyse
from nbreport.report.artifacts import write_artifacts
from nbreport.report.inputs import ReportInputs, load_inputs
from nbreport.report.outline import OUTLINE
from nbreport.report.plan import SectionPlan, plan_sections
from nbreport.report.results import ReportResults


@dataclass(frozen=True)
class Report:
    """One client's report for one period, as the sections read it.

    Attributes
    ----------
    inputs:
        What it was computed from (params, data with provenance, commentary file...).
    results:
        Every number (see :class:`~nbreport.report.results.ReportResults`).
    commentary:
        The analyst's commentary, filled in from the results, checked and drafted.
    fmt:
        Formats numbers and money in the client's currency and locale.
    theme:
        Chart colours from the client's branding.
    artifacts:
        Files written for later into the working folder (empty unless asked for).
    plan:
        The sections shown, in order, and why the others are left out (``None``: worked out
        from the params and results when first read).
    data_pack:
        Keeps the tables and charts the body displays, for the client's data pack
        (:mod:`nbreport.delivery.datapack`); ``None`` unless the files are written for a run.
    """

    inputs: ReportInputs
    results: ReportResults
    commentary: ReportCommentary
    fmt: Formatter
    theme: ChartTheme
    artifacts: tuple[str, ...] = ()
    plan: SectionPlan = None  # type: ignore[assignment]  # filled in by __post_init__
    data_pack: DataPackRecorder | None = None

    def __post_init__(self) -> None:
        if self.plan is None:
            object.__setattr__(self, "plan", plan_sections(self.inputs.params.sections, self.results))

    @property
    def client_id(self) -> str:
        return self.inputs.client_id

    @property
    def language(self) -> str:
        """The language the report is written in (``report.language``); every section renders
        in it, whatever the language in use around it."""
        return self.inputs.params.report.language

    def __repr__(self) -> str:
        return f"<Report {self.client_id} {self.results.period.key}>"


def commentary_view(inputs: ReportInputs, results: ReportResults, fmt: Formatter) -> ReportFacts:
    """What commentary may read of the report (:class:`~nbreport.commentary.view.ReportFacts`)."""
    client = inputs.params.client
    return ReportFacts(
        kpis=results.kpis, headline=results.headline, contributions=results.contributions,
        budget=results.budget, period=results.period, reported=results.reported,
        context_notes=inputs.context_notes, client_name=client.name,
        industry=client.industry or "", settings=inputs.params.commentary, fmt=fmt)


def open_report(client_id: str, *, artifacts_dir: str | Path | None = None,
                use_cache: bool = True, **where: Any) -> Report:
    """Read the inputs (:func:`~nbreport.report.inputs.load_inputs`: ``where`` holds its
    ``params``, ``period``, ``project_dir``, ``data_dir`` and ``outputs_dir``), analyse them,
    check the commentary against the results, and return the :class:`Report`.

    ``artifacts_dir``: where to write the files a run keeps for later (stored forecasts, the
    results and the rows behind them); ``None`` writes none of them. The master notebook passes
    its working folder, which ``nbreport run`` empties beside the report.

    ``use_cache``: read the sources, prophet's fits and the charts through the project's
    compute cache when their inputs are unchanged (``<outputs>/.cache/``; ``NBREPORT_CACHE=off`` switches
    it off everywhere).
    """
    inputs = load_inputs(client_id, use_cache=use_cache, **where)
    use_chart_cache(inputs.cache)  # charts too: a commentary edit redraws none of them
    with language(inputs.params.report.language):  # every word computed with the numbers
        results = analyse(inputs)
        client, branding = inputs.params.client, inputs.params.branding
        fmt = Formatter(client.currency, client.locale)
        plan = plan_sections(inputs.params.sections, results)
        commentary = ReportCommentary(commentary_view(inputs, results, fmt), inputs.commentary,
                                      shown=plan.shown)
        artifacts = (write_artifacts(inputs, results, Path(artifacts_dir))
                     if artifacts_dir is not None else ())
        data_pack = (DataPackRecorder(Path(artifacts_dir), pack_header(inputs, results))
                     if artifacts_dir is not None else None)
    theme = ChartTheme.from_branding(branding.primary_color, branding.accent_color,
                                     branding.font_family)
    return Report(inputs, results, commentary, fmt, theme, artifacts, plan, data_pack)


def pack_header(inputs: ReportInputs, results: ReportResults) -> PackHeader:
    """What the data pack's sheets say of the client and the period."""
    client = inputs.params.client
    label = results.reported.label
    period_label = _("%(period)s (to date)", period=label) if results.partial else label
    return PackHeader(client_name=client.name, period_label=period_label,
                      currency=client.currency, locale=client.locale,
                      # the notebook's headings, in the report's language (see i18n.notebook_text)
                      section_titles={section.id: _(section.title) for section in OUTLINE})
