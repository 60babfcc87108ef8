"""`python -m counseling.replay --workspace` folds the event store again into the same read models
the use cases wrote (sealed fields opened), in one transaction."""

from __future__ import annotations

from counseling_support import new_centre, open_client
from sqlalchemy import select

from counseling.readmodels.tables import case_records, clients, notes, record_months
from counseling.replay import rebuild_workspace


async def snapshot(engine, centre_id: str) -> dict:
    async with engine.connect() as conn:
        return {
            "clients": sorted(
                (r.id, r.pseudonym, r.primary_counselor_id, tuple(r.filters), str(r.master_data))
                for r in await conn.execute(select(clients).where(clients.c.centre_id == centre_id))
            ),
            "notes": sorted(
                (r.id, r.text)
                for r in await conn.execute(
                    select(notes)
                    .join(clients, clients.c.id == notes.c.client_id)
                    .where(clients.c.centre_id == centre_id)
                )
            ),
            "records": sorted(
                (r.id, r.minutes, r.subject, str(r.fields))
                for r in await conn.execute(select(case_records).where(case_records.c.centre_id == centre_id))
            ),
            "months": sorted(
                (str(r.month), r.subject, r.records, r.minutes)
                for r in await conn.execute(select(record_months).where(record_months.c.centre_id == centre_id))
            ),
        }


async def test_the_workspace_is_rebuilt_from_the_event_store(api, identity, issuer, world):
    centre = await new_centre(identity, issuer)
    await api.put(
        f"/centres/{centre.id}/settings",
        json={"filter_criteria": [{"key": "u25", "label": "unter 25"}], "automatic_primary_counselor": True},
        headers=centre.admin,
    )
    made = await open_client(api, centre, master_data={"gender": "female"}, filters=["u25"])
    path = f"/centres/{centre.id}/clients/{made['client_id']}"
    await api.post(f"{path}/notes", json={"text": "Erstgespräch"}, headers=centre.counselor)
    record = {"occurred_on": "2026-03-03", "minutes": 40, "subject": "debt", "channel": "phone"}
    added = await api.post(f"{path}/records", json=record, headers=centre.counselor)
    await api.put(
        f"/centres/{centre.id}/records/{added.json()['record_id']}",
        json=record | {"minutes": 50},
        headers=centre.counselor,
    )
    before = await snapshot(world.engine, centre.id)
    assert before["clients"] and before["notes"] and before["records"] and before["months"]
    async with world.engine.begin() as conn:
        report = await rebuild_workspace(conn)
    assert report.events > 0
    assert await snapshot(world.engine, centre.id) == before
