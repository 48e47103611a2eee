"""A real SMTP server on 127.0.0.1 for the email tests (aiosmtpd): it keeps each message it takes, can refuse every
one (`refusing`), and can take `delay` seconds over each (a slow mail server)."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class MailServer:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.refusing = False
        self.messages: list[EmailMessage] = []
        self.started = threading.Event()  # set once a message has begun arriving
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls the hook by this name
        self.started.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            return "550 Mailbox unavailable"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def copies(self) -> Counter[str]:
        """How many copies of each notice arrived, by Message-ID."""
        return Counter(str(message["Message-ID"]) for message in self.messages)


def free_port() -> int:
    """A port nobody listens on (a mail server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def mail_server(delay: float = 0.0) -> Iterator[MailServer]:
    server = MailServer(delay)
    server.port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
