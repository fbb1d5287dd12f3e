"""The master notebook: committed clean, paired with its jupytext text copy, thin."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest

from tests.conftest import REPO

NOTEBOOK = REPO / "notebooks" / "client_report.ipynb"
PAIRED = REPO / "notebooks" / "client_report.py"


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(cell.cell_type, cell.source.strip(), tuple(cell.metadata.get("tags", [])))
            for cell in notebook.cells]


def test_notebook_and_text_copy_are_in_sync() -> None:
    committed = nbformat.read(NOTEBOOK, as_version=4)
    from_text = jupytext.read(PAIRED)
    assert _cells(committed) == _cells(from_text), (
        "notebooks/client_report.ipynb and .py differ: run "
        "`jupytext --sync notebooks/client_report.ipynb` and commit both")


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_parameters_cell_holds_only_plain_assignments() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    names = {target.id for node in tree.body for target in node.targets}  # type: ignore[attr-defined]
    assert names == {"client_id", "period", "params", "project_dir", "data_dir", "outputs_dir"}


@pytest.mark.parametrize("cell", [c for c in nbformat.read(NOTEBOOK, as_version=4).cells
                                  if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])],
                         ids=lambda c: c.source.splitlines()[0][:40])
def test_code_cells_are_thin_library_calls(cell: nbformat.NotebookNode) -> None:
    statements = ast.parse(cell.source).body
    assert len([s for s in statements if not isinstance(s, (ast.Import, ast.ImportFrom))]) <= 1
