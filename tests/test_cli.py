"""The command line as a user types it: exit codes, messages, schema, scaffolding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from nbreport.params.loader import _layers, _merge
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS, REPO


def nbreport(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_help_everywhere() -> None:
    for command in ("", "run", "validate", "list", "new-client", "schema", "metrics", "demo-data"):
        result = nbreport(*([command] if command else []), "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_validate_all_demo_clients() -> None:
    result = nbreport("validate")
    assert result.returncode == 0, result.stderr
    for client_id in DEMO_CLIENTS:
        assert f"ok       {client_id}" in result.stdout


def test_misspelt_key_exits_2_naming_the_key(project: Settings) -> None:
    params = project.params_dir / "ledgerline.yaml"
    text = params.read_text().replace("    target: 900", "    taget: 900")
    params.write_text(text)
    line = text.splitlines().index("    taget: 900") + 1
    result = nbreport("--project", str(project.project_dir), "validate", "ledgerline")
    assert result.returncode == 2
    assert (f"params/ledgerline.yaml, line {line}: kpis[0].taget: unknown key; "
            "did you mean 'target'?") in result.stderr


def test_run_needs_clients_or_all() -> None:
    result = nbreport("run")
    assert result.returncode == 2 and "name one or more clients, or pass --all" in result.stderr


def test_unknown_client_exits_2(project: Settings) -> None:
    result = nbreport("--project", str(project.project_dir), "validate", "northwind")
    assert result.returncode == 2 and "did you mean 'northwind-outfitters'" in result.stderr


def test_schema_is_json_schema_that_accepts_every_demo_client() -> None:
    result = nbreport("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    params_dir = REPO / "params"
    for client_id in DEMO_CLIENTS:
        merged: dict = {}
        for layer in _layers(params_dir, params_dir / f"{client_id}.yaml", {}):
            merged = _merge(merged, layer.data)
        jsonschema.validate(merged, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**merged, "kpi": []}, schema)


def test_new_client_scaffold_validates(project: Settings) -> None:
    result = nbreport("--project", str(project.project_dir), "new-client", "fresh-bakery", "--name", "Fresh Bakery")
    assert result.returncode == 0, result.stderr
    assert (project.params_dir / "fresh-bakery.yaml").exists()
    assert nbreport("--project", str(project.project_dir), "validate", "fresh-bakery").returncode == 0
    again = nbreport("--project", str(project.project_dir), "new-client", "fresh-bakery")
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = nbreport("--project", str(project.project_dir), "new-client", "Fresh Bakery")
    assert bad.returncode == 2 and "must be a slug" in bad.stderr


def test_list_and_metrics() -> None:
    listed = nbreport("list")
    assert listed.returncode == 0 and "Northwind Outfitters" in listed.stdout
    metrics = nbreport("metrics")
    assert "paid_roas" in metrics.stdout and "Return on ad spend (revenue from paid channels)" in metrics.stdout
    assert "roi_after_fees" in metrics.stdout and "now 'blended_roas'" in metrics.stdout
    assert "roi " in metrics.stdout and "seat_utilisation" in metrics.stdout


def test_missing_project_is_a_usage_error(tmp_path: Path) -> None:
    result = nbreport("--project", str(tmp_path), "run", "--all")
    assert result.returncode == 2 and "no params folder" in result.stderr
