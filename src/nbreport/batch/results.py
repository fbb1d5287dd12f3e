"""What a run of one client produced: status, timing, files, error, headline numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

# ok: report published. failed: a cell raised, the kernel died or export failed. timeout: a cell
# ran out of time. interrupted: the run was stopped (Ctrl-C, SIGTERM). invalid: bad parameters.
# recovered: a report found on disk without a manifest entry (a run killed before recording it).
Status = Literal["ok", "failed", "timeout", "interrupted", "invalid", "recovered"]
RERUN_STATUSES = frozenset({"failed", "timeout", "interrupted", "invalid", "recovered"})


@dataclass
class ClientError:
    """Why a client's report was not produced.

    Attributes
    ----------
    stage:
        ``params``, ``execute``, ``export`` or ``publish``.
    message:
        What went wrong, without tracebacks or local paths.
    cell:
        Index of the failing notebook cell, when a cell failed.
    ename:
        The exception's class name.
    location:
        Where in the client's data the error is, when a data check failed: ``source``,
        ``path``, ``row`` (1-based, the header is row 1) and ``column``, those known.
    """

    stage: str
    message: str
    cell: int | None = None
    ename: str | None = None
    location: dict[str, Any] | None = None


@dataclass
class ClientResult:
    """One client's run, as recorded in the manifest.

    Attributes
    ----------
    timings:
        Seconds per stage: ``kernel_start``, ``execute``, ``export``, ``publish``.
    inputs:
        Fingerprints of what the report was made from (params, data, commentary, notebook,
        templates, package); a later run skips the client while they are unchanged.
    """

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
    timings: dict[str, float] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    # the QA gate's checks before publishing, for the period's verdict; never in the manifest
    gate_checks: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        recorded = asdict(self)
        del recorded["gate_checks"]
        return recorded

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClientResult:
        known = {f.name for f in fields(cls)}  # a manifest from another version may differ
        error = data.get("error")
        values = {key: value for key, value in data.items() if key in known}
        return cls(**{**values, "error": ClientError(**error) if error else None})
