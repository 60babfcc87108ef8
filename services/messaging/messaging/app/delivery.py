"""The delivery worker: sends pending e-mails and SMS with retries, backoff and quiet hours.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` (several processes may run workers). A crash after
sending and before commit sends again (at least once); a failure never loses a delivery: it stays
pending with a later attempt time until it succeeds or the attempts are used up.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from messaging.app.channels import ChannelError, EmailSender, SmsProvider
from messaging.app.directory import Directory, DirectoryUnavailable, OneTimeLink
from messaging.domain.delivery import after_quiet_hours, backoff
from messaging.readmodels.tables import deliveries, notifications, preferences
from teilhabe_events.contexts.messaging import NotificationDelivered, NotificationDeliveryFailed
from teilhabe_kit import sealing
from teilhabe_kit.localtime import BERLIN
from teilhabe_kit.streams import append

log = logging.getLogger(__name__)

LINK_KINDS = ("password_reset", "invitation", "registration_repeated")
"""Notices whose message carries a one-time link fetched from identity; sent at once, day or night."""


@dataclass
class DeliveryPolicy:
    max_attempts: int = 8
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 600.0
    web_base_url: str = "http://127.0.0.1:8000"


class _Retry(Exception):
    """This attempt failed for a reason that may pass (the reason is a short code)."""


class _GiveUp(Exception):
    """Delivery cannot succeed (the reason is a short code)."""


class DeliveryWorker:
    def __init__(
        self,
        engine: AsyncEngine,
        directory: Directory,
        email: EmailSender,
        sms: SmsProvider,
        policy: DeliveryPolicy,
        *,
        batch_size: int = 20,
    ) -> None:
        self._engine, self._directory, self._email, self._sms = engine, directory, email, sms
        self._policy, self._batch = policy, batch_size

    async def run(self, stop: asyncio.Event, wake: asyncio.Event, poll_seconds: float) -> None:
        while not stop.is_set():
            wake.clear()
            try:
                handled = await self.deliver_due()
            except Exception:
                log.exception("delivery round failed")
                handled = 0
            if handled < self._batch:
                waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
                await asyncio.wait(waits, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED)
                for task in waits:
                    task.cancel()

    async def deliver_due(self) -> int:
        """One round over the due deliveries; how many were attempted."""
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(
                        deliveries,
                        notifications.c.recipient_id,
                        notifications.c.kind,
                        notifications.c.title,
                        notifications.c.body,
                        notifications.c.link,
                        notifications.c.reference,
                    )
                    .join(notifications, notifications.c.id == deliveries.c.notification_id)
                    .where(deliveries.c.state == "pending", deliveries.c.next_attempt_at <= func.now())
                    .order_by(deliveries.c.next_attempt_at)
                    .limit(self._batch)
                    .with_for_update(of=deliveries, skip_locked=True)
                )
            ).all()
            for row in rows:
                await self._attempt(conn, row, datetime.now(UTC))
        return len(rows)

    async def _attempt(self, conn: AsyncConnection, row, now: datetime) -> None:
        urgent = row.kind in LINK_KINDS
        if not urgent:
            pref = (await conn.execute(select(preferences).where(preferences.c.person_id == row.recipient_id))).first()
            later = after_quiet_hours(now, pref.quiet_from, pref.quiet_until) if pref else None
            if later is not None:
                await conn.execute(update(deliveries).where(deliveries.c.id == row.id).values(next_attempt_at=later))
                return
        attempts = row.attempts + 1
        try:
            try:
                await self._send(conn, row)
            except (_Retry, _GiveUp):
                raise
            except Exception as error:  # an unexpected failure must not block the queue behind it
                log.error(
                    "delivery %s failed unexpectedly: %s", row.id, type(error).__name__
                )  # no message: it may name the person
                raise _Retry(type(error).__name__) from error
        except _Retry as retry:
            if attempts < self._policy.max_attempts:
                wait = backoff(attempts, self._policy.backoff_seconds, self._policy.max_backoff_seconds)
                await conn.execute(
                    update(deliveries)
                    .where(deliveries.c.id == row.id)
                    .values(attempts=attempts, last_error=str(retry)[:200], next_attempt_at=now + wait)
                )
                log.info(
                    "delivery %s over %s failed (%s); attempt %d in %s", row.id, row.channel, retry, attempts + 1, wait
                )
                return
            await self._fail(conn, row, attempts, "channel_error")
        except _GiveUp as give_up:
            await self._fail(conn, row, attempts, str(give_up))
        else:
            await conn.execute(
                update(deliveries)
                .where(deliveries.c.id == row.id)
                .values(state="delivered", attempts=attempts, delivered_at=now, last_error=None, secret_link=None)
            )
            await append(conn, row.notification_id, [NotificationDelivered(channel=row.channel, attempts=attempts)])

    async def _fail(self, conn: AsyncConnection, row, attempts: int, reason: str) -> None:
        await conn.execute(
            update(deliveries)
            .where(deliveries.c.id == row.id)
            .values(state="failed", attempts=attempts, last_error=reason, secret_link=None)
        )
        await append(
            conn,
            row.notification_id,
            [NotificationDeliveryFailed(channel=row.channel, attempts=attempts, reason=reason)],
        )
        log.warning("delivery %s over %s given up: %s", row.id, row.channel, reason)

    async def _send(self, conn: AsyncConnection, row) -> None:
        try:
            contact = await self._directory.contact(row.recipient_id)
        except DirectoryUnavailable as error:
            raise _Retry(f"directory: {error}") from error
        address = getattr(contact, "email" if row.channel == "email" else "phone", None) if contact else None
        if not address:
            raise _GiveUp("no_contact")
        link = await self._link(conn, row)
        validity = f" {_valid_until(link.valid_until)}" if link.valid_until else ""
        try:
            if row.channel == "email":
                await self._email.send(address, row.title, _mail_text(row.body + validity, link.url))
            else:
                await self._sms.send(address, f"{row.title}: {row.body}{validity} {link.url}")
        except ChannelError as error:
            raise _Retry(f"{row.channel}: {error}") from error

    async def _link(self, conn: AsyncConnection, row) -> OneTimeLink:
        """The link to put in the message: a fetched one-time link (kept sealed until sent) or the portal's."""
        if row.kind not in LINK_KINDS or not row.reference:
            return OneTimeLink(self._policy.web_base_url.rstrip("/") + row.link)
        if row.secret_link:
            kept = await sealing.unseal(conn, row.recipient_id, row.secret_link)
            if kept:
                return _unpacked(kept)
        try:
            link = await self._directory.reset_link(row.reference)
        except DirectoryUnavailable as error:
            raise _Retry(f"directory: {error}") from error
        if link is None:
            raise _GiveUp("expired")
        sealed = await sealing.seal(conn, row.recipient_id, _packed(link))
        await conn.execute(
            update(deliveries).where(deliveries.c.notification_id == row.notification_id).values(secret_link=sealed)
        )
        return link


def _packed(link: OneTimeLink) -> str:
    until = link.valid_until.isoformat() if link.valid_until else None
    return json.dumps({"url": link.url, "valid_until": until})


def _unpacked(kept: str) -> OneTimeLink:
    """A kept link: packed with its validity, or (kept before validities were told) the bare URL."""
    if not kept.startswith("{"):
        return OneTimeLink(kept)
    data = json.loads(kept)
    return OneTimeLink(data["url"], datetime.fromisoformat(data["valid_until"]) if data["valid_until"] else None)


def _valid_until(moment: datetime) -> str:
    """ "Der Link gilt bis 5.12.2026, 14:30 Uhr." in Berlin time."""
    local = moment.astimezone(BERLIN)
    return f"Der Link gilt bis {local.day}.{local.month}.{local.year}, {local:%H:%M} Uhr."


def _mail_text(body: str, link: str) -> str:
    return (
        f"Guten Tag,\n\n{body}\n\nHier geht es weiter:\n{link}\n\n"
        "Diese Nachricht wurde automatisch verschickt. Wie und wann wir Sie benachrichtigen, "
        "können Sie im Portal unter „Einstellungen“ ändern.\n"
    )
