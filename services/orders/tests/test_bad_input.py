"""Bad input → 422 problem+json naming the field, and nothing is stored."""

from __future__ import annotations

import pytest
from orders_support import in_days, one_time_body, recurring_body


def schedule(body: dict, **changes) -> dict:
    return body | {"schedule": body["schedule"] | changes}


CASES = [
    ("end before start", schedule(one_time_body(), start="11:00", end="09:00"), "schedule.end"),
    ("past date", schedule(one_time_body(), date=in_days(-1)), "schedule.date"),
    ("one-time without date", schedule(one_time_body(), date=None), "schedule.date"),
    ("unknown activity", one_time_body(activities=["juggling"]), "activities.0"),
    ("no activity", one_time_body(activities=[]), "activities"),
    ("unknown trait", one_time_body(traits=["tall"]), "traits.0"),
    (
        "interval without count",
        schedule(recurring_body(), appointments_per_interval=None),
        "schedule.appointments_per_interval",
    ),
    (
        "count out of range",
        schedule(recurring_body(), appointments_per_interval=20),
        "schedule.appointments_per_interval",
    ),
    ("unknown interval", schedule(recurring_body(), interval="daily"), "schedule.interval"),
    ("recurring without weekly times", schedule(recurring_body(), ranges=[]), "schedule.ranges"),
    (
        "weekly range ending before it starts",
        schedule(recurring_body(), ranges=[{"weekday": 1, "start": "16:00", "end": "14:00"}]),
        "schedule.ranges.0",
    ),
    ("recurring end before start", schedule(recurring_body(), end_date=in_days(1)), "schedule.end_date"),
    ("recurring starting in the past", schedule(recurring_body(), start_date=in_days(-7)), "schedule.start_date"),
    ("unknown kind", schedule(one_time_body(), kind="sometimes"), "schedule.kind"),
    ("unknown postcode", one_time_body(postcode="00000"), "postcode"),
    ("malformed postcode", one_time_body(postcode="3015"), "postcode"),
    ("distance zero", one_time_body(max_distance_km=0), "max_distance_km"),
    ("distance too far", one_time_body(max_distance_km=500), "max_distance_km"),
    ("description too long", one_time_body(description="x" * 2001), "description"),
    ("unknown field", one_time_body(colour="blue"), "colour"),
]


@pytest.mark.parametrize(("body", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_bad_order_is_refused_naming_the_field_and_nothing_is_stored(client, as_, new_id, body, field):
    me = as_(new_id("seeker-"), "seeker")
    answer = await client.post("/orders", json=body, headers=me)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert (await client.get("/orders", headers=me)).json()["total"] == 0


async def test_bad_edit_changes_nothing(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    created = (await client.post("/orders", json=one_time_body(), headers=me)).json()
    answer = await client.put(f"/orders/{created['order_id']}", json=one_time_body(postcode="00000"), headers=me)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "postcode"
    after = (await client.get(f"/orders/{created['order_id']}", headers=me)).json()
    assert (after["version"], after["postcode"]) == (created["version"], "30159")


@pytest.mark.parametrize(
    ("headers", "field"), [({"If-Match": "yesterday"}, "If-Match"), ({"Idempotency-Key": "short"}, "Idempotency-Key")]
)
async def test_bad_headers_name_the_header(client, as_, new_id, headers, field):
    me = as_(new_id("seeker-"), "seeker")
    created = (await client.post("/orders", json=one_time_body(), headers=me)).json()
    path = f"/orders/{created['order_id']}/publish" if field == "If-Match" else "/orders"
    answer = await client.post(path, json=one_time_body() if field != "If-Match" else None, headers=me | headers)
    assert answer.status_code == 422 and field in [e["field"] for e in answer.json()["errors"]]
    assert (await client.get(f"/orders/{created['order_id']}", headers=me)).json()["status"] == "draft"
    assert (await client.get("/orders", headers=me)).json()["total"] == 1


async def test_bad_offer_input_is_refused(client, as_, new_id):
    me = as_(new_id("seeker-"), "seeker")
    order_id = (await client.post("/orders", json=one_time_body(), headers=me)).json()["order_id"]
    answer = await client.post(
        f"/orders/{order_id}/offers", json={"kind": "friend"}, headers=as_(new_id("a-"), "assistant")
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "kind"
    proposal = await client.post(
        f"/orders/{order_id}/offers/x/proposal", json={}, headers=as_(new_id("c-"), "coordinator", organisation_id="o")
    )
    assert proposal.status_code == 422 and proposal.json()["errors"][0]["field"] == "assistant_id"
