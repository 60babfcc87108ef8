"""A local SMTP sink (aiosmtpd) that stores every received mail as a file, so tests and people read them.

Runs in-process when ``SMTP_SINK=local`` (./bin/start) and in the service tests.
"""

from __future__ import annotations

import email
import email.policy
import logging
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class _StoreMails:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        (self.folder / f".{name}.tmp").write_bytes(envelope.original_content or envelope.content)
        (self.folder / f".{name}.tmp").rename(self.folder / f"{name}.eml")
        return "250 Message accepted"


class SmtpSink:
    """Start/stop an SMTP server on host:port that writes `<folder>/<id>.eml` per mail."""

    def __init__(self, folder: str | Path, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.folder = Path(folder)
        self.host, self.port = host, port
        self._controller: Controller | None = None

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # its INFO lines carry addresses
        self._controller = Controller(_StoreMails(self.folder), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mails(self) -> list[email.message.EmailMessage]:
        if not self.folder.exists():
            return []
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)
        ]
