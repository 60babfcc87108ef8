"""The counselor's private iCalendar feed (issue 16): the URL's token is shown once and stored only
as a hash; the feed lists the counselor's appointments without any client id; a new address or a
revocation makes the old one answer 410, an unknown token 404, a malformed one 422."""

from __future__ import annotations

import hashlib
import uuid

from appointments_support import centre_with_counselor, ok
from sqlalchemy import select

from appointments.readmodels.tables import calendar_feeds


async def test_a_counselor_subscribes_revokes_and_renews_the_calendar_address(client, service, as_):
    world = await centre_with_counselor(client, as_)
    client_id = f"client-{uuid.uuid4()}"
    body = {
        "service_id": world.chat,
        "counselor_id": world.counselor_id,
        "starts_at": world.monday(9),
        "client_id": client_id,
    }
    await ok(await client.post(f"/centres/{world.centre_id}/bookings", json=body, headers=world.admin), 201)
    own = f"/centres/{world.centre_id}/counselors/{world.counselor_id}/feed"
    assert (await ok(await client.get(own, headers=world.counselor)))["active_since"] is None

    made = await client.post(own, headers=world.counselor)
    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    url = made.json()["url"].removeprefix("/api/v1/appointments")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    async with service.engine.connect() as conn:
        stored = (
            await conn.scalars(
                select(calendar_feeds.c.token_hash).where(calendar_feeds.c.counselor_id == world.counselor_id)
            )
        ).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]  # never the token itself

    feed = await client.get(url)  # no sign-in: the token is the key
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Beratung: Chat (30 Min.)" in feed.text
    assert client_id not in feed.text
    assert (await ok(await client.get(own, headers=world.counselor)))["active_since"] is not None

    renewed = (await ok(await client.post(own, headers=world.counselor), 201))["url"].removeprefix(
        "/api/v1/appointments"
    )
    assert (await client.get(url)).status_code == 410  # the old address stopped working
    assert (await client.get(renewed)).status_code == 200
    assert (await client.delete(own, headers=world.counselor)).status_code == 204
    gone = await client.get(renewed)
    assert gone.status_code == 410 and gone.headers["content-type"].startswith("application/problem+json")
    assert (await client.delete(own, headers=world.counselor)).status_code == 404  # nothing left to revoke
    assert (await client.get(f"/feeds/{'x' * 43}.ics")).status_code == 404
    short = await client.get("/feeds/abc.ics")
    assert short.status_code == 422 and "token" in short.text
