"""Shared fixtures: demo data generated once per session, throw-away project copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nbreport.demo import generate_demo_data
from nbreport.settings import Settings

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "data" / "real"
DEMO_CLIENTS = ("northwind-outfitters", "ledgerline", "harbourside-dental")


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clients' data, generated once for the whole test session."""
    root = tmp_path_factory.mktemp("demo-data")
    generate_demo_data(root)
    return root


def copy_project(root: Path, data_dir: Path) -> Settings:
    """Copy params, notebook, templates and commentary to ``root``; settings writing to its own
    outputs/."""
    for folder in ("params", "notebooks", "templates", "commentary"):
        shutil.copytree(REPO / folder, root / folder)
    return Settings.for_project(root, data_dir=data_dir)


@pytest.fixture
def project(tmp_path: Path, demo_data_dir: Path) -> Settings:
    """A copy of the project (params, notebook, templates, commentary) writing to its own outputs/."""
    return copy_project(tmp_path / "project", demo_data_dir)


@pytest.fixture
def real_data() -> Path:
    """The public real-data files beside the project; skips the test when they are absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not found at ../shared/data/real (see its MANIFEST.md)")
    return REAL_DATA


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> Settings:
    """Every demo client's report for 2026-10 and Northwind's for 2026-09 (an archive with two
    periods), produced once per session by real kernel runs, with the index pages."""
    from nbreport.batch import run_batch

    root = tmp_path_factory.mktemp("demo-outputs") / "project"
    for folder in ("params", "notebooks", "templates", "commentary"):
        shutil.copytree(REPO / folder, root / folder)
    settings = Settings.for_project(root, data_dir=demo_data_dir)
    # As `make demo`: September's drafts are approved in commentary/<client>/2026-09.md.
    runs = ((list(DEMO_CLIENTS), {"period": "2026-10"}),
            (["northwind-outfitters"], {"period": "2026-09"}))
    for clients, overrides in runs:
        outcome = run_batch(settings, clients, overrides=overrides)
        assert outcome.exit_code == 0, [r.error for r in outcome.results]
    return settings
