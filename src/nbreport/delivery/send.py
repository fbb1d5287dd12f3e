"""``nbreport send``: e-mail each client's approved report of a period, once.

For every client of the period (or those named): the report must have passed the QA gate and
its commentary be approved (:mod:`nbreport.delivery.eligibility`); its params must hold a
``delivery:`` block with recipients. The message (:mod:`nbreport.delivery.mail`) is then sent
with retries, or written to ``outbox/<client>.eml`` with ``dry_run``. What was sent is recorded
in ``deliveries.json`` (:mod:`nbreport.delivery.record`), so a second ``send`` sends nothing
unless ``resend``; a message that reached only some recipients is completed by the next
``send``. One client's failure never stops the others.
"""

from __future__ import annotations

import logging
import os
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nbreport.batch.lock import period_locks
from nbreport.core.errors import EXIT_OK, EXIT_REPORTS_FAILED, ParamsError
from nbreport.core.files import make_folder, write_atomic
from nbreport.core.layout import ProjectLayout
from nbreport.delivery.compose import Composed, compose
from nbreport.delivery.eligibility import not_sendable, read_period
from nbreport.delivery.mail import message_bytes
from nbreport.delivery.record import FAILED, Deliveries, MessageRecord, keep_sent_copy
from nbreport.delivery.smtp import FROM_ENV, RetryPolicy, SmtpConfig, is_temporary, reply_text, transmit
from nbreport.params import load_client_params
from nbreport.settings import Settings

log = logging.getLogger(__name__)

# How each client ended; the first three count as done for the exit code.
SENT, ALREADY_SENT, WRITTEN, NOT_EMAILED = "sent", "already sent", "written", "not e-mailed"
PARTIAL, FAILED_TO_SEND, SKIPPED = "partial", "failed", "skipped"
DONE = frozenset({SENT, ALREADY_SENT, WRITTEN})


@dataclass(frozen=True)
class ClientSend:
    """What ``send`` did for one client, and why."""

    client_id: str
    result: str
    detail: str = ""
    named: bool = False

    @property
    def counts_against(self) -> bool:
        """Whether this client makes the exit code non-zero: a report not sent, except a client
        nobody asked to e-mail (no ``delivery:`` block) that was not named."""
        return self.result not in DONE and (self.result != NOT_EMAILED or self.named)


@dataclass
class SendOutcome:
    period: str
    dry_run: bool
    clients: list[ClientSend] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_REPORTS_FAILED if any(c.counts_against for c in self.clients) else EXIT_OK


@dataclass(frozen=True)
class SendOptions:
    """``dry_run``: write ``.eml`` files; ``resend``: send again what was sent already."""

    dry_run: bool = False
    resend: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep


def send_period(settings: Settings, period: str, clients: list[str] | None = None, *,
                config: SmtpConfig | None = None, options: SendOptions = SendOptions()) -> SendOutcome:
    """Send (or, with ``options.dry_run``, write) the period's approved reports.

    ``config`` is needed unless ``dry_run``: the server from :meth:`SmtpConfig.from_env`.
    """
    layout = ProjectLayout.of(settings)
    manifest, gate = read_period(layout, period)
    entries = manifest.get("clients", {})
    chosen = clients or sorted(entries)
    outcome = SendOutcome(period, options.dry_run)
    with period_locks(settings.outputs_dir, [period]):  # no run rewrites a report being sent
        deliveries = Deliveries(layout, period)
        for client_id in chosen:
            result = _one_client(settings, layout, period, client_id, entries.get(client_id),
                                 gate, deliveries, config, options)
            outcome.clients.append(ClientSend(client_id, result[0], result[1],
                                              named=bool(clients)))
    return outcome


def _one_client(settings: Settings, layout: ProjectLayout, period: str, client_id: str,
                entry: dict | None, gate: dict, deliveries: Deliveries,
                config: SmtpConfig | None, options: SendOptions) -> tuple[str, str]:
    if reason := not_sendable(client_id, period, entry, gate, layout):
        return SKIPPED, reason
    try:
        params = load_client_params(client_id, settings.params_dir)
    except ParamsError as exc:
        return SKIPPED, f"invalid params: {str(exc).splitlines()[0]} (nbreport validate {client_id})"
    if params.delivery is None or not params.delivery.to:
        return NOT_EMAILED, f"no delivery.to in params/{client_id}.yaml"
    previous = deliveries.last(client_id)
    composed = compose(layout, period, client_id, entry or {}, params,
                       default_sender=config.sender if config else os.environ.get(FROM_ENV))
    if isinstance(composed, str):
        return SKIPPED, composed
    continuing = (not options.resend and previous is not None and previous.pending
                  and previous.delivered and previous.report_sha256 == composed.sha256)
    if previous is not None and not options.resend and not continuing:
        if previous.status != FAILED:
            changed = previous.report_sha256 != composed.sha256
            return ALREADY_SENT, (f"{previous.status} {previous.sent_at} ({previous.message_id})"
                                  + ("; the report changed since: --resend sends the new one"
                                     if changed else "; --resend sends it again"))
    if continuing:
        assert previous is not None
        composed = composed.continuing(previous)
    if options.dry_run:
        target = layout.outbox_message(period, client_id)
        make_folder(target.parent)
        write_atomic(target, message_bytes(composed.message))
        to = composed.record.pending
        return WRITTEN, f"{_relative(target, settings.outputs_dir)} (to {', '.join(to)})"
    assert config is not None, "sending needs a mail server (SmtpConfig)"
    record = _deliver(config, composed, options)
    deliveries.save(client_id, record, replaces_last=continuing)
    if record.delivered:
        keep_sent_copy(layout, period, client_id, composed.sent_files)
    if record.status == "sent":
        return SENT, f"to {', '.join(record.recipients)} ({record.message_id})"
    refused = "; ".join(f"{address}: {reply}" for address, reply in record.refused.items())
    if record.delivered:
        return PARTIAL, f"refused: {refused}" if refused else f"not reached: {record.last_error}"
    return FAILED_TO_SEND, record.last_error or refused or "not sent"


def _deliver(config: SmtpConfig, composed: Composed, options: SendOptions) -> MessageRecord:
    """Try the message until every recipient took it, a refusal is final, or the attempts run
    out (waiting longer before each retry)."""
    record = composed.record
    record.refused = {}  # each send tries every recipient not reached yet, once refused or not
    secrets = config.secrets()
    for attempt in range(1, options.retry.attempts + 1):
        if attempt > 1:
            options.sleep(options.retry.wait_before(attempt))
        pending = [a for a in record.pending if a not in record.refused
                   or is_temporary(record.refused[a])]
        if not pending:
            break
        record.attempts += 1
        try:
            refused = transmit(config, composed.message, composed.sender, pending)
            record.last_error = None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = {a: reply_text(code, text) for a, (code, text) in exc.recipients.items()}
            record.last_error = None
        except (smtplib.SMTPException, OSError) as exc:
            record.last_error = redact(_error_line(exc), secrets)
            log.info("%s: attempt %d failed: %s", composed.client_id, attempt, record.last_error)
            if not _worth_retrying(exc):
                break
            continue
        for address in pending:
            if address in refused:
                record.refused[address] = redact(refused[address], secrets)
            else:
                record.delivered.append(address)
                record.refused.pop(address, None)
        if not [a for a in record.pending if is_temporary(record.refused.get(a, "4"))]:
            break
    record.settle()
    record.sent_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return record


def _worth_retrying(exc: BaseException) -> bool:
    """A dropped or refused connection may work next time; a refused login or a server
    without STARTTLS will not."""
    if isinstance(exc, (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError)):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return True


def _error_line(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {reply_text(exc.smtp_code, exc.smtp_error)}"
    return f"{type(exc).__name__}: {' '.join(str(exc).split()) or 'no detail'}"


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret (and its base64 form, as AUTH sends it) replaced."""
    import base64

    for secret in secrets:
        for form in (secret, base64.b64encode(secret.encode()).decode()):
            text = text.replace(form, "[redacted]")
    return text


def _relative(path: Path, outputs_dir: Path) -> str:
    try:
        return f"outputs/{path.relative_to(outputs_dir).as_posix()}"
    except ValueError:
        return path.name
