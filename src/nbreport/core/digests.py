"""SHA-256 digests of files, read in blocks (``hashlib.file_digest``), never whole into memory.

This module imports nothing of nbreport: anything may use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of the file at ``path``."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def update_with_file(digest: Any, path: Path) -> None:
    """Feed the bytes of ``path`` into ``digest`` (a running ``hashlib`` object, e.g. over a tree)."""
    with path.open("rb") as stream:
        # file_digest calls its ``digest`` argument for the object to feed: hand it the running one
        hashlib.file_digest(stream, lambda: digest)
