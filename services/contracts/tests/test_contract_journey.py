"""Real stack: OfferAccepted on Kafka → meeting → draft → two signatures → ratification → ContractRatified on Kafka."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta

from contracts_support import PASSWORD, PNG
from pypdf import PdfReader

from contracts.app.assistance import contract_id_for_offer
from teilhabe_events.contexts.orders import OfferAccepted, OrderWithdrawn

TERMS = {
    "activities": ["shopping", "walks"],
    "schedule": "Dienstags 10–12 Uhr, Einkauf und Spaziergang an der Rhume",
    "hourly_rate_cents": 3250,
    "payer": "relief_amount",
    "starts_on": (date.today() + timedelta(days=7)).isoformat(),
    "notice_weeks": 4,
}


async def wait_for_contract(client, contract_id: str, headers: dict, timeout_s: float = 30) -> dict:
    async with asyncio.timeout(timeout_s):
        while True:
            response = await client.get(f"/api/v1/contracts/assistance/{contract_id}", headers=headers)
            if response.status_code == 200:
                return response.json()
            await asyncio.sleep(0.2)


async def accepted_offer(publish, ids, *, organisation_id: str | None):
    order_id, offer_id, seeker, assistant = ids("order-"), ids("offer-"), ids("seeker-"), ids("assistant-")
    await publish(
        OfferAccepted(offer_id=offer_id, seeker_id=seeker, assistant_id=assistant, provider_id=organisation_id),
        stream_id=order_id,
        stream_version=5,
    )
    return order_id, offer_id, seeker, assistant, contract_id_for_offer(offer_id)


async def test_accepted_offer_becomes_a_ratified_contract_on_kafka(
    client, as_, ids, publish, kafka_events, contracts_app
):
    provider = ids("provider-")
    order_id, offer_id, seeker_id, assistant_id, contract_id = await accepted_offer(
        publish, ids, organisation_id=provider
    )
    seeker = as_(seeker_id, "seeker")
    assistant = as_(assistant_id, "assistant")
    coordinator = as_(ids("coordinator-"), "coordinator", organisation_id=provider)

    opened = await wait_for_contract(client, contract_id, coordinator)
    assert opened["status"] == "opened" and opened["order_id"] == order_id

    slots = [(datetime.now(UTC) + timedelta(days=d)).replace(microsecond=0) for d in (2, 3)]
    proposed = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/meeting-proposals",
        json={"slots": [s.isoformat() for s in slots]},
        headers=coordinator,
    )
    assert proposed.status_code == 200, proposed.text
    picked = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/meeting", json={"slot": slots[1].isoformat()}, headers=seeker
    )
    assert picked.status_code == 200 and picked.json()["status"] == "meeting_scheduled"

    base = f"/api/v1/contracts/assistance/{contract_id}"
    too_early = await client.post(f"{base}/draft", json=TERMS, headers=coordinator)
    assert too_early.status_code == 409 and "Kennenlern-Treffen" in too_early.json()["detail"]
    not_yet = await client.post(f"{base}/meeting/held", json={"held_at": slots[1].isoformat()}, headers=coordinator)
    assert not_yet.status_code == 422 and not_yet.json()["errors"][0]["field"] == "held_at"  # still in the future
    assert (await client.post(f"{base}/meeting/held", headers=seeker)).status_code == 403
    held = await client.post(f"{base}/meeting/held", headers=coordinator)
    assert held.status_code == 200 and held.json()["status"] == "meeting_held"

    drafted = await client.post(f"/api/v1/contracts/assistance/{contract_id}/draft", json=TERMS, headers=coordinator)
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["terms"]["schedule"] == TERMS["schedule"]
    printable = await client.get(f"/api/v1/contracts/assistance/{contract_id}/contract.pdf", headers=assistant)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(printable.content)).pages)
    for expected in (
        "Dienstags 10–12 Uhr, Einkauf und Spaziergang an der Rhume",
        "32,50 €",
        "Einkaufen",
        "Entlastungsbetrag der Pflegeversicherung",
        "Kündigungsfrist: 4 Wochen",
    ):
        assert expected in text

    wrong = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/signatures",
        json={"party": "seeker", "password": "falsch"},
        headers=seeker,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    too_early = await client.post(f"/api/v1/contracts/assistance/{contract_id}/ratification", headers=coordinator)
    assert too_early.status_code == 409

    signed = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/signatures",
        json={"party": "seeker", "password": PASSWORD},
        headers=seeker,
    )
    assert signed.status_code == 200 and signed.json()["signed"] == ["seeker"]
    assert f"refresh-{seeker_id}" in contracts_app.identity_logouts  # the check left no session open
    scan = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/signatures/scan",
        data={"party": "assistant"},
        files={"file": ("vertrag.png", PNG, "image/png")},
        headers=assistant,
    )
    assert scan.status_code == 200, scan.text
    assert scan.json()["signed"] == ["assistant", "seeker"]
    document = scan.json()["documents"][0]
    downloaded = await client.get(
        f"/api/v1/contracts/assistance/{contract_id}/documents/{document['document_id']}", headers=seeker
    )
    assert downloaded.content == PNG

    ratified = await client.post(f"/api/v1/contracts/assistance/{contract_id}/ratification", headers=coordinator)
    assert ratified.status_code == 200 and ratified.json()["status"] == "ratified"

    events = await kafka_events("contracts.contract.v1", contract_id, {"ContractRatified"})
    types = [e.event_type for e in events]
    assert types == [
        "ContractProcessOpened",
        "MeetingProposed",
        "MeetingScheduled",
        "ContractDrafted",
        "ContractSigned",
        "ContractSigned",
        "ContractRatified",
    ]
    ratified_event = events[-1].payload
    assert ratified_event | {"ratified_by": None} == {
        "contract_id": contract_id,
        "order_id": order_id,
        "offer_id": offer_id,
        "seeker_id": seeker_id,
        "assistant_id": assistant_id,
        "organisation_id": provider,
        "starts_on": TERMS["starts_on"],
        "ratified_by": None,
    }
    # nothing personal on the topic: no terms, no schedule text
    assert all("schedule" not in e.payload and "payer" not in e.payload for e in events)

    planned = await client.get("/api/v1/contracts/assistance", params={"view": "planned"}, headers=assistant)
    assert contract_id in [c["contract_id"] for c in planned.json()]  # ratified, starts in a week
    active = await client.get("/api/v1/contracts/assistance", params={"view": "active"}, headers=assistant)
    assert contract_id not in [c["contract_id"] for c in active.json()]


async def test_redelivered_offer_opens_one_process(client, as_, ids, publish, kafka_events):
    order_id, offer_id, seeker_id, assistant_id, contract_id = await accepted_offer(publish, ids, organisation_id=None)
    await publish(
        OfferAccepted(offer_id=offer_id, seeker_id=seeker_id, assistant_id=assistant_id, provider_id=None),
        stream_id=order_id,
        stream_version=5,
    )
    await publish(OrderWithdrawn(seeker_id=seeker_id), stream_id=order_id, stream_version=6)
    events = await kafka_events("contracts.contract.v1", contract_id, {"ContractProcessCancelled"})
    assert [e.event_type for e in events] == ["ContractProcessOpened", "ContractProcessCancelled"]
    finished = await wait_for_contract(client, contract_id, as_(seeker_id, "seeker"))
    assert finished["status"] == "cancelled"


async def test_award_ended_for_another_offer_or_after_our_decline_leaves_the_process(
    client, as_, ids, publish, kafka_events
):
    from teilhabe_events.contexts.orders import AwardEnded

    order_id, offer_id, seeker_id, assistant_id, contract_id = await accepted_offer(publish, ids, organisation_id=None)
    await wait_for_contract(client, contract_id, as_(seeker_id, "seeker"))
    await publish(
        AwardEnded(offer_id=ids("other-offer-"), seeker_id=seeker_id, reason="withdrawn"),
        stream_id=order_id,
        stream_version=6,
    )
    await publish(
        AwardEnded(offer_id=offer_id, seeker_id=seeker_id, reason="declined_after_meeting"),
        stream_id=order_id,
        stream_version=7,
    )
    await publish(OrderWithdrawn(seeker_id=seeker_id), stream_id=order_id, stream_version=8)
    events = await kafka_events("contracts.contract.v1", contract_id, {"ContractProcessCancelled"})
    assert [e.event_type for e in events] == ["ContractProcessOpened", "ContractProcessCancelled"]
    assert events[-1].payload["reason"] == "order_withdrawn"  # the two AwardEnded changed nothing


async def test_declined_after_meeting_names_the_reason(client, as_, ids, publish, kafka_events):
    order_id, offer_id, seeker_id, assistant_id, contract_id = await accepted_offer(publish, ids, organisation_id=None)
    self_employed = as_(assistant_id, "assistant")
    seeker = as_(seeker_id, "seeker")
    await wait_for_contract(client, contract_id, seeker)
    slot = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    base = f"/api/v1/contracts/assistance/{contract_id}"
    early = await client.post(f"{base}/decline", headers=seeker)
    assert early.status_code == 409  # before a meeting there is nothing to decline after
    assert (
        await client.post(f"{base}/meeting-proposals", json={"slots": [slot]}, headers=self_employed)
    ).status_code == 200
    assert (await client.post(f"{base}/meeting", json={"slot": slot}, headers=seeker)).status_code == 200
    declined = await client.post(f"{base}/decline", headers=seeker)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    events = await kafka_events("contracts.contract.v1", contract_id, {"ContractDeclined"})
    assert events[-1].payload["reason"] == "declined_after_meeting"
    assert events[-1].payload["offer_id"] == offer_id and events[-1].payload["party"] == "seeker"


async def test_a_broken_offer_accepted_goes_to_the_dead_letter_topic(ids, kafka_bootstrap, contracts_app):
    from aiokafka import AIOKafkaConsumer

    from teilhabe_events import encode, new_envelope
    from teilhabe_kit.testing import publish_raw

    order_id = ids("order-")
    broken = new_envelope(
        event_type="OfferAccepted",
        schema_version=1,
        stream_type="order",
        stream_id=order_id,
        stream_version=2,
        payload={"offer_id": ids("offer-")},
    )  # no seeker, no assistant
    topic = contracts_app.settings.orders_topic
    await publish_raw(kafka_bootstrap, topic, encode(broken), key=order_id.encode())
    consumer = AIOKafkaConsumer(
        f"{topic}.dlq",
        bootstrap_servers=kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            while True:
                records = [r for batch in (await consumer.getmany(timeout_ms=500)).values() for r in batch]
                mine = [
                    r
                    for r in records
                    if r.key == order_id.encode()
                    and dict(r.headers).get("dlq.consumer")
                    == f"{contracts_app.settings.consumer_group_prefix}.order-events".encode()
                ]
                if mine:
                    break
    finally:
        await consumer.stop()
    assert b"seeker_id" in dict(mine[0].headers)["dlq.error"]


async def test_seeker_and_assistant_signing_at_the_same_moment_both_count(client, as_, ids, publish):
    from contracts_support import open_contract, terms

    provider, seeker_id, assistant_id = ids("provider-"), ids("seeker-"), ids("assistant-")
    seeker, assistant = as_(seeker_id, "seeker"), as_(assistant_id, "assistant")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider)
    contract_id = await open_contract(
        client,
        publish,
        coordinator,
        offer_id=ids("offer-"),
        order_id=ids("order-"),
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=provider,
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    slot = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    await client.post(f"{base}/meeting-proposals", json={"slots": [slot]}, headers=coordinator)
    await client.post(f"{base}/meeting", json={"slot": slot}, headers=seeker)
    await client.post(f"{base}/meeting/held", headers=coordinator)
    await client.post(f"{base}/draft", json=terms(date.today().isoformat()), headers=coordinator)
    for _ in range(3):  # a few rounds make a real overlap likely
        answers = await asyncio.gather(
            client.post(f"{base}/signatures", json={"party": "seeker", "password": PASSWORD}, headers=seeker),
            client.post(f"{base}/signatures", json={"party": "assistant", "password": PASSWORD}, headers=assistant),
        )
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert (await client.get(base, headers=seeker)).json()["signed"] == ["assistant", "seeker"]
        redraft = await client.post(f"{base}/draft", json=terms(date.today().isoformat()), headers=coordinator)
        assert redraft.json()["signed"] == []
