"""Fingerprints of what a client's report is made from, for incremental runs.

A report depends on the client's parameters, its data folder, its commentary
folder (``commentary/<client>/``, when there is one), the master notebook, the
templates and the nbreport package. Each is hashed; a client whose hashes all
equal those of its last good report need not run again. Data outside the
client's data folder (a SQL database, say) is not seen: ``--force`` re-runs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from nbreport import __version__
from nbreport.core.digests import file_sha256, update_with_file
from nbreport.params import ClientParams, params_hash
from nbreport.settings import Settings

COMMENTARY_DIR = "commentary"
_SKIPPED_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints"})


def client_inputs(client_id: str, params: ClientParams, settings: Settings,
                  shared: dict[str, str]) -> dict[str, str]:
    """The fingerprint of each input of one client's report; ``shared`` from :func:`shared_inputs`."""
    return {
        "params": params_hash(params),
        "data": tree_hash(settings.data_dir / client_id),
        "commentary": tree_hash(settings.project_dir / COMMENTARY_DIR / client_id),
        **shared,
    }


def shared_inputs(settings: Settings) -> dict[str, str]:
    """Fingerprints every client shares: notebook, templates, package (hash them once per run)."""
    return {
        "notebook": file_hash(settings.notebook),
        "templates": tree_hash(settings.templates_dir),
        "package": f"{__version__}+{tree_hash(Path(__file__).resolve().parents[1])}",
    }


def changed_inputs(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """Names of the inputs whose fingerprint differs (all of them when ``before`` is empty)."""
    return [name for name in now if before.get(name) != now[name]]


def tree_hash(folder: Path) -> str:
    """SHA-256 over the relative path and content of every file under ``folder`` ('-' if absent)."""
    if not folder.is_dir():
        return "-"
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not _SKIPPED_PARTS.intersection(relative.parts):
            digest.update(relative.as_posix().encode() + b"\0")
            update_with_file(digest, path)
    return digest.hexdigest()[:16]


def file_hash(path: Path) -> str:
    return file_sha256(path)[:16]
