"""The real platform on a generated region, for the journey, gateway and memory benchmarks.

`region_platform(assistants)` puts a region (matching_region: assistants over Lower Saxony) as
identity events on private topics, starts every service with `tests/support/platform_support`
(free loopback ports), matching and messaging on fresh private databases, topics and consumer
groups (so other engineers' events on the public topics do not mix in), and waits until both
have consumed the region. `journey(...)`: seekers publish orders while the region's assistants
listen on the notification stream; publish → SSE arrival per order, and the same schedule as a
raw aiokafka produce → consume round trip on the same broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import matching_region as region
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from benchlib import assigned_at_end, progress, summary_ms

from matching.domain.state import AssistantState
from teilhabe_events import encode, registry
from teilhabe_events.contexts import orders as o
from teilhabe_kit.migrations import database_url_for, upgrade

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
from platform_support import running_platform, token_for  # noqa: E402

SERVICES = ["identity", "orders", "matching", "messaging", "contracts", "gateway"]
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


@dataclass
class Running:
    urls: dict[str, str]
    assistants: list[AssistantState]
    topics: dict[str, str]
    region_events: int
    pids: dict[str, int] = field(default_factory=dict)
    replicas: dict[str, list[str]] = field(default_factory=dict)
    matching_database: str = ""

    def token(self, account_id: str, role: str) -> str:
        return token_for(account_id, role)


async def fresh_database(name: str, package: str) -> str:
    """An empty database `name` with `package`'s tables (dropped first if it exists)."""
    url = database_url_for(name)
    admin_url = url.replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    await asyncio.to_thread(upgrade, package, url)
    return url


async def create_topics(topics: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, num_partitions=3, replication_factor=1) for t in topics])
    finally:
        await admin.close()


async def delete_topics(topics: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    await admin.start()
    try:
        await admin.delete_topics(topics)
    finally:
        await admin.close()


async def produce(topic_envelopes: list[tuple[str, list]]) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", linger_ms=20)
    await producer.start()
    try:
        pending = [
            await producer.send(topic, encode(e), key=e.stream_id.encode())
            for topic, envelopes in topic_envelopes
            for e in envelopes
        ]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return len(pending)


def listening_pids(ports: dict[str, int]) -> dict[str, int]:
    """The process listening on each port (from /proc: socket inode → owning process)."""
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A":  # LISTEN
                    inodes[parts[9]] = int(parts[1].rsplit(":", 1)[1], 16)
    by_port = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and (port := inodes.get(target[8:-1])):
                    by_port.setdefault(port, int(proc.name))
    return {name: by_port[port] for name, port in ports.items() if port in by_port}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def _count(url: str, query: str) -> int:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def region_platform(assistants: int, seed: int = 7, replicas: int = 1) -> AsyncIterator[Running]:
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:8]
    topics = {name: f"bench.{tag}.{name}.v1" for name in ("identity", "orders", "matching")}
    await create_topics(list(topics.values()))
    people = [region.assistant(rng, n) for n in range(assistants)]
    sent = await produce([(topics["identity"], region.assistant_events(a)) for a in people])
    progress(f"region: {assistants:,} assistants ({sent:,} identity events) on private topics")
    matching_url = await fresh_database("matching_bench_platform", "matching")
    messaging_url = await fresh_database("messaging_bench_platform", "messaging")
    others = {  # fresh databases for the rest too: the shared ones may carry another checkout's migrations
        name: await fresh_database(f"{name}_bench_platform", name)
        for name in SERVICES
        if name not in ("matching", "messaging")
    }
    env = {
        "MATCHING_DATABASE_URL": matching_url,
        "MATCHING_IDENTITY_TOPIC": topics["identity"],
        "MATCHING_ORDERS_TOPIC": topics["orders"],
        "MATCHING_OUTPUT_TOPIC": topics["matching"],
        "MATCHING_CONSUMER_GROUP": f"bench-{tag}-matching",
        "MATCHING_LOG_LEVEL": "WARNING",
        "MESSAGING_DATABASE_URL": messaging_url,
        "MESSAGING_EVENT_TOPICS": ",".join(topics.values()),
        "MESSAGING_CONSUMER_GROUP": f"bench-{tag}-messaging",
        "MESSAGING_LOG_LEVEL": "WARNING",
        "MESSAGING_SSE_MAX_SECONDS": "3600",
        **{f"DATABASE_URL_{name.upper()}": url for name, url in others.items()},
        "DATABASE_URL_MATCHING": matching_url,
        "DATABASE_URL_MESSAGING": messaging_url,
        "GATEWAY_RATE_PER_MINUTE": "100000000",
        "GATEWAY_RATE_BURST": "100000000",
    }
    stack = contextlib.ExitStack()
    try:
        started = time.perf_counter()
        platform = await asyncio.to_thread(stack.enter_context, running_platform(SERVICES, env, replicas))
        progress(f"platform: {len(SERVICES)} services × {replicas} ready in {time.perf_counter() - started:.0f}s")
        ports = {name: int(url.rsplit(":", 1)[1]) for name, url in platform.urls.items()}
        deadline = time.monotonic() + 300
        while True:
            done_matching = await _count(matching_url, "SELECT count(*) FROM assistants")
            done_messaging = await _count(messaging_url, "SELECT count(*) FROM processed_events")
            if done_matching >= assistants and done_messaging >= sent:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"region not consumed: matching {done_matching}, messaging {done_messaging}")
            await asyncio.sleep(1)
        progress(f"region consumed by matching and messaging after {time.perf_counter() - started:.0f}s")
        yield Running(
            dict(platform.urls), people, topics, sent, listening_pids(ports), dict(platform.replicas), matching_url
        )
    finally:
        await asyncio.to_thread(stack.close)
        with contextlib.suppress(Exception):
            await delete_topics(list(topics.values()))


async def _leading(url: str) -> bool:
    async with httpx.AsyncClient(timeout=2) as client:
        with contextlib.suppress(httpx.HTTPError):
            answer = await client.get(f"{url}/health/ready")
            return bool(answer.json().get("details", {}).get("index", {}).get("leading"))
    return False


async def matching_takeover(p: Running) -> dict:
    """Kill (SIGKILL) the matching replica that consumes; seconds until another leads, and until an
    order published right after the kill has its requests (the leader lock moves at once, the
    consumer group waits for the dead member's session to time out)."""
    urls = p.replicas["matching"]
    leader = [u for u in urls if await _leading(u)][0]
    pid = listening_pids({"leader": int(leader.rsplit(":", 1)[1])})["leader"]
    before = await _count(p.matching_database, "SELECT count(*) FROM requests")
    killed = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    order_id = f"order-takeover-{uuid.uuid4().hex[:12]}"
    terms = region.order_terms(random.Random(3), "seeker-takeover", next(a for a in p.assistants if a.eligible))
    envelope = registry.envelope(o.OrderPublished(**terms), stream_id=order_id, stream_version=2)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True, linger_ms=0)
    await producer.start()
    try:
        await producer.send_and_wait(p.topics["orders"], encode(envelope), key=order_id.encode())
    finally:
        await producer.stop()
    others = [u for u in urls if u != leader]
    led = None
    while time.monotonic() - killed < 120:
        if led is None and any([await _leading(u) for u in others]):
            led = time.monotonic() - killed
        if await _count(p.matching_database, "SELECT count(*) FROM requests") > before:
            return {
                "leading_after_s": round(led or time.monotonic() - killed, 2),
                "requests_after_s": round(time.monotonic() - killed, 2),
            }
        await asyncio.sleep(0.1)
    raise RuntimeError("no matching replica took over within 120 s")


# --- the journey ------------------------------------------------------------------------------


async def _stream(url: str, token: str, ready: asyncio.Event, arrived: dict[str, float]) -> None:
    """Follow one assistant's notification stream; note when each request's notice arrives.

    A plain socket, not httpx: cancelling many httpx streams at once can stall its pool."""
    address = httpx.URL(url)
    reader, writer = await asyncio.open_connection(address.host, address.port)
    try:
        writer.write(
            (
                f"GET {address.raw_path.decode()} HTTP/1.1\r\nHost: {address.host}:{address.port}\r\n"
                f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        status = (await reader.readline()).decode()
        if " 200 " not in status:
            raise RuntimeError(f"stream refused: {status.strip()}")
        event = None
        while line := await reader.readline():
            text = line.decode().strip()
            if text.startswith("event: "):
                event = text[7:]
                if event == "ready":
                    ready.set()
            elif text.startswith("data: ") and event == "notification":
                try:
                    link = orjson.loads(text[6:]).get("link") or ""
                except orjson.JSONDecodeError:  # a line split by the transfer encoding
                    continue
                if link.startswith("/assistenz/anfragen/"):
                    arrived.setdefault(link.rsplit("/", 1)[1], time.perf_counter())
    finally:
        writer.close()


async def _seekers(
    seekers: int, each: int, gap_s: float, rng: random.Random, send: Callable[[int, int], object]
) -> float:
    """`seekers` concurrent seekers, each sending `each` orders with exponential gaps; the rate reached."""

    async def seeker(s: int) -> None:
        for n in range(each):
            await asyncio.sleep(rng.expovariate(1 / gap_s))
            await send(s, n)

    started = time.perf_counter()
    await asyncio.gather(*(seeker(s) for s in range(seekers)))
    return seekers * each / (time.perf_counter() - started)


async def raw_round_trip(seekers: int, each: int, gap_s: float, seed: int, payload: bytes) -> dict:
    """The same schedule as `journey`, the order events produced to a fresh topic and consumed back."""
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}.v1"
    await create_topics([topic])
    consumer = await assigned_at_end(BOOTSTRAP, topic, fetch_max_wait_ms=50)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True, linger_ms=0)
    await producer.start()
    sent: dict[str, float] = {}
    arrived: dict[str, float] = {}

    async def receive() -> None:
        while True:
            for batch in (await consumer.getmany(timeout_ms=100)).values():
                now = time.perf_counter()
                for record in batch:
                    arrived.setdefault(record.key.decode(), now)

    async def send(s: int, n: int) -> None:
        key = f"raw-{s}-{n}"
        sent[key] = time.perf_counter()
        await producer.send_and_wait(topic, payload, key=key.encode())

    receiving = asyncio.create_task(receive())
    try:
        rate = await _seekers(seekers, each, gap_s, random.Random(seed), send)
        deadline = time.monotonic() + 30
        while len(arrived) < len(sent) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    finally:
        receiving.cancel()
        await producer.stop()
        await consumer.stop()
        await delete_topics([topic])
    return summary_ms([arrived[k] - t for k, t in sent.items() if k in arrived]) | {"rate_per_s": round(rate, 2)}


async def journey(
    p: Running,
    seekers: int,
    each: int,
    gap_s: float,
    listeners: int,
    seed: int = 11,
    via: str = "gateway",
    during: Callable[[], object] | None = None,
) -> dict:
    """Seekers publish orders (OrderPublished on the orders topic, as orders' relay does) around
    assistants who listen on their notification stream (`via` gateway or messaging); per order the
    time from publish to the first availability request arriving on a stream."""
    rng = random.Random(seed)
    eligible = [a for a in p.assistants if a.eligible][:listeners]
    url = f"{p.urls[via]}/api/v1/messaging/notifications/stream"
    arrived: dict[str, float] = {}  # request id → arrival
    request_order: dict[str, str] = {}  # request id → order id (from matching's topic, off the timed path)
    sent: dict[str, float] = {}
    learned = [time.monotonic()]  # when the last request was seen on matching's topic
    readies = [asyncio.Event() for _ in eligible]
    streams = [
        asyncio.create_task(_stream(url, p.token(a.assistant_id, "assistant"), r, arrived))
        for a, r in zip(eligible, readies)
    ]
    requests = await assigned_at_end(BOOTSTRAP, p.topics["matching"], fetch_max_wait_ms=50)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True, linger_ms=0)
    await producer.start()

    async def learn() -> None:
        while True:
            for batch in (await requests.getmany(timeout_ms=100)).values():
                for record in batch:
                    event = orjson.loads(record.value)
                    if event["event_type"] == "AvailabilityRequestSent":
                        request_order[event["payload"]["request_id"]] = event["stream_id"]
                        learned[0] = time.monotonic()

    async def send(s: int, n: int) -> None:
        order_id = f"order-bench-{uuid.uuid4().hex[:12]}"
        terms = region.order_terms(rng, f"seeker-bench-{s}", rng.choice(eligible))
        envelope = registry.envelope(o.OrderPublished(**terms), stream_id=order_id, stream_version=2)
        sent[order_id] = time.perf_counter()
        await producer.send_and_wait(p.topics["orders"], encode(envelope), key=order_id.encode())

    learning = asyncio.create_task(learn())
    sampler = asyncio.create_task(_repeat(during)) if during else None
    try:
        try:
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)
        except TimeoutError:
            raise RuntimeError(
                f"only {sum(r.is_set() for r in readies)} of {len(readies)} streams opened within 120 s via {via}"
            ) from None
        progress(f"journey: {len(eligible)} assistants listening via {via}; {seekers} seekers publish")
        rate = await _seekers(seekers, each, gap_s, rng, send)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            quiet = time.monotonic() - learned[0] > 5  # orders without candidates get no request
            if set(request_order) <= set(arrived) and (quiet or set(request_order.values()) >= set(sent)):
                break
            await asyncio.sleep(0.2)
    finally:
        for task in [*streams, learning, *([sampler] if sampler else [])]:
            task.cancel()
        await asyncio.wait([*streams, learning], timeout=10)
        await producer.stop()
        await requests.stop()
    first: dict[str, float] = {}
    for request_id, at in arrived.items():
        order_id = request_order.get(request_id)
        if order_id in sent:
            first[order_id] = min(first.get(order_id, at), at)
    latencies = [first[k] - sent[k] for k in first]
    return summary_ms(latencies) | {
        "orders": len(sent),
        "orders_reached_a_stream": len(first),
        "requests_sent": len(request_order),
        "notices_arrived": len(arrived),
        "listeners": len(eligible),
        "rate_per_s": round(rate, 2),
        "via": via,
    }


async def _repeat(action: Callable[[], object], every_s: float = 0.5) -> None:
    while True:
        action()
        await asyncio.sleep(every_s)


def order_payload(p: Running) -> bytes:
    """An OrderPublished of the region's size, for the raw baseline's messages."""
    terms = region.order_terms(random.Random(1), "seeker-raw", p.assistants[0])
    return encode(registry.envelope(o.OrderPublished(**terms), stream_id="order-raw", stream_version=2))
