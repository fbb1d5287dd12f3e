"""Run the master notebook for many clients: validate, select, run in parallel, record, index.

Parameters are validated for every client before any kernel starts. The
period's lock is taken, clients whose inputs have not changed since their last
good report are skipped (unless ``force``), and the others run on an executor
(see :mod:`nbreport.batch.executors`), one client per task, each in its own
kernel (see :mod:`nbreport.batch.pipeline`). A failure is recorded in the
manifest and the index and never stops the others.

Ctrl-C or SIGTERM stops the run cleanly: running clients have their kernels
killed and are recorded as ``interrupted``, clients not yet started keep their
previous entry, previous good reports stay in place, and the manifest's
``last_run`` says what happened. A second Ctrl-C stops waiting at once.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbreport.batch.dispatch import Dispatch, now_utc
from nbreport.batch.lock import period_locks
from nbreport.batch.manifest import reconcile_manifest
from nbreport.batch.options import BatchEvents, BatchOptions, QuietEvents
from nbreport.batch.pipeline import (
    ClientTask,
    extract_summary,
    notebook_parameters,
    redact_paths,
    run_client,
)
from nbreport.batch.recording import publish_indexes
from nbreport.batch.results import ClientResult
from nbreport.batch.selection import longest_first, plan, select_tasks
from nbreport.core.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_REPORTS_FAILED, EXIT_USAGE
from nbreport.core.layout import ProjectLayout
from nbreport.settings import Settings

if TYPE_CHECKING:
    from nbreport.qa.gate import GateReport  # the gate itself is imported only when a run ends

__all__ = [
    "BatchEvents", "BatchOptions", "BatchOutcome", "ClientTask", "EXIT_INTERRUPTED", "extract_summary",
    "longest_first", "notebook_parameters", "plan", "publish_indexes", "redact_paths", "run_batch",
    "run_client", "select_tasks",
]

log = logging.getLogger(__name__)


@dataclass


class BatchOutcome:
    """What a run did: a result per client that ran (or was invalid), the skipped clients,
    the index pages written and whether the run was interrupted."""

    results: list[ClientResult]
    index_pages: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    interrupted: bool = False
    not_started: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    why_skipped: str = ""
    gates: list[GateReport] = field(default_factory=list)  # the QA gate's verdict on each period
    named: frozenset[str] | None = None  # the clients the run was asked for; None: all of them

    @property
    def exit_code(self) -> int:
        """The run's answer for the clients named (see :mod:`nbreport.core.exit_codes`)."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if any(r.status == "invalid" for r in self.results):
            return EXIT_USAGE
        failed = (any(not r.ok for r in self.results)
                  or any(not gate.passed_for(self.named) for gate in self.gates))
        return EXIT_REPORTS_FAILED if failed else EXIT_OK


def run_batch(
    settings: Settings,
    client_ids: Iterable[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    options: BatchOptions | None = None,
    events: BatchEvents | None = None,
    on_result: Callable[[ClientResult], None] | None = None,
) -> BatchOutcome:
    """Validate, select and run the clients, then write manifests and index pages."""
    settings.require_project()
    options = options or BatchOptions()
    events = events or QuietEvents(on_result)
    clock = time.perf_counter()
    if options.executor == "local" and not settings.plain:
        from nbreport.speedups.zygote import start_zygote

        start_zygote()  # it imports in the background while the clients are validated
    ids = list(client_ids) if client_ids else None
    named = frozenset(ids) if ids else None
    tasks, invalid = plan(settings, ids, overrides)
    for result in invalid:
        events.finished(result)
    with period_locks(settings.outputs_dir, [task.period_key for task in tasks]):
        _remove_stale_work_folders(settings, tasks)
        _reconcile_manifests(settings, tasks)
        selected, skipped = select_tasks(tasks, settings, options)
        why_skipped = ("did not fail in the last run" if options.only_failed
                       else "unchanged since the last good report")
        run = Dispatch(settings, options, events)
        started_at = now_utc()
        results = run.execute(selected, skipped, why_skipped)
        outcome = BatchOutcome(invalid + results, skipped=skipped, interrupted=run.interrupted,
                               not_started=[task.client_id for task in run.not_started],
                               why_skipped=why_skipped, named=named)
        record = _run_record(outcome, options, run.description, started_at)
        outcome.index_pages, outcome.gates = publish_indexes(settings, tasks, outcome.results,
                                                             run=record)
    outcome.wall_s = round(time.perf_counter() - clock, 2)
    return outcome


def _remove_stale_work_folders(settings: Settings, tasks: list[ClientTask]) -> None:
    """Working folders a killed run left behind (safe: this run holds the period's lock)."""
    for period in {task.period_key for task in tasks}:
        for folder in ProjectLayout.of(settings).work_dirs(period):
            shutil.rmtree(folder, ignore_errors=True)


def _reconcile_manifests(settings: Settings, tasks: list[ClientTask]) -> None:
    """Reports a killed run published without recording them get their manifest entry back."""
    labels = {task.period_key: task.period_label for task in tasks}
    for period, label in labels.items():
        recovered = reconcile_manifest(ProjectLayout.of(settings).period_dir(period), label)
        if recovered:
            log.warning("%s: recorded reports found without a manifest entry: %s", period,
                        ", ".join(recovered))


def _run_record(outcome: BatchOutcome, options: BatchOptions, description: str,
                started_at: str) -> dict[str, Any]:
    by_status: dict[str, list[str]] = {}
    for result in outcome.results:
        by_status.setdefault(result.status, []).append(result.client_id)
    return {
        "status": "interrupted" if outcome.interrupted else "completed",
        "started_at": started_at,
        "finished_at": now_utc(),
        "executor": options.executor,
        "workers": description,
        "publish": "passing" if options.checks else "all",
        "clients": {**by_status, "skipped": outcome.skipped, "not_started": outcome.not_started},
    }
