"""The loop a user writes by hand in a shell: for each client, the ``papermill`` command line,
then ``jupyter nbconvert --to html --no-input``, one client after another.

``anchor_cli_parallel.py`` runs the same two commands per client, two clients at a time.
``bench_batch.py`` times both in the same run and on the same clients as ``nbreport run``.

Usage on its own: ``python benchmarks/anchor_cli_loop.py PROJECT CLIENT...``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

BIN = Path(sys.executable).parent


def commands(project: Path, client_id: str, out: Path) -> tuple[list[str], list[str]]:
    """The two commands of one client: execute with papermill, export with nbconvert."""
    notebook = out / f"{client_id}.ipynb"
    execute = [str(BIN / "papermill"), "notebooks/client_report.ipynb", str(notebook),
               "-p", "client_id", client_id, "-p", "project_dir", str(project),
               "--cwd", str(out / client_id), "--no-progress-bar"]
    export = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook)]
    return execute, export


def report(project: Path, client_id: str, out: Path) -> dict[str, float]:
    """One client through both commands; returns its wall time and its stages."""
    execute, export = commands(project, client_id, out)
    (out / client_id).mkdir(parents=True)  # papermill's --cwd must exist
    started = time.perf_counter()
    subprocess.run(execute, cwd=project, check=True, capture_output=True)
    executed = time.perf_counter()
    subprocess.run(export, cwd=project, check=True, capture_output=True)
    exported = time.perf_counter()
    stages = notebook_stages(json.loads((out / f"{client_id}.ipynb").read_text()))
    return {"wall": exported - started, "export": exported - executed,
            "tool_startup": (executed - started) - stages.pop("engine"), **stages}


def run_loop(project: Path, clients: list[str], out: Path) -> tuple[float, list[dict[str, float]]]:
    """All ``clients``, one after another; returns the wall time and per-client times."""
    started = time.perf_counter()
    timings = [report(project, client_id, out) for client_id in clients]
    return time.perf_counter() - started, timings


def notebook_stages(nb: dict) -> dict[str, float]:
    """From papermill's timestamps: engine time, kernel start, execution."""
    meta = nb["metadata"]["papermill"]
    cells = [c["metadata"]["papermill"] for c in nb["cells"]
             if c["metadata"].get("papermill", {}).get("start_time")]
    start, end = _time(meta["start_time"]), _time(meta["end_time"])
    first, last = _time(cells[0]["start_time"]), _time(cells[-1]["end_time"])
    return {"engine": end - start, "kernel_start": first - start, "execute": last - first}


def _time(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


if __name__ == "__main__":
    project_dir = Path(sys.argv[1]).resolve()
    wall, _ = run_loop(project_dir, sys.argv[2:], project_dir / "cli-loop")
    print(f"{len(sys.argv) - 2} clients in {wall:.1f} s, one after another")
