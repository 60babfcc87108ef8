"""Case records ("Monitoring") on the real stack: required duration and subject, the centre's typed
fields, counselors see their own and admins all (newest first); CSV export and statistics for a
period, checked against a generated data set with known totals."""

from __future__ import annotations

import csv
import io
import random
import uuid
from collections import Counter, defaultdict
from datetime import date

import httpx
import pytest
from counseling_support import new_centre, open_client
from mail_support import send

from teilhabe_kit.testing import bearer

FIELDS = [
    {"key": "referral", "label": "Zugang", "type": "choice", "choices": ["selbst", "Jobcenter"], "required": True},
    {"key": "debt_eur", "label": "Schulden (Euro)", "type": "number"},
    {"key": "first", "label": "Erstkontakt", "type": "yes_no"},
    {"key": "remark", "label": "Bemerkung", "type": "text"},
]


@pytest.fixture(scope="module")
async def centre(world, issuer):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    async with httpx.AsyncClient(base_url=f"{world.url}/api/v1/counseling", timeout=30) as api:
        response = await api.put(f"/centres/{centre.id}/settings", json={"record_fields": FIELDS}, headers=centre.admin)
        assert response.status_code == 200, response.text
    return centre


def record(occurred_on: str = "2026-03-02", **changes) -> dict:
    return {
        "occurred_on": occurred_on,
        "minutes": 45,
        "subject": "debt",
        "channel": "mail",
        "fields": {"referral": "selbst", "debt_eur": 1200.5, "first": True},
    } | changes


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"subject": None}, "subject"),
        ({"subject": "astrology"}, "subject"),
        ({"channel": "fax"}, "channel"),
        ({"fields": {"debt_eur": 3}}, "fields.referral"),
        ({"fields": {"referral": "Nachbarin"}}, "fields.referral"),
        ({"fields": {"referral": "selbst", "debt_eur": "viel"}}, "fields.debt_eur"),
        ({"fields": {"referral": "selbst", "first": "ja"}}, "fields.first"),
        ({"fields": {"referral": "selbst", "unknown": 1}}, "fields.unknown"),
        ({"source": {"type": "fax", "id": str(uuid.uuid4())}}, "source.type"),
        ({"source": {"type": "appointment", "id": "nicht-eine-id"}}, "source.id"),
        ({"source": {"type": "mail_thread", "id": str(uuid.uuid4())}}, "source.id"),
    ],
)
async def test_bad_records_name_the_field(api, centre, change, field):
    made = await open_client(api, centre)
    body = record(**change)
    if change.get("subject", "") is None:
        del body["subject"]
    response = await api.post(
        f"/centres/{centre.id}/clients/{made['client_id']}/records", json=body, headers=centre.counselor
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]
    assert response.json()["title"]  # German by default
    listed = await api.get(f"/centres/{centre.id}/clients/{made['client_id']}/records", headers=centre.admin)
    assert listed.json() == [], "nothing stored"


async def test_a_record_links_its_source_contact(api, identity, issuer):
    centre = await new_centre(identity, issuer)  # its own: the shared centre's statistics stay exact
    await api.put(f"/centres/{centre.id}/settings", json={"record_fields": FIELDS}, headers=centre.admin)
    made = await open_client(api, centre)
    client = bearer(issuer, made["client_id"], "client", organisation_id=centre.id)
    thread_id = await send(api, centre, client, "Mahnung", "Ich habe eine Mahnung bekommen.")
    other = await open_client(api, centre)
    path = f"/centres/{centre.id}/clients/{made['client_id']}/records"
    linked = await api.post(
        path, json=record(source={"type": "mail_thread", "id": thread_id}), headers=centre.counselor
    )
    assert linked.status_code == 201, linked.text
    foreign = await api.post(
        f"/centres/{centre.id}/clients/{other['client_id']}/records",
        json=record(source={"type": "mail_thread", "id": thread_id}),
        headers=centre.counselor,
    )
    assert foreign.status_code == 422 and "source.id" in [e["field"] for e in foreign.json()["errors"]], (
        "another client's thread"
    )
    appointment_id = str(uuid.uuid4())
    changed = await api.put(
        f"/centres/{centre.id}/records/{linked.json()['record_id']}",
        json=record(channel="appointment", source={"type": "appointment", "id": appointment_id}),
        headers=centre.counselor,
    )
    assert changed.status_code == 200, changed.text
    shown = (await api.get(path, headers=centre.counselor)).json()
    assert shown[0]["source"] == {"type": "appointment", "id": appointment_id}
    plain = await api.post(path, json=record("2026-01-01"), headers=centre.counselor)
    assert plain.status_code == 201
    assert [r["source"] for r in (await api.get(path, headers=centre.counselor)).json()][-1] is None


async def test_counselors_see_their_own_admins_all_newest_first(api, centre):
    made = await open_client(api, centre)
    path = f"/centres/{centre.id}/clients/{made['client_id']}/records"
    for day, headers in (
        ("2026-01-10", centre.counselor),
        ("2026-02-10", centre.colleague),
        ("2026-03-10", centre.counselor),
    ):
        response = await api.post(path, json=record(day), headers=headers)
        assert response.status_code == 201, response.text
    own = (await api.get(path, headers=centre.counselor)).json()
    assert [r["occurred_on"] for r in own] == ["2026-03-10", "2026-01-10"]
    every = (await api.get(path, headers=centre.admin)).json()
    assert [r["occurred_on"] for r in every] == ["2026-03-10", "2026-02-10", "2026-01-10"]
    theirs = every[1]["record_id"]
    assert (
        await api.put(f"/centres/{centre.id}/records/{theirs}", json=record(), headers=centre.counselor)
    ).status_code == 404
    assert (await api.delete(f"/centres/{centre.id}/records/{theirs}", headers=centre.counselor)).status_code == 404
    changed = await api.put(
        f"/centres/{centre.id}/records/{theirs}", json=record("2026-02-11", minutes=30), headers=centre.colleague
    )
    assert changed.status_code == 200, changed.text
    stale = await api.put(
        f"/centres/{centre.id}/records/{theirs}", json=record(), headers=centre.colleague | {"If-Match": "1"}
    )
    assert stale.status_code == 409
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    stats = (await api.get(f"/centres/{centre.id}/statistics", params=year, headers=centre.admin)).json()
    assert stats["total"] == {"count": 3, "minutes": 45 + 30 + 45}, "the change moved the monthly sums"
    assert {m["key"]: m["minutes"] for m in stats["month"]} == {"2026-01": 45, "2026-02": 30, "2026-03": 45}
    assert (await api.delete(f"/centres/{centre.id}/records/{theirs}", headers=centre.admin)).status_code == 204
    assert len((await api.get(path, headers=centre.admin)).json()) == 2
    stats = (await api.get(f"/centres/{centre.id}/statistics", params=year, headers=centre.admin)).json()
    assert stats["total"] == {"count": 2, "minutes": 90} and "2026-02" not in {m["key"] for m in stats["month"]}


async def test_csv_and_statistics_match_a_generated_data_set(api, world, issuer):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    await api.put(f"/centres/{centre.id}/settings", json={"record_fields": FIELDS}, headers=centre.admin)
    clients = [await open_client(api, centre) for _ in range(3)]
    rng = random.Random(15)
    counselors = {centre.counselor_id: centre.counselor, centre.colleague_id: centre.colleague}
    made: list[tuple[date, str, dict]] = []
    for _ in range(40):
        day = date(2026, rng.randint(1, 6), rng.randint(1, 28))
        counselor_id = rng.choice(list(counselors))
        body = record(
            day.isoformat(),
            minutes=rng.randint(5, 120),
            subject=rng.choice(["debt", "family", "housing"]),
            channel=rng.choice(["mail", "chat", "phone"]),
        )
        client = rng.choice(clients)
        response = await api.post(
            f"/centres/{centre.id}/clients/{client['client_id']}/records", json=body, headers=counselors[counselor_id]
        )
        assert response.status_code == 201, response.text
        made.append((day, counselor_id, body))
    # whole months (from the monthly sums) and a period cut inside months (their edge days from the records)
    for start, end in ((date(2026, 1, 1), date(2026, 5, 31)), (date(2026, 1, 15), date(2026, 4, 10))):
        expected_count: Counter[tuple[str, str]] = Counter()
        expected_minutes: defaultdict[tuple[str, str], int] = defaultdict(int)
        for day, counselor_id, body in made:
            if not start <= day <= end:
                continue
            for name, key in (
                ("subject", body["subject"]),
                ("channel", body["channel"]),
                ("counselor_id", counselor_id),
                ("month", f"{day:%Y-%m}"),
                ("total", ""),
            ):
                expected_count[(name, key)] += 1
                expected_minutes[(name, key)] += body["minutes"]
        period = {"from": start.isoformat(), "to": end.isoformat()}
        stats = await api.get(f"/centres/{centre.id}/statistics", params=period, headers=centre.admin)
        assert stats.status_code == 200, stats.text
        figures = stats.json()
        assert figures["total"] == {"count": expected_count[("total", "")], "minutes": expected_minutes[("total", "")]}
        for name in ("subject", "channel", "counselor_id", "month"):
            got = {f["key"]: (f["count"], f["minutes"]) for f in figures[name]}
            want = {k: (c, expected_minutes[(n, k)]) for (n, k), c in expected_count.items() if n == name}
            assert got == want, (name, period)
    period = {"from": "2026-01-01", "to": "2026-05-31"}
    figures = (await api.get(f"/centres/{centre.id}/statistics", params=period, headers=centre.admin)).json()
    assert figures["total"]["count"] == sum(1 for day, _, _ in made if day <= date(2026, 5, 31))
    exported = await api.get(f"/centres/{centre.id}/records.csv", params=period, headers=centre.admin)
    assert exported.status_code == 200
    assert exported.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Datum", "Dauer (Minuten)", "Thema"] and rows[0][-4:] == [f["label"] for f in FIELDS]
    assert len(rows) - 1 == figures["total"]["count"]
    assert sum(int(r[1]) for r in rows[1:]) == figures["total"]["minutes"]
    assert {r[4] for r in rows[1:]} <= {c["pseudonym"] for c in clients}
    assert all(r[-4] == "selbst" and r[-2] == "ja" for r in rows[1:])
    assert {r[2] for r in rows[1:]} <= {"Schulden", "Familie und Partnerschaft", "Wohnen und Wohnungsnot"}
    refused = await api.get(f"/centres/{centre.id}/statistics", params=period, headers=centre.counselor)
    assert refused.status_code == 403
    backwards = await api.get(
        f"/centres/{centre.id}/statistics", params={"from": "2026-05-01", "to": "2026-01-01"}, headers=centre.admin
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"
