"""``nbreport preview`` and ``nbreport validate --data`` on a project configured by params only.

The hit-level fixture (tests/fixtures/shapes/web_hits.csv) is reshaped by transform steps; the
figures preview prints are compared with a pandas computation on the raw file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from tests.shapes_project import FIXTURES, add_client, new_project

from nbreport.cli import cli
from nbreport.core.errors import DataError
from nbreport.settings import Settings

HITS = {"name": "hits", "kind": "web", "path": "web_hits.csv", "transform": [
    {"date": {"from": "hit_timestamp", "into": "date"}},
    {"filter": {"event_name": "page_view"}},
    {"aggregate": {"by": ["date", "channel_group"], "count_distinct": {"sessions": "session_id"},
                   "sum": {"revenue": "revenue_micros"}}}],
    "mapping": {"rename": {"channel_group": "channel"}, "scale": {"revenue": 0.000001}}}


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = new_project(tmp_path)
    add_client(settings, "shop", [HITS], files={"web_hits.csv": "web_hits.csv"},
               kpis=[{"metric": "sessions", "target": 100}])
    return settings


def invoke(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(settings.project_dir), *args],
                                catch_exceptions=False, terminal_width=240)
    return result.exit_code, result.output


def expected_sessions_in_october() -> int:
    hits = pd.read_csv(FIXTURES / "web_hits.csv", dtype=str, keep_default_na=False)
    hits = hits[(hits["event_name"] == "page_view")]
    hits["date"] = pd.to_datetime(hits["hit_timestamp"].str[:10])
    daily = hits.groupby(["date", "channel_group"])["session_id"].nunique().reset_index()
    october = daily[(daily["date"] >= "2026-10-01") & (daily["date"] <= "2026-10-31")]
    return int(october["session_id"].sum())


def test_preview_shows_sql_steps_columns_period_and_kpis(project: Settings) -> None:
    code, out = invoke(project, "preview", "shop", "--rows", "3")
    hits = pd.read_csv(FIXTURES / "web_hits.csv", dtype=str, keep_default_na=False)
    kept = (hits["event_name"] == "page_view").sum()
    assert 'WITH "export" AS' in out and "step_3" in out  # the generated SQL
    assert f"after step 2 (filter): {kept:,} rows" in out  # each step's rows
    assert f"{len(hits) - kept:,} rows left out" in out  # and why
    assert "canonical columns of hits" in out and "sessions" in out
    assert "Headline KPIs" in out
    assert f"{expected_sessions_in_october():,}" in out  # the KPI value, as pandas computes it
    assert code == (2 if "problem:" in out else 0)


def test_preview_of_a_misspelt_source_says_which_exist(project: Settings) -> None:
    with pytest.raises(DataError, match=r"no data source named 'hit'; did you mean 'hits'\? \(sources: hits\)"):
        invoke(project, "preview", "shop", "hit")


def test_validate_data_fails_when_a_source_ends_before_the_period(project: Settings) -> None:
    code, out = invoke(project, "validate", "shop", "--data", "--period", "2026-11")
    assert code == 2 and "shop" in out


def test_validate_data_passes_a_covered_period(project: Settings) -> None:
    hits = pd.read_csv(FIXTURES / "web_hits.csv", dtype=str)
    last = pd.to_datetime(hits["hit_timestamp"].str[:10]).max()
    period = f"{last.year}-{last.month:02d}" if last.day == last.days_in_month else \
        f"{(last - pd.offsets.MonthBegin(1)).year}-{(last - pd.offsets.MonthBegin(1)).month:02d}"
    code, out = invoke(project, "validate", "shop", "--data", "--period", period)
    assert code == 0, out and out.startswith("ok")
