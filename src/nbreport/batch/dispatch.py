"""Feeding a run's clients to an executor and collecting their results, stoppable by a signal.

At most one task per free slot is submitted, so that the clients not yet started are known
when the run is stopped. Ctrl-C or SIGTERM sets a stop flag that the executor passes on (the
running clients' kernels are killed and they come back ``interrupted``); a second Ctrl-C
stops waiting at once. Each report that comes back is pre-checked by the QA gate on a thread
of its own while the others still run.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from nbreport.batch.options import BatchEvents, BatchOptions
from nbreport.batch.pipeline import ClientTask
from nbreport.batch.results import ClientError, ClientResult
from nbreport.core.errors import StorageError
from nbreport.settings import Settings

log = logging.getLogger(__name__)
STOP_GRACE_S = 30.0  # how long an interrupted run waits for its running clients to stop
POLL_S = 0.5


class Dispatch:
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
            result = lost_result(task, "interrupted", "the run was interrupted")
            results.append(result)
            self.events.finished(result)

    def _collect(self, future: Any, task: ClientTask, results: list[ClientResult],
                 executor: Any) -> None:
        try:
            result = future.result()
        except StorageError as exc:  # raised only for a full or read-only disk: stop the run
            if exc.device_wide:
                raise
            result = lost_result(task, "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - the worker itself failed, not the report
            result = lost_result(task, "failed", f"its worker failed ({type(exc).__name__}: "
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
            precheck(self.settings, result.period, result.client_id, result.summary,
                     result.gate_checks)
        except Exception:  # noqa: BLE001 - only a head start: the period's gate checks again
            log.debug("%s: precheck failed", result.client_id, exc_info=True)
        finally:
            result.gate_checks = None  # handed over: not kept for the rest of the run

    def __enter__(self) -> _Prechecks:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        # interrupted: what is not checked yet is left to the gate
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)


def lost_result(task: ClientTask, status: str, message: str) -> ClientResult:
    now = now_utc()
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


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
