"""The messaging service: conversations, counseling chats (with anonymous walk-in chat), documents,
notifications (inbox, SSE, e-mail/SMS), video rooms."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.api import admin, chat_events, conversations, counseling_chats, notifications, people
from messaging.app import walk_in
from messaging.app.channels import EmailSender, LocalSmsSink, SmsProvider
from messaging.app.delivery import DeliveryPolicy, DeliveryWorker
from messaging.app.directory import Directory, IdentityDirectory, StaticDirectory
from messaging.app.live import Hub
from messaging.app.smtp_sink import SmtpSink
from messaging.app.storage import FileStore
from messaging.consumers.events import MessagingProjection
from messaging.settings import Settings
from teilhabe_kit.service import create_service_app

log = logging.getLogger(__name__)


async def shred_walk_ins(engine: AsyncEngine, settings: Settings, stop: asyncio.Event) -> None:
    """Every `walk_in_sweep_seconds`: shred the walk-in chats nobody claimed (idempotent, any replica)."""
    keep = timedelta(days=settings.walk_in_keep_days)
    while not stop.is_set():
        try:
            async with engine.begin() as conn:
                await walk_in.shred_unclaimed(conn, keep)
        except (OSError, SQLAlchemyError) as error:
            log.warning("walk-in shredding failed (%s); next round later", type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.walk_in_sweep_seconds)


def sms_provider(settings: Settings) -> SmsProvider:
    if settings.sms_provider == "local":
        return LocalSmsSink(Path(settings.sink_dir) / "sms")
    raise ValueError(f"unknown SMS provider {settings.sms_provider!r}")


def build(settings: Settings, *, directory: Directory | None = None) -> FastAPI:
    """The app for `settings`; tests give their own folders, ports, topics and contact directory."""
    store = FileStore(settings.storage_dir)
    topics = [t.strip() for t in settings.event_topics.split(",") if t.strip()] or None

    @contextlib.asynccontextmanager
    async def background(app: FastAPI) -> AsyncIterator[None]:
        app.state.file_store = store
        hub = app.state.hub = Hub(app.state.engine)
        contacts = directory or (
            StaticDirectory(settings.contacts_json)
            if settings.contacts_json
            else IdentityDirectory(settings.identity_url, settings.identity_credential)
        )
        sink = None
        if settings.smtp_sink == "local":
            sink = SmtpSink(Path(settings.sink_dir) / "mail", settings.smtp_host, settings.smtp_port)
            sink.start()
        worker = DeliveryWorker(
            app.state.engine,
            contacts,
            EmailSender(
                settings.smtp_host, settings.smtp_port, settings.smtp_sender, timeout=settings.smtp_timeout_seconds
            ),
            sms_provider(settings),
            DeliveryPolicy(
                settings.delivery_max_attempts,
                settings.delivery_backoff_seconds,
                settings.delivery_max_backoff_seconds,
                settings.web_base_url,
            ),
        )
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(hub.run(stop), name="notification-listener"),
            asyncio.create_task(shred_walk_ins(app.state.engine, settings, stop), name="walk-in-shredder"),
        ]
        if settings.run_delivery:
            tasks.append(
                asyncio.create_task(worker.run(stop, hub.any, settings.delivery_poll_seconds), name="delivery")
            )
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            if directory is None:
                await contacts.close()
            if sink is not None:
                sink.stop()

    return create_service_app(
        settings,
        title="Teilhabe messaging",
        routers=[
            conversations.router,
            counseling_chats.router,
            chat_events.router,
            notifications.router,
            people.router,
            admin.router,
        ],
        projections=[MessagingProjection(store, name=settings.consumer_group, topics=topics)],
        extra_startup=background,
    )


app = build(Settings())
