"""Erasure of a client, proven on the real stack: a client with contact data, master data, a note, a
direct message, a case record with free text, a group, a bookmark and a document is deleted by the centre's
admin (sign-in refused at once, restorable), then erased by identity's deletion routine. Afterwards
no table of identity or counseling and no event on Kafka holds the pseudonym, e-mail or phone in
clear text, and counseling has published `ClientErased`."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

from counseling_support import eventually, new_centre, open_client
from sqlalchemy import func, select, text

from counseling.readmodels.tables import client_documents
from identity.app.erasure import run_due_jobs
from teilhabe_kit.testing import envelopes_on, sample_pdf


async def clear_text_in(engine, needles: list[str]) -> list[str]:
    """Every `table.column` of the database whose rows contain one of `needles` as text."""
    found = []
    async with engine.connect() as conn:
        tables = (
            await conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
        ).scalars()
        for table in list(tables):
            for needle in needles:
                hit = await conn.scalar(
                    text(f'SELECT count(*) FROM "{table}" t WHERE position(:needle in t::text) > 0'), {"needle": needle}
                )
                if hit:
                    found.append(f"{table}: {needle}")
    return found


async def test_an_erased_client_leaves_no_clear_text(api, identity, world, issuer):
    centre = await new_centre(identity, issuer)
    fields = [{"key": "remark", "label": "Bemerkung", "type": "text"}]
    await api.put(
        f"/centres/{centre.id}/settings",
        json={"record_fields": fields, "filter_criteria": [{"key": "u25", "label": "unter 25"}]},
        headers=centre.admin,
    )
    tag = uuid.uuid4().hex[:8]
    email, phone = f"loeschen-{tag}@example.org", f"0151{uuid.uuid4().int % 10**8:08d}"
    made = await open_client(
        api,
        centre,
        pseudonym=f"Waldkauz {tag}",
        email=email,
        phone=phone,
        master_data={"gender": "diverse"},
        filters=["u25"],
    )
    client_id, name = made["client_id"], made["pseudonym"]
    path = f"/centres/{centre.id}/clients/{client_id}"
    await api.post(f"{path}/notes", json={"text": f"Notiz über {name}"}, headers=centre.counselor)
    await api.post(f"{path}/messages", json={"subject": f"An {name}", "body": "Hallo"}, headers=centre.admin)
    record = {
        "occurred_on": "2026-02-02",
        "minutes": 30,
        "subject": "debt",
        "channel": "chat",
        "fields": {"remark": name},
    }
    assert (await api.post(f"{path}/records", json=record, headers=centre.counselor)).status_code == 201
    group_id = (
        await api.post(f"/centres/{centre.id}/groups", json={"name": "Gruppe"}, headers=centre.counselor)
    ).json()["group_id"]
    await api.post(
        f"/centres/{centre.id}/groups/{group_id}/members", json={"client_id": client_id}, headers=centre.counselor
    )
    await api.put(f"/centres/{centre.id}/bookmarks/{client_id}", headers=centre.counselor)
    uploaded = await api.post(
        f"{path}/documents",
        files={"file": (f"{tag}-bescheid.pdf", sample_pdf(f"Bescheid {tag}"), "application/pdf")},
        headers=centre.counselor,
    )
    assert uploaded.status_code == 201, uploaded.text
    phone_digits = phone
    needles = [name, email, phone_digits]
    assert await clear_text_in(world.engine, needles), "the workspace holds the client's data before"

    deleted = await identity.post(f"/centres/{centre.id}/clients/{client_id}/deletion", headers=centre.admin)
    assert deleted.status_code == 200, deleted.text

    async def marked() -> bool:
        row = (await api.get(path, headers=centre.counselor)).json()
        return row["status"] == "deleted"

    await eventually(marked)
    erase_after = date.fromisoformat(deleted.json()["erase_after"])
    assert client_id in (await run_due_jobs(world.identity_engine, erase_after + timedelta(days=1))).erased

    async def gone() -> bool:
        return (await api.get(path, headers=centre.counselor)).status_code == 404

    await eventually(gone)
    assert await clear_text_in(world.identity_engine, needles) == []
    assert await clear_text_in(world.engine, needles) == []
    async with world.engine.connect() as conn:
        left = await conn.scalar(
            select(func.count()).select_from(client_documents).where(client_documents.c.client_id == client_id)
        )
    assert left == 0, "the documents are gone with the client"
    counseling_events = await envelopes_on(world.bootstrap, "counseling.client.v1", client_id, until={"ClientErased"})
    identity_events = await envelopes_on(world.bootstrap, "identity.account.v1", client_id, until={"AccountErased"})
    records = await envelopes_on(
        world.bootstrap, "counseling.case_record.v1", where=lambda e: e.payload.get("client_id") == client_id, count=1
    )
    on_kafka = json.dumps([e.model_dump(mode="json") for e in counseling_events + identity_events + records])
    for needle in needles:
        assert needle not in on_kafka
    stats = await api.get(
        f"/centres/{centre.id}/statistics", params={"from": "2026-01-01", "to": "2026-12-31"}, headers=centre.admin
    )
    assert stats.json()["total"] == {"count": 1, "minutes": 30}, "the anonymous figures stay"
