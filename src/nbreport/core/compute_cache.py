"""An on-disk, content-addressed cache of costly results, shared by every run of a project.

Every client of every run computes in a kernel of its own, so a cache that is to help a
re-run must live on disk: ``<outputs>/.cache/`` by default (beside the reports, ignored by
every listing of periods and clients). An entry's name is a digest of everything that
determines its content (the input data, the settings, the code and library versions, see
:func:`cache_key`), so an entry is never stale: changed inputs make another name. Entries
are written atomically and start with the SHA-256 of their content; an entry that cannot be
read, does not match its digest (a damaged disk, a hand edit) or cannot be decoded is a
miss, and an entry that cannot be written is skipped: the cache never makes a report fail.

``NBREPORT_CACHE=off`` switches it off; ``NBREPORT_CACHE=/some/folder`` keeps it elsewhere
(e.g. one cache for several outputs folders).

This module imports nothing of nbreport but ``core``: anything may use it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from nbreport.core.errors import StorageError
from nbreport.core.files import write_atomic

log = logging.getLogger(__name__)

CACHE_FOLDER = ".cache"  # under the outputs folder; a dot folder is no period and no client
CACHE_VARIABLE = "NBREPORT_CACHE"
SWITCHED_OFF = frozenset({"off", "0", "no", "false"})
FORMAT_VERSION = "1"  # of the key scheme; raise it to orphan every entry
DIGEST_SIZE = hashlib.sha256().digest_size


@dataclass(frozen=True)
class ComputeCache:
    """Entries ``<root>/<kind>/<key[:2]>/<key><suffix>``, one file each: the SHA-256 of the
    content, then the content.

    Attributes
    ----------
    root:
        The cache folder.
    """

    root: Path

    def path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def read(self, kind: str, key: str, suffix: str) -> bytes | None:
        """The entry's content, or ``None`` (a miss) when it is missing, cannot be read or is
        not what was written."""
        try:
            stored = self.path(kind, key, suffix).read_bytes()
        except OSError:
            return None
        digest, content = stored[:DIGEST_SIZE], stored[DIGEST_SIZE:]
        if hashlib.sha256(content).digest() != digest:
            if stored:
                log.info("compute cache: damaged %s entry %s, computing again", kind, key[:12])
            return None
        return content

    def write(self, kind: str, key: str, suffix: str, content: bytes) -> None:
        """Store an entry atomically; a disk that refuses it costs the entry, never the run."""
        try:
            write_atomic(self.path(kind, key, suffix), hashlib.sha256(content).digest() + content)
        except (StorageError, OSError) as exc:
            log.info("compute cache: could not store %s entry: %s", kind, exc)


def project_cache(outputs_dir: Path) -> ComputeCache | None:
    """The cache of the project whose outputs folder is ``outputs_dir``; ``None`` when
    ``NBREPORT_CACHE`` switches it off."""
    setting = os.environ.get(CACHE_VARIABLE, "").strip()
    if setting.lower() in SWITCHED_OFF:
        return None
    if setting and setting.lower() != "on":
        return ComputeCache(Path(setting).expanduser().resolve())
    return ComputeCache(Path(outputs_dir).resolve() / CACHE_FOLDER)


def cache_key(*parts: bytes | str) -> str:
    """SHA-256 of ``parts``, each length-prefixed (``"ab", "c"`` and ``"a", "bc"`` differ)."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def canonical_json(value: Any) -> str:
    """``value`` as JSON with sorted keys: equal settings give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@functools.cache
def library_versions(*distributions: str) -> str:
    """``name==version`` of each installed distribution and of Python, for a key."""
    found = [f"python=={sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"]
    for name in distributions:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==absent")
    return ";".join(found)
