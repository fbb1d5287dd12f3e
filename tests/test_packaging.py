"""Packaging: conda users get the same dependencies as pip users; the layout is complete."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = {_name(dep) for dep in environment["dependencies"] if isinstance(dep, str)}
    pip_section = next(dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict))
    assert {_name(dep) for dep in pyproject["project"]["dependencies"]} == conda - {"python", "pip"}
    assert "-e ." in pip_section  # the package itself comes through pip


def test_project_layout() -> None:
    for path in ("notebooks", "templates", "src/nbreport", "params", "outputs", "tests",
                 "environment.yml", "README.md", "pyproject.toml", "Makefile", ".ci/run"):
        assert (REPO / path).exists(), path
    assert (REPO / "outputs" / ".gitkeep").exists()


def test_importing_nbreport_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, nbreport, nbreport.params; print(sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'prophet') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
