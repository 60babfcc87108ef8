"""Matching on the real stack: events in, requests out on Kafka, queries over HTTP."""

import asyncio

from matching_support import Stream, assistant_events, new_id, new_place, order_terms, send_identity, settled, week

from teilhabe_events.contexts import orders as o
from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer


async def add_assistant(matching, place, **profile) -> str:
    stream = Stream(new_id("asst"))
    await send_identity(matching, stream, *assistant_events(place, **profile))
    return stream.stream_id


async def test_a_published_order_requests_exactly_the_matching_assistants(matching, token_issuer):
    place = new_place()
    near = (round(place[0] + 0.03, 2), place[1])  # 3.3 km north
    good = await add_assistant(matching, near)
    other = await add_assistant(matching, near, provider="prov-b", ranges=((0, "09:00", "12:00"),))
    no_activity = await add_assistant(matching, near, activities=("walks",))
    short = await add_assistant(matching, near, ranges=((0, "09:00", "10:59"),))
    far = await add_assistant(matching, (round(place[0] + 0.11, 2), place[1]), radius_km=20.0)
    no_trait = await add_assistant(matching, near, traits=())
    inactive = await add_assistant(matching, near, activated=False)
    await settled(matching, [good, other, no_activity, short, far, no_trait, inactive])

    order = Stream(new_id("order"))
    await matching.orders(order.wrap(o.OrderPublished(**order_terms(place))))
    matched = await matching.output.wait(order.stream_id, "CandidatesMatched")
    sent = await matching.output.wait(order.stream_id, "AvailabilityRequestSent", 2)
    assert {s["assistant_id"] for s in sent} == {good, other}
    assert matched == [matched[0]] and matched[0]["candidate_count"] == 2 and matched[0]["new_request_count"] == 2
    mine = next(s for s in sent if s["assistant_id"] == good)
    assert mine["trigger"] == "order" and mine["organisation_id"] == "prov-a" and mine["revision"] == 1
    assert mine["explanation"]["activities"] == ["shopping"]
    assert mine["explanation"]["covered_ranges"] == [{"weekday": 0, "start": "09:00:00", "end": "11:00:00"}]
    assert abs(mine["explanation"]["distance_km"] - 3.34) < 0.01
    assert inactive not in {s["assistant_id"] for s in sent}

    headers = bearer(token_issuer, good, Role.ASSISTANT)
    listed = (await matching.client.get(f"/api/v1/matching/assistants/{good}/requests", headers=headers)).json()
    assert listed["total"] == 1 and listed["items"][0]["order"]["order_id"] == order.stream_id
    assert listed["items"][0]["answered"] is False

    await matching.orders(
        order.wrap(
            o.OfferSubmitted(
                offer_id=new_id("offer"),
                seeker_id="seeker-1",
                kind="assistant",
                assistant_id=good,
                submitted_by=good,
                from_request=True,
            )
        )
    )
    url = f"/api/v1/matching/assistants/{good}/requests"
    async with asyncio.timeout(10):
        while (await matching.client.get(url, params={"answered": True}, headers=headers)).json()["total"] != 1:
            await asyncio.sleep(0.05)
    assert (await matching.client.get(url, params={"answered": False}, headers=headers)).json()["total"] == 0

    coordinator = bearer(token_issuer, "coord-a", Role.COORDINATOR, organisation_id="prov-a")
    candidates = (
        await matching.client.get(f"/api/v1/matching/orders/{order.stream_id}/candidates", headers=coordinator)
    ).json()
    assert [c["assistant_id"] for c in candidates["items"]] == [good]
    assert candidates["items"][0]["requested"] and candidates["items"][0]["answered"]

    await matching.orders(
        order.wrap(
            o.OfferAccepted(
                offer_id="offer-x",
                seeker_id="seeker-1",
                assistant_id=good,
                provider_id="prov-a",
            )
        )
    )
    closed = await matching.output.wait(order.stream_id, "AvailabilityRequestClosed", 2)
    assert {(c["assistant_id"], c["reason"]) for c in closed} == {(good, "order_awarded"), (other, "order_awarded")}
    assert (await matching.client.get(url, headers=headers)).json()["total"] == 0


async def test_an_availability_change_requests_a_newly_matching_order(matching):
    place = new_place()
    assistant = Stream(new_id("asst"))
    await send_identity(matching, assistant, *assistant_events(place, ranges=((1, "09:00", "11:00"),)))
    await settled(matching, [assistant.stream_id])
    order = Stream(new_id("order"))
    await matching.orders(order.wrap(o.OrderPublished(**order_terms(place))))
    assert (await matching.output.wait(order.stream_id, "CandidatesMatched"))[0]["candidate_count"] == 0

    from teilhabe_events.contexts import identity as idn

    await matching.identity(assistant.wrap(idn.AvailabilityChanged(ranges=week((0, "08:30", "11:00")))))
    sent = await matching.output.wait(order.stream_id, "AvailabilityRequestSent")
    assert [(s["assistant_id"], s["trigger"]) for s in sent] == [(assistant.stream_id, "assistant")]

    await matching.identity(assistant.wrap(idn.AvailabilityChanged(ranges=week((0, "09:15", "11:00")))))
    closed = await matching.output.wait(order.stream_id, "AvailabilityRequestClosed")
    assert [(c["assistant_id"], c["reason"]) for c in closed] == [(assistant.stream_id, "no_longer_matching")]


async def test_duplicate_delivery_sends_no_duplicate_request(matching):
    place = new_place()
    a = await add_assistant(matching, place)
    await settled(matching, [a])
    order = Stream(new_id("order"))
    published = order.wrap(o.OrderPublished(**order_terms(place)))
    again = published.model_copy(update={"event_id": __import__("uuid").uuid4()})  # same version, new id
    await matching.orders(published, published, again)
    await matching.orders(order.wrap(o.OrderChanged(**order_terms(place, revision=2, max_distance_km=8.0))))
    matched = await matching.output.wait(order.stream_id, "CandidatesMatched", 2)
    sent = matching.output.of(order.stream_id, "AvailabilityRequestSent")
    assert [s["assistant_id"] for s in sent] == [a]
    assert [(m["revision"], m["candidate_count"], m["new_request_count"]) for m in matched] == [(1, 1, 1), (2, 1, 0)]

    await matching.orders(order.wrap(o.OrderWithdrawn(seeker_id="seeker-1")))
    closed = await matching.output.wait(order.stream_id, "AvailabilityRequestClosed")
    assert [c["reason"] for c in closed] == ["order_withdrawn"]
    versions = [e.stream_version for e in matching.output.seen if e.stream_id == order.stream_id]
    assert versions == list(range(1, len(versions) + 1))


async def test_free_orders_nearby_show_what_does_not_match(matching, token_issuer):
    place = new_place()
    a = await add_assistant(matching, place, radius_km=5.0)
    await settled(matching, [a])
    matching_order, cooking, further, one_time = (Stream(new_id("order")) for _ in range(4))
    far_place = (round(place[0] + 0.08, 2), place[1])  # 8.9 km
    monday = {"kind": "one_time", "date": "2030-01-07", "start": "09:00:00", "end": "10:00:00"}
    await matching.orders(
        matching_order.wrap(o.OrderPublished(**order_terms(place))),
        cooking.wrap(o.OrderPublished(**order_terms(place, activities=("cooking",)))),
        further.wrap(o.OrderPublished(**order_terms(far_place))),
        one_time.wrap(o.OrderPublished(**order_terms(place, activities=("cooking",), schedule=monday))),
    )
    await matching.output.wait(one_time.stream_id, "CandidatesMatched")
    url = f"/api/v1/matching/assistants/{a}/free-orders"
    headers = bearer(token_issuer, a, Role.ASSISTANT)
    body = (await matching.client.get(url, params={"distance_km": 10}, headers=headers)).json()
    found = {i["order"]["order_id"]: i for i in body["items"]}
    assert set(found) == {cooking.stream_id, further.stream_id, one_time.stream_id}
    assert [m["code"] for m in found[cooking.stream_id]["mismatches"]] == ["activities"]
    assert found[cooking.stream_id]["missing_activities"] == ["cooking"]
    assert [m["code"] for m in found[further.stream_id]["mismatches"]] == ["assistant_radius"]
    assert found[further.stream_id]["order"]["place"] == {"lat": far_place[0], "lon": far_place[1]}
    assert body["items"][-1]["order"]["order_id"] == further.stream_id  # nearest first
    only = (await matching.client.get(url, params={"distance_km": 10, "kind": "one_time"}, headers=headers)).json()
    assert [i["order"]["order_id"] for i in only["items"]] == [one_time.stream_id]
    nearby = (await matching.client.get(url, headers=headers)).json()  # default: the assistant's radius
    assert further.stream_id not in {i["order"]["order_id"] for i in nearby["items"]}


async def test_live_count_for_a_draft(matching, token_issuer):
    place = new_place()
    ids = [await add_assistant(matching, place) for _ in range(3)]
    ids.append(await add_assistant(matching, place, provider=None))  # self-employed
    await settled(matching, ids)
    draft = order_terms(place)
    del draft["seeker_id"], draft["revision"]
    seeker = bearer(token_issuer, "seeker-9", Role.SEEKER)
    count = await matching.client.post("/api/v1/matching/candidate-count", json=draft, headers=seeker)
    assert count.status_code == 200 and count.json() == {"count": 4}
    draft["traits"] = ["sign_language"]
    assert (await matching.client.post("/api/v1/matching/candidate-count", json=draft, headers=seeker)).json() == {
        "count": 0
    }


async def test_roles_and_owners_are_checked(matching, token_issuer):
    place = new_place()
    a = await add_assistant(matching, place)
    await settled(matching, [a])
    order = Stream(new_id("order"))
    await matching.orders(order.wrap(o.OrderPublished(**order_terms(place))))
    await matching.output.wait(order.stream_id, "AvailabilityRequestSent")
    c = matching.client
    requests_url = f"/api/v1/matching/assistants/{a}/requests"
    assert (await c.get(requests_url)).status_code == 401
    assert (await c.get(requests_url, headers=bearer(token_issuer, "asst-other", Role.ASSISTANT))).status_code == 403
    assert (await c.get(requests_url, headers=bearer(token_issuer, a, Role.SEEKER))).status_code == 403
    free_url = f"/api/v1/matching/assistants/{a}/free-orders"
    assert (await c.get(free_url, headers=bearer(token_issuer, "asst-other", Role.ASSISTANT))).status_code == 403
    assert (await c.get(requests_url, headers=bearer(token_issuer, "admin-1", Role.ADMIN))).json()["total"] == 1

    candidates_url = f"/api/v1/matching/orders/{order.stream_id}/candidates"
    other_provider = bearer(token_issuer, "coord-b", Role.COORDINATOR, organisation_id="prov-b")
    assert (await c.get(candidates_url, headers=other_provider)).json()["items"] == []
    assert (await c.get(candidates_url, headers=bearer(token_issuer, a, Role.ASSISTANT))).status_code == 403
    assert (await c.get(candidates_url, headers=bearer(token_issuer, "coord-x", Role.COORDINATOR))).status_code == 403
    assert (await c.get("/api/v1/matching/orders/nope/candidates", headers=other_provider)).status_code == 404

    draft = order_terms(place)
    del draft["seeker_id"], draft["revision"]
    count_url = "/api/v1/matching/candidate-count"
    assert (await c.post(count_url, json=draft, headers=bearer(token_issuer, a, Role.ASSISTANT))).status_code == 403


async def test_bad_input_is_a_422_naming_the_field(matching, token_issuer):
    seeker = bearer(token_issuer, "seeker-9", Role.SEEKER)
    place = new_place()
    draft = order_terms(place)
    del draft["seeker_id"], draft["revision"]
    one_time = {"kind": "one_time", "date": "2030-01-07", "start": "10:00:00", "end": "09:00:00"}
    cases = [
        ({"schedule": one_time}, "schedule.end"),
        ({"schedule": one_time | {"date": "2020-01-06", "end": "11:00:00"}}, "schedule.date"),
        ({"activities": ["juggling"]}, "activities.0"),
        ({"activities": []}, "activities"),
        (
            {"schedule": {k: v for k, v in draft["schedule"].items() if k != "appointments_per_interval"}},
            "schedule.recurring.appointments_per_interval",
        ),
        ({"max_distance_km": 500}, "max_distance_km"),
        ({"postcode": "99999", "place": None}, "postcode"),
        ({"postcode": "30159"}, "place"),
    ]
    for change, field in cases:
        response = await matching.client.post("/api/v1/matching/candidate-count", json=draft | change, headers=seeker)
        assert response.status_code == 422, (change, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in {e["field"] for e in response.json()["errors"]}, (field, response.json())
    by_postcode = draft | {"postcode": "30159", "place": None}
    assert (
        await matching.client.post("/api/v1/matching/candidate-count", json=by_postcode, headers=seeker)
    ).status_code == 200
    a = bearer(token_issuer, "asst-1", Role.ASSISTANT)
    bad = await matching.client.get("/api/v1/matching/assistants/asst-1/free-orders?distance_km=0", headers=a)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "distance_km"


async def test_locking_closes_requests_and_erasure_forgets_the_assistant(matching, token_issuer):
    from teilhabe_events.contexts import identity as idn

    place = new_place()
    assistant = Stream(new_id("asst"))
    await send_identity(matching, assistant, *assistant_events(place))
    await settled(matching, [assistant.stream_id])
    order = Stream(new_id("order"))
    await matching.orders(order.wrap(o.OrderPublished(**order_terms(place))))
    await matching.output.wait(order.stream_id, "AvailabilityRequestSent")
    await matching.identity(assistant.wrap(idn.AccountLocked(locked_by="admin-1")))
    closed = await matching.output.wait(order.stream_id, "AvailabilityRequestClosed")
    assert [c["reason"] for c in closed] == ["no_longer_matching"]

    await send_identity(matching, assistant, idn.AccountUnlocked(unlocked_by="admin-1"))
    await settled(matching, [assistant.stream_id])
    await matching.output.caught_up()  # matches again, but was asked for this revision already: not twice
    assert len(matching.output.of(order.stream_id, "AvailabilityRequestSent")) == 1
    await matching.identity(assistant.wrap(idn.AccountErased()))
    async with asyncio.timeout(10):
        while assistant.stream_id in matching.app.state.index.assistants.states:
            await asyncio.sleep(0.05)
    headers = bearer(token_issuer, assistant.stream_id, Role.ASSISTANT)
    free = await matching.client.get(f"/api/v1/matching/assistants/{assistant.stream_id}/free-orders", headers=headers)
    assert free.status_code == 404
    requests = await matching.client.get(f"/api/v1/matching/assistants/{assistant.stream_id}/requests", headers=headers)
    assert requests.json()["total"] == 0


async def test_a_query_replica_follows_the_projection(matching, query_replica, token_issuer):
    from teilhabe_events.contexts import identity as idn

    place = new_place()
    assistant = Stream(new_id("asst"))
    await matching.identity(*(assistant.wrap(e) for e in assistant_events(place)))
    draft = order_terms(place)
    del draft["seeker_id"], draft["revision"]
    seeker = bearer(token_issuer, "seeker-9", Role.SEEKER)

    async def counts(expected: int) -> tuple[int, int]:
        """(replica's, primary's) candidate count once the replica shows `expected`."""
        async with asyncio.timeout(15):
            while True:
                replica = await query_replica.post("/api/v1/matching/candidate-count", json=draft, headers=seeker)
                if replica.json()["count"] == expected:
                    break
                await asyncio.sleep(0.1)
        primary = await matching.client.post("/api/v1/matching/candidate-count", json=draft, headers=seeker)
        return replica.json()["count"], primary.json()["count"]

    assert await counts(1) == (1, 1)  # the replica answers what the primary answers
    await matching.identity(assistant.wrap(idn.AccountErased()))
    assert await counts(0) == (0, 0)
