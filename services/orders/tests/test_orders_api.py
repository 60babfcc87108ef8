"""Order lifecycle over HTTP on the real stack: draft, publish, edit, withdraw, delete, conflicts."""

from __future__ import annotations

import asyncio
import json

from orders_support import events_on, one_time_body, recurring_body
from sqlalchemy import Text, func, select

from teilhabe_kit.tables import event_store


async def test_draft_then_publish_puts_order_published_on_kafka_without_the_description(service, client, as_, new_id):
    seeker = new_id("seeker-")
    me = as_(seeker, "seeker")
    created = await client.post("/orders", json=one_time_body(), headers=me)
    assert created.status_code == 201, created.text
    order_id = created.json()["order_id"]
    assert created.json()["status"] == "draft"

    published = await client.post(f"/orders/{order_id}/publish", headers=me)
    assert published.status_code == 200, published.text
    detail = published.json()
    assert (detail["status"], detail["revision"], detail["place"]) == ("published", 1, {"lat": 52.37, "lon": 9.74})
    assert detail["description"] == one_time_body()["description"]

    events = await events_on(
        service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderDrafted", "OrderPublished"}
    )
    assert [e.event_type for e in events] == ["OrderDrafted", "OrderPublished"]
    drafted, release = events
    assert drafted.payload == {"seeker_id": seeker, "created_by": seeker}
    assert release.payload == {
        "seeker_id": seeker,
        "revision": 1,
        "schedule": {
            "kind": "one_time",
            "date": one_time_body()["schedule"]["date"],
            "start": "09:00:00",
            "end": "11:30:00",
        },
        "activities": ["shopping", "walks"],
        "traits": ["non_smoker"],
        "place": {"lat": 52.37, "lon": 9.74},
        "max_distance_km": 15.0,
        "transport_needed": True,
    }
    assert (release.stream_version, release.actor_id) == (3, seeker)
    raw = json.dumps([e.model_dump(mode="json") for e in events])
    assert "Beispiel" not in raw and "Einkaufen" not in raw


async def test_description_is_sealed_at_rest(service, client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    async with service.engine.connect() as conn:
        stored = await conn.scalar(
            select(func.string_agg(event_store.c.payload.cast(Text), " ")).where(event_store.c.stream_id == order_id)
        )
    assert "Beispiel" not in stored and "sealed:v1:" in stored


async def test_editing_a_published_order_republishes_it_with_the_next_revision(service, client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=recurring_body(), headers=me)).json()["order_id"]
    version = (await client.post(f"/orders/{order_id}/publish", headers=me)).json()["version"]
    changed = await client.put(
        f"/orders/{order_id}", json=recurring_body(max_distance_km=30), headers=me | {"If-Match": str(version)}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["revision"], changed.json()["max_distance_km"]) == (2, 30)
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderChanged"})
    [republished] = [e for e in events if e.event_type == "OrderChanged"]
    assert (republished.payload["revision"], republished.payload["max_distance_km"]) == (2, 30.0)
    assert republished.payload["schedule"]["interval"] == "biweekly"


async def test_stale_version_is_refused_with_409_and_nothing_changes(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    stale = await client.put(
        f"/orders/{order_id}", json=one_time_body(max_distance_km=40), headers=me | {"If-Match": "1"}
    )
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"/orders/{order_id}", headers=me)).json()["max_distance_km"] == 15


async def test_concurrent_changes_of_the_same_version_let_exactly_one_win(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    created = (await client.post("/orders", json=one_time_body(), headers=me)).json()
    answers = await asyncio.gather(
        *(
            client.put(
                f"/orders/{created['order_id']}",
                json=one_time_body(max_distance_km=20 + n),
                headers=me | {"If-Match": str(created["version"])},
            )
            for n in range(6)
        )
    )
    assert sorted(a.status_code for a in answers) == [200] + [409] * 5


async def test_concurrent_publish_and_withdraw_without_if_match_never_both_apply_blindly(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    answers = await asyncio.gather(
        *(client.post(f"/orders/{order_id}/{action}", headers=me) for action in ("publish", "withdraw") * 3)
    )
    assert {a.status_code for a in answers} <= {200, 409}
    withdrawn = any(a.status_code == 200 for a in answers[1::2])
    final = (await client.get(f"/orders/{order_id}", headers=me)).json()
    assert final["status"] == ("withdrawn" if withdrawn else "published")


async def test_withdrawal_is_published_and_the_order_stays_in_the_history(service, client, as_, new_id):
    seeker = new_id("seeker-")
    me = as_(seeker, "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    await client.post(f"/orders/{order_id}/publish", headers=me)
    withdrawn = await client.post(f"/orders/{order_id}/withdraw", headers=me)
    assert withdrawn.json()["status"] == "withdrawn"
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderWithdrawn"})
    assert events[-1].payload == {"seeker_id": seeker, "deleted": False}
    listed = (await client.get("/orders", params={"status": "withdrawn"}, headers=me)).json()
    assert [o["order_id"] for o in listed["items"]] == [order_id]
    assert (await client.post(f"/orders/{order_id}/publish", headers=me)).status_code == 409


async def test_deleted_order_is_gone_from_lists_and_detail(service, client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    assert (await client.delete(f"/orders/{order_id}", headers=me)).status_code == 204
    assert (await client.get(f"/orders/{order_id}", headers=me)).status_code == 404
    assert (await client.get("/orders", headers=me)).json()["total"] == 0
    events = await events_on(service.bootstrap, service.settings.orders_topic, order_id, until_types={"OrderWithdrawn"})
    assert events[-1].payload["deleted"] is True


async def test_seeker_list_is_paginated_newest_first(client, as_, new_id):
    seeker = new_id("seeker-")
    me = as_(seeker, "seeker")
    ids = [(await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"] for _ in range(3)]
    first = (await client.get("/orders", params={"page_size": 2}, headers=me)).json()
    second = (await client.get("/orders", params={"page_size": 2, "page": 2}, headers=me)).json()
    assert first["total"] == second["total"] == 3
    assert [o["order_id"] for o in first["items"] + second["items"]] == ids[::-1]
    assert {o["seeker_id"] for o in first["items"]} == {seeker}


async def test_guardian_drafts_for_a_ward_and_the_ward_sees_it(client, as_, new_id):
    ward, guardian = new_id("ward-"), new_id("guardian-")
    created = await client.post(
        "/orders", json=one_time_body(seeker_id=ward), headers=as_(guardian, "guardian", acting_for=[ward])
    )
    assert created.status_code == 201, created.text
    order = (await client.get(f"/orders/{created.json()['order_id']}", headers=as_(ward, "seeker"))).json()
    assert (order["seeker_id"], order["created_by"]) == (ward, guardian)


async def test_idempotency_key_makes_a_retried_create_answer_the_same(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    key = {"Idempotency-Key": new_id("create-")}
    first = await client.post("/orders", json=one_time_body(), headers=me | key)
    again = await client.post("/orders", json=one_time_body(), headers=me | key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    assert (await client.get("/orders", headers=me)).json()["total"] == 1


async def test_saving_unchanged_terms_appends_nothing(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    published = (await client.post(f"/orders/{order_id}/publish", headers=me)).json()
    again = (await client.put(f"/orders/{order_id}", json=one_time_body(), headers=me)).json()
    assert (again["version"], again["revision"]) == (published["version"], 1)
    described = (await client.put(f"/orders/{order_id}", json=one_time_body(description="Neu."), headers=me)).json()
    assert (described["version"], described["revision"], described["description"]) == (
        published["version"] + 1,
        1,
        "Neu.",
    )
