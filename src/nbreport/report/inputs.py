"""Everything a report is computed from, read once: the first step of the one-way flow.

:func:`load_inputs` does all the reading: it validates the parameters again (the kernel
trusts nothing it is given), loads and harmonises the client's data, reads the analyst's
commentary file and dated context notes, and the forecasts earlier reports stored. What it
returns, :class:`ReportInputs`, is all :func:`nbreport.report.analysis.analyse` needs: the
analysis reads no file and writes none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbreport.commentary.notes import ContextNote, client_notes
from nbreport.commentary.store import CommentaryFile, read_commentary
from nbreport.core.compute_cache import ComputeCache, project_cache
from nbreport.core.errors import ParamsError, ParamsIssue
from nbreport.core.layout import ProjectLayout
from nbreport.forecast.store import Stored, stored_forecasts
from nbreport.i18n import language
from nbreport.params import ClientParams, load_client_params, params_from_plain
from nbreport.sources.loader import ClientData, client_data_dir, load_sources
from nbreport.sources.parse_cache import load_sources_cached


@dataclass(frozen=True)
class ReportInputs:
    """One client's report for one period, before any number is computed.

    Attributes
    ----------
    params:
        The validated parameters.
    data:
        The client's data in the canonical model, with provenance and data-quality warnings.
    commentary:
        The analyst's commentary file for the period (its text is ``None`` when not written).
    context_notes:
        Dated events from ``commentary/<client-id>/context.yaml``.
    stored:
        The forecasts earlier reports stored, to hold them to account.
    project_dir:
        The project folder the inputs were read from.
    sent:
        The stored results of this period's report as it was sent, when ``report.show_changes``
        asks for a note of what moved since (``None``: not asked, or never sent).
    cache:
        The project's compute cache (:mod:`nbreport.core.compute_cache`), which the sources
        were read through and prophet's fits go through; ``None``: everything is computed.
    """

    params: ClientParams
    data: ClientData
    commentary: CommentaryFile
    context_notes: tuple[ContextNote, ...]
    stored: Stored
    project_dir: Path
    sent: dict[str, Any] | None = None
    cache: ComputeCache | None = None

    @property
    def client_id(self) -> str:
        return self.params.client.id


def load_inputs(
    client_id: str,
    *,
    params: dict[str, Any] | None = None,
    period: str | None = None,
    project_dir: str | Path = ".",
    data_dir: str | Path | None = None,
    outputs_dir: str | Path | None = None,
    use_cache: bool = False,
) -> ReportInputs:
    """Read everything the report of ``client_id`` is computed from.

    Parameters
    ----------
    client_id:
        The client whose report this is.
    params:
        Validated parameters as plain values (``nbreport run`` injects them); when empty,
        ``params/<client_id>.yaml`` is read, so the notebook also runs by hand in JupyterLab.
    period:
        Overrides the period of the params file when reading it (e.g. ``"2026-10"``).
    project_dir:
        The project folder holding ``params/``, ``data/`` and ``commentary/``.
    data_dir:
        Where client data folders live; defaults to ``<project_dir>/data``.
    outputs_dir:
        Where earlier reports are (their stored forecasts are held to account);
        defaults to ``<project_dir>/outputs``.
    use_cache:
        Read the sources through the project's compute cache (``<outputs_dir>/.cache/``, see
        :func:`nbreport.core.compute_cache.project_cache`) and keep it for the forecasts.
    """
    project = Path(project_dir).resolve()
    client_params = _client_params(client_id, params, period, project)
    root = Path(data_dir) if data_dir else project / "data"
    outputs = Path(outputs_dir) if outputs_dir else ProjectLayout.default(project).outputs_dir
    cache = project_cache(outputs) if use_cache else None
    with language(client_params.report.language):  # the data's warnings are for the client
        data = _client_data(client_params, client_data_dir(root, client_id), cache)
    return ReportInputs(
        params=client_params, data=data,
        commentary=read_commentary(project, client_id, client_params.period.key),
        context_notes=tuple(client_notes(project, client_id)),
        stored=stored_forecasts(outputs, client_id), project_dir=project,
        sent=_sent_results(client_params, outputs), cache=cache)


def _client_data(params: ClientParams, folder: Path, cache: ComputeCache | None) -> ClientData:
    """The client's sources, through the compute cache when there is one."""
    sources, currency = list(params.sources), params.client.currency
    if cache is None:
        return load_sources(sources, folder, currency=currency, alternatives=params.alternatives)
    return load_sources_cached(sources, folder, cache, currency=currency,
                               alternatives=params.alternatives)


def _sent_results(params: ClientParams, outputs: Path) -> dict[str, Any] | None:
    """The sent copy of this period's report, read only when the params ask to show changes."""
    if not params.report.show_changes:
        return None
    from nbreport.core.period_names import as_of_key
    from nbreport.delivery.restated import read_sent_results

    folder = as_of_key(params.period, params.report_period)
    return read_sent_results(ProjectLayout(outputs).sent_results(folder, params.client.id))


def _client_params(client_id: str, params: dict[str, Any] | None, period: str | None,
                   project: Path) -> ClientParams:
    """The injected parameters validated again, else ``params/<client_id>.yaml``."""
    if params:
        found = params_from_plain(params, source=f"parameters of {client_id}")
    else:
        overrides = {"period": period} if period else None
        found = load_client_params(client_id, project / "params", overrides=overrides)
    if found.client.id != client_id:
        raise ParamsError(f"parameters of {client_id}", [ParamsIssue(
            "client.id", f"is '{found.client.id}', not the client being run ('{client_id}')")])
    return found
