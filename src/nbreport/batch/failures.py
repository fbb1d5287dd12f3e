"""What the manifest and the index say about a client's failure: no traceback, no local path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbreport.batch.results import ClientError
from nbreport.core.errors import NbreportError, ReportError
from nbreport.core.layout import OUTPUTS_FOLDER
from nbreport.settings import Settings


def describe_failure(exc: Exception, settings: Settings, stage: str = "execute") -> ClientError:
    """What the manifest and the index say about a failure: no traceback, no local path."""
    if isinstance(exc, ReportError):
        return ClientError(stage, redact_paths(str(exc), settings), exc.cell_index, exc.ename,
                           _redacted_location(exc.location, settings))
    text = str(exc) if isinstance(exc, NbreportError) else f"{type(exc).__name__}: {exc}"
    return ClientError(stage, redact_paths(text, settings),
                       ename=type(exc).__name__)


def _redacted_location(location: dict[str, Any] | None,
                       settings: Settings) -> dict[str, Any] | None:
    """A data error's location for the manifest: its texts without this machine's folders."""
    if not location:
        return None
    return {key: redact_paths(value, settings) if isinstance(value, str) else value
            for key, value in location.items()}


def redact_paths(text: str, settings: Settings) -> str:
    """``text`` with this machine's folders replaced by their names in the project."""
    for folder, name in ((settings.data_dir, "data"), (settings.outputs_dir, OUTPUTS_FOLDER),
                         (settings.project_dir, "."), (Path.home(), "~")):
        text = text.replace(str(folder), name)
    return text
