"""Data sources: reading platform exports, mapping them to the canonical model, provenance.

Names load on first use, so that params validation (which reads the source
specs) never pays for importing pandas.
"""

from __future__ import annotations

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach(__name__, submod_attrs={
    "canonical": ["CANONICAL", "Column"],
    "loader": ["ClientData", "Provenance", "client_data_dir", "load_source", "load_sources",
        "resolve_source_path"],
    "spec": ["ColumnMapping", "SourceSpec", "SqlQuery"],
    "checks": ["DataWarning"],
    "presets": ["PRESETS", "Preset"],
})
