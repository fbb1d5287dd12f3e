"""Index pages: one per period listing every client's report, and an archive of periods."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from nbreport import __version__
from nbreport.batch.manifest import MANIFEST, read_manifest
from nbreport.render.files import write_atomic

INDEX = "index.html"
STATUS_WORDS = {"ok": "Ready", "failed": "Failed", "invalid": "Invalid parameters",
                "timeout": "Timed out", "interrupted": "Interrupted"}


@functools.cache
def _environment(templates_dir: str) -> Environment:
    return Environment(loader=FileSystemLoader(Path(templates_dir) / "index"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def write_period_index(period_dir: Path, templates_dir: Path) -> Path:
    """Write ``<period>/index.html`` from the period's manifest."""
    manifest = read_manifest(period_dir)
    rows = [_row(period_dir, client_id, entry) for client_id, entry in manifest["clients"].items()]
    html = _environment(str(templates_dir)).get_template("period.html.j2").render(
        period=manifest.get("period_label", period_dir.name), rows=rows,
        counts=_counts(rows), updated=_now(), version=__version__,
        archive_href="../index.html")
    write_atomic(period_dir / INDEX, html)
    return period_dir / INDEX


def write_archive_index(outputs_dir: Path, templates_dir: Path) -> Path:
    """Write ``outputs/index.html`` linking every period that has a manifest, newest first."""
    periods = []
    for manifest_path in sorted(outputs_dir.glob(f"*/{MANIFEST}"), reverse=True):
        manifest = read_manifest(manifest_path.parent)
        statuses = [entry.get("status") for entry in manifest["clients"].values()]
        periods.append({"href": f"{manifest_path.parent.name}/{INDEX}",
                        "label": manifest.get("period_label", manifest_path.parent.name),
                        "clients": len(statuses), "ok": statuses.count("ok"),
                        "updated": manifest.get("updated_at", "")})
    html = _environment(str(templates_dir)).get_template("archive.html.j2").render(
        periods=periods, updated=_now(), version=__version__)
    write_atomic(outputs_dir / INDEX, html)
    return outputs_dir / INDEX


def _row(period_dir: Path, client_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    report = period_dir / client_id / "report.html"
    error = entry.get("error") or {}
    return {
        "client_id": client_id,
        "name": entry.get("client_name") or client_id,
        "status": entry["status"],
        "status_word": STATUS_WORDS.get(entry["status"], entry["status"]),
        "href": f"{client_id}/report.html" if report.exists() else None,
        "stale": entry["status"] != "ok" and report.exists(),
        "headline": entry.get("summary", {}).get("headline", []),
        "error": error.get("message", ""),
        "finished": (entry.get("finished_at") or "")[:16].replace("T", " "),
    }


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {status: sum(row["status"] == status for row in rows) for status in STATUS_WORDS}


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%d %B %Y, %H:%M UTC")
