"""The read models rebuilt from the event store equal the live ones."""

from __future__ import annotations

from datetime import date

from contracts_support import PNG, ratified_contract
from sqlalchemy import select
from test_enrollment_journey import minor, offer_body

from contracts.readmodels.tables import bookings, contracts_view, enrollments_view, facility_offers, ratings
from contracts.replay import rebuild

TODAY = date.today()


async def snapshot(engine, contract_id: str, enrollment_id: str, offer_id: str) -> dict:
    async with engine.connect() as conn:
        rows = {}
        for name, table, column, key in (
            ("contract", contracts_view, contracts_view.c.contract_id, contract_id),
            ("ratings", ratings, ratings.c.contract_id, contract_id),
            ("bookings", bookings, bookings.c.contract_id, contract_id),
            ("enrollment", enrollments_view, enrollments_view.c.enrollment_id, enrollment_id),
            ("offer", facility_offers, facility_offers.c.offer_id, offer_id),
        ):
            found = (await conn.execute(select(table).where(column == key))).mappings().all()
            rows[name] = [
                {k: v for k, v in r.items() if k not in {"updated_at", "published_at", "rated_at"}} for r in found
            ]
        return rows


async def test_replay_rebuilds_the_same_views(client, as_, ids, publish, contracts_app):
    provider, seeker_id, assistant_id = ids("provider-"), ids("seeker-"), ids("assistant-")
    seeker, assistant = as_(seeker_id, "seeker"), as_(assistant_id, "assistant")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider)
    contract_id = await ratified_contract(
        client,
        publish,
        seeker=seeker,
        assistant=assistant,
        provider=coordinator,
        ids=ids,
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=provider,
        starts_on=TODAY.isoformat(),
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    await client.post(
        f"{base}/ratings", json={"period": TODAY.isoformat()[:7], "stars": 4, "text": "gut"}, headers=seeker
    )
    booking = await client.post(
        f"{base}/bookings", json={"worked_on": TODAY.isoformat(), "minutes": 45}, headers=assistant
    )
    await client.post(f"{base}/bookings/{booking.json()['booking_id']}/approval", headers=coordinator)

    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = (await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)).json()[
        "offer_id"
    ]
    ward = ids("ward-")
    guardian = as_(ids("guardian-"), "guardian", acting_for=[ward])
    body = {
        "offer_id": offer_id,
        "participant": minor(account_id=ward),
        "applicant": {"first_name": "Rita", "last_name": "Weiß", "email": "rita@example.org"},
    }
    eid = (await client.post("/api/v1/contracts/enrollments", json=body, headers=guardian)).json()["enrollment_id"]
    e = f"/api/v1/contracts/enrollments/{eid}"
    await client.post(f"{e}/submission", headers=guardian)
    await client.post(f"{e}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    await client.post(
        f"{e}/pickup-persons", data={"name": "Tom"}, headers=guardian, files={"photo": ("p.png", PNG, "image/png")}
    )

    before = await snapshot(contracts_app.engine(), contract_id, eid, offer_id)
    assert all(before.values())
    async with contracts_app.engine().begin() as conn:
        report = await rebuild(conn)
    assert report.events > 0 and report.contracts >= 1 and report.enrollments >= 1
    assert await snapshot(contracts_app.engine(), contract_id, eid, offer_id) == before
