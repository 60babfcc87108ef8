"""Real stack: ratings (text stays sealed, not on Kafka), bookings, approval, CSV export, ending, views."""

from __future__ import annotations

from datetime import date

from contracts_support import ratified_contract

TODAY = date.today()


async def test_rating_bookings_export_and_end(client, as_, ids, publish, kafka_events):
    provider_id, seeker_id, assistant_id = ids("provider-"), ids("seeker-"), ids("assistant-")
    seeker, assistant = as_(seeker_id, "seeker"), as_(assistant_id, "assistant")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider_id)
    contract_id = await ratified_contract(
        client,
        publish,
        seeker=seeker,
        assistant=assistant,
        provider=coordinator,
        ids=ids,
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=provider_id,
        starts_on=TODAY.isoformat(),
        payer="integration_assistance",
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    period = TODAY.isoformat()[:7]

    rated = await client.post(
        f"{base}/ratings", json={"period": period, "stars": 5, "text": "Sehr zuverlässig, großartig!"}, headers=seeker
    )
    assert rated.status_code == 201, rated.text
    again = await client.post(f"{base}/ratings", json={"period": period, "stars": 1}, headers=seeker)
    assert again.status_code == 409
    overview = (await client.get(f"/api/v1/contracts/assistants/{assistant_id}/ratings", headers=assistant)).json()
    assert overview["count"] == 1 and overview["average"] == 5
    assert overview["ratings"][0]["text"] == "Sehr zuverlässig, großartig!"
    by_coordinator = await client.get(f"/api/v1/contracts/assistants/{assistant_id}/ratings", headers=coordinator)
    assert by_coordinator.status_code == 200

    key = {"Idempotency-Key": ids("booking-")}
    booked = await client.post(
        f"{base}/bookings", json={"worked_on": TODAY.isoformat(), "minutes": 90}, headers=assistant | key
    )
    assert booked.status_code == 201, booked.text
    retry = await client.post(
        f"{base}/bookings", json={"worked_on": TODAY.isoformat(), "minutes": 90}, headers=assistant | key
    )
    assert retry.json() == booked.json()
    booking_id = booked.json()["booking_id"]
    listed = (await client.get(f"{base}/bookings", headers=coordinator)).json()
    assert listed == [{"booking_id": booking_id, "worked_on": TODAY.isoformat(), "minutes": 90, "approved": False}]

    export_params = {"payer": "integration_assistance", "month": period}
    before = await client.get("/api/v1/contracts/bookings/export.csv", params=export_params, headers=coordinator)
    assert contract_id not in before.text  # only approved hours are billed
    approved = await client.post(f"{base}/bookings/{booking_id}/approval", headers=coordinator)
    assert approved.status_code == 200
    export = await client.get("/api/v1/contracts/bookings/export.csv", params=export_params, headers=coordinator)
    assert export.headers["content-type"].startswith("text/csv")
    rows = [line.split(";") for line in export.text.strip().splitlines()]
    assert rows[0][0] == "Vertrag"
    assert [contract_id, seeker_id, assistant_id, TODAY.isoformat(), "90", "3000", "4500"] in rows
    private = await client.get(
        "/api/v1/contracts/bookings/export.csv", params=export_params | {"payer": "private"}, headers=coordinator
    )
    assert contract_id not in private.text

    active = await client.get("/api/v1/contracts/assistance", params={"view": "active"}, headers=coordinator)
    assert contract_id in [c["contract_id"] for c in active.json()]
    ended = await client.post(
        f"{base}/end", json={"reason": "notice_by_seeker", "ends_on": TODAY.isoformat()}, headers=seeker
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    finished = await client.get("/api/v1/contracts/assistance", params={"view": "finished"}, headers=coordinator)
    assert contract_id in [c["contract_id"] for c in finished.json()]

    events = await kafka_events("contracts.contract.v1", contract_id, {"ContractEnded"})
    rated_events = [e for e in events if e.event_type == "AssistantRated"]
    assert [e.payload for e in rated_events] == [
        {"contract_id": contract_id, "assistant_id": assistant_id, "period": period, "stars": 5}
    ]
    assert not any("zuverlässig" in str(e.payload) for e in events)
    assert {"BookingRecorded", "BookingApproved", "ContractEnded"} <= {e.event_type for e in events}


async def test_a_provider_with_its_own_billing_system_takes_no_bookings(client, as_, ids, publish):
    provider_id, seeker_id, assistant_id = ids("provider-"), ids("seeker-"), ids("assistant-")
    seeker, assistant = as_(seeker_id, "seeker"), as_(assistant_id, "assistant")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider_id)
    contract_id = await ratified_contract(
        client,
        publish,
        seeker=seeker,
        assistant=assistant,
        provider=coordinator,
        ids=ids,
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=provider_id,
        starts_on=TODAY.isoformat(),
    )
    billing = f"/api/v1/contracts/providers/{provider_id}/billing"
    assert (
        await client.put(
            billing, json={"own_system": True}, headers=as_(ids("c-"), "coordinator", organisation_id=ids("p-"))
        )
    ).status_code == 404
    assert (await client.put(billing, json={"own_system": True}, headers=assistant)).status_code == 403
    assert (await client.put(billing, json={"own_system": "ja"}, headers=coordinator)).status_code == 422
    assert (await client.put(billing, json={"own_system": True}, headers=coordinator)).status_code == 200
    assert (await client.get(billing, headers=assistant)).json()["own_system"] is True
    refused = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/bookings",
        json={"worked_on": TODAY.isoformat(), "minutes": 60},
        headers=assistant,
    )
    assert refused.status_code == 409 and "eigenen System" in refused.json()["detail"]
    await client.put(billing, json={"own_system": False}, headers=coordinator)
    accepted = await client.post(
        f"/api/v1/contracts/assistance/{contract_id}/bookings",
        json={"worked_on": TODAY.isoformat(), "minutes": 60},
        headers=assistant,
    )
    assert accepted.status_code == 201
