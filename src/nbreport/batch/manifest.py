"""``outputs/<period>/manifest.json``: the record of every client's latest run for a period."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nbreport import __version__
from nbreport.batch.results import ClientResult
from nbreport.core.layout import MANIFEST
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
