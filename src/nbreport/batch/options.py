"""How a batch is run (:class:`BatchOptions`) and what a progress display hears of it
(:class:`BatchEvents`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from nbreport.batch.pipeline import Check, ClientTask
from nbreport.batch.results import ClientResult


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


class QuietEvents:
    """Hears everything, shows nothing; hands each result to ``on_result`` if given."""

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
