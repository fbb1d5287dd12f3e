"""A digest of the nbreport code a computation runs: a module and every nbreport module it imports.

A cached result must change when the code that made it changes. Hashing the whole package
would throw every cached forecast away when a report section's wording changes; hashing the
one module would miss a change in a helper it imports. So the digest covers the import
closure of an entry module, found by reading the files (no import happens): every
``from nbreport.x import y`` and ``import nbreport.x``, at the top of a module or inside a
function, with each package's ``__init__`` on the way. A name imported from a package that
is itself a module (``from nbreport.report import sections``) counts as that module.

This module imports nothing of nbreport: anything may use it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../nbreport
PACKAGE = PACKAGE_ROOT.name

_FROM_IMPORT = re.compile(
    rf"^\s*from\s+({PACKAGE}(?:\.\w+)*)\s+import\s+(\([^)]*\)|[^\n]+)", re.MULTILINE)
_PLAIN_IMPORT = re.compile(rf"^\s*import\s+({PACKAGE}(?:\.\w+)*)", re.MULTILINE)
_NAME = re.compile(r"\w+")
_COMMENT = re.compile(r"#[^\n]*")


@functools.cache
def code_digest(module: str) -> str:
    """SHA-256 over the source of ``module`` (``"nbreport.forecast.prophet_model"``) and of every
    nbreport module it imports, directly or not (computed once per process)."""
    digest = hashlib.sha256()
    for path in sorted(module_closure(module)):
        digest.update(path.relative_to(PACKAGE_ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def module_closure(module: str) -> set[Path]:
    """The files of ``module`` and of every nbreport module it imports, directly or not."""
    found: set[Path] = set()
    waiting = [module]
    while waiting:
        for path in _module_files(waiting.pop()):
            if path not in found:
                found.add(path)
                waiting.extend(_imported(path.read_text(encoding="utf-8")))
    return found


def _imported(source: str) -> list[str]:
    """The nbreport modules a source file imports (``from package import module`` included)."""
    names = [match[1] for match in _PLAIN_IMPORT.finditer(source)]
    for match in _FROM_IMPORT.finditer(source):
        base = match[1]
        names.append(base)
        imported = _COMMENT.sub("", match[2])
        names.extend(f"{base}.{name}" for name in _NAME.findall(imported) if name != "as")
    return names


def _module_files(name: str) -> list[Path]:
    """The file(s) importing ``name`` runs: each package ``__init__`` on the way and the module;
    nothing for a name that is no module (a function or class imported by name)."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return []
    files = []
    folder = PACKAGE_ROOT
    for part in parts[1:]:
        init = folder / "__init__.py"
        if init.is_file():
            files.append(init)
        folder = folder / part
    if folder.with_suffix(".py").is_file():
        return [*files, folder.with_suffix(".py")]
    if (folder / "__init__.py").is_file():
        return [*files, folder / "__init__.py"]
    return []
