"""Journey across orders and contracts on the real stack (issue 6): a seeker awards an order,
`OfferAccepted` opens a contract process, meeting → draft → two signatures → ratification,
`ContractRatified` on Kafka and the order fulfilled. Both services run in this process with private
databases and input topics (contracts' own topic is copied to a private one for orders from the
journey's start); identity's events are published as identity would.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from journey_support import forwarding, until

from contracts.app.assistance import contract_id_for_offer
from contracts.main import create_app as contracts_app
from contracts.settings import Settings as ContractsSettings
from orders.main import create_app as orders_app
from orders.settings import Settings as OrdersSettings
from teilhabe_events import encode, registry
from teilhabe_events.contexts import identity as idn
from teilhabe_kit.testing import (
    bearer,
    create_topics,
    ensure_database,
    migrate,
    publish_raw,
    sample_image,
    serve,
    unique_topic,
)

PNG = sample_image("PNG", seed=1)


async def test_award_to_ratified_contract_fulfils_the_order(stack, kafka_bootstrap, token_issuer):
    identity_topic, orders_topic, contracts_copy = (
        unique_topic("identity"),
        unique_topic("orders"),
        unique_topic("contracts"),
    )
    contracts_topic = registry.model("ContractRatified").topic()
    await create_topics(kafka_bootstrap, identity_topic, orders_topic, contracts_topic, contracts_copy)
    orders_url, contracts_url = await ensure_database("orders_test"), await ensure_database("contracts_test")
    await migrate("orders", orders_url)
    await migrate("contracts", contracts_url)
    orders = orders_app(
        OrdersSettings(
            database_url=orders_url,
            orders_topic=orders_topic,
            identity_topic=identity_topic,
            contracts_topic=contracts_copy,
            consumer_group_prefix=unique_topic("journey-orders"),
            relay_poll_seconds=0.2,
        )
    )
    contracts = contracts_app(
        ContractsSettings(
            database_url=contracts_url,
            orders_topic=orders_topic,
            identity_topic=identity_topic,
            consumer_group_prefix=unique_topic("journey-contracts"),
            relay_poll_seconds=0.2,
        )
    )

    provider, assistant, seeker = (f"{p}-{uuid.uuid4()}" for p in ("provider", "assistant", "seeker"))
    as_seeker, as_assistant = bearer(token_issuer, seeker, "seeker"), bearer(token_issuer, assistant, "assistant")
    as_coordinator = bearer(token_issuer, f"coord-{uuid.uuid4()}", "coordinator", organisation_id=provider)
    week = [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]
    assistant_events = [
        idn.AccountRegistered(role="assistant", organisation_id=provider),
        idn.ActivitiesChanged(activities=["shopping"]),
        idn.AvailabilityChanged(ranges=week),
        idn.PlaceChanged(place={"lat": 51.70, "lon": 10.00}, radius_km=20),
        idn.MembershipApproved(organisation_id=provider, role="assistant"),
        idn.AccountActivated(role="assistant", activated_by="admin-1"),
    ]
    for version, event in enumerate(assistant_events, start=1):
        envelope = registry.envelope(event, stream_id=assistant, stream_version=version)
        await publish_raw(kafka_bootstrap, identity_topic, encode(envelope), key=assistant.encode())

    async with (
        forwarding(kafka_bootstrap, contracts_topic, contracts_copy),
        serve(orders) as o_url,
        serve(contracts) as c_url,
        httpx.AsyncClient(base_url=f"{o_url}/api/v1/orders", timeout=10) as orders_api,
        httpx.AsyncClient(base_url=f"{c_url}/api/v1/contracts", timeout=10) as contracts_api,
    ):
        order = {
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
            "description": "Einkauf im Ortskern, bitte mit Geduld.",
        }
        order_id = (await orders_api.post("/orders", json=order, headers=as_seeker)).json()["order_id"]
        assert (await orders_api.post(f"/orders/{order_id}/publish", headers=as_seeker)).status_code == 200

        async def offered() -> bool:  # orders learns of the assistant from the identity topic
            answer = await orders_api.post(f"/orders/{order_id}/offers", json={}, headers=as_assistant)
            return answer.status_code == 201

        await until(offered)
        [offer] = (await orders_api.get(f"/orders/{order_id}", headers=as_seeker)).json()["offers"]
        awarded = await orders_api.post(f"/orders/{order_id}/offers/{offer['offer_id']}/accept", headers=as_seeker)
        assert awarded.status_code == 200, awarded.text

        contract_id = contract_id_for_offer(offer["offer_id"])
        base = f"/assistance/{contract_id}"

        async def opened() -> bool:
            return (await contracts_api.get(base, headers=as_coordinator)).status_code == 200

        await until(opened)
        slot = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
        draft = {
            "activities": ["shopping"],
            "schedule": "Am Termin des Auftrags, 9–11 Uhr",
            "hourly_rate_cents": 3100,
            "payer": "relief_amount",
            "starts_on": (date.today() + timedelta(days=9)).isoformat(),
            "notice_weeks": 2,
        }
        steps = [
            ("meeting-proposals", as_coordinator, {"json": {"slots": [slot]}}),
            ("meeting", as_seeker, {"json": {"slot": slot}}),
            ("meeting/held", as_coordinator, {}),  # the contract comes after the get-to-know meeting
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
        ]
        for path, headers, kwargs in steps:
            answer = await contracts_api.post(f"{base}/{path}", headers=headers, **kwargs)
            assert answer.status_code == 200, (path, answer.text)
        assert answer.json()["status"] == "ratified"

        async def fulfilled() -> bool:
            detail = await orders_api.get(f"/orders/{order_id}", headers=as_seeker)
            return detail.json()["status"] == "fulfilled"

        await until(fulfilled)
