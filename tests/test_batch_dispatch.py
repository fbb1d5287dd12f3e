"""Feeding clients to an executor (batch/dispatch), stopping on a signal, and recording a run
(batch/recording), without kernels: the executor here runs nothing."""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import threading
from typing import Any

import pytest

from nbreport.batch.dispatch import Dispatch, lost_result
from nbreport.batch.options import BatchOptions, QuietEvents
from nbreport.batch.pipeline import ClientTask
from nbreport.batch.recording import publish_indexes
from nbreport.batch.results import ClientResult
from nbreport.batch.selection import plan
from nbreport.settings import Settings


class _CountingExecutor:
    """Results at once, on threads; remembers how many tasks it held at a time."""

    def __init__(self, slots: int, stop_after: int | None = None,
                 stop: threading.Event | None = None) -> None:
        self.slots, self.description = slots, f"{slots} fake workers"
        self.running = self.most = self.submitted = 0
        self.stop_after, self.stop, self.stopped = stop_after, stop, False
        self._pool = concurrent.futures.ThreadPoolExecutor(slots)

    def submit(self, task: ClientTask) -> concurrent.futures.Future[ClientResult]:
        self.submitted += 1
        self.running += 1
        self.most = max(self.most, self.running)
        if self.stop is not None and self.submitted == self.stop_after:
            self.stop.set()  # as a Ctrl-C during the run would
        return self._pool.submit(lambda: ClientResult(task.client_id, task.period_key, "ok"))

    def wait(self, futures: Any, timeout: float) -> set[Any]:
        done, _ = concurrent.futures.wait(list(futures), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        self.running -= len(done)
        return done

    def request_stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self._pool.shutdown()


def _tasks(project: Settings) -> list[ClientTask]:
    tasks, invalid = plan(project, None)
    assert tasks and not invalid
    return tasks * 3  # nine tasks


def test_dispatch_keeps_at_most_one_task_per_slot_and_collects_every_result(
        project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    executor = _CountingExecutor(2)
    monkeypatch.setattr("nbreport.batch.executors.make_executor", lambda *a, **k: executor)
    heard: list[str] = []
    run = Dispatch(project, BatchOptions(), QuietEvents(lambda result: heard.append(result.client_id)))
    results = run.execute(_tasks(project), [], "")
    assert len(results) == len(heard) == 9 and executor.most == 2
    assert not run.interrupted and not run.not_started and run.description == "2 fake workers"


def test_a_stopped_dispatch_names_the_clients_it_never_started(
        project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    captured: dict[str, Any] = {}

    def make(*args: Any, stop: threading.Event, **kwargs: Any) -> _CountingExecutor:
        captured["executor"] = _CountingExecutor(1, stop_after=3, stop=stop)
        return captured["executor"]

    monkeypatch.setattr("nbreport.batch.executors.make_executor", make)
    run = Dispatch(project, BatchOptions(), QuietEvents())
    results = run.execute(_tasks(project), [], "")
    assert run.interrupted and captured["executor"].stopped
    assert len(results) == 3 and len(run.not_started) == 6


def test_a_second_signal_stops_waiting() -> None:
    from nbreport.batch.dispatch import _stop_on_signals

    before = signal.getsignal(signal.SIGTERM)
    with _stop_on_signals() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            threading.Event().wait(1)  # the handler runs here
    assert signal.getsignal(signal.SIGTERM) is before


def test_recording_a_run_writes_the_manifest_and_index_page(project: Settings) -> None:
    task = _tasks(project)[0]
    result = lost_result(task, "failed", "its worker failed")
    pages, gates = publish_indexes(project, [task], [result], run={
        "status": "completed", "publish": "passing", "clients": {"failed": [task.client_id]}})
    manifest = json.loads((project.outputs_dir / task.period_key / "manifest.json").read_text())
    assert manifest["clients"][task.client_id]["status"] == "failed"
    assert manifest["last_run"]["clients"] == {"failed": [task.client_id]}
    assert [page.name for page in pages] == ["index.html"] and len(gates) == 1
    assert task.client_id in pages[0].read_text()
