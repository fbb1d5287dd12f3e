"""A real SMTP server for the send tests: aiosmtpd on a free port of this machine.

Its handler records every message it accepted and can misbehave on purpose: refuse a
recipient for good (550) or for now (451, a number of times), or drop the connection when
a message's data arrives.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    refuse: set[str] = field(default_factory=set)  # 550 for good
    refuse_for_now: dict[str, int] = field(default_factory=dict)  # 451, this many times
    drop_when_to: dict[str, int] = field(default_factory=dict)  # close on DATA, this many times
    received: list[Received] = field(default_factory=list)
    connections: int = 0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if self.refuse_for_now.get(address, 0) > 0:
            self.refuse_for_now[address] -= 1
            return "451 4.2.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            if self.drop_when_to.get(address, 0) > 0:
                self.drop_when_to[address] -= 1
                server.transport.close()  # the line goes dead before any reply
                return "421 closing"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class PasswordCheck:
    """Accepts one login and password; counts the logins."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password, self.logins = user, password, 0

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.user
              and auth_data.password.decode() == self.password)
        self.logins += ok
        return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(handler: Handler, login: PasswordCheck | None = None) -> Iterator[int]:
    """Run the server while the block runs; yields its port on 127.0.0.1."""
    port = free_port()
    options: dict[str, Any] = {}
    if login is not None:
        options = {"authenticator": login, "auth_required": True, "auth_require_tls": False}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
