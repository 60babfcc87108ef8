"""Every endpoint refuses the wrong role (403) and the wrong owner (404, existence not revealed),
and nothing changes when it refuses."""

from __future__ import annotations

import httpx
import pytest
from orders_support import active_account, one_time_body


@pytest.fixture(scope="module")
async def market(service, as_, new_id):
    """A published order with an assistant's offer and a provider's offer; the people around it."""
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/orders", timeout=30) as client:
        return await _market(service, client, as_, new_id)


async def _market(service, client, as_, new_id):
    seeker, anna, org = new_id("seeker-"), new_id("assistant-"), new_id("org-")
    await active_account(service, anna, "assistant", org)
    people = {
        "seeker": as_(seeker, "seeker"),
        "other_seeker": as_(new_id("seeker-"), "seeker"),
        "anna": as_(anna, "assistant"),
        "coordinator": as_(new_id("coord-"), "coordinator", organisation_id=org),
        "other_coordinator": as_(new_id("coord-"), "coordinator", organisation_id=new_id("org-")),
        "guardian": as_(new_id("guardian-"), "guardian", acting_for=[new_id("ward-")]),
    }
    order_id = (await client.post("/orders", json=one_time_body(), headers=people["seeker"])).json()["order_id"]
    await client.post(f"/orders/{order_id}/publish", headers=people["seeker"])
    offer = (await client.post(f"/orders/{order_id}/offers", headers=people["anna"])).json()["offer_id"]
    provider_offer = (await client.post(f"/orders/{order_id}/offers", headers=people["coordinator"])).json()["offer_id"]
    return {"order_id": order_id, "offer": offer, "provider_offer": provider_offer, "org": org, "anna": anna, **people}


async def version(client, market) -> int:
    return (await client.get(f"/orders/{market['order_id']}", headers=market["seeker"])).json()["version"]


REFUSALS = [
    # (who, method, path, body, status)
    ("anna", "PUT", "/orders/{order_id}", one_time_body(), 403),
    ("other_seeker", "PUT", "/orders/{order_id}", one_time_body(), 404),
    ("other_seeker", "POST", "/orders/{order_id}/publish", None, 404),
    ("anna", "POST", "/orders/{order_id}/withdraw", None, 403),
    ("other_seeker", "POST", "/orders/{order_id}/withdraw", None, 404),
    ("guardian", "DELETE", "/orders/{order_id}", None, 404),
    ("coordinator", "DELETE", "/orders/{order_id}", None, 403),
    ("seeker", "POST", "/orders/{order_id}/offers", None, 403),
    ("other_seeker", "POST", "/orders/{order_id}/offers/{offer}/accept", None, 404),
    ("anna", "POST", "/orders/{order_id}/offers/{offer}/accept", None, 403),
    ("coordinator", "POST", "/orders/{order_id}/offers/{offer}/decline", None, 403),
    ("anna", "POST", "/orders/{order_id}/offers/{provider_offer}/provider-request", None, 403),
    ("other_coordinator", "POST", "/orders/{order_id}/offers/{provider_offer}/proposal", {"assistant_id": "x"}, 404),
    ("anna", "POST", "/orders/{order_id}/offers/{provider_offer}/proposal", {"assistant_id": "x"}, 404),
    ("seeker", "POST", "/orders/{order_id}/offers/{offer}/withdraw", None, 404),
    ("coordinator", "POST", "/orders/{order_id}/offers/{offer}/withdraw", None, 404),
    ("other_coordinator", "POST", "/orders/{order_id}/offers/{provider_offer}/withdraw", None, 404),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status"),
    REFUSALS,
    ids=[f"{r[0]} {r[1]} {r[2].split('}', 1)[-1] or '/'}" for r in REFUSALS],
)
async def test_wrong_role_or_owner_is_refused_and_nothing_changes(client, market, who, method, path, body, status):
    before = await version(client, market)
    answer = await client.request(method, path.format(**market), json=body, headers=market[who])
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await version(client, market) == before


async def test_without_a_token_every_endpoint_answers_401(client, market):
    for method, path in [
        ("GET", "/orders"),
        ("POST", "/orders"),
        ("GET", "/orders/{order_id}"),
        ("POST", "/orders/{order_id}/offers"),
        ("GET", "/offers/mine"),
    ]:
        assert (await client.request(method, path.format(**market))).status_code == 401


async def test_assistant_cannot_see_a_draft_nor_another_seekers_order(client, as_, market):
    draft = (await client.post("/orders", json=one_time_body(), headers=market["seeker"])).json()["order_id"]
    assert (await client.get(f"/orders/{draft}", headers=market["anna"])).status_code == 404
    assert (await client.post(f"/orders/{draft}/offers", headers=market["anna"])).status_code == 404
    assert (await client.get(f"/orders/{draft}", headers=market["other_seeker"])).status_code == 404
    assert (await client.get(f"/orders/{market['order_id']}", headers=market["other_seeker"])).status_code == 404


async def test_market_view_shows_only_ones_own_offers(client, market):
    seen_by_anna = (await client.get(f"/orders/{market['order_id']}", headers=market["anna"])).json()
    assert [o["offer_id"] for o in seen_by_anna["offers"]] == [market["offer"]]
    seen_by_other = (await client.get(f"/orders/{market['order_id']}", headers=market["other_coordinator"])).json()
    assert seen_by_other["offers"] == []
    assert len((await client.get(f"/orders/{market['order_id']}", headers=market["seeker"])).json()["offers"]) == 2


async def test_inactive_assistant_does_not_see_published_orders(client, as_, market, new_id):
    answer = await client.get(f"/orders/{market['order_id']}", headers=as_(new_id("assistant-"), "assistant"))
    assert answer.status_code == 404


async def test_lists_are_refused_to_the_wrong_role_and_owner(client, market):
    assert (await client.get("/orders", headers=market["anna"])).status_code == 403
    other = await client.get("/orders", params={"seeker_id": "someone-else"}, headers=market["seeker"])
    assert other.status_code == 403
    assert (await client.get("/offers/mine", headers=market["seeker"])).status_code == 403
    assert (await client.get(f"/organisations/{market['org']}/offers", headers=market["anna"])).status_code == 403
    foreign = await client.get(f"/organisations/{market['org']}/offers", headers=market["other_coordinator"])
    assert foreign.status_code == 404
    own = (await client.get(f"/organisations/{market['org']}/offers", headers=market["coordinator"])).json()
    assert {o["offer_id"] for o in own["items"]} == {market["offer"], market["provider_offer"]}


async def test_who_may_create_for_whom(client, as_, new_id):
    seeker = new_id("seeker-")
    assert (
        await client.post("/orders", json=one_time_body(), headers=as_(new_id("a-"), "assistant"))
    ).status_code == 403
    assert (
        await client.post("/orders", json=one_time_body(seeker_id="someone-else"), headers=as_(seeker, "seeker"))
    ).status_code == 403
    assert (
        await client.post(
            "/orders", json=one_time_body(seeker_id=seeker), headers=as_(new_id("g-"), "guardian", acting_for=["ward"])
        )
    ).status_code == 403
    unknown = await client.post(
        "/orders", json=one_time_body(seeker_id=seeker), headers=as_(new_id("c-"), "coordinator", organisation_id="org")
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "seeker_id"
    assert (await client.get("/orders", headers=as_(seeker, "seeker"))).json()["total"] == 0


async def test_an_applicant_not_yet_verified_may_not_order_assistance(client, as_, new_id):
    """An interested person's account (registered for a facility's offer) is limited to the enrollment."""
    applicant = as_(new_id("interested-"), "applicant")
    assert (await client.post("/orders", json=one_time_body(), headers=applicant)).status_code == 403
    assert (await client.get("/orders", headers=applicant)).status_code == 403


async def test_coordinator_drafts_for_an_active_seeker_but_never_awards(service, client, as_, new_id):
    seeker, coordinator, assistant = new_id("seeker-"), new_id("coord-"), new_id("assistant-")
    await active_account(service, seeker, "seeker")
    await active_account(service, assistant, "assistant", "org-c")
    coord = as_(coordinator, "coordinator", organisation_id="org-c")
    created = await client.post("/orders", json=one_time_body(seeker_id=seeker), headers=coord)
    assert created.status_code == 201, created.text
    order_id = created.json()["order_id"]
    assert (await client.post(f"/orders/{order_id}/publish", headers=coord)).status_code == 200
    listed = (await client.get("/orders", headers=coord)).json()
    assert [(o["order_id"], o["seeker_id"], o["created_by"]) for o in listed["items"]] == [
        (order_id, seeker, coordinator)
    ]
    offer = (await client.post(f"/orders/{order_id}/offers", headers=as_(assistant, "assistant"))).json()["offer_id"]
    assert (await client.post(f"/orders/{order_id}/offers/{offer}/accept", headers=coord)).status_code == 403
    assert (
        await client.post(f"/orders/{order_id}/offers/{offer}/accept", headers=as_(seeker, "seeker"))
    ).status_code == 200


async def test_a_stale_version_from_a_stranger_is_not_found_rather_than_a_conflict(client, market):
    """Authorization comes before the version check: a 409 would reveal that the order exists."""
    answer = await client.put(
        f"/orders/{market['order_id']}", json=one_time_body(), headers=market["other_seeker"] | {"If-Match": "1"}
    )
    assert answer.status_code == 404
