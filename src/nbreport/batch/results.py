"""What a run of one client produced: status, timing, files, error, headline numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "failed", "invalid"]


@dataclass
class ClientError:
    """Why a client's report was not produced.

    Attributes
    ----------
    stage:
        ``params``, ``execute`` or ``export``.
    message:
        What went wrong, without tracebacks or local paths.
    cell:
        Index of the failing notebook cell, when a cell failed.
    ename:
        The exception's class name.
    """

    stage: str
    message: str
    cell: int | None = None
    ename: str | None = None


@dataclass
class ClientResult:
    client_id: str
    period: str | None
    status: Status
    client_name: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    duration_s: float | None = None
    params_hash: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # relative to the period folder
    error: ClientError | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClientResult:
        error = data.get("error")
        return cls(**{**data, "error": ClientError(**error) if error else None})
