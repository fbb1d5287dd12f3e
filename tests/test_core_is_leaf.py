"""``nbreport.core`` is the leaf every layer may import: it imports nothing else of nbreport."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "nbreport" / "core"


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_only_core(path: Path) -> None:
    outside = {name for name in _imported_modules(path)
               if name.split(".")[0] == "nbreport" and not name.startswith("nbreport.core")}
    assert not outside, f"nbreport/core/{path.name} imports {sorted(outside)}: core must stay a leaf"


def test_core_modules_import_cleanly() -> None:
    import importlib

    for path in sorted(CORE.glob("*.py")):
        importlib.import_module(f"nbreport.core.{path.stem}".removesuffix(".__init__"))
