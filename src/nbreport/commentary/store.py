"""Where commentary lives: ``commentary/<client-id>/<period>.md`` and ``.../context.yaml``.

A run for one client reads only that client's folder: the client id and the period
key are checked before they become a path, and a file (or folder) that is a link
leading anywhere else is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from nbreport.commentary.errors import CommentaryError, CommentaryIssue
from nbreport.core.digests import file_sha256
from nbreport.core.files import write_atomic
from nbreport.core.strict_model import SLUG_HELP, SLUG_RE

COMMENTARY_DIR = "commentary"
CONTEXT_FILE = "context.yaml"
_PERIOD_KEY = re.compile(r"^[0-9]{4}(?:[0-9A-Z_-]*[0-9])?$")  # 2026-10, 2026-Q3, 2026-10-01_2026-10-15


@dataclass(frozen=True)
class CommentaryFile:
    """The analyst's commentary file of one client and period, as read (``text``: ``None``
    when there is none yet); ``display`` is its path relative to the project, for messages."""

    path: Path
    display: str
    text: str | None

    @property
    def exists(self) -> bool:
        return self.text is not None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest() if self.text is not None else None


def read_commentary(project_dir: Path, client_id: str, period_key: str) -> CommentaryFile:
    """The commentary file of ``client_id`` for ``period_key`` (see :func:`read_client_file`)."""
    path = commentary_path(project_dir, client_id, period_key)
    return CommentaryFile(path, display_path(path, project_dir),
                          read_client_file(path, project_dir, client_id))


def client_folder(project_dir: Path, client_id: str) -> Path:
    """``<project>/commentary/<client-id>`` (it need not exist)."""
    if not SLUG_RE.match(client_id):
        raise CommentaryError(f"{COMMENTARY_DIR}/{client_id}",
                              [CommentaryIssue(f"client id must be {SLUG_HELP}")])
    return Path(project_dir) / COMMENTARY_DIR / client_id


def commentary_path(project_dir: Path, client_id: str, period_key: str) -> Path:
    """The commentary file of a client and period, e.g. ``commentary/ledgerline/2026-10.md``."""
    if not _PERIOD_KEY.match(period_key):
        raise CommentaryError(f"{COMMENTARY_DIR}/{client_id}", [CommentaryIssue(
            f"'{period_key}' is not a period key such as 2026-10, 2026-Q3 or 2026-W42")])
    return client_folder(project_dir, client_id) / f"{period_key}.md"


def context_path(project_dir: Path, client_id: str) -> Path:
    return client_folder(project_dir, client_id) / CONTEXT_FILE


def display_path(path: Path, project_dir: Path) -> str:
    """The path relative to the project folder, with forward slashes (for messages and manifests)."""
    try:
        return Path(path).relative_to(project_dir).as_posix()
    except ValueError:
        return Path(path).name


def read_client_file(path: Path, project_dir: Path, client_id: str) -> str | None:
    """The text of a file in the client's commentary folder; ``None`` when it does not exist.

    Raises
    ------
    CommentaryError
        When the file resolves outside ``commentary/<client-id>/`` (a link to another
        client's file) or is not UTF-8 text.
    """
    display = display_path(path, project_dir)
    if not path.exists():
        return None
    allowed = (Path(project_dir) / COMMENTARY_DIR).resolve() / client_id
    if not path.resolve().is_relative_to(allowed):
        raise CommentaryError(display, [CommentaryIssue(
            f"leads outside {COMMENTARY_DIR}/{client_id}/; a client's report reads only its own "
            "commentary folder (replace the link with the file itself)")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommentaryError(display, [CommentaryIssue(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]) from None


def write_client_file(path: Path, project_dir: Path, client_id: str, text: str) -> None:
    """Write atomically inside the client's commentary folder (never through a link out of it)."""
    allowed = (Path(project_dir) / COMMENTARY_DIR).resolve() / client_id
    if not path.parent.resolve().is_relative_to(allowed) or not path.resolve().is_relative_to(allowed):
        raise CommentaryError(display_path(path, project_dir), [CommentaryIssue(
            f"leads outside {COMMENTARY_DIR}/{client_id}/; not written")])
    write_atomic(path, text)


def commentary_inputs(project_dir: Path, client_id: str, period_key: str) -> dict[str, str]:
    """Relative path -> SHA-256 of the commentary files a report reads (for change detection)."""
    files = [commentary_path(project_dir, client_id, period_key), context_path(project_dir, client_id)]
    return {display_path(p, project_dir): file_sha256(p)
            for p in files if p.is_file()}
