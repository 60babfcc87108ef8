"""An event written in schema version 1 of a type now at version 2 lands in today's shape everywhere.

`OfferAccepted` v2 names the assistant's organisation `provider_id` (v1: `organisation_id`); an
upcaster lifts v1. A v1 `OfferAccepted` is published, as orders wrote it before the change, on a
private orders topic that every projection consuming it reads (contracts, matching, messaging, each
under the kit's consumer runner on its own private database, real Kafka and PostgreSQL), and orders'
own event store keeps v1 events too. Each must end in the state that version 2 would give: the
provider reaches the contract process, the coordinators' notification and the orders views.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from sqlalchemy import func, select

from teilhabe_events import EventEnvelope, dlq_topic, encode, new_envelope, registry
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o
from teilhabe_kit import eventstore
from teilhabe_kit.consumer import ConsumerRunner
from teilhabe_kit.db import create_engine
from teilhabe_kit.service import kafka_broker
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.tables import processed_events
from teilhabe_kit.testing import create_topics, ensure_database, migrate, publish_raw, unique_topic


def v1_offer_accepted(order_id: str, version: int, offer_id: str, seeker: str, assistant: str, provider: str):
    """`OfferAccepted` exactly as orders wrote it before version 2."""
    assert registry.model("OfferAccepted").schema_version == 2
    return new_envelope(
        event_type="OfferAccepted",
        schema_version=1,
        stream_type="order",
        stream_id=order_id,
        stream_version=version,
        payload={"offer_id": offer_id, "seeker_id": seeker, "assistant_id": assistant, "organisation_id": provider},
    )


def order_published(order_id: str, seeker: str) -> EventEnvelope:
    terms = {
        "seeker_id": seeker,
        "revision": 1,
        "schedule": {"kind": "one_time", "date": "2030-01-07", "start": "09:00", "end": "11:00"},
        "activities": ["shopping"],
        "traits": [],
        "place": {"lat": 52.37, "lon": 9.73},
        "max_distance_km": 10.0,
    }
    return registry.envelope(o.OrderPublished(**terms), stream_id=order_id, stream_version=2)


async def applied(engine, consumer: str, event_id: uuid.UUID, timeout_s: float = 60) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            async with engine.connect() as conn:
                found = await conn.scalar(
                    select(func.count()).where(
                        processed_events.c.consumer == consumer, processed_events.c.event_id == event_id
                    )
                )
            if found:
                return
            await asyncio.sleep(0.2)


async def private_engine(service: str):
    url = await ensure_database(f"{service}_upcast_test")
    await migrate(service, url)
    return create_engine(url)


async def test_a_v1_offer_accepted_reaches_every_projection_in_the_v2_shape(stack, kafka_bootstrap, tmp_path: Path):
    from contracts.app.assistance import contract_id_for_offer
    from contracts.consumers.orders import OrderEvents
    from contracts.readmodels.tables import contracts_view
    from matching.app.matcher import Matcher
    from matching.consumers.projection import MatchingProjection
    from matching.index import MatchIndex
    from matching.readmodels.tables import awards
    from matching.readmodels.tables import orders as matching_orders
    from messaging.app.storage import FileStore
    from messaging.consumers.events import MessagingProjection
    from messaging.readmodels.tables import notifications

    run = uuid.uuid4().hex[:8]
    identity_topic, orders_topic, matching_topic = (unique_topic(n) for n in ("identity", "orders", "matching"))
    await create_topics(
        kafka_bootstrap,
        *(t for topic in (identity_topic, orders_topic, matching_topic) for t in (topic, dlq_topic(topic))),
    )
    engines = {s: await private_engine(s) for s in ("contracts", "matching", "messaging")}
    index = MatchIndex()
    projections = {
        "contracts": OrderEvents(orders_topic, f"contracts-upcast-{run}"),
        "matching": MatchingProjection(
            f"matching-upcast-{run}", [identity_topic, orders_topic], index, Matcher(index, matching_topic)
        ),
        "messaging": MessagingProjection(
            FileStore(tmp_path), name=f"messaging-upcast-{run}", topics=[identity_topic, orders_topic]
        ),
    }
    broker = kafka_broker(ServiceSettings(service_name="upcast-test", kafka_bootstrap_servers=kafka_bootstrap))
    for service, projection in projections.items():
        ConsumerRunner(broker, engines[service], projection, retry_backoff_seconds=0.05)

    order_id, offer_id = f"order-{run}", f"offer-{run}"
    seeker, assistant, coordinator, provider = (f"{n}-{run}" for n in ("seeker", "assistant", "coord", "provider"))
    membership = registry.envelope(
        idn.MembershipApproved(organisation_id=provider, role=idn.AccountRole.COORDINATOR),
        stream_id=coordinator,
        stream_version=1,
    )
    old = v1_offer_accepted(order_id, 3, offer_id, seeker, assistant, provider)
    await broker.start()
    try:
        await publish_raw(kafka_bootstrap, identity_topic, encode(membership), key=coordinator.encode())
        await applied(engines["messaging"], projections["messaging"].name, membership.event_id)
        for envelope in (order_published(order_id, seeker), old):
            await publish_raw(kafka_bootstrap, orders_topic, encode(envelope), key=order_id.encode())
        for service, projection in projections.items():
            await applied(engines[service], projection.name, old.event_id)
    finally:
        await broker.stop()

    try:
        async with engines["contracts"].connect() as conn:
            process = (
                await conn.execute(
                    select(contracts_view).where(contracts_view.c.contract_id == contract_id_for_offer(offer_id))
                )
            ).one()
        assert (process.status, process.organisation_id, process.assistant_id) == ("opened", provider, assistant)

        async with engines["matching"].connect() as conn:
            awarded = await conn.scalar(select(awards.c.assistant_id).where(awards.c.order_id == order_id))
            status = await conn.scalar(select(matching_orders.c.status).where(matching_orders.c.order_id == order_id))
        assert (awarded, status) == (assistant, "awarded")

        async with engines["messaging"].connect() as conn:
            told = (
                await conn.execute(
                    select(notifications.c.recipient_id, notifications.c.link).where(
                        notifications.c.kind == "offer_accepted", notifications.c.source_event_id == str(old.event_id)
                    )
                )
            ).all()
        assert sorted(told) == sorted(
            [(assistant, f"/assistenz/auftraege/{order_id}"), (coordinator, f"/koordination/auftraege/{order_id}")]
        )
    finally:
        for engine in engines.values():
            await engine.dispose()


async def test_orders_reads_v1_offer_accepted_from_its_event_store_in_the_v2_shape(stack):
    from orders.app.streams import ORDER
    from orders.domain.state import OfferStatus, OrderStatus
    from orders.readmodels.tables import offers_view
    from orders.replay import rebuild_views
    from teilhabe_kit import streams

    engine = await private_engine("orders")
    run = uuid.uuid4().hex[:8]
    order_id, offer_id, seeker, assistant, provider = (
        f"{n}-{run}" for n in ("order", "offer", "seeker", "assistant", "provider")
    )
    history = [
        registry.envelope(o.OrderDrafted(seeker_id=seeker, created_by=seeker), stream_id=order_id, stream_version=1),
        registry.envelope(
            o.OfferSubmitted(
                offer_id=offer_id,
                seeker_id=seeker,
                kind=o.OfferKind.ASSISTANT,
                assistant_id=assistant,
                organisation_id=provider,
                submitted_by=assistant,
                from_request=False,
            ),
            stream_id=order_id,
            stream_version=2,
        ),
        v1_offer_accepted(order_id, 3, offer_id, seeker, assistant, provider),
    ]
    try:
        async with engine.begin() as conn:
            await eventstore.append(conn, "order", order_id, 0, history)
            state, version = await streams.load(conn, ORDER, order_id)
            assert version == 3 and state is not None and state.status == OrderStatus.AWARDED
            offer = state.offers[offer_id]
            assert (offer.status, offer.assistant_id, offer.organisation_id) == (
                OfferStatus.ACCEPTED,
                assistant,
                provider,
            )
            await rebuild_views(conn)
            row = (await conn.execute(select(offers_view).where(offers_view.c.offer_id == offer_id))).one()
        assert (row.status, row.organisation_id) == ("accepted", provider)
    finally:
        await engine.dispose()
