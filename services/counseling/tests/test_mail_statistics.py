"""Due dates and response times of mail counseling per centre (issue 17): every answered wait is
kept (ids and times only); the admins' figures give answered requests, median / average / longest
wait in hours and how many were answered within the centre's overdue period, per month, with the
requests waiting and overdue now and the next due date; each waiting thread shows its due date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from counseling_support import new_centre
from mail_support import mail_settings, new_client, send, with_profiles
from sqlalchemy import text

from teilhabe_kit.localtime import today

OVERDUE_DAYS = 3


@pytest.fixture
async def centre(world, issuer, api):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    await with_profiles(api, centre)
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    saved = await api.put(
        f"/centres/{centre.id}/settings", json={"mail_overdue_days": OVERDUE_DAYS}, headers=centre.admin
    )
    assert saved.status_code in (200, 204), saved.text
    return centre


async def _backdate(world, thread: str, days: int) -> None:
    """The client's message as if written `days` ago (the overdue check and the wait follow it)."""
    async with world.engine.begin() as conn:
        await conn.execute(
            text("UPDATE mail_threads SET waiting_since = waiting_since - make_interval(days => :d) WHERE id = :t"),
            {"d": days, "t": thread},
        )


async def test_response_times_and_due_dates(api, world, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    quick = await send(api, centre, client, "Schnell", "Kurze Frage")
    slow = await send(api, centre, client, "Langsam", "Lange Frage")
    waiting = await send(api, centre, client, "Offen", "Noch offen")
    late = await send(api, centre, client, "Überfällig", "Wartet lange")
    await _backdate(world, slow, 4)
    await _backdate(world, late, 5)
    for thread in (quick, slow):
        answered = await api.post(
            f"/centres/{centre.id}/mail-threads/{thread}/messages", json={"text": "Antwort"}, headers=centre.counselor
        )
        assert answered.status_code == 201, answered.text

    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{waiting}", headers=centre.counselor)).json()
    due = datetime.fromisoformat(shown["due_at"])
    assert due - datetime.fromisoformat(shown["waiting_since"]) == timedelta(days=OVERDUE_DAYS)
    assert not shown["overdue"]
    assert (await api.get(f"/centres/{centre.id}/mail-threads/{quick}", headers=centre.counselor)).json()[
        "due_at"
    ] is None

    figures = (await api.get(f"/centres/{centre.id}/mail-statistics", headers=centre.admin)).json()
    assert figures["overdue_days"] == OVERDUE_DAYS
    total = figures["total"]
    assert total["answered"] == 2 and total["answered_in_time"] == 1  # the slow one waited 4 days
    assert 95 <= total["longest_hours"] <= 97  # four days
    assert total["median_hours"] == pytest.approx(total["average_hours"], abs=0.1)
    assert [m["key"] for m in figures["month"]] == [today().strftime("%Y-%m")]
    assert figures["month"][0]["answered"] == 2
    assert (figures["waiting"], figures["overdue"]) == (2, 1)
    next_due = datetime.fromisoformat(figures["next_due_at"])
    assert next_due < datetime.now(UTC) - timedelta(days=1)  # the late one was due two days ago

    earlier = (today() - timedelta(days=400)).isoformat(), (today() - timedelta(days=380)).isoformat()
    empty = (
        await api.get(
            f"/centres/{centre.id}/mail-statistics",
            params=dict(zip(("from", "to"), earlier, strict=True)),
            headers=centre.admin,
        )
    ).json()
    assert empty["total"]["answered"] == 0 and empty["total"]["median_hours"] is None and empty["month"] == []


async def test_a_period_ending_before_it_starts_names_the_field(api, centre):
    refused = await api.get(
        f"/centres/{centre.id}/mail-statistics", params={"from": "2026-05-01", "to": "2026-04-01"}, headers=centre.admin
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["to"]
    bad = await api.get(f"/centres/{centre.id}/mail-statistics", params={"from": "gestern"}, headers=centre.admin)
    assert bad.status_code == 422 and "from" in [e["field"] for e in bad.json()["errors"]]
