"""What the QA gate knows about every client of a project: canary markers and secrets.

Checking one report needs the other clients' canary markers and the values of the secrets
any params file names, never the other clients' parameters themselves (see
:meth:`GateContext.for_project`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from nbreport.core.errors import ParamsError
from nbreport.core.yamlfile import read_yaml
from nbreport.params import client_files
from nbreport.params.loader import DEFAULTS_FILE
from nbreport.qa.checks import referenced_env_names
from nbreport.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class GateContext:
    """What the gate knows about every client of the project: canary markers and secrets."""

    markers: dict[str, list[str]]
    secrets: list[str]

    @classmethod
    def for_project(cls, settings: Settings) -> GateContext:
        """Every client's markers and referenced secrets, read from each params file alone.

        Checking one report needs the other clients' canary markers, never their parameters:
        each file is read with the bounded YAML reader and only ``qa.markers`` and references
        to environment variables are taken from it, unmerged and unvalidated, so a broken or
        hostile file of another client can neither stop nor slow this client's gate.
        """
        markers: dict[str, list[str]] = {}
        secrets: list[str] = []
        defaults = settings.params_dir / DEFAULTS_FILE
        if defaults.is_file():
            secrets += _canaries_of(defaults)[1]
        for client_id, path in client_files(settings.params_dir).items():
            client_markers, client_secrets = _canaries_of(path)
            markers[client_id] = client_markers
            secrets += client_secrets
        return cls(markers, list(dict.fromkeys(secrets)))

    def foreign_to(self, client_id: str) -> dict[str, list[str]]:
        return {other: m for other, m in self.markers.items() if other != client_id and m}

    def fingerprint(self) -> str:
        """A digest of every marker and secret: checks made under one context are handed to
        the period's verdict only under the same one (it never holds the values themselves)."""
        text = json.dumps([sorted(self.markers.items()), self.secrets], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canaries_of(path: Path) -> tuple[list[str], list[str]]:
    """``qa.markers`` and the values of the environment variables one params file names."""
    try:
        state = path.stat()
    except OSError:
        return [], []
    markers, names = _read_canaries(path, state.st_mtime_ns, state.st_size)
    return list(markers), [value for name in names if (value := os.environ.get(name))]


@functools.lru_cache(maxsize=1024)
def _read_canaries(path: Path, mtime_ns: int, size: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Read once per state of the file (its time and size are part of the cache key)."""
    try:
        data = read_yaml(path, path.name).data
    except ParamsError:
        log.info("%s: unreadable params; `nbreport validate` explains why", path.name)
        return (), ()
    qa = data.get("qa")
    found = qa.get("markers") if isinstance(qa, dict) else None
    markers = [str(m) for m in found if isinstance(m, (str, int, float))] if isinstance(found, list) else []
    return tuple(markers), tuple(referenced_env_names(data))
