"""Personal data with a mail request (issue 17, seed 003 "Daten der Anfrage"): the client may give
master data with a request; it is never copied on its own — only "in Profil übernehmen" sets those
fields of the profile (the others stay) and "in Monitoring übernehmen" adds a case record of the
thread carrying them in the centre's fields of the same key. Bad data is refused naming the field."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import new_centre
from mail_support import mail_settings, new_client, with_profiles
from sqlalchemy import text

GIVEN = {"gender": "female", "age_group": "27_44", "postcode": "37073"}
FIELDS = [
    {"key": "age_group", "label": "Altersgruppe", "type": "text"},
    {"key": "zugang", "label": "Zugang", "type": "text"},
]


@pytest.fixture
async def centre(world, issuer, api):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    await with_profiles(api, centre)
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    saved = await api.put(f"/centres/{centre.id}/settings", json={"record_fields": FIELDS}, headers=centre.admin)
    assert saved.status_code in (200, 204), saved.text
    return centre


async def _request(api, centre, client, **extra) -> str:
    body = {"subject": "Miete", "text": "Ich kann die Miete nicht zahlen."} | extra
    sent = await api.post(f"/centres/{centre.id}/mail-threads", json=body, headers=client)
    assert sent.status_code == 201, sent.text
    return sent.json()["thread_id"]


async def test_personal_data_is_copied_only_by_the_explicit_actions(api, centre, issuer):
    client_id, client = await new_client(api, centre, issuer)
    profile = f"/centres/{centre.id}/clients/{client_id}"
    before = await api.put(
        f"{profile}/master-data", json={"master_data": {"household": "single"}, "filters": []}, headers=centre.counselor
    )
    assert before.status_code in (200, 204), before.text
    thread = await _request(api, centre, client, personal_data=GIVEN)
    base = f"/centres/{centre.id}/mail-threads/{thread}"

    assert (await api.get(base, headers=centre.counselor)).json()["personal_data"] == GIVEN
    assert (await api.get(base, headers=client)).json()["personal_data"] == GIVEN  # the client sees what they gave
    untouched = (await api.get(profile, headers=centre.counselor)).json()["master_data"]
    assert {k: v for k, v in untouched.items() if v} == {"household": "single"}
    assert (await api.get(f"{profile}/records", headers=centre.admin)).json() == []  # nothing automatic

    taken = await api.post(f"{base}/personal-data/profile", headers=centre.counselor)
    assert taken.status_code == 204, taken.text
    master = (await api.get(profile, headers=centre.counselor)).json()["master_data"]
    assert {k: master.get(k) for k in (*GIVEN, "household")} == GIVEN | {"household": "single"}

    body = {"occurred_on": "2026-12-01", "minutes": 25, "subject": "housing", "fields": {"zugang": "selbst"}}
    recorded = await api.post(f"{base}/personal-data/record", json=body, headers=centre.counselor)
    assert recorded.status_code == 201, recorded.text
    [record] = (await api.get(f"{profile}/records", headers=centre.admin)).json()
    assert record["record_id"] == recorded.json()["record_id"]
    assert record["channel"] == "mail" and record["minutes"] == 25
    assert record["fields"] == {"age_group": "27_44", "zugang": "selbst"}  # only the centre's fields of that key
    assert record["source"]["type"] == "mail_thread" and str(record["source"]["id"]) == thread


async def test_without_personal_data_the_actions_are_refused(api, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    base = f"/centres/{centre.id}/mail-threads/{await _request(api, centre, client)}"
    assert (await api.get(base, headers=centre.counselor)).json()["personal_data"] is None
    refused = await api.post(f"{base}/personal-data/profile", headers=centre.counselor)
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    body = {"occurred_on": "2026-12-01", "minutes": 25, "subject": "housing"}
    assert (await api.post(f"{base}/personal-data/record", json=body, headers=centre.counselor)).status_code == 409


@pytest.mark.parametrize(
    "personal_data, field",
    [
        ({"postcode": "abc"}, "personal_data.postcode"),
        ({"gender": "robot"}, "personal_data.gender"),
        ({"shoe_size": 44}, "personal_data.shoe_size"),
    ],
)
async def test_bad_personal_data_names_the_field_and_stores_nothing(api, world, centre, issuer, personal_data, field):
    _, client = await new_client(api, centre, issuer)
    refused = await api.post(
        f"/centres/{centre.id}/mail-threads",
        json={"subject": "Miete", "text": "Hallo", "personal_data": personal_data},
        headers=client,
    )
    assert refused.status_code == 422, refused.text
    assert field in [e["field"] for e in refused.json()["errors"]]
    async with world.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM mail_threads WHERE centre_id = :c"), {"c": centre.id})
    assert count == 0


async def test_personal_data_is_sealed_at_rest(api, world, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    postcode = "01067"
    thread = await _request(api, centre, client, personal_data={"postcode": postcode, "note": "Zwei Kinder, Schicht"})
    async with world.engine.connect() as conn:
        stored = str(
            (
                await conn.execute(text("SELECT payload::text FROM event_store WHERE stream_id = :t"), {"t": thread})
            ).all()
        )
    assert "personal_data" in stored and "Zwei Kinder" not in stored and postcode not in stored
