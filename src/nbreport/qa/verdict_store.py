"""The gate's verdicts kept between runs, in the project's compute cache.

A run of one client ends with the period's gate over every report of the period; without a
memory of earlier runs it checked each other client's unchanged report again (about 0.4 s
each: 24 s for an agency of 60 clients, after every commentary edit). A verdict is stored
under a digest of everything it was worked out from: the report's files (name, size, time,
inode: any rewrite changes them), its run summary, every client's markers and secrets, and
the gate's own code and rules. Stored as JSON, never as code; ``NBREPORT_CACHE=off`` keeps
none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nbreport.core.code_digest import code_digest
from nbreport.core.compute_cache import cache_key, library_versions, project_cache
from nbreport.qa.checks import CheckResult

KIND = "verdicts"
SUFFIX = ".verdict"  # not .json: an entry is its digest, then the JSON
GATE_MODULE = "nbreport.qa.gate"  # its import closure holds every check
GATE_LIBRARIES = ("detect-secrets", "nbformat")


def stored_checks(outputs_dir: Path, made_from: tuple[Any, ...]) -> list[CheckResult] | None:
    """The checks stored for what ``made_from`` describes; None when there are none."""
    cache = project_cache(outputs_dir)
    content = cache.read(KIND, _key(made_from), SUFFIX) if cache is not None else None
    if content is None:
        return None
    try:
        return [CheckResult(**check) for check in json.loads(content)]
    except (ValueError, TypeError):
        return None  # an entry of another shape: worked out again


def store_checks(outputs_dir: Path, made_from: tuple[Any, ...], checks: list[CheckResult]) -> None:
    cache = project_cache(outputs_dir)
    if cache is not None:
        content = json.dumps([vars(check) for check in checks], ensure_ascii=False)
        cache.write(KIND, _key(made_from), SUFFIX, content.encode("utf-8"))


def _key(made_from: tuple[Any, ...]) -> str:
    return cache_key(KIND, code_digest(GATE_MODULE), library_versions(*GATE_LIBRARIES),
                     json.dumps(made_from, default=str))
