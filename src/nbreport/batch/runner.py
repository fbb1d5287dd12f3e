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

import concurrent.futures
import contextlib
import logging
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from nbreport.batch.fingerprint import changed_inputs, client_inputs, shared_inputs
from nbreport.batch.lock import period_locks
from nbreport.batch.manifest import read_manifest, update_manifest
from nbreport.batch.pipeline import (
    Check,
    ClientTask,
    extract_summary,
    notebook_parameters,
    redact_paths,
    run_client,
)
from nbreport.batch.results import RERUN_STATUSES, ClientError, ClientResult
from nbreport.core.errors import EXIT_OK, EXIT_REPORTS_FAILED, EXIT_USAGE, ParamsError
from nbreport.core.layout import ProjectLayout
from nbreport.params import client_files, load_client_params
from nbreport.settings import Settings

if TYPE_CHECKING:
    from nbreport.qa.gate import GateReport  # the gate itself is imported only when a run ends

__all__ = [
    "BatchEvents", "BatchOptions", "BatchOutcome", "ClientTask", "EXIT_INTERRUPTED", "extract_summary",
    "notebook_parameters", "plan", "publish_indexes", "redact_paths", "run_batch", "run_client", "select_tasks",
]

log = logging.getLogger(__name__)
EXIT_INTERRUPTED = 130
STOP_GRACE_S = 30.0  # how long an interrupted run waits for its running clients to stop
POLL_S = 0.5


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch.

    Attributes
    ----------
    workers:
        Clients run at the same time (default: one per CPU; on Dask, every worker thread).
    executor:
        ``local`` (worker threads here, each client in a kernel process of its own) or ``dask``.
    scheduler:
        Address of the Dask scheduler (``tcp://host:8786``); none: a local Dask cluster.
    only_failed:
        Run only the clients whose last run for the period did not succeed.
    force:
        Run clients even when nothing they depend on changed since their last good report.
    checks:
        Called with each client's :class:`~nbreport.batch.pipeline.ClientWork` after export and
        before publishing; raising ``ReportError`` keeps the report from being published.
        Module-level functions, so that they reach worker processes.
    """

    workers: int | None = None
    executor: str = "local"
    scheduler: str | None = None
    only_failed: bool = False
    force: bool = False
    checks: tuple[Check, ...] = ()


class BatchEvents(Protocol):
    """What a progress display hears about a run."""

    def planned(self, total: int, skipped: list[str], why_skipped: str,
                description: str) -> None: ...

    def started(self, task: ClientTask) -> None: ...

    def finished(self, result: ClientResult) -> None: ...

    def tick(self) -> None: ...


class _Quiet:
    def __init__(self, on_result: Callable[[ClientResult], None] | None = None) -> None:
        self.on_result = on_result

    def planned(self, total: int, skipped: list[str], why_skipped: str,
                description: str) -> None:
        pass

    def started(self, task: ClientTask) -> None:
        pass

    def finished(self, result: ClientResult) -> None:
        if self.on_result:
            self.on_result(result)

    def tick(self) -> None:
        pass


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

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if any(r.status == "invalid" for r in self.results):
            return EXIT_USAGE
        failed = any(not r.ok for r in self.results) or any(not gate.passed for gate in self.gates)
        return EXIT_REPORTS_FAILED if failed else EXIT_OK


def plan(settings: Settings, client_ids: Iterable[str] | None,
         overrides: dict[str, Any] | None = None) -> tuple[list[ClientTask], list[ClientResult]]:
    """Validate the parameters of every selected client (all when ``client_ids`` is None).

    Returns the runnable tasks and a result with status ``invalid`` for each client whose
    parameters failed validation.
    """
    ids = list(client_ids) if client_ids else list(client_files(settings.params_dir))
    tasks, invalid = [], []
    for client_id in ids:
        try:
            params = load_client_params(client_id, settings.params_dir, overrides=overrides)
        except ParamsError as exc:
            invalid.append(ClientResult(client_id, (overrides or {}).get("period"), "invalid",
                                        error=ClientError("params", str(exc))))
            continue
        tasks.append(ClientTask(client_id, params))
    return tasks, invalid


def select_tasks(tasks: list[ClientTask], settings: Settings,
                 options: BatchOptions) -> tuple[list[ClientTask], list[str]]:
    """Fingerprint every task; keep those to run, name those skipped.

    ``only_failed`` keeps the clients whose last run for the period did not succeed (or never
    started, the run being interrupted). Otherwise
    a client is skipped when its last run succeeded, its report is in place and none of its
    inputs changed since, unless ``force``.
    """
    shared = shared_inputs(settings)
    layout = ProjectLayout.of(settings)
    manifests: dict[str, dict[str, Any]] = {}
    selected, skipped = [], []
    for task in tasks:
        task = ClientTask(task.client_id, task.params,
                          client_inputs(task.client_id, task.params, settings, shared))
        if task.period_key not in manifests:
            manifests[task.period_key] = read_manifest(layout.period_dir(task.period_key))
        manifest = manifests[task.period_key]
        last = manifest.get("clients", {}).get(task.client_id) or {}
        if options.only_failed:
            never_started = manifest.get("last_run", {}).get("clients", {}).get("not_started", [])
            keep = last.get("status") in RERUN_STATUSES or task.client_id in never_started
        else:
            keep = options.force or _needs_run(task, last, layout)
        (selected if keep else skipped).append(task if keep else task.client_id)
    return longest_first(selected, manifests), skipped


def longest_first(tasks: list[ClientTask], manifests: dict[str, dict[str, Any]]) -> list[ClientTask]:
    """``tasks`` by the duration of their last run for the period, longest first; clients
    never run come first, in the order given.

    A batch that starts its slowest clients last ends with one worker still busy while the
    others have nothing left to do.
    """
    def last_duration(task: ClientTask) -> float:
        entry = manifests.get(task.period_key, {}).get("clients", {}).get(task.client_id) or {}
        duration = entry.get("duration_s")
        return float(duration) if isinstance(duration, (int, float)) else float("inf")

    return sorted(tasks, key=last_duration, reverse=True)


def _needs_run(task: ClientTask, last: dict[str, Any], layout: ProjectLayout) -> bool:
    if last.get("status") != "ok" or not layout.report_html(task.period_key, task.client_id).is_file():
        return True
    changed = changed_inputs(last.get("inputs") or {}, task.inputs)
    if changed:
        log.info("%s: %s changed since the last report", task.client_id, ", ".join(changed))
    return bool(changed)


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
    events = events or _Quiet(on_result)
    clock = time.perf_counter()
    if options.executor == "local":
        from nbreport.render.kernels import start_zygote

        start_zygote()  # it imports in the background while the clients are validated
    tasks, invalid = plan(settings, client_ids, overrides)
    for result in invalid:
        events.finished(result)
    with period_locks(settings.outputs_dir, [task.period_key for task in tasks]):
        _remove_stale_work_folders(settings, tasks)
        selected, skipped = select_tasks(tasks, settings, options)
        why_skipped = ("did not fail in the last run" if options.only_failed
                       else "unchanged since the last good report")
        run = _Run(settings, options, events)
        started_at = _now()
        results = run.execute(selected, skipped, why_skipped)
        outcome = BatchOutcome(invalid + results, skipped=skipped, interrupted=run.interrupted,
                               not_started=[task.client_id for task in run.not_started],
                               why_skipped=why_skipped)
        record = _run_record(outcome, options, run.description, started_at)
        outcome.index_pages, outcome.gates = publish_indexes(settings, tasks, outcome.results,
                                                             run=record)
    outcome.wall_s = round(time.perf_counter() - clock, 2)
    return outcome


class _Run:
    """Feeds tasks to an executor, at most one per free slot, and collects the results."""

    def __init__(self, settings: Settings, options: BatchOptions, events: BatchEvents) -> None:
        self.settings, self.options, self.events = settings, options, events
        self.interrupted = False
        self.not_started: list[ClientTask] = []
        self.description = ""
        self.prechecks = _Prechecks(settings)

    def execute(self, tasks: list[ClientTask], skipped: list[str],
                why_skipped: str) -> list[ClientResult]:
        from nbreport.batch.executors import make_executor

        if not tasks:
            self.events.planned(0, skipped, why_skipped, "nothing to run")
            return []
        queue, running, results = deque(tasks), {}, []
        with _stop_on_signals() as stop_requested, self.prechecks:
            executor = make_executor(self.settings, executor=self.options.executor,
                                     workers=self.options.workers,
                                     scheduler=self.options.scheduler, tasks=len(tasks),
                                     checks=self.options.checks, stop=stop_requested)
            self.description = executor.description
            self.events.planned(len(tasks), skipped, why_skipped, executor.description)
            try:
                self._loop(executor, queue, running, results, stop_requested)
                if stop_requested.is_set():
                    self.interrupted = True
                    executor.request_stop()
                    self._drain(executor, running, results)
            finally:
                self.not_started = list(queue)
                executor.close()
        return results

    def _loop(self, executor: Any, queue: deque[ClientTask], running: dict[Any, ClientTask],
              results: list[ClientResult], stop_requested: threading.Event) -> None:
        while (queue or running) and not stop_requested.is_set():
            while queue and len(running) < executor.slots and not stop_requested.is_set():
                task = queue.popleft()
                self.events.started(task)
                running[executor.submit(task)] = task
            for future in executor.wait(running, POLL_S):
                self._collect(future, running.pop(future), results, executor)
            self.events.tick()

    def _drain(self, executor: Any, running: dict[Any, ClientTask],
               results: list[ClientResult]) -> None:
        """Wait (a while) for the running clients to come back interrupted."""
        deadline = time.monotonic() + STOP_GRACE_S
        try:
            while running and time.monotonic() < deadline:
                for future in executor.wait(running, POLL_S):
                    self._collect(future, running.pop(future), results, executor)
        except KeyboardInterrupt:  # a second Ctrl-C: stop waiting
            pass
        for future, task in running.items():
            future.cancel()
            result = _lost_result(task, "interrupted", "the run was interrupted")
            results.append(result)
            self.events.finished(result)

    def _collect(self, future: Any, task: ClientTask, results: list[ClientResult],
                 executor: Any) -> None:
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - the worker itself failed, not the report
            result = _lost_result(task, "failed", f"its worker failed ({type(exc).__name__}: "
                                  f"{exc}); a Dask worker may have been killed or run out "
                                  "of memory")
        results.append(result)
        self.prechecks.submit(result)
        self.events.finished(result)


class _Prechecks:
    """The QA gate's checks of each report as it comes in, on a thread of their own.

    They use CPU time the kernels leave free while the run goes on; the period's gate at
    the end of the run then only looks the verdicts up, instead of checking every report
    while the machine waits (see :func:`nbreport.qa.gate.precheck`).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="nbreport-gate")

    def submit(self, result: ClientResult) -> None:
        if result.status == "ok":
            self._pool.submit(self._check, result)

    def _check(self, result: ClientResult) -> None:
        from nbreport.qa.gate import precheck

        try:
            precheck(self.settings, result.period, result.client_id, result.summary)
        except Exception:  # noqa: BLE001 - only a head start: the period's gate checks again
            log.debug("%s: precheck failed", result.client_id, exc_info=True)

    def __enter__(self) -> _Prechecks:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        # interrupted: what is not checked yet is left to the gate
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)


def _lost_result(task: ClientTask, status: str, message: str) -> ClientResult:
    now = _now()
    return ClientResult(task.client_id, task.period_key, status,  # type: ignore[arg-type]
                        client_name=task.params.client.name, started_at=now, finished_at=now,
                        inputs=dict(task.inputs), error=ClientError("execute", message))


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """Ctrl-C and SIGTERM set the returned event instead of killing the run; a second one
    raises ``KeyboardInterrupt``."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.warning("stopping: %s received; running clients are being stopped",
                    signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _remove_stale_work_folders(settings: Settings, tasks: list[ClientTask]) -> None:
    """Working folders a killed run left behind (safe: this run holds the period's lock)."""
    for period in {task.period_key for task in tasks}:
        for folder in ProjectLayout.of(settings).work_dirs(period):
            shutil.rmtree(folder, ignore_errors=True)


def _run_record(outcome: BatchOutcome, options: BatchOptions, description: str,
                started_at: str) -> dict[str, Any]:
    by_status: dict[str, list[str]] = {}
    for result in outcome.results:
        by_status.setdefault(result.status, []).append(result.client_id)
    return {
        "status": "interrupted" if outcome.interrupted else "completed",
        "started_at": started_at,
        "finished_at": _now(),
        "executor": options.executor,
        "workers": description,
        "publish": "passing" if options.checks else "all",
        "clients": {**by_status, "skipped": outcome.skipped, "not_started": outcome.not_started},
    }


def publish_indexes(settings: Settings, tasks: list[ClientTask], results: list[ClientResult],
                    run: dict[str, Any] | None = None) -> tuple[list[Path], list[GateReport]]:
    """Update each period's manifest, pass its reports through the QA gate, write its index
    page, then the archive page. Returns the index pages and the gate's verdicts."""
    from nbreport.qa.gate import gate_period, record
    from nbreport.render.index import write_archive_index, write_period_index

    labels = {task.period_key: task.params.period.label for task in tasks}
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
