"""Benchmark of the ``transform:`` steps: a 1M-row hit-level web export reshaped by params alone.

One client's web analytics export, one row per page hit (timestamp, session, user, a channel
written blank or in several spellings, revenue in micros, some rows sent twice), reshaped by
transform steps (the day of each timestamp, channel spellings mapped to one name, exact
duplicates dropped, sessions and users counted distinct and revenue summed by day and channel,
micros scaled to money). Measured, each several times in the same run (min and median):

- ``nbreport preview CLIENT``, the whole command in a fresh process (what a person waits for);
- the source load in this process (``nbreport.sources.loader.load_one``: read, steps, mapping, checks);
- the baseline: plain ``pandas.read_csv`` and the same dedupe and groupby written by hand.

The ratios are of figures measured in the same run, so they hold on a busy machine; nothing is
asserted on time. The numbers are checked too: sessions, users and revenue per day and channel
must be equal between nbreport and the pandas baseline.

    make bench-transform    # or: python benchmarks/bench_transform.py [--rows N] [--runs N]

Target (issue 18): preview under 2 s on a 1M-row file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

TARGET_PREVIEW_SECONDS = 2.0
CLIENT = "hits-client"
EXPORT = "web_hits.csv"
CHANNELS = {  # as written in the export -> the name the params map it to (blank included)
    "google": "Google", "Google": "Google", " google ": "Google", "GOOGLE": "Google",
    "facebook": "Facebook", "Facebook": "Facebook", "fb": "Facebook",
    "email": "Email", "Email": "Email", "direct": "Direct", "": "Direct", "(none)": "Direct",
    "bing": "bing",  # not mapped: kept as written
}
CHANNEL_MAP = {"": "Direct", "(none)": "Direct", "direct": "Direct", "google": "Google",
               "facebook": "Facebook", "fb": "Facebook", "email": "Email"}
"""The ``map`` step (case-blind, trimmed) and the baseline's recoding of the same words."""


# --- the export and the project -----------------------------------------------------------
def write_export(path: Path, rows: int, seed: int = 18) -> int:
    """Write ``rows`` hits over October 2026 (about 2% exact duplicates); returns the duplicates."""
    rng = np.random.default_rng(seed)
    unique = rows - rows // 50
    sessions = max(unique // 5, 1)
    session = rng.integers(0, sessions, unique)
    user = session // 3 + rng.integers(0, 2, unique)  # a user has a few sessions
    start = np.datetime64("2026-10-01T00:00:00") + rng.integers(0, 31 * 86400, sessions).astype("timedelta64[s]")
    stamp = start[session] + rng.integers(0, 1800, unique).astype("timedelta64[s]")
    names = np.array(list(CHANNELS))
    channel = names[rng.integers(0, len(names), sessions)][session]
    buys = rng.random(unique) < 0.03
    micros = np.where(buys, rng.integers(1, 400, unique) * 250_000, 0)
    frame = pd.DataFrame({
        "timestamp": np.datetime_as_string(stamp, unit="s"),
        "session_id": np.char.add("s", session.astype(str)),
        "user_id": np.char.add("u", user.astype(str)),
        "channel": channel,
        "revenue_micros": micros,
    })
    frame["timestamp"] = frame["timestamp"].str.replace("T", " ", regex=False)
    again = frame.iloc[rng.integers(0, unique, rows - unique)]
    frame = pd.concat([frame, again]).iloc[rng.permutation(rows)]
    frame.to_csv(path, index=False)
    return rows - unique


def write_project(root: Path, rows: int) -> Path:
    """A project with one client whose only source is the hit export; returns the client's folder."""
    import shutil

    repo = Path(__file__).resolve().parents[1]
    (root / "params").mkdir(parents=True)
    shutil.copy(repo / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    folder = root / "data" / CLIENT
    folder.mkdir(parents=True)
    duplicates = write_export(folder / EXPORT, rows)
    params = {
        "client": {"id": CLIENT, "name": "Hits Client", "currency": "EUR"},
        "period": "2026-10",
        "sources": [source_params()],
        "kpis": [{"metric": "sessions"}, {"metric": "revenue"}],
        "commentary": {"drafts": "allow"},
    }
    (root / "params" / f"{CLIENT}.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    print(f"export: {rows:,} hits ({duplicates:,} sent twice), "
          f"{(folder / EXPORT).stat().st_size / 1e6:.0f} MB of CSV")
    return folder


def source_params() -> dict[str, Any]:
    return {
        "name": "hits", "kind": "web", "path": EXPORT,
        "transform": [
            {"date": {"from": "timestamp", "into": "date"}},
            {"map": {"channel": CHANNEL_MAP}},
            {"dedupe": "all"},
            {"aggregate": {"by": ["date", "channel"],
                           "count_distinct": {"sessions": "session_id", "users": "user_id"},
                           "sum": {"revenue": "revenue_micros"}}},
        ],
        "mapping": {"scale": {"revenue": 0.000001}},
    }


# --- what is measured ---------------------------------------------------------------------
def run_preview(root: Path) -> float:
    """``nbreport preview CLIENT`` as a person runs it, in a fresh process; its wall time."""
    command = [str(Path(sys.executable).with_name("nbreport")), "--project", str(root), "preview", CLIENT]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "COLUMNS": "160"})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"preview failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def load_nbreport(folder: Path) -> pd.DataFrame:
    """The source as a report reads it: ``load_one`` (read, transform steps, mapping, checks)."""
    from nbreport.sources import SourceSpec
    from nbreport.sources.loader import load_one

    spec = SourceSpec.model_validate(source_params())
    return load_one(spec, folder, [spec]).table.to_pandas()


def load_pandas(folder: Path) -> pd.DataFrame:
    """The same reshaping written by hand: ``read_csv``, then dedupe and groupby."""
    hits = pd.read_csv(folder / EXPORT, dtype={"channel": str}, keep_default_na=False)
    hits = hits.drop_duplicates()
    hits["date"] = pd.to_datetime(hits["timestamp"], format="%Y-%m-%d %H:%M:%S").dt.normalize()
    written = hits["channel"].str.strip()
    hits["channel"] = written.str.lower().map(CHANNEL_MAP).fillna(written)
    daily = hits.groupby(["date", "channel"]).agg(
        sessions=("session_id", "nunique"), users=("user_id", "nunique"),
        revenue=("revenue_micros", "sum")).reset_index()
    daily["revenue"] = daily["revenue"] / 1_000_000
    return daily


def timed(action: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def same_numbers(ours: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    """Differences in sessions, users and revenue per day and channel (and per day)."""
    keys = ["date", "channel"]
    left = ours[keys + ["sessions", "users", "revenue"]].sort_values(keys).reset_index(drop=True)
    right = theirs[keys + ["sessions", "users", "revenue"]].sort_values(keys).reset_index(drop=True)
    problems = []
    if left[keys].astype(str).values.tolist() != right[keys].astype(str).values.tolist():
        problems.append(f"the (date, channel) groups differ: {len(left)} against {len(right)}")
        return problems
    for column in ("sessions", "users", "revenue"):
        if not np.allclose(left[column].to_numpy(float), right[column].to_numpy(float), rtol=1e-9):
            problems.append(f"{column} differ per day and channel")
    per_day = [frame.groupby("date")[["sessions", "revenue"]].sum() for frame in (left, right)]
    if not np.allclose(per_day[0].to_numpy(float), per_day[1].to_numpy(float), rtol=1e-9):
        problems.append("sessions or revenue per day differ")
    return problems


def line(label: str, seconds: list[float]) -> str:
    return f"{label}: min {min(seconds):6.2f} s, median {statistics.median(seconds):6.2f} s " \
           f"({len(seconds)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nbreport-bench-transform-") as tmp:
        root = Path(tmp)
        folder = write_project(root, args.rows)
        run_preview(root)  # once unmeasured: the operating system's file cache, compiled bytecode
        preview, _ = timed(lambda: run_preview(root), args.runs)
        load_nbreport(folder)
        ours_s, ours = timed(lambda: load_nbreport(folder), args.runs)
        pandas_s, theirs = timed(lambda: load_pandas(folder), args.runs)
    problems = same_numbers(ours, theirs)
    print(f"numbers: {len(ours)} rows (day x channel); sessions {int(ours['sessions'].sum()):,}, "
          f"revenue {ours['revenue'].sum():,.2f}: "
          + ("equal to the pandas baseline" if not problems else "DIFFER: " + "; ".join(problems)))
    print(line("nbreport preview CLIENT (whole command)   ", preview))
    print(line("nbreport load_one (read, steps, mapping)  ", ours_s))
    print(line("pandas read_csv + dedupe + groupby by hand", pandas_s))
    print(f"ratio load / pandas: min {min(ours_s) / min(pandas_s):.2f}x, median "
          f"{statistics.median(ours_s) / statistics.median(pandas_s):.2f}x; preview / pandas: min "
          f"{min(preview) / min(pandas_s):.2f}x, median "
          f"{statistics.median(preview) / statistics.median(pandas_s):.2f}x")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"target preview < {TARGET_PREVIEW_SECONDS:.0f} s: "
          f"{'met' if statistics.median(preview) < TARGET_PREVIEW_SECONDS else 'NOT met'} (median)")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
