"""The throw-away project ``bench_batch.py`` times every way on: the real master notebook and
templates, and demo-like clients (the demo profiles under other ids, so other random seeds)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PERIOD = "2026-10"


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
        params = yaml.safe_load((REPO / "params" / f"{profile_of(client_id)}.yaml").read_text())
        params["client"]["id"] = client_id
        (project / "params" / f"{client_id}.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
        approve_drafts(project, client_id)
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_generate, clients, [project / "data"] * count))
    return clients


def profile_of(client_id: str) -> str:
    """``northwind-outfitters-07`` (or ``-123``) -> ``northwind-outfitters``."""
    return client_id.rsplit("-", 1)[0]


def approve_drafts(project: Path, client_id: str) -> None:
    """No analyst wrote these copies' commentary: approve every draft as it is (``{{ draft }}``
    under each heading), so that every report is published and passes the QA gate."""
    from nbreport.commentary.compose import APPROVE_DRAFT
    from nbreport.commentary.store import commentary_path
    from nbreport.core.period import Period
    from nbreport.report.outline import commentary_sections

    path = commentary_path(project, client_id, Period.parse(PERIOD).key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"## {section.title}\n\n{APPROVE_DRAFT}\n\n"
                            for section in commentary_sections()), encoding="utf-8")


def edit_commentary(project: Path, client_id: str) -> None:
    """An analyst's edit: the trends section written by hand instead of its approved draft."""
    from nbreport.commentary.compose import APPROVE_DRAFT
    from nbreport.commentary.store import commentary_path
    from nbreport.core.period import Period

    path = commentary_path(project, client_id, Period.parse(PERIOD).key)
    text = path.read_text(encoding="utf-8")
    trends = f"## Trends\n\n{APPROVE_DRAFT}\n"
    if trends not in text:
        raise SystemExit(f"{path}: no approved trends draft to edit")
    path.write_text(text.replace(trends, "## Trends\n\nDemand held up through the month.\n"),
                    encoding="utf-8")


def _generate(client_id: str, data_dir: Path) -> None:
    from nbreport.demo import PROFILES
    from nbreport.demo.generator import generate_client

    profile = dataclasses.replace(PROFILES[profile_of(client_id)], client_id=client_id)
    generate_client(profile, data_dir / client_id)


def warm_up() -> None:
    """Read every file all ways need once, so that none pays for a cold disk cache."""
    subprocess.run([sys.executable, "-c", "import papermill, nbconvert, nbreport.report, seaborn, "
                    "prophet, ploomber_engine"], check=True, capture_output=True)
