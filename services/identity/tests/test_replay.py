"""`identity.replay` folds every stored event in memory and writes the tables with COPY: the
tables it rebuilds equal those the live projection wrote, row for row (erased persons included)."""

from identity_support import active_seeker, admin, assistant_body, create_provider, register, verify_and_activate
from sqlalchemy import select

from identity.readmodels.tables import (
    accounts,
    centre_staff,
    guardianships,
    organisations,
    seat_requests,
    verification_steps,
)
from identity.replay import rebuild

TABLES = (accounts, verification_steps, guardianships, organisations, centre_staff, seat_requests)


async def snapshot(engine) -> dict[str, list[tuple]]:
    async with engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in await conn.execute(select(table))) for table in TABLES
        }


async def test_the_bulk_rebuild_equals_the_live_projection(client, identity_issuer, engine):
    provider = await create_provider(client, identity_issuer)
    assistant = await register(client, "assistants", assistant_body(provider), identity_issuer)
    await verify_and_activate(client, identity_issuer, assistant)
    seeker, _, _ = await active_seeker(client, identity_issuer)
    headers = admin(identity_issuer)
    locked = await client.post(f"/api/v1/identity/accounts/{seeker}/lock", json={"reason": "Prüfung"}, headers=headers)
    assert locked.status_code == 200, locked.text
    live = await snapshot(engine)

    events = await rebuild(engine)

    assert events >= 10
    rebuilt = await snapshot(engine)
    assert rebuilt == live
    assert any(seeker in row[0] for row in live["accounts"]) and live["verification_steps"]
