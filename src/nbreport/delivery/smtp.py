"""The mail server: where it is and who we are come from the environment, never from a file.

========================  =======================================================
``NBREPORT_SMTP_HOST``    the server (required to send; ``--dry-run`` needs none)
``NBREPORT_SMTP_PORT``    default 587 (starttls), 465 (ssl), 25 (none)
``NBREPORT_SMTP_TLS``     ``starttls`` (default), ``ssl``, or ``none`` (localhost only)
``NBREPORT_SMTP_USER``    the login, when the server asks for one
``NBREPORT_SMTP_PASSWORD`` its password; or a keyring entry (below)
``NBREPORT_SMTP_FROM``    the sender when a client's ``delivery.sender`` is not set
``NBREPORT_SMTP_RETRIES`` attempts per message (default 3)
``NBREPORT_SMTP_BACKOFF`` seconds before the first retry, doubled each time (default 5)
========================  =======================================================

The password may instead live in the system keyring: ``NBREPORT_SMTP_KEYRING=SERVICE`` or,
in the project folder's ``nbreport.toml``, ``[smtp] keyring_service = "SERVICE"`` (the entry
is ``keyring.get_password(SERVICE, NBREPORT_SMTP_USER)``). ``keyring`` is imported only then.
The password is held by :class:`SmtpConfig` only, which never shows it (``repr``, errors).
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from nbreport.core.errors import ConfigError

ENV = "NBREPORT_SMTP_"
PROJECT_CONFIG = "nbreport.toml"
TLS_MODES = {"starttls": 587, "ssl": 465, "none": 25}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
TIMEOUT_S = 30.0
FROM_ENV = f"{ENV}FROM"


@dataclass(frozen=True)
class RetryPolicy:
    """How often a message is tried and how long to wait between tries."""

    attempts: int = 3
    backoff_s: float = 5.0

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before try number ``attempt`` (2, 3...): doubled each time."""
        return self.backoff_s * 2 ** (attempt - 2)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> RetryPolicy:
        attempts = _number(env, "RETRIES", int, cls.attempts)
        backoff = _number(env, "BACKOFF", float, cls.backoff_s)
        if attempts < 1 or backoff < 0:
            raise ConfigError(f"{ENV}RETRIES must be 1 or more and {ENV}BACKOFF 0 or more")
        return cls(int(attempts), float(backoff))


@dataclass(frozen=True)
class SmtpConfig:
    """A mail server and the login to it. ``repr`` never shows the password."""

    host: str
    port: int
    tls: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    timeout: float = TIMEOUT_S

    @classmethod
    def from_env(cls, project_dir: Path, env: Mapping[str, str] = os.environ) -> SmtpConfig:
        """The server named by the environment.

        Raises
        ------
        ConfigError
            A variable missing or wrong, a keyring entry that cannot be read; the message names
            the variable and never a value of a password.
        """
        host = env.get(f"{ENV}HOST", "").strip()
        if not host:
            raise ConfigError(f"no mail server: set {ENV}HOST (and {ENV}USER, {ENV}PASSWORD) in "
                              "the environment, or use --dry-run to write the messages to files")
        tls = (env.get(f"{ENV}TLS") or "starttls").strip().lower()
        if tls not in TLS_MODES:
            raise ConfigError(f"{ENV}TLS={tls}: use one of {', '.join(TLS_MODES)}")
        if tls == "none" and host.lower() not in LOCAL_HOSTS:
            raise ConfigError(f"{ENV}TLS=none sends the password and the reports in clear text: "
                              f"allowed for localhost only, not {host}; use starttls or ssl")
        port = int(_number(env, "PORT", int, TLS_MODES[tls]))
        user = env.get(f"{ENV}USER") or None
        password = env.get(f"{ENV}PASSWORD") or _keyring_password(project_dir, user, env)
        if password and not user:
            raise ConfigError(f"{ENV}PASSWORD is set but {ENV}USER is not: set the login too")
        if user and not password:
            raise ConfigError(f"{ENV}USER is set but no password: set {ENV}PASSWORD, or name a "
                              f"keyring entry with {ENV}KEYRING or [smtp] keyring_service in "
                              f"{PROJECT_CONFIG}")
        return cls(host, port, tls, user, password, env.get(FROM_ENV) or None)

    def secrets(self) -> list[str]:
        """What must never be written anywhere: the password."""
        return [self.password] if self.password else []

    def connect(self) -> smtplib.SMTP:
        """An open, encrypted (unless ``none``) and logged-in connection.

        Raises
        ------
        smtplib.SMTPException, OSError
            As :mod:`smtplib` raises them; :func:`transmit`'s caller records them.
        """
        context = ssl.create_default_context()
        if self.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                    context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            client.ehlo()
            if self.tls == "starttls":
                client.starttls(context=context)  # no STARTTLS offered: SMTPNotSupportedError
                client.ehlo()
            if self.user and self.password:
                client.login(self.user, self.password)
        except BaseException:
            client.close()
            raise
        return client


def transmit(config: SmtpConfig, message: EmailMessage, sender: str,
             recipients: list[str]) -> dict[str, str]:
    """Send ``message`` to ``recipients`` over one connection; the refused ones and why.

    Raises
    ------
    smtplib.SMTPRecipientsRefused
        When every recipient is refused (its ``recipients`` say why).
    smtplib.SMTPException, OSError
        A connection refused or dropped, a login refused, no STARTTLS.
    """
    with config.connect() as client:
        refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    return {address: reply_text(code, text) for address, (code, text) in refused.items()}


def reply_text(code: int, text: bytes | str) -> str:
    """A server's reply as one line: ``550 5.1.1 no such user``."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


def is_temporary(reply: str) -> bool:
    """A 4xx reply: the server asks to try again later."""
    return reply[:1] == "4"


def _number(env: Mapping[str, str], name: str, kind: type, default: float) -> float:
    raw = env.get(f"{ENV}{name}", "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{ENV}{name}={raw}: not a number") from None


def keyring_service(project_dir: Path, env: Mapping[str, str] = os.environ) -> str | None:
    """The keyring entry's service name: ``NBREPORT_SMTP_KEYRING`` or ``nbreport.toml``."""
    if named := env.get(f"{ENV}KEYRING"):
        return named
    path = project_dir / PROJECT_CONFIG
    if not path.is_file():
        return None
    try:
        smtp = tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{PROJECT_CONFIG}: {exc}; fix the file") from None
    unknown = sorted(set(smtp) - {"keyring_service"})
    if unknown:
        raise ConfigError(f"{PROJECT_CONFIG}: [smtp] {', '.join(unknown)}: not allowed; the file "
                          "is part of the project, so it names only keyring_service: the server, "
                          f"user and password come from the environment ({ENV}HOST...)")
    return smtp.get("keyring_service") or None


def _keyring_password(project_dir: Path, user: str | None, env: Mapping[str, str]) -> str | None:
    service = keyring_service(project_dir, env)
    if service is None:
        return None
    if not user:
        raise ConfigError(f"a keyring entry is named ({service}) but {ENV}USER is not set: the "
                          "entry is looked up by service and user")
    import keyring  # imported only when a project names an entry: it looks for backends

    try:
        password = keyring.get_password(service, user)
    except Exception as exc:  # each keyring backend raises its own errors
        raise ConfigError(f"keyring entry {service} for {user}: {type(exc).__name__}; check "
                          "that a keyring backend is available (keyring --list-backends)") from None
    if not password:
        raise ConfigError(f"no keyring entry {service} for {user}: add it with "
                          f"`keyring set {service} {user}`")
    return password
