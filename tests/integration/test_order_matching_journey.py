"""Journey across orders and matching on the real stack (issue 4's "done when"): a seeker publishes
an order, the right assistant sees a request within a second, offers, the seeker awards and
`OfferAccepted` is on Kafka. Both services run in this process with private topics and databases;
identity's events are published as identity would."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import text

from matching.main import create_app as matching_app
from matching.readmodels.tables import metadata as matching_tables
from matching.settings import Settings as MatchingSettings
from orders.main import create_app as orders_app
from orders.settings import Settings as OrdersSettings
from teilhabe_events import encode, registry
from teilhabe_events.contexts import identity as idn
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import (
    bearer,
    create_topics,
    ensure_database,
    envelopes_on,
    migrate,
    publish_raw,
    serve,
    unique_topic,
)

HANNOVER = {"lat": 52.37, "lon": 9.74}


def assistant_events(activities: list[str]) -> list:
    week = [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]
    return [
        idn.AccountRegistered(role="assistant", organisation_id="prov-j"),
        idn.ActivitiesChanged(activities=activities),
        idn.AvailabilityChanged(ranges=week),
        idn.PlaceChanged(place=HANNOVER, radius_km=20),
        idn.TraitsChanged(traits=["language_de"]),
        idn.MembershipApproved(organisation_id="prov-j", role="assistant"),
        idn.AccountActivated(role="assistant", activated_by="admin-1"),
    ]


async def publish(bootstrap: str, topic: str, stream_id: str, events: list) -> None:
    for version, event in enumerate(events, start=1):
        envelope = registry.envelope(event, stream_id=stream_id, stream_version=version)
        await publish_raw(bootstrap, topic, encode(envelope), key=stream_id.encode())


async def _empty(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(f"TRUNCATE {', '.join(t.name for t in matching_tables.sorted_tables)}, outbox, processed_events")
            )
    finally:
        await engine.dispose()


async def until(check, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.05)


async def test_publish_request_offer_award(stack, kafka_bootstrap, token_issuer):
    identity_topic, orders_topic, matching_topic = (unique_topic(p) for p in ("identity", "orders", "matching"))
    await create_topics(kafka_bootstrap, identity_topic, orders_topic, matching_topic)
    orders_url, matching_url = await ensure_database("orders_test"), await ensure_database("matching_journey")
    await migrate("orders", orders_url)
    await migrate("matching", matching_url)
    await _empty(matching_url)  # the count below counts every assistant matching's private database knows
    orders = orders_app(
        OrdersSettings(
            database_url=orders_url,
            orders_topic=orders_topic,
            identity_topic=identity_topic,
            contracts_topic=unique_topic("contracts"),
            consumer_group_prefix=unique_topic("journey-orders"),
            relay_poll_seconds=0.2,
        )
    )
    matching = matching_app(
        MatchingSettings(
            database_url=matching_url,
            identity_topic=identity_topic,
            orders_topic=orders_topic,
            output_topic=matching_topic,
            consumer_group=unique_topic("journey-matching"),
            relay_poll_seconds=0.2,
        )
    )
    right, wrong, seeker = (f"{p}-{uuid.uuid4()}" for p in ("assistant", "assistant", "seeker"))
    as_right, as_wrong = bearer(token_issuer, right, "assistant"), bearer(token_issuer, wrong, "assistant")
    as_seeker = bearer(token_issuer, seeker, "seeker")

    async with (
        serve(orders) as o_url,
        serve(matching) as m_url,
        httpx.AsyncClient(base_url=f"{o_url}/api/v1/orders", timeout=10) as orders_api,
        httpx.AsyncClient(base_url=f"{m_url}/api/v1/matching", timeout=10) as matching_api,
    ):
        await publish(kafka_bootstrap, identity_topic, right, assistant_events(["shopping", "walks"]))
        await publish(kafka_bootstrap, identity_topic, wrong, assistant_events(["gardening"]))
        body = {
            "schedule": {
                "kind": "one_time",
                "date": (date.today() + timedelta(days=9)).isoformat(),
                "start": "09:00",
                "end": "11:00",
            },
            "activities": ["shopping"],
            "traits": ["language_de"],
            "postcode": "30159",
            "max_distance_km": 10,
            "description": "Bitte mit Geduld.",
        }
        terms = {k: body[k] for k in ("schedule", "activities", "traits", "postcode", "max_distance_km")}

        async def both_know_the_assistants() -> bool:
            count = await matching_api.post("/candidate-count", json=terms, headers=as_seeker)
            known = await orders_api.get("/offers/mine", headers=as_right)  # 200 for any assistant
            return count.status_code == 200 and count.json()["count"] == 1 and known.status_code == 200

        await until(both_know_the_assistants)
        order_id = (await orders_api.post("/orders", json=body, headers=as_seeker)).json()["order_id"]
        started = time.perf_counter()
        assert (await orders_api.post(f"/orders/{order_id}/publish", headers=as_seeker)).status_code == 200

        async def requested(headers, assistant) -> list:
            answer = await matching_api.get(f"/assistants/{assistant}/requests", headers=headers)
            return [r for r in answer.json()["items"] if r["order"]["order_id"] == order_id]

        async def right_is_asked() -> bool:
            return bool(await requested(as_right, right))

        await until(right_is_asked, timeout_s=10)
        latency = time.perf_counter() - started
        print(f"published → request visible to the assistant: {latency * 1000:.0f} ms")
        assert latency < 1.0
        assert await requested(as_wrong, wrong) == []

        # orders' directory learns of the assistant from the same identity topic
        async def offered() -> bool:
            answer = await orders_api.post(f"/orders/{order_id}/offers", json={"from_request": True}, headers=as_right)
            return answer.status_code == 201

        await until(offered)
        detail = (await orders_api.get(f"/orders/{order_id}", headers=as_seeker)).json()
        [offer] = detail["offers"]
        awarded = await orders_api.post(f"/orders/{order_id}/offers/{offer['offer_id']}/accept", headers=as_seeker)
        assert awarded.json()["status"] == "awarded"

        async def answered() -> bool:
            return any(r["answered"] for r in await requested(as_right, right)) or not await requested(as_right, right)

        await until(answered)

    seen = await envelopes_on(kafka_bootstrap, orders_topic, order_id, until={"OfferAccepted"}, timeout_s=20)
    accepted = seen[-1]
    assert accepted.payload == {
        "offer_id": offer["offer_id"],
        "seeker_id": seeker,
        "assistant_id": right,
        "provider_id": "prov-j",  # OfferAccepted v2
    }
