"""Data sources: reading platform exports, mapping them to the canonical model, provenance.

Names load on first use, so that params validation (which reads the source
specs) never pays for importing pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CANONICAL": "canonical", "Column": "canonical",
    "ClientData": "loader", "Provenance": "loader", "client_data_dir": "loader",
    "load_source": "loader", "load_sources": "loader", "resolve_source_path": "loader",
    "ColumnMapping": "spec", "SourceSpec": "spec", "SqlQuery": "spec",
    "DataWarning": "checks", "PRESETS": "presets", "Preset": "presets",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nbreport.sources' has no attribute '{name}'")
    return getattr(importlib.import_module(f"nbreport.sources.{_EXPORTS[name]}"), name)
