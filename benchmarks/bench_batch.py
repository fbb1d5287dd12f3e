"""Batch speed: `nbreport run` against four ways a user writes by hand, measured in one run.

Builds a throw-away project with the real master notebook and templates and demo-like
clients (``bench_project.py``), then times, on the same 12 clients, four hand-written anchors:

(a) the sequential CLI loop (``anchor_cli_loop.py``): for each client, the ``papermill``
    command line, then ``jupyter nbconvert --to html --no-input``, one client after another;
(t) the same two commands per client, two clients at a time (``anchor_cli_parallel.py``:
    a ``ThreadPoolExecutor(2)`` over the command pairs, as ``xargs -P 2`` would);
(p) the papermill API pool (``anchor_api_pool.py``): papermill's and nbconvert's Python
    APIs per client, two clients at a time in a ``ProcessPoolExecutor(2)``;
(w) the warm in-process pool (``anchor_warm_pool.py``): a ``ProcessPoolExecutor(2)`` whose
    workers import pandas, prophet, seaborn and nbreport once, then run each client's notebook
    in-process with ploomber-engine and export it with nbconvert's ``HTMLExporter``;

against (b) ``nbreport run`` for all 12 (``--force``: nothing is skipped), with its default
number of workers (one per CPU); and finally ``nbreport run`` for 60 clients, to see that the
time per client holds when the batch grows. Every anchor must leave one HTML file per client.

The machine is shared, so the ways are interleaved: (b), half of the clients through each
anchor, (b), the other half through the anchors in reverse order, (b) again; (b) counts as the
mean of its three runs.

Prints seconds per client, the split per stage, the peak memory of the run per worker
(proportional set size of all its processes, divided by the number of workers), and ends with
one line per anchor: ``speedup vs sequential CLI loop: X.Xx``, ``speedup vs CLI loop two at a
time: X.Xx``, ``speedup vs papermill API pool: X.Xx``, ``speedup vs warm in-process pool: X.Xx``.
Memory is read in a fourth run of (b) and in the 60-client run, not in the three timed runs:
reading every process's memory map four times a second costs about a tenth of a CPU, which
would be counted as nbreport's time.

Then (r): the compute cache on, one run to fill it, an edit of every client's commentary and
``nbreport run`` again, printed as ``re-run after a commentary edit, speedup vs warm in-process
pool: X.Xx`` (a hand-written pool has no cache: a re-run costs it a first run's time).

Usage: ``make bench`` (or ``python benchmarks/bench_batch.py [--clients 12] [--large 60]``;
``--large 0`` skips the 60-client run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the anchors beside this script
import anchor_api_pool  # noqa: E402
import anchor_cli_loop  # noqa: E402
import anchor_cli_parallel  # noqa: E402
import anchor_warm_pool  # noqa: E402
from bench_project import PERIOD, REPO, edit_commentary, make_project, warm_up  # noqa: E402

BIN = Path(sys.executable).parent

Timings = list[dict[str, float]]


@dataclass(frozen=True)
class Anchor:
    """A way a user writes by hand: what it is, where it writes, how it runs some clients."""

    letter: str
    name: str  # as in ``speedup vs <name>``
    how: str
    folder: str  # its outputs, under the project
    stages: tuple[str, ...]  # the per-client stages it reports
    run: Callable[[Path, list[str], Path], tuple[float, Timings]]


ANCHORS = (
    Anchor("a", "sequential CLI loop", "papermill CLI, then jupyter nbconvert, client after client",
           "cli-loop", ("tool_startup", "kernel_start", "execute", "export"),
           anchor_cli_loop.run_loop),
    Anchor("t", "CLI loop two at a time", "the same two commands, ThreadPoolExecutor"
           f"({anchor_cli_parallel.WORKERS})", "cli-parallel",
           ("tool_startup", "kernel_start", "execute", "export"), anchor_cli_parallel.run_parallel),
    Anchor("p", "papermill API pool", "papermill.execute_notebook + nbconvert HTMLExporter, "
           f"ProcessPoolExecutor({anchor_api_pool.WORKERS})", "api-pool",
           ("execute_total", "export"), anchor_api_pool.run_pool),
    Anchor("w", "warm in-process pool", "ploomber-engine in workers that imported pandas, "
           f"prophet, seaborn and nbreport once, ProcessPoolExecutor({anchor_warm_pool.WORKERS})",
           "warm-pool", ("execute", "export"), anchor_warm_pool.run_pool),
)


@dataclass
class AnchorResult:
    """An anchor's runs added up: wall seconds and every client's stages."""

    wall: float = 0.0
    clients: Timings = field(default_factory=list)

    def add(self, wall: float, clients: Timings) -> None:
        self.wall += wall
        self.clients += clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=12, help="clients timed every way")
    parser.add_argument("--large", type=int, default=60, help="clients of the large run (0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    # every way computes every report: with the compute cache, the runs after the first would
    # take its fits and sources (children inherit the switch)
    os.environ["NBREPORT_CACHE"] = "off"
    root = Path(tempfile.mkdtemp(prefix="nbreport-bench-"))
    try:
        run(root / "project", args.clients, args.large)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def run(project: Path, count: int, large: int) -> None:
    clients = make_project(project, max(count, large))
    small = clients[:count]
    print(f"project: {len(clients)} demo-like clients, master notebook {REPO.name}/notebooks/"
          f"client_report.ipynb, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    warm_up()
    anchors, runs = interleaved(project, small)
    check_reports(project, anchors, count)
    batch = {**runs[0], "wall": statistics.mean(r["wall"] for r in runs),
             "first": statistics.mean(r["first"] for r in runs),
             "clients": [c for r in runs for c in r["clients"]]}
    # memory in a run of its own: reading every process's memory map four times a second
    # takes CPU from the kernels, so the timed runs are not watched
    memory = nbreport_run(project, small, watch_memory=True)

    for anchor in ANCHORS:
        print_anchor(anchor, anchors[anchor.letter], count)
    print_batch(batch, runs, memory, count)
    if large:
        # watched for memory as well: its time per client is compared with the unwatched
        # small runs', so the watching only ever counts against it
        big = nbreport_run(project, clients[:large], watch_memory=True)
        per_small, per_big = batch["wall"] / count, big["wall"] / large
        print(f"\n(c) nbreport run, {large} clients: wall {big['wall']:.1f} s = {per_big:.2f} s "
              f"per client, {per_big / per_small:.2f}x the {count}-client run's {per_small:.2f} s "
              f"(target <= 1.10x); peak memory per worker {big['per_worker_mb']:.0f} MB")
    rerun = rerun_after_commentary_edit(project, small)
    print(f"\n(r) nbreport run after a commentary edit of every client (compute cache on), {count} "
          f"clients: wall {rerun['wall']:.1f} s = {rerun['wall'] / count:.2f} s per client")
    print("    per client: " + stage_line(rerun["clients"], ("kernel_start", "execute", "export")))
    print()
    for anchor in ANCHORS:
        print(f"speedup vs {anchor.name}: {anchors[anchor.letter].wall / batch['wall']:.1f}x")
    warm = anchors["w"].wall
    print(f"re-run after a commentary edit, speedup vs warm in-process pool: {warm / rerun['wall']:.1f}x")


def rerun_after_commentary_edit(project: Path, clients: list[str]) -> dict:
    """What an analyst does ten times before sending: with the compute cache on, one run fills
    it, then every client's commentary changes and they all run again (the anchors have no
    cache: a re-run costs them what a first run does)."""
    os.environ["NBREPORT_CACHE"] = "on"
    try:
        nbreport_run(project, clients)
        for client_id in clients:
            edit_commentary(project, client_id)
        return nbreport_run(project, clients)
    finally:
        os.environ["NBREPORT_CACHE"] = "off"


def interleaved(project: Path, clients: list[str]) -> tuple[dict[str, AnchorResult], list[dict]]:
    """Every anchor on ``clients`` and three runs of (b), interleaved so that a change in the
    machine's load (it is shared) hits every way alike: (b), half of the clients through each
    anchor, (b), the other half through the anchors in reverse order, (b)."""
    half = len(clients) // 2
    results = {anchor.letter: AnchorResult() for anchor in ANCHORS}
    runs = [nbreport_run(project, clients)]
    for part, order in ((clients[:half], ANCHORS), (clients[half:], ANCHORS[::-1])):
        for anchor in order:
            results[anchor.letter].add(*anchor.run(project, part, project / anchor.folder))
        runs.append(nbreport_run(project, clients))
    return results, runs


def check_reports(project: Path, anchors: dict[str, AnchorResult], count: int) -> None:
    """Each anchor wrote one HTML report per client: a way that skipped some is not timed."""
    for anchor in ANCHORS:
        found = len(list((project / anchor.folder).rglob("*.html")))
        if found != count or len(anchors[anchor.letter].clients) != count:
            raise SystemExit(f"({anchor.letter}) {anchor.name}: {found} HTML reports for "
                             f"{count} clients")


def print_anchor(anchor: Anchor, result: AnchorResult, count: int) -> None:
    print(f"\n({anchor.letter}) {anchor.name} ({anchor.how}), {count} clients")
    print(f"    wall {result.wall:.1f} s = {result.wall / count:.2f} s per client")
    print("    per client: " + stage_line(result.clients, anchor.stages))


def print_batch(batch: dict, runs: list[dict], memory: dict, count: int) -> None:
    walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
    print(f"\n(b) nbreport run, {count} clients, {batch['workers']}, run {len(runs)} times "
          f"(before, between and after the halves of the anchors): {walls} s")
    print(f"    wall {batch['wall']:.1f} s = {batch['wall'] / count:.2f} s per client "
          f"(start-up to first report {batch['first']:.1f} s)")
    print("    per client: " + stage_line(batch["clients"], ("kernel_start", "execute", "export",
                                                             "publish")))
    print(f"    peak memory per worker (a fourth, untimed run): {memory['per_worker_mb']:.0f} MB "
          f"(target <= 600 MB): the whole run peaked at {memory['pss_mb']:.0f} MB proportional set "
          f"size (nbreport, zygote, kernels; {memory['rss_mb']:.0f} MB counting shared pages once "
          f"per process), its largest kernel at {memory['kernel_mb']:.0f} MB")


# --- (b) nbreport run --------------------------------------------------------------------------

def nbreport_run(project: Path, clients: list[str], watch_memory: bool = False,
                 extra: tuple[str, ...] = ()) -> dict:
    command = [str(BIN / "nbreport"), "--project", str(project), "run", *clients, "--force", *extra]
    sampler = MemorySampler()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if watch_memory:
        sampler.watch(process.pid)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"nbreport run failed ({process.returncode}):\n{out}\n{err}")
    from nbreport.core.layout import ProjectLayout

    manifest = json.loads(ProjectLayout.default(project).manifest(PERIOD).read_text())
    entries = [manifest["clients"][client_id] for client_id in clients]
    started_at = _time(manifest["last_run"]["started_at"])
    first = min(_time(entry["finished_at"]) for entry in entries) - started_at
    # "2 workers on this machine", "Dask cluster at tcp://... (2 threads)"
    workers = int(re.search(r"(\d+) (?:workers?|threads?)\b", manifest["last_run"]["workers"])[1])
    return {"wall": wall, "first": first, "workers": manifest["last_run"]["workers"],
            "clients": [entry["timings"] for entry in entries], "entries": entries,
            "started_at": started_at, "samples": sampler.samples, "worker_count": workers,
            "pss_mb": sampler.peak_pss / 2**20, "rss_mb": sampler.peak_rss / 2**20,
            "per_worker_mb": sampler.peak_pss / 2**20 / workers,
            "kernel_mb": sampler.peak_kernel / 2**20}


def _time(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


class MemorySampler:
    """Peak memory of a run: all its processes (workers, zygote, kernels), and its largest kernel.

    Proportional set size: a page shared by n processes (the zygote's imports, shared with
    every kernel forked from it) counts 1/n in each, so the sum is what the run really uses.
    """

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.peak_pss = self.peak_rss = self.peak_kernel = 0
        self.samples: list[tuple[float, int]] = []  # (time.time(), the run's PSS): over time
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int) -> None:
        self._thread = threading.Thread(target=self._sample, args=(pid,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread:
            self._thread.join()

    def _sample(self, pid: int) -> None:
        try:
            run = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.wait(self.every):
            try:
                family = [run, *run.children(recursive=True)]
            except psutil.Error:
                return
            pss = rss = 0
            for member in family:
                try:
                    info = member.memory_full_info()
                    kernel = member.parent() is not None and _is_zygote(member.parent())
                except psutil.Error:
                    continue
                pss, rss = pss + info.pss, rss + info.rss
                if kernel:
                    self.peak_kernel = max(self.peak_kernel, info.pss)
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self.samples.append((time.time(), pss))


def _is_zygote(process: psutil.Process) -> bool:
    try:
        return "forkserver" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def stage_line(timings: list[dict[str, float]], stages: tuple[str, ...]) -> str:
    means = {stage: statistics.mean(t[stage] for t in timings if stage in t) for stage in stages}
    return ", ".join(f"{stage.replace('_', ' ')} {seconds:.2f} s" for stage, seconds in means.items())


if __name__ == "__main__":
    main()
