"""Messaging's service tests: the real app on loopback, real PostgreSQL (database `messaging_test`),
real Kafka (private topics), a real SMTP sink (aiosmtpd) and the local SMS sink."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from messaging_support import fresh_database
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.app.channels import LocalSmsSink
from messaging.app.directory import StaticDirectory
from messaging.app.smtp_sink import SmtpSink
from messaging.app.storage import FileStore
from messaging.main import build
from messaging.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import create_topics, free_port, serve, unique_topic

DATABASE = "messaging_test"


@pytest.fixture(scope="session")
async def messaging_db(stack) -> str:
    """A database of the tests' own: no running messaging service delivers their notifications."""
    return await fresh_database(DATABASE)


@dataclass
class Topics:
    identity: str
    orders: str
    matching: str
    contracts: str
    counseling: str
    appointments: str

    def all(self) -> list[str]:
        return [self.identity, self.orders, self.matching, self.contracts, self.counseling, self.appointments]


@dataclass
class Messaging:
    client: httpx.AsyncClient
    engine: AsyncEngine
    topics: Topics
    smtp: SmtpSink
    sms: LocalSmsSink
    directory: StaticDirectory
    store: FileStore
    settings: Settings


@pytest.fixture(scope="session")
async def messaging(messaging_db, kafka_bootstrap, token_issuer, tmp_path_factory) -> Messaging:
    root: Path = tmp_path_factory.mktemp("messaging")
    topics = Topics(
        *(unique_topic(name) for name in ("identity", "orders", "matching", "contracts", "counseling", "appointments"))
    )
    await create_topics(kafka_bootstrap, *topics.all(), *(f"{t}.dlq" for t in topics.all()))
    settings = Settings(
        database_url=messaging_db,
        kafka_bootstrap_servers=kafka_bootstrap,
        consumer_group=unique_topic("messaging-test"),
        event_topics=",".join(topics.all()),
        storage_dir=str(root / "files"),
        sink_dir=str(root / "sink"),
        smtp_port=free_port(),
        max_document_bytes=200_000,
        delivery_poll_seconds=0.2,
        delivery_backoff_seconds=0.3,
        delivery_max_backoff_seconds=1.0,
        delivery_max_attempts=6,
        sse_heartbeat_seconds=1.0,
        revocations_topic=topics.identity,  # locks of the tests' accounts stay on their private topic
        video_base_url="https://video.example.org",
    )
    smtp = SmtpSink(root / "sink" / "mail", settings.smtp_host, settings.smtp_port)
    smtp.start()
    directory = StaticDirectory({})
    engine = create_engine(messaging_db)
    app = build(settings, directory=directory)
    try:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=20) as client:
            yield Messaging(
                client,
                engine,
                topics,
                smtp,
                LocalSmsSink(root / "sink" / "sms"),
                directory,
                FileStore(settings.storage_dir),
                settings,
            )
    finally:
        smtp.stop()
        await engine.dispose()
