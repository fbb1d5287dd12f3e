"""Benchmark of the data layer: a big client's exports loaded, validated and harmonised.

A big client: 3 years of daily data, 300 campaigns, 4 ad platforms (Google Ads UI
report with thousands separators and total rows, Meta Ads Manager, LinkedIn Campaign
Manager with its title block and M/D/YYYY dates, Microsoft Advertising), about 1.3
million rows. Each measurement runs in a fresh process, which reports its wall time;
the peak memory is the process's maximum resident set size. The baseline is the
straightforward pandas way (read every file as text, convert column by column),
measured in the same run, so the ratio holds on a busy machine.

    make bench-data        # or: python benchmarks/bench_data.py [--days N] [--campaigns N]

Targets (issue 3): at most 10 s and 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_SECONDS, TARGET_BYTES = 10.0, 2 * 1024**3
SOURCES = (
    {"name": "google-ads", "kind": "ads", "path": "google-ads.csv", "preset": "google_ads"},
    {"name": "meta-ads", "kind": "ads", "path": "meta-ads.csv", "preset": "meta_ads"},
    {"name": "linkedin-ads", "kind": "ads", "path": "linkedin-ads.csv", "preset": "linkedin_ads"},
    {"name": "microsoft-ads", "kind": "ads", "path": "microsoft-ads.csv", "preset": "microsoft_ads"},
)


# --- the big client's files ---------------------------------------------------------------
def _platform(days: pd.DatetimeIndex, campaigns: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = len(days) * campaigns
    clicks = rng.poisson(120, n)
    return pd.DataFrame({
        "date": np.repeat(days, campaigns),
        "campaign": np.tile([f"Campaign {seed}-{i:03d} - Always on" for i in range(campaigns)], len(days)),
        "impressions": clicks * rng.integers(20, 90, n),
        "clicks": clicks,
        "spend": np.round(clicks * rng.uniform(0.4, 3.0, n), 2),
        "conversions": rng.poisson(4, n),
        "value": np.round(rng.uniform(0, 900, n), 2),
    })


def write_client(folder: Path, days: int, campaigns: int) -> int:
    """Write the four exports; returns the number of data rows."""
    calendar = pd.date_range("2023-11-01", periods=days, freq="D")
    google, meta, linkedin, microsoft = (_platform(calendar, campaigns, seed) for seed in range(4))
    iso = google["date"].dt.strftime("%Y-%m-%d")
    with (folder / "google-ads.csv").open("w") as handle:
        handle.write("Campaign report\n\"November 1, 2023 - October 31, 2026\"\n")
        pd.DataFrame({
            "Day": iso, "Campaign": google["campaign"], "Campaign type": "Search", "Currency code": "USD",
            "Impr.": google["impressions"].map("{:,}".format), "Clicks": google["clicks"].map("{:,}".format),
            "Cost": google["spend"].map("{:,.2f}".format), "Conversions": google["conversions"],
            "Conv. value": google["value"],
        }).to_csv(handle, index=False)
        handle.write(f"Total: Account,--,--,USD,\"{google['impressions'].sum():,}\",0,0,0,0\n")
    pd.DataFrame({
        "Reporting starts": "2023-11-01", "Reporting ends": "2026-10-31", "Day": meta["date"].dt.strftime("%Y-%m-%d"),
        "Campaign name": meta["campaign"], "Amount spent (USD)": meta["spend"],
        "Impressions": meta["impressions"], "Link clicks": meta["clicks"], "Purchases": meta["conversions"],
    }).to_csv(folder / "meta-ads.csv", index=False)
    us_dates = linkedin["date"].dt.month.astype(str) + "/" + linkedin["date"].dt.day.astype(str) + "/" \
        + linkedin["date"].dt.year.astype(str)
    with (folder / "linkedin-ads.csv").open("w") as handle:
        handle.write("Campaign Performance Report (in UTC)\n\"Report Start: 11/1/2023, 12:00 AM\"\n\n")
        pd.DataFrame({
            "Start Date (in UTC)": us_dates, "Campaign Name": linkedin["campaign"], "Currency": "USD",
            "Total Spent": linkedin["spend"], "Impressions": linkedin["impressions"],
            "Clicks": linkedin["clicks"], "Conversions": linkedin["conversions"],
        }).to_csv(handle, index=False)
    with (folder / "microsoft-ads.csv").open("w") as handle:
        handle.write("\"Report Name: Campaign performance\"\n\"Report Aggregation: Daily\"\n\n")
        pd.DataFrame({
            "TimePeriod": microsoft["date"].dt.strftime("%Y-%m-%d"), "CampaignName": microsoft["campaign"],
            "CurrencyCode": "USD", "Impressions": microsoft["impressions"], "Clicks": microsoft["clicks"],
            "Spend": microsoft["spend"], "Conversions": microsoft["conversions"], "Revenue": microsoft["value"],
        }).to_csv(handle, index=False, quoting=1)
        handle.write("\"\u00a92026 Microsoft Corporation. All rights reserved.\"\n")
    return 4 * len(google)


# --- what is measured ---------------------------------------------------------------------
def run_nbreport(folder: Path) -> dict[str, float]:
    from datetime import date

    from nbreport.sources import SourceSpec, load_sources

    started = time.perf_counter()
    data = load_sources([SourceSpec.model_validate(s) for s in SOURCES], folder, currency="USD")
    data.check_period(date(2026, 10, 1), date(2026, 10, 31))
    ads = data.table("ads")
    return {"seconds": time.perf_counter() - started, "rows": len(ads), "spend": float(ads["spend"].sum())}


def run_naive(folder: Path) -> dict[str, float]:
    """The straightforward pandas way: every file as text, then each column converted."""
    started = time.perf_counter()
    layouts = {  # file: (lines above the header, date column, date format, renames)
        "google-ads.csv": (2, "Day", "%Y-%m-%d", {"Campaign": "campaign", "Impr.": "impressions",
                                                  "Clicks": "clicks", "Cost": "spend"}),
        "meta-ads.csv": (0, "Day", "%Y-%m-%d", {"Campaign name": "campaign", "Impressions": "impressions",
                                                "Link clicks": "clicks", "Amount spent (USD)": "spend"}),
        "linkedin-ads.csv": (3, "Start Date (in UTC)", "%m/%d/%Y", {
            "Campaign Name": "campaign", "Impressions": "impressions", "Clicks": "clicks",
            "Total Spent": "spend"}),
        "microsoft-ads.csv": (3, "TimePeriod", "%Y-%m-%d", {
            "CampaignName": "campaign", "Impressions": "impressions", "Clicks": "clicks", "Spend": "spend"}),
    }
    frames = []
    for name, (skip, date_column, fmt, renames) in layouts.items():
        raw = pd.read_csv(folder / name, skiprows=skip, dtype=str, keep_default_na=False)
        raw = raw[~raw[date_column].str.startswith(("Total", "\u00a9"))]
        frame = pd.DataFrame({"date": pd.to_datetime(raw[date_column], format=fmt)})
        for column, canonical in renames.items():
            values = raw[column].str.strip()
            frame[canonical] = values if canonical == "campaign" else pd.to_numeric(values.str.replace(",", ""))
        frames.append(frame)
    ads = pd.concat(frames, ignore_index=True)
    return {"seconds": time.perf_counter() - started, "rows": len(ads), "spend": float(ads["spend"].sum())}


def measure(mode: str, folder: Path) -> dict[str, float]:
    """Run one mode in a fresh process: its own figures plus its peak resident memory."""
    process = subprocess.Popen([sys.executable, __file__, "--run", mode, str(folder)],
                               stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{mode} run failed with status {status}")
    result = json.loads(output)
    result["peak_bytes"] = usage.ru_maxrss * 1024  # Linux reports kilobytes
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the whole process, imports included
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1096)
    parser.add_argument("--campaigns", type=int, default=300)
    parser.add_argument("--run", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        mode, folder = args.run
        print(json.dumps((run_nbreport if mode == "nbreport" else run_naive)(Path(folder))))
        return
    with tempfile.TemporaryDirectory(prefix="nbreport-bench-") as tmp:
        folder = Path(tmp)
        rows = write_client(folder, args.days, args.campaigns)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"big client: {args.days} days x {args.campaigns} campaigns x 4 sources = {rows:,} rows "
              f"({size / 1e6:.0f} MB of CSV)")
        ours, naive = measure("nbreport", folder), measure("naive", folder)
    assert ours["rows"] == naive["rows"] == rows and abs(ours["spend"] - naive["spend"]) < 1e-3 * ours["spend"]
    for label, result in (("nbreport load_sources (read, map, check)", ours),
                          ("naive pandas baseline (read, convert)  ", naive)):
        print(f"{label}: {result['seconds']:6.2f} s wall, {result['cpu_seconds']:6.2f} s CPU (process), "
              f"peak memory {result['peak_bytes'] / 1e9:5.2f} GB")
    print(f"ratio nbreport / naive: time {ours['seconds'] / naive['seconds']:.2f}x, "
          f"memory {ours['peak_bytes'] / naive['peak_bytes']:.2f}x")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    within = ours["seconds"] <= TARGET_SECONDS and ours["peak_bytes"] <= TARGET_BYTES
    print(f"target <= {TARGET_SECONDS:.0f} s and <= {TARGET_BYTES / 1024**3:.0f} GB: "
          f"{'met' if within else 'NOT met'}")


if __name__ == "__main__":
    main()
