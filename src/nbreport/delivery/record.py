"""What was sent: ``outputs/<period>/deliveries.json`` and the copies in ``sent/<client>/``.

``deliveries.json`` keeps, per client, every message in the order it was sent::

    {"period": "2026-10", "clients": {"northwind-outfitters": {"messages": [{
        "message_id": "<...@example.com>", "subject": "...", "to": [...], "cc": [...],
        "recipients": [...], "delivered": [...], "refused": {"x@example.com": "550 ..."},
        "report_sha256": "...", "started_at": "...", "sent_at": "...", "attempts": 2,
        "last_error": null, "status": "sent"}]}}}

``status`` is ``sent`` (every recipient accepted), ``partial`` (some refused) or ``failed``
(none reached). The copies in ``sent/<client>/`` (``report.html``, ``results.json``) are the
files of the last message that reached anyone: ``nbreport diff --against sent`` reads them.
No server, login or password is ever recorded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nbreport.core.errors import ConfigError
from nbreport.core.files import make_folder, storage_errors, write_atomic
from nbreport.core.layout import REPORT_HTML, RESULTS_FILE, ProjectLayout

SENT, PARTIAL, FAILED = "sent", "partial", "failed"


@dataclass
class MessageRecord:
    """One message to one client's recipients, over all its attempts."""

    message_id: str
    subject: str
    to: list[str]
    cc: list[str]
    recipients: list[str]
    report_sha256: str
    started_at: str
    delivered: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    sent_at: str | None = None
    attempts: int = 0
    last_error: str | None = None
    status: str = FAILED

    @property
    def pending(self) -> list[str]:
        """Recipients the message has not reached yet."""
        return [address for address in self.recipients if address not in self.delivered]

    def settle(self) -> None:
        """Set ``status`` from who was reached."""
        self.status = SENT if not self.pending else PARTIAL if self.delivered else FAILED

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MessageRecord:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


class Deliveries:
    """The period's ``deliveries.json``, read once and written after every message."""

    def __init__(self, layout: ProjectLayout, period: str) -> None:
        self.path = layout.deliveries(period)
        self.period = period
        self.layout = layout
        self.data: dict[str, Any] = {"period": period, "clients": {}}
        if self.path.exists():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
                self.data.setdefault("clients", {})
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{self.path.name} of {period} is not valid JSON ({exc}); it "
                                  "records what was sent: restore it from a backup, or move it "
                                  "aside to send every report again") from None

    def last(self, client_id: str) -> MessageRecord | None:
        messages = self.data["clients"].get(client_id, {}).get("messages", [])
        return MessageRecord.from_dict(messages[-1]) if messages else None

    def save(self, client_id: str, record: MessageRecord, *, replaces_last: bool) -> None:
        """Record ``record`` (in place of the client's last message when it continues it)."""
        messages = self.data["clients"].setdefault(client_id, {}).setdefault("messages", [])
        if replaces_last and messages:
            messages[-1] = asdict(record)
        else:
            messages.append(asdict(record))
        write_atomic(self.path, json.dumps(self.data, indent=2, ensure_ascii=False) + "\n")


def sha256_of(path: Path) -> str:
    with storage_errors(path):
        return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_sent_copy(layout: ProjectLayout, period: str, client_id: str,
                   extra: tuple[Path, ...] = ()) -> Path:
    """Copy the report and its results, as sent, to ``sent/<client>/``."""
    target = layout.sent_dir(period, client_id)
    make_folder(target)
    source = layout.client_dir(period, client_id)
    for path in [source / REPORT_HTML, source / RESULTS_FILE, *extra]:
        if path.is_file():
            with storage_errors(target / path.name):
                write_atomic(target / path.name, path.read_bytes())
    return target
