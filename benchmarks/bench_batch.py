"""Batch speed: `nbreport run` against the loop a user writes by hand, measured in one run.

Builds a throw-away project with the real master notebook and templates and
demo-like clients (the three demo profiles under other ids, so other random
seeds), then times, on the same 12 clients:

(a) the hand-written loop: for each client, the ``papermill`` command line, then
    ``jupyter nbconvert --to html --no-input``, one client after another;
(p) the anchor (``benchmarks/anchor_api_pool.py``): papermill's and nbconvert's Python
    APIs per client, two clients at a time in a ``ProcessPoolExecutor(2)``;
(b) ``nbreport run`` for all 12 (``--force``: nothing is skipped), with its default
    number of workers (one per CPU);

and finally ``nbreport run`` for 60 clients, to see that the time per client
holds when the batch grows. The machine is shared, so the ways are interleaved:
(b), half of (a), half of (p), (b), the other halves of (a) and (p), (b) again; (b)
counts as the mean of its three runs.

Prints seconds per client, the split per stage, the peak memory of the run per
worker (proportional set size of all its processes, divided by the number of
workers), and ends with ``speedup vs hand-written loop: X.Xx`` and ``speedup vs papermill
API pool: X.Xx``. Memory is read
in a fourth run of (b) and in the 60-client run, not in the three timed runs:
reading every process's memory map four times a second costs about a tenth of a
CPU, which would be counted as nbreport's time.

Usage: ``make bench`` (or ``python benchmarks/bench_batch.py [--clients 12] [--large 60]``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import psutil
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anchor_api_pool import WORKERS as ANCHOR_WORKERS  # noqa: E402 - beside this script
from anchor_api_pool import run_pool  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PERIOD = "2026-10"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=12, help="clients timed both ways")
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
    warm_up(project)

    # interleaved, so that a change in the machine's load (it is shared) hits every way alike:
    # (b), half of (a), half of (p), (b), the other halves of (a) and (p), (b)
    half = count // 2
    runs = [nbreport_run(project, small)]
    hand = hand_loop(project, small[:half])
    anchor = [anchor_pool(project, small[:half])]
    runs.append(nbreport_run(project, small))
    hand += hand_loop(project, small[half:])
    anchor.append(anchor_pool(project, small[half:]))
    runs.append(nbreport_run(project, small))
    hand_wall = sum(client["wall"] for client in hand)
    anchor_wall = sum(wall for wall, _ in anchor)
    anchor_clients = [client for _, clients in anchor for client in clients]
    batch = {**runs[0], "wall": statistics.mean(r["wall"] for r in runs),
             "first": statistics.mean(r["first"] for r in runs),
             "clients": [c for r in runs for c in r["clients"]]}
    # memory in a run of its own: reading every process's memory map four times a second
    # takes CPU from the kernels, so the timed runs are not watched
    memory = nbreport_run(project, small, watch_memory=True)

    print(f"\n(a) hand-written loop (papermill CLI, then jupyter nbconvert), {count} clients")
    print(f"    wall {hand_wall:.1f} s = {hand_wall / count:.2f} s per client")
    print("    per client: " + stage_line(hand, ("tool_startup", "kernel_start", "execute",
                                                     "export")))
    print(f"\n(p) papermill API pool (papermill.execute_notebook + nbconvert HTMLExporter, "
          f"ProcessPoolExecutor({ANCHOR_WORKERS})), {count} clients")
    print(f"    wall {anchor_wall:.1f} s = {anchor_wall / count:.2f} s per client")
    print("    per client: " + stage_line(anchor_clients, ("execute_total", "export")))
    walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
    print(f"\n(b) nbreport run, {count} clients, {batch['workers']}, run {len(runs)} times "
          f"(before, between and after the halves of (a)): {walls} s")
    print(f"    wall {batch['wall']:.1f} s = {batch['wall'] / count:.2f} s per client "
          f"(start-up to first report {batch['first']:.1f} s)")
    print("    per client: " + stage_line(batch["clients"], ("kernel_start", "execute", "export",
                                                             "publish")))
    print(f"    peak memory per worker (a fourth, untimed run): {memory['per_worker_mb']:.0f} MB "
          f"(target <= 600 MB): the whole run peaked at {memory['pss_mb']:.0f} MB proportional set "
          f"size (nbreport, zygote, kernels; {memory['rss_mb']:.0f} MB counting shared pages once "
          f"per process), its largest kernel at {memory['kernel_mb']:.0f} MB")
    if large:
        # watched for memory as well: its time per client is compared with the unwatched
        # 12-client runs', so the watching only ever counts against it
        big = nbreport_run(project, clients[:large], watch_memory=True)
        per_small, per_big = batch["wall"] / count, big["wall"] / large
        print(f"\n(c) nbreport run, {large} clients: wall {big['wall']:.1f} s = {per_big:.2f} s "
              f"per client, {per_big / per_small:.2f}x the {count}-client run's {per_small:.2f} s "
              f"(target <= 1.10x); peak memory per worker {big['per_worker_mb']:.0f} MB")
    print(f"\nspeedup vs hand-written loop: {hand_wall / batch['wall']:.1f}x")
    print(f"speedup vs papermill API pool: {anchor_wall / batch['wall']:.1f}x")


# --- the project -------------------------------------------------------------------------------

def make_project(project: Path, count: int) -> list[str]:
    """``count`` clients cycling through the demo profiles, each with data of its own."""
    from nbreport.demo import PROFILES

    for folder in ("notebooks", "templates"):
        shutil.copytree(REPO / folder, project / folder)
    (project / "params").mkdir(parents=True)
    shutil.copy(REPO / "params" / "_defaults.yaml", project / "params")
    bases = list(PROFILES)
    clients = [f"{bases[i % len(bases)]}-{i:02d}" for i in range(count)]
    for client_id in clients:
        params = yaml.safe_load((REPO / "params" / f"{client_id[:-3]}.yaml").read_text())
        params["client"]["id"] = client_id
        # no analyst wrote these copies' commentary: its drafts go out, as in a first demo run
        params.setdefault("commentary", {})["drafts"] = "allow"
        (project / "params" / f"{client_id}.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_generate, clients, [project / "data"] * count))
    return clients


def _generate(client_id: str, data_dir: Path) -> None:
    from nbreport.demo import PROFILES
    from nbreport.demo.generator import generate_client

    profile = dataclasses.replace(PROFILES[client_id[:-3]], client_id=client_id)
    generate_client(profile, data_dir / client_id)


def warm_up(project: Path) -> None:
    """Read every file both ways need once, so that neither pays for a cold disk cache."""
    subprocess.run([sys.executable, "-c", "import papermill, nbconvert, nbreport.report, seaborn"],
                   check=True, capture_output=True)


# --- (a) the hand-written loop -----------------------------------------------------------------

def hand_loop(project: Path, clients: list[str]) -> list[dict[str, float]]:
    out = project / "hand"
    out.mkdir(exist_ok=True)
    timings = []
    for client_id in clients:
        notebook = out / f"{client_id}.ipynb"
        work = out / client_id
        work.mkdir()
        started = time.perf_counter()
        subprocess.run([str(BIN / "papermill"), "notebooks/client_report.ipynb", str(notebook),
                        "-p", "client_id", client_id, "-p", "project_dir", str(project),
                        "--cwd", str(work), "--no-progress-bar"],
                       cwd=project, check=True, capture_output=True)
        executed = time.perf_counter()
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(notebook)], cwd=project, check=True, capture_output=True)
        exported = time.perf_counter()
        stages = notebook_stages(json.loads(notebook.read_text()))
        timings.append({"wall": exported - started, "export": exported - executed,
                        "tool_startup": (executed - started) - stages.pop("engine"), **stages})
    return timings


def notebook_stages(nb: dict) -> dict[str, float]:
    """From papermill's timestamps: engine time, kernel start, execution."""
    meta = nb["metadata"]["papermill"]
    cells = [c["metadata"]["papermill"] for c in nb["cells"] if c["metadata"].get("papermill", {}).get("start_time")]
    start, end = _time(meta["start_time"]), _time(meta["end_time"])
    first, last = _time(cells[0]["start_time"]), _time(cells[-1]["end_time"])
    return {"engine": end - start, "kernel_start": first - start, "execute": last - first}


def _time(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


# --- (p) the papermill API pool ---------------------------------------------------------------

def anchor_pool(project: Path, clients: list[str]) -> tuple[float, list[dict[str, float]]]:
    """``clients`` through the anchor (``anchor_api_pool.py``), its outputs in ``anchor/``."""
    return run_pool(project, clients, project / "anchor")


# --- (b) nbreport run --------------------------------------------------------------------------

def nbreport_run(project: Path, clients: list[str], watch_memory: bool = False) -> dict:
    command = [str(BIN / "nbreport"), "--project", str(project), "run", *clients, "--force"]
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
    workers = int(manifest["last_run"]["workers"].split()[0])
    return {"wall": wall, "first": first, "workers": manifest["last_run"]["workers"],
            "clients": [entry["timings"] for entry in entries],
            "pss_mb": sampler.peak_pss / 2**20, "rss_mb": sampler.peak_rss / 2**20,
            "per_worker_mb": sampler.peak_pss / 2**20 / workers,
            "kernel_mb": sampler.peak_kernel / 2**20}


class MemorySampler:
    """Peak memory of a run: all its processes (workers, zygote, kernels), and its largest kernel.

    Proportional set size: a page shared by n processes (the zygote's imports, shared with
    every kernel forked from it) counts 1/n in each, so the sum is what the run really uses.
    """

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.peak_pss = self.peak_rss = self.peak_kernel = 0
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
