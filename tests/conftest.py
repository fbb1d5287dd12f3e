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
    """Copy params, notebook and templates to ``root``; settings writing to its own outputs/."""
    for folder in ("params", "notebooks", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return Settings.for_project(root, data_dir=data_dir)


@pytest.fixture
def project(tmp_path: Path, demo_data_dir: Path) -> Settings:
    """A copy of the project (params, notebook, templates) writing to its own outputs/."""
    return copy_project(tmp_path / "project", demo_data_dir)


@pytest.fixture
def real_data() -> Path:
    """The public real-data files beside the project; skips the test when they are absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not found at ../shared/data/real (see its MANIFEST.md)")
    return REAL_DATA
