"""``outputs/<period>/manifest.json``: the record of every client's latest run for a period."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nbreport import __version__
from nbreport.batch.results import ClientResult
from nbreport.core.layout import MANIFEST, REPORT_HTML, REPORT_NOTEBOOK, ProjectLayout
from nbreport.core.files import write_atomic


def read_manifest(period_dir: Path) -> dict[str, Any]:
    path = period_dir / MANIFEST
    if not path.exists():
        return {"clients": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def update_manifest(period_dir: Path, period_label: str, results: list[ClientResult],
                    run: dict[str, Any] | None = None) -> dict[str, Any]:
    """Record ``results``; clients not in this run keep their previous entry.

    ``run`` describes the run as a whole (``last_run``: when, how, which clients were done,
    skipped, interrupted or never started).
    """
    manifest = read_manifest(period_dir)
    clients = manifest.get("clients", {})
    for result in results:
        clients[result.client_id] = result.to_dict()
    if run is not None:
        manifest["last_run"] = run
    manifest.update({
        "period": period_dir.name,
        "period_label": period_label,
        "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nbreport_version": __version__,
        "clients": dict(sorted(clients.items())),
    })
    write_atomic(period_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def reconcile_manifest(period_dir: Path, period_label: str | None = None) -> list[str]:
    """Bring the manifest in line with the reports on disk; returns the clients recovered.

    A run killed during a period's first run can leave published reports before any manifest
    was written. Each report on disk without an entry gets one with status ``recovered``, its
    run summary read from the report's notebook when there is one; the next run produces
    those clients again (their inputs are unknown). The manifest is written only when
    something was recovered.
    """
    manifest = read_manifest(period_dir)
    on_disk = ProjectLayout(period_dir.parent).published_clients(period_dir.name)
    missing = [c for c in on_disk if c not in manifest.get("clients", {})]
    if missing:
        results = [_recovered(period_dir, client_id) for client_id in missing]
        label = manifest.get("period_label") or period_label or period_dir.name
        update_manifest(period_dir, label, results)
    return missing


def _recovered(period_dir: Path, client_id: str) -> ClientResult:
    folder = period_dir / client_id
    files = {kind: f"{client_id}/{name}" for kind, name in (("html", REPORT_HTML),
                                                           ("notebook", REPORT_NOTEBOOK))
             if (folder / name).is_file()}
    html = folder / REPORT_HTML
    finished = datetime.fromtimestamp(html.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
    return ClientResult(client_id, period_dir.name, "recovered", finished_at=finished, files=files,
                        summary=_summary_of(folder / REPORT_NOTEBOOK))


def _summary_of(notebook_path: Path) -> dict[str, Any]:
    """The run summary the report's notebook holds (empty when it has none or is unreadable)."""
    if not notebook_path.is_file():
        return {}
    import nbformat

    from nbreport.batch.pipeline import extract_summary

    try:
        return extract_summary(nbformat.read(notebook_path, as_version=4))
    except (OSError, ValueError, KeyError, AttributeError):
        return {}
