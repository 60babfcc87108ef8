"""Offers over HTTP on the real stack: assistant offer → award (OfferAccepted on Kafka), the
provider path (request → proposal → award), decline, withdrawal, lists of offers."""

from __future__ import annotations

from orders_support import active_account, events_on, one_time_body


async def published_order(client, headers) -> str:
    order_id = (await client.post("/orders", json=one_time_body(), headers=headers)).json()["order_id"]
    assert (await client.post(f"/orders/{order_id}/publish", headers=headers)).status_code == 200
    return order_id


async def test_assistant_offers_and_the_seeker_awards_offer_accepted_on_kafka(service, client, as_, new_id):
    seeker, assistant, org = new_id("seeker-"), new_id("assistant-"), new_id("org-")
    await active_account(service, assistant, "assistant", org)
    me = as_(seeker, "seeker")
    order_id = await published_order(client, me)

    offered = await client.post(
        f"/orders/{order_id}/offers", json={"from_request": True}, headers=as_(assistant, "assistant")
    )
    assert offered.status_code == 201, offered.text
    offer_id = offered.json()["offer_id"]
    in_progress = (await client.get(f"/orders/{order_id}", headers=me)).json()
    assert [(o["offer_id"], o["status"], o["kind"]) for o in in_progress["offers"]] == [
        (offer_id, "submitted", "assistant")
    ]
    assert in_progress["open_offers"] == 1

    awarded = await client.post(f"/orders/{order_id}/offers/{offer_id}/accept", headers=me)
    assert awarded.status_code == 200, awarded.text
    assert (awarded.json()["status"], awarded.json()["awarded_offer_id"]) == ("awarded", offer_id)

    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OfferAccepted"})
    assert [e.event_type for e in events] == ["OrderDrafted", "OrderPublished", "OfferSubmitted", "OfferAccepted"]
    submitted, accepted = events[2:]
    assert submitted.payload == {
        "offer_id": offer_id,
        "seeker_id": seeker,
        "kind": "assistant",
        "assistant_id": assistant,
        "organisation_id": org,
        "submitted_by": assistant,
        "from_request": True,
    }
    assert accepted.payload == {
        "offer_id": offer_id,
        "seeker_id": seeker,
        "assistant_id": assistant,
        "provider_id": org,
    }
    assert accepted.schema_version == 2
    assert accepted.actor_id == seeker


async def test_provider_offer_request_proposal_and_award(service, client, as_, new_id):
    seeker, assistant, org, coordinator = new_id("seeker-"), new_id("assistant-"), new_id("org-"), new_id("coord-")
    await active_account(service, assistant, "assistant", org)
    me, coord = as_(seeker, "seeker"), as_(coordinator, "coordinator", organisation_id=org)
    order_id = await published_order(client, me)

    offer_id = (await client.post(f"/orders/{order_id}/offers", headers=coord)).json()["offer_id"]
    too_early = await client.post(f"/orders/{order_id}/offers/{offer_id}/accept", headers=me)
    assert too_early.status_code == 409
    requested = await client.post(f"/orders/{order_id}/offers/{offer_id}/provider-request", headers=me)
    assert requested.json()["offers"][0]["status"] == "requested"
    proposed = await client.post(
        f"/orders/{order_id}/offers/{offer_id}/proposal", json={"assistant_id": assistant}, headers=coord
    )
    assert proposed.status_code == 200, proposed.text
    assert (proposed.json()["offers"][0]["status"], proposed.json()["offers"][0]["assistant_id"]) == (
        "proposed",
        assistant,
    )
    awarded = await client.post(f"/orders/{order_id}/offers/{offer_id}/accept", headers=me)
    assert awarded.json()["status"] == "awarded"

    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OfferAccepted"})
    types = [e.event_type for e in events]
    assert types[2:] == ["OfferSubmitted", "ProviderRequestSent", "AssistantProposed", "OfferAccepted"]
    assert events[-1].payload == {
        "offer_id": offer_id,
        "seeker_id": seeker,
        "assistant_id": assistant,
        "provider_id": org,
    }

    listed = (await client.get(f"/organisations/{org}/offers", headers=coord)).json()
    assert [(o["offer_id"], o["status"], o["order_status"]) for o in listed["items"]] == [
        (offer_id, "accepted", "awarded")
    ]


async def test_another_providers_assistant_cannot_be_proposed(service, client, as_, new_id):
    org, other = new_id("org-"), new_id("assistant-")
    await active_account(service, other, "assistant", new_id("org-"))
    me, coord = as_(new_id("seeker-"), "seeker"), as_(new_id("coord-"), "coordinator", organisation_id=org)
    order_id = await published_order(client, me)
    offer_id = (await client.post(f"/orders/{order_id}/offers", headers=coord)).json()["offer_id"]
    await client.post(f"/orders/{order_id}/offers/{offer_id}/provider-request", headers=me)
    refused = await client.post(
        f"/orders/{order_id}/offers/{offer_id}/proposal", json={"assistant_id": other}, headers=coord
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "assistant_id"


async def test_seeker_declines_and_assistant_withdraws(service, client, as_, new_id):
    anna, ben = new_id("assistant-"), new_id("assistant-")
    for assistant in (anna, ben):
        await active_account(service, assistant, "assistant", None)
    me = as_(new_id("seeker-"), "seeker")
    order_id = await published_order(client, me)
    anna_offer = (await client.post(f"/orders/{order_id}/offers", headers=as_(anna, "assistant"))).json()["offer_id"]
    ben_offer = (await client.post(f"/orders/{order_id}/offers", headers=as_(ben, "assistant"))).json()["offer_id"]

    declined = await client.post(f"/orders/{order_id}/offers/{anna_offer}/decline", headers=me)
    assert {o["offer_id"]: o["status"] for o in declined.json()["offers"]}[anna_offer] == "declined"
    withdrawn = await client.post(f"/orders/{order_id}/offers/{ben_offer}/withdraw", headers=as_(ben, "assistant"))
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["offer_id"], withdrawn.json()["status"]) == (ben_offer, "withdrawn")
    assert (await client.get(f"/orders/{order_id}", headers=me)).json()["open_offers"] == 0
    late = await client.post(f"/orders/{order_id}/offers/{anna_offer}/accept", headers=me)
    assert late.status_code == 409

    mine = (await client.get("/offers/mine", headers=as_(ben, "assistant"))).json()
    assert [(o["offer_id"], o["status"]) for o in mine["items"]] == [(ben_offer, "withdrawn")]
    events = await events_on(
        service.bootstrap, service.settings.orders_topic, order_id, until_types={"OfferDeclined", "OfferWithdrawn"}
    )
    assert {e.event_type for e in events} >= {"OfferDeclined", "OfferWithdrawn"}


async def test_inactive_or_unknown_assistant_cannot_offer(service, client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = await published_order(client, me)
    refused = await client.post(f"/orders/{order_id}/offers", headers=as_(new_id("assistant-"), "assistant"))
    assert refused.status_code == 403
    assert (await client.get(f"/orders/{order_id}", headers=me)).json()["offers"] == []


async def test_offer_twice_is_a_conflict_and_idempotency_key_replays(service, client, as_, new_id):
    assistant = new_id("assistant-")
    await active_account(service, assistant, "assistant", None)
    order_id = await published_order(client, as_(new_id("seeker-"), "seeker"))
    headers = as_(assistant, "assistant") | {"Idempotency-Key": new_id("offer-")}
    first = await client.post(f"/orders/{order_id}/offers", headers=headers)
    replayed = await client.post(f"/orders/{order_id}/offers", headers=headers)
    assert first.status_code == replayed.status_code == 201 and first.json() == replayed.json()
    again = await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))
    assert again.status_code == 409


async def test_deleting_an_awarded_order_ends_the_award(service, client, as_, new_id):
    assistant = new_id("assistant-")
    await active_account(service, assistant, "assistant", None)
    me = as_(new_id("seeker-"), "seeker")
    order_id = await published_order(client, me)
    offer_id = (await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))).json()["offer_id"]
    await client.post(f"/orders/{order_id}/offers/{offer_id}/accept", headers=me)
    assert (await client.delete(f"/orders/{order_id}", headers=me)).status_code == 204
    events = await events_on(
        service.bootstrap, service.settings.orders_topic, order_id, until_types={"AwardEnded", "OrderWithdrawn"}
    )
    assert [e.event_type for e in events][-2:] == ["AwardEnded", "OrderWithdrawn"]
    assert events[-2].payload == {
        "offer_id": offer_id,
        "seeker_id": events[-2].payload["seeker_id"],
        "reason": "order_deleted",
    }
    assert events[-3].payload["provider_id"] is None  # a self-employed assistant
