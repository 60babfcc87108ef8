"""Delivery channels: e-mail over SMTP, SMS through a provider interface (local sink by default)."""

from __future__ import annotations

import json
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib


class ChannelError(Exception):
    """The channel failed this time (server down, refused): retry later."""


class EmailSender:
    def __init__(self, host: str, port: int, sender: str, *, timeout: float = 10.0) -> None:
        self._host, self._port, self._sender, self._timeout = host, port, sender, timeout

    async def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        try:
            await aiosmtplib.send(message, hostname=self._host, port=self._port, timeout=self._timeout)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as error:
            raise ChannelError(type(error).__name__) from error


class SmsProvider(Protocol):
    async def send(self, to: str, text: str) -> None:
        """Send one SMS; raise ChannelError when it failed."""


class LocalSmsSink:
    """Writes each SMS as a JSON file into a folder (the local stand-in for an SMS gateway)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    async def send(self, to: str, text: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{uuid.uuid4().hex}.json").write_text(
                json.dumps({"to": to, "text": text}, ensure_ascii=False)
            )
        except OSError as error:
            raise ChannelError(type(error).__name__) from error

    def messages(self) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted(self.folder.glob("*.json"))] if self.folder.exists() else []
