"""Pytest plugin for tests on the real stack (loaded by the root conftest.py).

The local stack (Kafka and PostgreSQL from `deploy/local/stack`) is started once per test run.
Set ``TEILHABE_STACK=external`` to use already-running services named by the usual variables
(``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL_<SERVICE>``), e.g. under Docker Compose.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shlex
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from teilhabe_events import EventEnvelope, decode
from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer
from teilhabe_kit.kafka_topics import ensure_topics
from teilhabe_kit.migrations import database_url_for, upgrade

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STACK_SCRIPT = PROJECT_ROOT / "deploy" / "local" / "stack"
STACK_ENV = PROJECT_ROOT / ".local" / "stack.env"


def _load_stack_env() -> None:
    for line in STACK_ENV.read_text().splitlines():
        line = line.removeprefix("export ").strip()
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            os.environ.setdefault(key, shlex.split(value)[0] if value else "")


@pytest.fixture(scope="session")
def stack() -> dict[str, str]:
    """Kafka and PostgreSQL are up; returns the environment naming them."""
    if os.environ.get("TEILHABE_STACK") != "external":
        result = subprocess.run([str(STACK_SCRIPT), "up"], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"local stack did not start:\n{result.stdout}\n{result.stderr}")
        _load_stack_env()
    return dict(os.environ)


@pytest.fixture(scope="session")
def kafka_bootstrap(stack: dict[str, str]) -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


def database_url(service: str) -> str:
    return database_url_for(service)


def checkout_tag() -> str:
    """A short tag of this checkout (``TEILHABE_TEST_TAG`` or a hash of its path).

    Test databases carry it, so checkouts (worktrees) sharing one PostgreSQL never migrate each
    other's databases with a history the other does not know.
    """
    return os.environ.get("TEILHABE_TEST_TAG") or hashlib.sha256(str(PROJECT_ROOT).encode()).hexdigest()[:6]


def private_name(name: str) -> str:
    """The name test database `name` has on the server: `<name>_<checkout_tag()>`."""
    return f"{name}_{checkout_tag()}"


async def ensure_database(name: str) -> str:
    """Create the private test database `name` of this checkout when missing; its URL.

    The database is named `<name>_<checkout_tag()>`; use the returned URL, never the bare name.
    """
    name = private_name(name)
    url = database_url_for(name)
    admin = url.replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # another run made it meanwhile
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url


async def drop_database(name: str) -> None:
    """Drop a private test database (`ensure_database`'s) at the end of its suite (connections of
    other runs are ended)."""
    name = private_name(name)
    admin = database_url_for(name).replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def migrate(package: str | None, url: str) -> None:
    """Apply the kit's and `package`'s migrations (Alembic runs its own loop, so in a thread)."""
    await asyncio.to_thread(upgrade, package, url)


@pytest.fixture(scope="session")
def token_issuer() -> TokenIssuer:
    """Acts as identity for service tests: services verify against its JWKS (IDENTITY_JWKS_JSON)."""
    issuer = TokenIssuer([SigningKey.generate()])
    os.environ["IDENTITY_JWKS_JSON"] = json.dumps(issuer.jwks())
    return issuer


def bearer(
    issuer: TokenIssuer,
    account_id: str,
    *roles: str,
    organisation_id: str | None = None,
    acting_for: Iterable[str] = (),
) -> dict[str, str]:
    """Authorization header for a principal with `roles` (optionally of an organisation, acting for others)."""
    principal = Principal(
        account_id=account_id,
        roles=frozenset(roles),
        organisation_id=organisation_id,
        acting_for=frozenset(acting_for),
    )
    return {"Authorization": f"Bearer {issuer.issue(principal)}"}


@pytest.fixture(scope="session")
def as_(token_issuer: TokenIssuer) -> Callable[..., dict[str, str]]:
    """`as_(account_id, *roles, organisation_id=..., acting_for=...)` → Authorization header."""
    return lambda account_id, *roles, **extra: bearer(token_issuer, account_id, *roles, **extra)


@contextlib.asynccontextmanager
async def serve(app: ASGIApp, port: int = 0) -> AsyncIterator[str]:
    """Run an ASGI app with its lifespan on a loopback port in this event loop; yields its URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(60):
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("server stopped during start-up")
            await asyncio.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        await task


@dataclass(frozen=True)
class Served:
    """A service under test: its app, URL, settings, the broker it uses and its engine."""

    app: Any
    url: str
    settings: Any
    bootstrap: str
    engine: AsyncEngine


@contextlib.asynccontextmanager
async def serve_service(
    create_app: Callable[[Any], Any], settings: Any, bootstrap: str, topics: Iterable[str] = ()
) -> AsyncIterator[Served]:
    """`create_app(settings)` served on loopback, its (private) `topics` created first."""
    if topics:
        await create_topics(bootstrap, *topics)
    app = create_app(settings)
    async with serve(app) as url:
        yield Served(app, url, settings, bootstrap, app.state.engine)


async def openapi_routes(url: str, service: str) -> dict[str, list[str]]:
    """The routes the service at `url` publishes under `/api/v1/<service>`: path (without that
    prefix) → its methods, sorted."""
    base = f"/api/v1/{service}"
    async with httpx.AsyncClient(base_url=url) as client:
        document = (await client.get(f"{base}/openapi.json")).json()
    return {path.removeprefix(base): sorted(ops) for path, ops in document["paths"].items() if path.startswith(base)}


def free_ports(count: int) -> list[int]:
    """`count` different free loopback ports: the sockets stay bound until all are picked, so the
    kernel cannot hand out one port twice (two services on one port: one would answer for the other)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


def free_port() -> int:
    return free_ports(1)[0]


def unique_topic(prefix: str = "test") -> str:
    """A topic name no other test uses (topics are cheap; tests never share state through one)."""
    return f"{prefix}.{uuid.uuid4().hex[:12]}.v1"


async def create_topics(bootstrap: str, *topics: str, partitions: int = 3) -> None:
    await ensure_topics(bootstrap, topics, partitions=partitions)


async def read_topic(bootstrap: str, topic: str, *, expect: int, timeout_s: float = 30) -> list[ConsumerRecord]:
    """All records of a topic from the beginning, waiting until at least `expect` arrived."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < expect:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records.extend(batch)
        # a short grace period to see any surplus (duplicates) as well
        for batch in (await consumer.getmany(timeout_ms=500)).values():
            records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def envelopes_on(
    bootstrap: str,
    topic: str,
    key: str | None = None,
    *,
    until: Iterable[str] = (),
    count: int = 0,
    where: Callable[[EventEnvelope], bool] | None = None,
    timeout_s: float = 30,
) -> list[EventEnvelope]:
    """The envelopes on `topic` from the start — those keyed `key` (a stream id) and matching
    `where` — read until every event type in `until` and at least `count` of them were seen."""
    wanted = set(until)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        metadata_max_age_ms=1000,
    )
    await consumer.start()
    found: list[EventEnvelope] = []
    try:
        async with asyncio.timeout(timeout_s):
            while not wanted <= {e.event_type for e in found} or len(found) < count:
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    envelopes = [decode(r.value) for r in batch if key is None or r.key == key.encode()]
                    found.extend(e for e in envelopes if where is None or where(e))
    finally:
        await consumer.stop()
    return found


async def publish_raw(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


def sample_pdf(text: str = "") -> bytes:
    """A real one-page PDF (different bytes for each `text`), as the document check accepts it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Subject": text or uuid.uuid4().hex})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sample_image(kind: str = "PNG", seed: int | None = None) -> bytes:
    """A real small PNG or JPEG (a colour from `seed`, else random), as the document check accepts it."""
    import io

    from PIL import Image

    value = uuid.uuid4().int if seed is None else seed
    colour = (value % 256, (value >> 8) % 256, (value >> 16) % 256)
    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, format=kind)
    return out.getvalue()


async def consumed(bootstrap: str, group: str, topic: str, *, timeout_s: float = 30) -> None:
    """Wait until consumer group `group` has committed every message `topic` holds now, so whatever
    it did with them is committed too. Poll this, not a sleep, before asserting that a redelivered
    message changed nothing."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await consumer.start()
    await admin.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        end = await consumer.end_offsets(partitions)
        async with asyncio.timeout(timeout_s):
            while True:
                committed = await admin.list_consumer_group_offsets(group)
                if all(tp in committed and committed[tp].offset >= offset for tp, offset in end.items() if offset):
                    return
                await asyncio.sleep(0.1)
    finally:
        await consumer.stop()
        await admin.close()
