"""What a run leaves behind for each period: the manifest, the QA gate's verdicts, the index pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbreport.batch.manifest import update_manifest
from nbreport.batch.pipeline import ClientTask
from nbreport.batch.results import ClientResult
from nbreport.core.layout import ProjectLayout
from nbreport.settings import Settings

if TYPE_CHECKING:
    from nbreport.qa.gate import GateReport  # the gate itself is imported only when a run ends


def publish_indexes(settings: Settings, tasks: list[ClientTask], results: list[ClientResult],
                    run: dict[str, Any] | None = None) -> tuple[list[Path], list[GateReport]]:
    """Update each period's manifest, pass its reports through the QA gate, write its index
    page, then the archive page. Returns the index pages and the gate's verdicts."""
    from nbreport.qa.gate import gate_period, record
    from nbreport.render.index import write_archive_index, write_period_index

    labels = {task.period_key: task.period_label for task in tasks}
    pages, gates = [], []
    for period_key, label in sorted(labels.items()):
        period_results = [r for r in results if r.period in (period_key, None)]
        period_dir = ProjectLayout.of(settings).period_dir(period_key)
        update_manifest(period_dir, label, period_results, run=_for_period(run, period_key, tasks))
        write_period_index(period_dir, settings.templates_dir)  # the gate checks the index too
        gate = gate_period(settings, period_key)
        record(gate, settings, published_anyway=bool(run) and run.get("publish") == "all",
               run_clients={r.client_id for r in period_results})
        gates.append(gate)
        pages.append(write_period_index(period_dir, settings.templates_dir))  # now with verdicts
    if pages:
        write_archive_index(settings.outputs_dir, settings.templates_dir)
    return pages, gates


def _for_period(run: dict[str, Any] | None, period_key: str,
                tasks: list[ClientTask]) -> dict[str, Any] | None:
    if run is None:
        return None
    here = {task.client_id for task in tasks if task.period_key == period_key}
    clients = {status: [c for c in ids if c in here] for status, ids in run["clients"].items()}
    return {**run, "clients": {status: ids for status, ids in clients.items() if ids}}
