"""Poison messages in every consumed topic: to `<topic>.dlq` with the reason, the partition flows on.

Each service's real projections (as its ``main.py`` wires them) run in-process under the kit's
consumer runner, on private topics, consumer groups and databases (``<service>_poison``). Into
each consumed topic go, on one partition and in this order: bytes that are no event, an envelope of
a public event whose payload breaks its schema, then valid events the projections act on (payloads
from the event contract's golden files, fresh ids). Both poison messages must arrive in
``<topic>.dlq`` with ``dlq.error`` naming the reason, and the good events must be applied after
them (their ``processed_events`` rows are written in the same transaction as the projection's change).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from teilhabe_events import dlq_topic, encode, new_envelope, topic_for
from teilhabe_kit.consumer import ConsumerRunner
from teilhabe_kit.db import create_engine
from teilhabe_kit.service import kafka_broker
from teilhabe_kit.tables import processed_events
from teilhabe_kit.testing import create_topics, ensure_database, migrate, publish_raw, read_topic

GOLDEN = Path(__file__).resolve().parents[2] / "libs" / "events" / "tests" / "golden"
PUBLIC = {
    "identity": topic_for("identity", "account"),
    "orders": topic_for("orders", "order"),
    "matching": topic_for("matching", "order"),
    "contracts": topic_for("contracts", "contract"),
    "interested_persons": topic_for("contracts", "interested_person"),
    "centres": topic_for("centres", "centre"),
    "counseling_settings": topic_for("counseling", "centre_settings"),
    "counseling_clients": topic_for("counseling", "client"),
}
GOOD_EVENTS = {  # after the poison: events the consuming projections act on
    "identity": ["AccountRegistered", "AccountErased"],
    "orders": ["OrderPublished", "OfferAccepted"],
    "matching": ["AvailabilityRequestSent"],
    "contracts": ["ContractRatified"],
    "interested_persons": ["InterestedPersonRegistered"],
    "centres": ["CentreInterestRecorded", "CentreProfileChanged"],
    "counseling_settings": ["CounselingSettingsChanged"],
    "counseling_clients": ["PrimaryCounselorAssigned", "ClientErased"],
}


def _orders(t: dict[str, str], group: str, tmp: Path) -> list:
    from orders.consumers.contracts import ContractEvents
    from orders.consumers.identity import AccountDirectory, Erasure

    return [
        AccountDirectory(t["identity"], group),
        Erasure(t["identity"], t["orders"], group),
        ContractEvents(t["contracts"], t["orders"], group),
    ]


def _matching(t: dict[str, str], group: str, tmp: Path) -> list:
    from matching.app.matcher import Matcher
    from matching.consumers.projection import MatchingProjection
    from matching.index import MatchIndex

    index = MatchIndex()
    return [MatchingProjection(group, [t["identity"], t["orders"]], index, Matcher(index, t["matching"]))]


def _messaging(t: dict[str, str], group: str, tmp: Path) -> list:
    from messaging.app.storage import FileStore
    from messaging.consumers.events import MessagingProjection

    topics = [t["identity"], t["orders"], t["matching"], t["contracts"]]
    return [MessagingProjection(FileStore(tmp), name=group, topics=topics)]


def _contracts(t: dict[str, str], group: str, tmp: Path) -> list:
    from contracts.consumers.identity import IdentityEvents
    from contracts.consumers.orders import OrderEvents

    return [OrderEvents(t["orders"], group), IdentityEvents(t["identity"], group)]


class _Erased:
    """Contracts' contact endpoint for identity: every person erased meanwhile (no HTTP needed)."""

    async def person(self, person_id: str) -> None:
        return None


def _identity(t: dict[str, str], group: str, tmp: Path) -> list:
    from identity.consumers.centres import CentreEvents
    from identity.consumers.counseling import CounselingSettings
    from identity.consumers.interested_persons import InterestedPersons
    from identity.settings import Settings

    settings = Settings(
        contracts_topic=t["interested_persons"],
        centres_topic=t["centres"],
        counseling_topic=t["counseling_settings"],
        consumer_group_prefix=group,
    )
    return [InterestedPersons(settings, contacts=_Erased()), CentreEvents(settings), CounselingSettings(settings)]


def _centres(t: dict[str, str], group: str, tmp: Path) -> list:
    from centres.consumers.directory import Directory

    return [Directory(t["centres"], group)]


def _appointments(t: dict[str, str], group: str, tmp: Path) -> list:
    from appointments.consumers.counseling_facts import CounselingFacts
    from appointments.consumers.identity_facts import IdentityFacts

    return [IdentityFacts(t["identity"], group), CounselingFacts(t["counseling_clients"], group)]


class _UnknownAccounts:
    """Identity's internal API for counseling: no account is known (no HTTP needed)."""

    async def account(self, account_id: str) -> None:
        return None


def _counseling(t: dict[str, str], group: str, tmp: Path) -> list:
    from counseling.consumers.identity_accounts import IdentityAccounts

    return [IdentityAccounts(t["identity"], group, _UnknownAccounts())]


PROJECTIONS: dict[str, Callable[[dict[str, str], str, Path], list]] = {
    "identity": _identity,
    "orders": _orders,
    "matching": _matching,
    "messaging": _messaging,
    "contracts": _contracts,
    "centres": _centres,
    "appointments": _appointments,
    "counseling": _counseling,
}


def _good_envelope(event_type: str):
    golden = json.loads((GOLDEN / f"{event_type}.v1.json").read_text())["envelope"]
    return new_envelope(
        event_type=event_type,
        schema_version=1,
        stream_type=golden["stream_type"],
        stream_id=str(uuid.uuid4()),
        stream_version=1,
        payload=golden["payload"],
    )


async def _applied(engine, consumer: str, event_ids: list[uuid.UUID], timeout_s: float = 30) -> bool:
    """True once `consumer` applied all `event_ids`; False when the time is up."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        async with engine.connect() as conn:
            found = await conn.scalar(
                select(func.count()).where(
                    processed_events.c.consumer == consumer, processed_events.c.event_id.in_(event_ids)
                )
            )
        if found == len(event_ids):
            return True
        await asyncio.sleep(0.2)
    return False


@pytest.mark.parametrize("service", list(PROJECTIONS))
async def test_poison_messages_go_to_the_dlq_and_the_partition_keeps_flowing(service, kafka_bootstrap, tmp_path):
    url = await ensure_database(f"{service}_poison")
    await migrate(service, url)
    engine = create_engine(url)
    run = uuid.uuid4().hex[:10]
    topics = {name: f"poison.{run}.{name}.v1" for name in PUBLIC}
    await create_topics(kafka_bootstrap, *topics.values(), *map(dlq_topic, topics.values()), partitions=1)
    projections = PROJECTIONS[service](topics, f"poison-{run}", tmp_path)
    settings = importlib.import_module(f"{service}.settings").Settings()
    broker = kafka_broker(settings)
    for projection in projections:
        ConsumerRunner(broker, engine, projection, max_attempts=2, retry_backoff_seconds=0.05)
    consumed = {(p.name, topic) for p in projections for topic in p.topics}
    logical = {private: name for name, private in topics.items()}
    await broker.start()
    try:
        sent: dict[str, list] = {}
        for topic in sorted({topic for _, topic in consumed}):
            good = [_good_envelope(event_type) for event_type in GOOD_EVENTS[logical[topic]]]
            invalid = good[0].model_copy(update={"event_id": uuid.uuid4(), "payload": {"unexpected": "x"}})
            for value in (b"\x00 no event {", encode(invalid), *map(encode, good)):
                await publish_raw(kafka_bootstrap, topic, value, key=b"same-key")
            sent[topic] = good
        for name, topic in sorted(consumed):
            event_ids = [event.event_id for event in sent[topic]]
            assert await _applied(engine, name, event_ids), f"{name} did not apply the good events on {topic}"
        for topic in sent:
            readers = sum(1 for _, t in consumed if t == topic)
            dead = await read_topic(kafka_bootstrap, dlq_topic(topic), expect=2 * readers, timeout_s=20)
            reasons = [dict(record.headers)["dlq.error"].decode() for record in dead]
            assert len(dead) == 2 * readers, (topic, reasons)
            assert sum(r.startswith("malformed") for r in reasons) == readers, reasons
            assert sum(r.startswith("schema-invalid") for r in reasons) == readers, reasons
    finally:
        await broker.stop()
        await engine.dispose()
