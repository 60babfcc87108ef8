"""What other contexts' events do to orders: a ratified contract fulfils the order, a contract
declined after the meeting ends the award, an erased account loses its orders and its key."""

from __future__ import annotations

from orders_support import active_account, events_on, in_days, one_time_body, publish, until

from orders.readmodels.queries import order_row
from teilhabe_events.contexts.contracts import ContractDeclined, ContractRatified
from teilhabe_events.contexts.identity import AccountErased
from teilhabe_kit import sealing


async def awarded_order(service, client, as_, new_id):
    seeker, assistant = new_id("seeker-"), new_id("assistant-")
    await active_account(service, assistant, "assistant", "org-r")
    me = as_(seeker, "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    await client.post(f"/orders/{order_id}/publish", headers=me)
    offer_id = (await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))).json()["offer_id"]
    await client.post(f"/orders/{order_id}/offers/{offer_id}/accept", headers=me)
    return seeker, assistant, me, order_id, offer_id


async def status_of(client, order_id, headers):
    return (await client.get(f"/orders/{order_id}", headers=headers)).json()


async def test_ratified_contract_fulfils_the_order(service, client, as_, new_id):
    seeker, assistant, me, order_id, offer_id = await awarded_order(service, client, as_, new_id)
    contract_id = new_id("contract-")
    await publish(
        service.bootstrap,
        service.settings.contracts_topic,
        contract_id,
        ContractRatified(
            contract_id=contract_id,
            order_id=order_id,
            offer_id=offer_id,
            seeker_id=seeker,
            assistant_id=assistant,
            organisation_id="org-r",
            starts_on=in_days(20),
            ratified_by="coord-r",
        ),
        first_version=7,
    )

    async def fulfilled():
        return (await status_of(client, order_id, me))["status"] == "fulfilled"

    await until(fulfilled)
    assert (await status_of(client, order_id, me))["contract_id"] == contract_id
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderFulfilled"})
    assert events[-1].payload == {"seeker_id": seeker, "contract_id": contract_id}
    assert (await client.post(f"/orders/{order_id}/withdraw", headers=me)).status_code == 409


async def test_contract_declined_after_meeting_ends_the_award_and_reopens_the_order(service, client, as_, new_id):
    seeker, _, me, order_id, offer_id = await awarded_order(service, client, as_, new_id)
    contract_id = new_id("contract-")
    await publish(
        service.bootstrap,
        service.settings.contracts_topic,
        contract_id,
        ContractDeclined(
            contract_id=contract_id,
            order_id=order_id,
            offer_id=offer_id,
            seeker_id=seeker,
            declined_by=seeker,
            party="seeker",
        ),
        first_version=3,
    )

    async def reopened():
        return (await status_of(client, order_id, me))["status"] == "published"

    await until(reopened)
    detail = await status_of(client, order_id, me)
    assert detail["awarded_offer_id"] is None and detail["offers"][0]["status"] == "ended"
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"AwardEnded"})
    assert events[-1].payload == {"offer_id": offer_id, "seeker_id": seeker, "reason": "declined_after_meeting"}


async def test_unknown_contract_events_are_ignored(service, client, as_, new_id):
    """Tolerant consumer: a type it does not handle, or one naming an unknown order, changes nothing."""
    _, _, me, order_id, offer_id = await awarded_order(service, client, as_, new_id)
    contract_id = new_id("contract-")
    await publish(
        service.bootstrap,
        service.settings.contracts_topic,
        contract_id,
        ContractDeclined(
            contract_id=contract_id,
            order_id=new_id("order-"),
            offer_id=offer_id,
            seeker_id="s",
            declined_by="s",
            party="seeker",
        ),
    )
    await publish(
        service.bootstrap,
        service.settings.contracts_topic,
        contract_id,
        ContractRatified(
            contract_id=contract_id,
            order_id=order_id,
            offer_id=new_id("other-offer-"),
            seeker_id="s",
            assistant_id="a",
            organisation_id=None,
            starts_on=in_days(3),
            ratified_by="c",
        ),
        first_version=2,
    )
    await publish(
        service.bootstrap,
        service.settings.contracts_topic,
        contract_id,
        ContractDeclined(
            contract_id=contract_id,
            order_id=order_id,
            offer_id=offer_id,
            seeker_id="s",
            declined_by="s",
            party="seeker",
        ),
        first_version=3,
    )

    async def marker_applied():
        return (await status_of(client, order_id, me))["status"] == "published"

    await until(marker_applied)  # same key, same partition: the two before it were handled first
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"AwardEnded"})
    assert "OrderFulfilled" not in [e.event_type for e in events]


async def test_erased_seeker_loses_open_orders_and_description(service, client, as_, new_id):
    seeker = new_id("seeker-")
    me = as_(seeker, "seeker")
    draft = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    published = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    await client.post(f"/orders/{published}/publish", headers=me)
    await publish(service.bootstrap, service.settings.identity_topic, seeker, AccountErased(), first_version=9)

    async def erased():
        async with service.engine.connect() as conn:
            return await sealing.is_erased(conn, seeker)

    await until(erased)
    assert (await client.get("/orders", headers=me)).json()["total"] == 0
    for order_id in (draft, published):
        events = await events_on(
            service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderWithdrawn"}
        )
        assert events[-1].payload == {"seeker_id": seeker, "deleted": True}
        assert events[-1].actor_id is None
    async with service.engine.connect() as conn:
        row = await order_row(conn, published)
        assert await sealing.unseal(conn, seeker, row.description) is None


async def test_erased_assistant_offers_are_withdrawn(service, client, as_, new_id):
    assistant = new_id("assistant-")
    await active_account(service, assistant, "assistant", None)
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    await client.post(f"/orders/{order_id}/publish", headers=me)
    await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))
    await publish(service.bootstrap, service.settings.identity_topic, assistant, AccountErased(), first_version=4)

    async def withdrawn():
        return (await status_of(client, order_id, me))["offers"][0]["status"] == "withdrawn"

    await until(withdrawn)
    assert (await status_of(client, order_id, me))["open_offers"] == 0
