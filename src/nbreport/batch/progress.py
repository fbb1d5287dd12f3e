"""What a person sees during a run: a progress bar, a line per client, a summary table.

The bar (tqdm, on stderr) shows clients done out of the total, the ETA, the
failures so far and the clients running now; it is left out when stderr is not
a terminal, where the line per client (on stdout) is enough. The summary table closes the
run: one row per client that did not succeed (every row when the run is
small), the count per status, and the average time per stage.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from nbreport.batch.pipeline import ClientTask
from nbreport.batch.results import ClientResult

STATUS_MARKS = {"ok": "ok", "failed": "FAILED", "timeout": "TIMEOUT",
                "interrupted": "STOPPED", "invalid": "INVALID"}
STAGES = ("kernel_start", "execute", "export")
ALL_ROWS_UP_TO = 20
RUNNING_SHOWN = 3


class Progress:
    """:class:`~nbreport.batch.runner.BatchEvents` for a terminal."""

    def __init__(self, out: TextIO | None = None, bar_stream: TextIO | None = None,
                 bar: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.bar_stream = bar_stream or sys.stderr
        self._bar_wanted = self.bar_stream.isatty() if bar is None else bar
        self._bar: Any = None
        self.running: list[str] = []
        self.failures = 0

    def planned(self, total: int, skipped: list[str], why_skipped: str,
                description: str) -> None:
        if skipped:
            self.echo(f"skipped {plural(len(skipped), 'client')}: {why_skipped}")
        if not total:
            return
        self.echo(f"running {plural(total, 'client')} on {description}")
        if self._bar_wanted:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="client", file=self.bar_stream, dynamic_ncols=True,
                             bar_format="{n_fmt}/{total_fmt} clients |{bar:20}| "
                                        "{elapsed}<{remaining}{postfix}")
            self._refresh()

    def started(self, task: ClientTask) -> None:
        self.running.append(task.client_id)
        self._refresh()

    def finished(self, result: ClientResult) -> None:
        if result.client_id in self.running:
            self.running.remove(result.client_id)
        self.failures += not result.ok
        self.echo(result_line(result))
        if result.error:
            self.echo(_indent(result.error.message))
        if self._bar is not None and result.status != "invalid":
            self._bar.update(1)
        self._refresh()

    def tick(self) -> None:
        if self._bar is not None:
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def echo(self, line: str) -> None:
        if self._bar is not None:
            self._bar.write(line, file=self.out)  # clears the bar, writes, redraws it
        else:
            print(line, file=self.out, flush=True)

    def _refresh(self) -> None:
        if self._bar is None:
            return
        shown = ", ".join(self.running[:RUNNING_SHOWN])
        more = f" +{len(self.running) - RUNNING_SHOWN}" if len(self.running) > RUNNING_SHOWN else ""
        self._bar.set_postfix_str(f" failed {self.failures} | running: {shown}{more}",
                                  refresh=True)


def result_line(result: ClientResult) -> str:
    """``ok       5.2 s  ledgerline``"""
    mark = STATUS_MARKS.get(result.status, result.status)
    timing = f"{result.duration_s:6.1f} s" if result.duration_s is not None else " " * 8
    return f"{mark:<8} {timing}  {result.client_id}"


def summary_table(outcome: Any) -> str:
    """The table that closes a run (``outcome`` is a :class:`~nbreport.batch.BatchOutcome`)."""
    results: list[ClientResult] = outcome.results
    rows = [r for r in results if not r.ok or len(results) <= ALL_ROWS_UP_TO]
    lines = []
    if rows:
        lines.append(f"{'client':<28} {'status':<8} {'total':>7} {'kernel':>7} {'execute':>8} "
                     f"{'export':>7}  note")
        for r in rows:
            stages = [_seconds(r.timings.get(stage)) for stage in STAGES]
            note = r.error.message.splitlines()[0] if r.error else ""
            lines.append(f"{r.client_id[:28]:<28} {STATUS_MARKS.get(r.status, r.status):<8} "
                         f"{_seconds(r.duration_s):>7} {stages[0]:>7} {stages[1]:>8} "
                         f"{stages[2]:>7}  {note[:70]}")
    lines.append(_totals(outcome))
    averages = _averages([r for r in results if r.ok])
    if averages:
        lines.append(averages)
    return "\n".join(lines)


def _totals(outcome: Any) -> str:
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.status] = counts.get(result.status, 0) + 1
    parts = [f"{count} {STATUS_MARKS.get(status, status).lower()}"
             for status, count in sorted(counts.items(), key=lambda item: item[0] != "ok")]
    if outcome.skipped:
        parts.append(f"{len(outcome.skipped)} skipped ({outcome.why_skipped})")
    if outcome.not_started:
        parts.append(f"{len(outcome.not_started)} not started")
    ran = len(outcome.results)
    rate = f", {outcome.wall_s / ran:.2f} s per client" if ran and outcome.wall_s else ""
    total = ran + len(outcome.skipped) + len(outcome.not_started)
    return f"{plural(total, 'client')}: {', '.join(parts) or 'nothing to do'} in {outcome.wall_s:.1f} s{rate}"


def _averages(results: list[ClientResult]) -> str:
    if not results:
        return ""
    means = []
    for stage in STAGES:
        values = [r.timings[stage] for r in results if stage in r.timings]
        if values:
            means.append(f"{stage.replace('_', ' ')} {sum(values) / len(values):.2f} s")
    return "per report on average: " + ", ".join(means) if means else ""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _seconds(value: float | None) -> str:
    return f"{value:.1f}s" if value is not None else "-"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
