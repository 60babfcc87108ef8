"""The replay command rebuilds the views from the event store and the directory from identity's topic."""

from __future__ import annotations

from orders_support import active_account, one_time_body, recurring_body
from sqlalchemy import select

from orders.consumers.identity import AccountDirectory
from orders.readmodels.tables import accounts, offers_view, orders_view
from orders.replay import rebuild_views
from teilhabe_kit.replay import replay


async def snapshot(conn, order_ids):
    orders = (
        await conn.execute(
            select(orders_view).where(orders_view.c.order_id.in_(order_ids)).order_by(orders_view.c.order_id)
        )
    ).all()
    offers = (
        await conn.execute(
            select(offers_view).where(offers_view.c.order_id.in_(order_ids)).order_by(offers_view.c.offer_id)
        )
    ).all()
    return [tuple(r) for r in orders], [tuple(r) for r in offers]


async def test_views_rebuilt_from_the_event_store_equal_the_live_ones(service, client, as_, new_id):
    assistant = new_id("assistant-")
    await active_account(service, assistant, "assistant", "org-replay")
    me = as_(new_id("seeker-"), "seeker")
    ids = []
    for body in (one_time_body(), recurring_body()):
        order_id = (await client.post("/orders", json=body, headers=me)).json()["order_id"]
        await client.post(f"/orders/{order_id}/publish", headers=me)
        offer = (await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))).json()
        ids.append(order_id)
    await client.post(f"/orders/{ids[1]}/offers/{offer['offer_id']}/accept", headers=me)
    await client.delete(f"/orders/{ids[0]}", headers=me)
    async with service.engine.connect() as conn:
        live = await snapshot(conn, ids)

    async with service.engine.begin() as conn:
        report = await rebuild_views(conn)
        rebuilt = await snapshot(conn, ids)
    assert report.orders >= 2 and report.events >= 10
    assert rebuilt == live and len(live) == 2 and len(live[0]) == 2 and len(live[1]) == 2


async def test_directory_replays_from_identitys_topic_in_bulk_equal_to_the_live_one(service, new_id):
    assistant, seeker = new_id("assistant-"), new_id("seeker-")
    await active_account(service, assistant, "assistant", "org-replay")
    await active_account(service, seeker, "seeker")
    query = select(accounts).where(accounts.c.account_id.in_([assistant, seeker])).order_by(accounts.c.account_id)
    async with service.engine.connect() as conn:
        live = [tuple(r) for r in await conn.execute(query)]
    directory = AccountDirectory(service.settings.identity_topic, new_id("replay-"))
    report = await replay(service.engine, directory, service.bootstrap)
    assert report.applied >= 5 and report.skipped == 0
    async with service.engine.connect() as conn:
        rebuilt = [tuple(r) for r in await conn.execute(query)]
        row = (await conn.execute(select(accounts).where(accounts.c.account_id == assistant))).one()
    assert (row.role, row.organisation_id, row.activated) == ("assistant", "org-replay", True)
    assert rebuilt == live and len(live) == 2
