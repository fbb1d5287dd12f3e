"""Secrets never leak: values of the environment variables params refer to appear in no report,
index, manifest, gate record or log line, whether the run succeeds or fails.

The failing case (a database server that refuses the connection) always runs. The succeeding
case needs a real PostgreSQL server (``bash .ci/run`` starts one) and skips, saying so, without.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nbreport.settings import Settings
from tests.conftest import copy_project

pytestmark = pytest.mark.kernel

SECRET_FAIL = "canary-Secret-b21e44"  # the password of a server that refuses the connection
PG_URL = os.environ.get("NBREPORT_TEST_PG_URL")
PG_PASSWORD = os.environ.get("NBREPORT_TEST_PG_PASSWORD")


def _add_source(settings: Settings, client: str, source: dict) -> None:
    path = settings.params_dir / f"{client}.yaml"
    params = yaml.safe_load(path.read_text())
    same_kind = [s["name"] for s in params["sources"] if s["kind"] == source["kind"]]
    params["sources"].append(source)
    if same_kind:  # another source of its kind: its rows add up with theirs (declared as parts)
        overlaps = params.setdefault("overlaps", [])
        entry = next((o for o in overlaps if set(same_kind) <= set(o["sources"])), None)
        if entry is None:
            overlaps.append({"sources": [*same_kind, source["name"]], "relation": "parts"})
        else:
            entry["sources"].append(source["name"])
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def _run(settings: Settings, data_dir: Path, clients: list[str], env: dict[str, str]) -> str:
    folders = ["--project", str(settings.project_dir), "--data-dir", str(data_dir)]
    run = subprocess.run([sys.executable, "-m", "nbreport", "-vv", *folders, "run", *clients],
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
    check = subprocess.run([sys.executable, "-m", "nbreport", *folders, "check", "2026-10"],
                           env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    return run.stdout + run.stderr + check.stdout + check.stderr


def _leaks(settings: Settings, log: str, secret: str) -> list[str]:
    files = [str(path.relative_to(settings.outputs_dir)) for path in settings.outputs_dir.rglob("*")
             if path.is_file() and secret in path.read_text(encoding="utf-8", errors="replace")]
    return files + (["the command's output"] if secret in log else [])


def test_a_refused_connection_leaks_no_secret(tmp_path: Path, demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    _add_source(settings, "ledgerline", {
        "name": "warehouse", "kind": "survey",
        "sql": {"url": "postgresql://reporting@127.0.0.1:9/agency", "password_env": "NBREPORT_CANARY_FAIL",
                "query": "SELECT 1"}})
    log = _run(settings, demo_data_dir, ["ledgerline"], {"NBREPORT_CANARY_FAIL": SECRET_FAIL})
    entry = json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())["clients"]["ledgerline"]
    assert entry["status"] == "failed" and "warehouse" in entry["error"]["message"]
    assert _leaks(settings, log, SECRET_FAIL) == []


@pytest.mark.skipif(not (PG_URL and PG_PASSWORD), reason="no PostgreSQL server: set NBREPORT_TEST_PG_URL "
                    "and NBREPORT_TEST_PG_PASSWORD (bash .ci/run starts one)")
def test_a_successful_connection_leaks_no_secret(tmp_path: Path, demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    _add_source(settings, "harbourside-dental", {
        "name": "warehouse-reviews", "kind": "survey", "allow_empty": True,
        "sql": {"url": PG_URL, "password_env": "NBREPORT_CANARY_OK",
                # rows up to the period's end: the QA gate holds back a report whose data stop early
                "query": "SELECT * FROM (VALUES (DATE '2026-10-05', 5, 'csat'), "
                         "(DATE '2026-10-31', 4, 'csat')) AS answers(date, score, scale)"}})
    log = _run(settings, demo_data_dir, ["harbourside-dental"], {"NBREPORT_CANARY_OK": str(PG_PASSWORD)})
    entry = json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())
    assert entry["clients"]["harbourside-dental"]["status"] == "ok", log[-2000:]
    assert _leaks(settings, log, str(PG_PASSWORD)) == []
