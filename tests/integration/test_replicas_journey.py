"""Two replicas of orders, matching and contracts (issue 20): the order → request → offer → contract
journey completes while one replica of each is stopped and started again twice (consumer groups
rebalance, matching's leadership moves, relays take turns), nothing is lost or applied twice, and
both matching replicas answer the same count. All replicas run in this process on private databases
and topics; requests go to the replicas in turn, as the gateway sends them.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from journey_support import forwarding, until
from sqlalchemy import select, text

from contracts.app.assistance import contract_id_for_offer
from contracts.main import create_app as contracts_app
from contracts.settings import Settings as ContractsSettings
from matching.main import create_app as matching_app
from matching.readmodels.tables import metadata as matching_tables
from matching.settings import Settings as MatchingSettings
from orders.main import create_app as orders_app
from orders.settings import Settings as OrdersSettings
from teilhabe_events import encode, registry
from teilhabe_events.contexts import identity as idn
from teilhabe_kit.db import create_engine
from teilhabe_kit.tables import event_store, processed_events
from teilhabe_kit.testing import (
    bearer,
    create_topics,
    ensure_database,
    envelopes_on,
    migrate,
    publish_raw,
    sample_image,
    serve,
    unique_topic,
)

PNG = sample_image("PNG", seed=2)


class Replicas:
    """Two in-process replicas of one service; `restart(i)` stops replica i and starts a new one."""

    def __init__(self, make: Callable[[], FastAPI], prefix: str) -> None:
        self._make, self._prefix = make, prefix
        self._stacks: list[contextlib.AsyncExitStack] = []
        self.apps: list[FastAPI] = []
        self.clients: list[httpx.AsyncClient] = []
        self._turn = itertools.count()

    async def _start(self) -> tuple[contextlib.AsyncExitStack, FastAPI, httpx.AsyncClient]:
        stack, app = contextlib.AsyncExitStack(), self._make()
        url = await stack.enter_async_context(serve(app))
        client = await stack.enter_async_context(httpx.AsyncClient(base_url=f"{url}{self._prefix}", timeout=15))
        return stack, app, client

    async def start(self) -> Replicas:
        for _ in range(2):
            stack, app, client = await self._start()
            self._stacks.append(stack)
            self.apps.append(app)
            self.clients.append(client)
        return self

    async def restart(self, i: int) -> None:
        await self._stacks[i].aclose()
        self._stacks[i], self.apps[i], self.clients[i] = await self._start()

    async def stop(self) -> None:
        for stack in self._stacks:
            await stack.aclose()

    @property
    def api(self) -> httpx.AsyncClient:
        """The next replica in turn (round-robin, as the gateway)."""
        return self.clients[next(self._turn) % 2]


async def _fresh_matching(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            names = ", ".join(t.name for t in matching_tables.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names}, outbox, processed_events"))
    finally:
        await engine.dispose()


async def _applied(url: str, group: str, event_ids: set[str]) -> Counter:
    """How often each of `event_ids` is recorded as applied by consumer `group` (the idempotency rows)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(processed_events.c.event_id).where(
                    processed_events.c.consumer == group, processed_events.c.event_id.in_(event_ids)
                )
            )
            return Counter(str(r.event_id) for r in rows)
    finally:
        await engine.dispose()


async def _stored(url: str, stream_id: str) -> list[tuple[str, str]]:
    """(event id, type) of a stream in a service's event store, in version order."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(event_store.c.event_id, event_store.c.event_type)
                .where(event_store.c.stream_id == stream_id)
                .order_by(event_store.c.stream_version)
            )
            return [(str(r.event_id), r.event_type) for r in rows]
    finally:
        await engine.dispose()


async def test_the_journey_survives_restarts_of_one_replica_of_each(stack, kafka_bootstrap, token_issuer):
    identity_topic, orders_topic, matching_topic, contracts_copy = (
        unique_topic(p) for p in ("identity", "orders", "matching", "contracts")
    )
    contracts_topic = registry.model("ContractRatified").topic()
    await create_topics(kafka_bootstrap, identity_topic, orders_topic, matching_topic, contracts_topic, contracts_copy)
    orders_url, contracts_url = await ensure_database("orders_test"), await ensure_database("contracts_test")
    matching_url = await ensure_database("matching_replicas_journey")
    for name, url in (("orders", orders_url), ("contracts", contracts_url), ("matching", matching_url)):
        await migrate(name, url)
    await _fresh_matching(matching_url)  # the count below counts every assistant this database knows
    o_settings = OrdersSettings(
        database_url=orders_url,
        orders_topic=orders_topic,
        identity_topic=identity_topic,
        contracts_topic=contracts_copy,
        consumer_group_prefix=unique_topic("replicas-orders"),
        relay_poll_seconds=0.2,
    )
    c_settings = ContractsSettings(
        database_url=contracts_url,
        orders_topic=orders_topic,
        identity_topic=identity_topic,
        consumer_group_prefix=unique_topic("replicas-contracts"),
        relay_poll_seconds=0.2,
    )
    m_settings = MatchingSettings(
        database_url=matching_url,
        identity_topic=identity_topic,
        orders_topic=orders_topic,
        output_topic=matching_topic,
        consumer_group=unique_topic("replicas-matching"),
        relay_poll_seconds=0.2,
    )

    provider, assistant, seeker = (f"{p}-{uuid.uuid4()}" for p in ("provider", "assistant", "seeker"))
    as_seeker, as_assistant = bearer(token_issuer, seeker, "seeker"), bearer(token_issuer, assistant, "assistant")
    as_coordinator = bearer(token_issuer, f"coord-{uuid.uuid4()}", "coordinator", organisation_id=provider)
    week = [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]
    for version, event in enumerate(
        [
            idn.AccountRegistered(role="assistant", organisation_id=provider),
            idn.ActivitiesChanged(activities=["shopping"]),
            idn.AvailabilityChanged(ranges=week),
            idn.PlaceChanged(place={"lat": 51.70, "lon": 10.00}, radius_km=20),
            idn.MembershipApproved(organisation_id=provider, role="assistant"),
            idn.AccountActivated(role="assistant", activated_by="admin-1"),
        ],
        start=1,
    ):
        envelope = registry.envelope(event, stream_id=assistant, stream_version=version)
        await publish_raw(kafka_bootstrap, identity_topic, encode(envelope), key=assistant.encode())

    orders = Replicas(lambda: orders_app(o_settings), "/api/v1/orders")
    matching = Replicas(lambda: matching_app(m_settings), "/api/v1/matching")
    contracts = Replicas(lambda: contracts_app(c_settings), "/api/v1/contracts")
    services = (orders, matching, contracts)
    terms = {
        "schedule": {
            "kind": "one_time",
            "date": (date.today() + timedelta(days=9)).isoformat(),
            "start": "09:00",
            "end": "11:00",
        },
        "activities": ["shopping"],
        "traits": [],
        "postcode": "37154",
        "max_distance_km": 10,
    }

    async def counts() -> list[int]:
        answers = [await c.post("/candidate-count", json=terms, headers=as_seeker) for c in matching.clients]
        return [a.json()["count"] for a in answers]

    async def restart(i: int) -> None:  # one replica of each consumer at once
        for service in services:
            await service.restart(i)

    async with forwarding(kafka_bootstrap, contracts_topic, contracts_copy):
        for service in services:
            await service.start()
        try:
            await until(lambda: _equal(counts(), [1, 1]))  # both matching replicas, the same count
            order_id = (
                await orders.api.post("/orders", json=terms | {"description": "Einkauf"}, headers=as_seeker)
            ).json()["order_id"]
            assert (await orders.api.post(f"/orders/{order_id}/publish", headers=as_seeker)).status_code == 200
            await restart(0)  # while the publication travels to matching and contracts

            async def requested() -> bool:
                answer = await matching.api.get(f"/assistants/{assistant}/requests", headers=as_assistant)
                return any(r["order"]["order_id"] == order_id for r in answer.json()["items"])

            await until(requested)

            async def offered() -> bool:
                answer = await orders.api.post(
                    f"/orders/{order_id}/offers", json={"from_request": True}, headers=as_assistant
                )
                return answer.status_code == 201

            await until(offered)
            [offer] = (await orders.api.get(f"/orders/{order_id}", headers=as_seeker)).json()["offers"]
            awarded = await orders.api.post(f"/orders/{order_id}/offers/{offer['offer_id']}/accept", headers=as_seeker)
            assert awarded.status_code == 200, awarded.text
            await restart(1)  # while OfferAccepted travels to contracts and matching

            base = f"/assistance/{contract_id_for_offer(offer['offer_id'])}"

            async def opened() -> bool:
                return (await contracts.api.get(base, headers=as_coordinator)).status_code == 200

            await until(opened)
            slot = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
            draft = {
                "activities": ["shopping"],
                "schedule": "Am Termin des Auftrags, 9–11 Uhr",
                "hourly_rate_cents": 3100,
                "payer": "relief_amount",
                "starts_on": terms["schedule"]["date"],
                "notice_weeks": 2,
            }
            for path, headers, kwargs in [
                ("meeting-proposals", as_coordinator, {"json": {"slots": [slot]}}),
                ("meeting", as_seeker, {"json": {"slot": slot}}),
                ("meeting/held", as_coordinator, {}),
                ("draft", as_coordinator, {"json": draft}),
                (
                    "signatures/scan",
                    as_seeker,
                    {"data": {"party": "seeker"}, "files": {"file": ("s.png", PNG, "image/png")}},
                ),
                (
                    "signatures/scan",
                    as_assistant,
                    {"data": {"party": "assistant"}, "files": {"file": ("a.png", PNG, "image/png")}},
                ),
                ("ratification", as_coordinator, {}),
            ]:
                answer = await contracts.api.post(f"{base}/{path}", headers=headers, **kwargs)
                assert answer.status_code == 200, (path, answer.text)

            async def fulfilled() -> bool:
                return (await orders.api.get(f"/orders/{order_id}", headers=as_seeker)).json()["status"] == "fulfilled"

            await until(fulfilled)
            await until(lambda: _equal(counts(), [1, 1]))  # restarted twice, both still know the assistant alike
        finally:
            for service in services:
                await service.stop()

    # nothing lost, nothing doubled: the order's events in orders' store, on Kafka once each, and
    # applied once each by contracts' consumer and matching's
    public = {m.event_type for m in registry.models()}
    stored = [(event_id, kind) for event_id, kind in await _stored(orders_url, order_id) if kind in public]
    published = await envelopes_on(kafka_bootstrap, orders_topic, order_id, until={"OrderFulfilled"}, timeout_s=20)
    assert [(str(e.event_id), e.event_type) for e in published] == stored  # in order, each once, none missing
    assert [kind for _, kind in stored][-1] == "OrderFulfilled"
    ids = {event_id for event_id, _ in stored}
    assert set((await _applied(matching_url, m_settings.consumer_group, ids)).values()) == {1}
    assert len(await _applied(matching_url, m_settings.consumer_group, ids)) == len(ids)
    contract_group = f"{c_settings.consumer_group_prefix}.order-events"
    applied = await _applied(contracts_url, contract_group, ids)
    assert applied and set(applied.values()) == {1}
    sent = await envelopes_on(kafka_bootstrap, matching_topic, order_id, until={"AvailabilityRequestSent"})
    assert [e.payload["assistant_id"] for e in sent if e.event_type == "AvailabilityRequestSent"] == [assistant]


async def _equal(measured, expected) -> bool:
    return await measured == expected
