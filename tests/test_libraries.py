"""Where a maintained library replaced hand-written code, the behaviour stayed the same.

- ``nbreport.metrics``, ``.qa`` and ``.sources`` load their names on first use through
  lazy_loader: the same public names, nothing heavy at import;
- brand colours are parsed and printed by matplotlib.colors behind a pattern that still
  accepts only ``#rgb`` and ``#rrggbb``.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from nbreport.charts.colours import normalise_hex, to_hex, to_rgb
from tests.conftest import REPO

LAZY_PACKAGES = ("metrics", "qa", "sources")


def _public_names_in_source(package: str) -> dict[str, str]:
    """Each public name the package's submodules define at top level, and its submodule."""
    names: dict[str, str] = {}
    for path in sorted((REPO / "src" / "nbreport" / package).glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            targets = ([node.name] if isinstance(node, ast.FunctionDef | ast.ClassDef) else
                       [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)] +
                       ([node.target.id] if isinstance(node, ast.AnnAssign)
                        and isinstance(node.target, ast.Name) else []))
            names.update({name: path.stem for name in targets if not name.startswith("_")})
    return names


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_package_names_are_the_objects_of_their_submodules(package: str) -> None:
    import importlib

    module = importlib.import_module(f"nbreport.{package}")
    defined = _public_names_in_source(package)
    assert module.__all__ == sorted(module.__all__) and module.__all__
    assert sorted(dir(module)) == module.__all__
    for name in module.__all__:
        submodule = importlib.import_module(f"nbreport.{package}.{defined[name]}")
        assert getattr(module, name) is getattr(submodule, name), name
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(module, "no_such_name")
    missing = f"cannot import name 'no_such_name' from 'nbreport.{package}'"
    with pytest.raises(ImportError, match=missing):
        exec(f"from nbreport.{package} import no_such_name", {})


def test_lazy_packages_import_without_pandas_or_matplotlib() -> None:
    code = ("import sys, nbreport.metrics, nbreport.qa, nbreport.sources, nbreport.render.brand; "
            "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("given", "expected"), [
    ("#abc", "#aabbcc"), ("#ABC", "#aabbcc"), ("#1D2733", "#1d2733"), ("#000", "#000000"),
])
def test_hex_colours_are_normalised(given: str, expected: str) -> None:
    assert normalise_hex(given) == expected
    digits = expected[1:]
    assert to_rgb(given) == tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))


@pytest.mark.parametrize("given", ["red", "C0", "0.5", "#aabbccdd", "#abcd", "#12345", "#ggg",
                                   "#abc\n", "", "#abc;}"])
def test_only_hex_colours_are_accepted(given: str) -> None:
    """matplotlib reads all but the last four; none of them may reach the report's CSS."""
    with pytest.raises(ValueError, match="is not a colour of the form #rrggbb"):
        normalise_hex(given)


def test_channels_print_as_hex_rounded_and_clamped() -> None:
    assert to_hex((0.0, 0.5, 1.0)) == "#0080ff"  # 127.5 rounds to even: 128 = 0x80
    assert to_hex((-0.01, 1.0000000000000002, 0.2)) == f"#00ff{round(0.2 * 255):02x}"
