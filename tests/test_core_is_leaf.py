"""``nbreport.core`` is the leaf every layer may import: it imports nothing else of nbreport but
the message catalogue (``nbreport.i18n``: the words it writes for a client, period names and
"n/a"), which itself imports only core."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "nbreport" / "core"
I18N = CORE.parent / "i18n"
LEAVES = ("nbreport.core", "nbreport.i18n")


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
               if name.split(".")[0] == "nbreport" and not name.startswith(LEAVES)}
    assert not outside, f"nbreport/core/{path.name} imports {sorted(outside)}: core must stay a leaf"


@pytest.mark.parametrize("path", sorted(I18N.glob("*.py")), ids=lambda p: p.name)
def test_the_catalogue_core_uses_imports_only_core(path: Path) -> None:
    outside = {name for name in _imported_modules(path)
               if name.split(".")[0] == "nbreport" and not name.startswith(LEAVES)}
    assert not outside, f"nbreport/i18n/{path.name} imports {sorted(outside)}: core relies on it"


def test_core_modules_import_cleanly() -> None:
    import importlib

    for path in sorted(CORE.glob("*.py")):
        importlib.import_module(f"nbreport.core.{path.stem}".removesuffix(".__init__"))
