"""Bad input → 422 problem+json naming the field, and nothing stored."""

from __future__ import annotations

import pytest
from centres_support import profile_body, record_interest
from sqlalchemy import func, select

from centres.readmodels.tables import centres_view

HOURS = profile_body()["opening_hours"]
BAD_PROFILES = [
    ({"address": {"street": "A 1", "postcode": "00000", "city": "Nirgends"}}, "address.postcode"),
    ({"address": {"street": "A 1", "postcode": "3707", "city": "Kurz"}}, "address.postcode"),
    ({"topics": ["debt", "astrology"]}, "topics.1"),
    ({"languages": ["klingon"]}, "languages.0"),
    ({"channels": ["pigeon"]}, "channels.0"),
    ({"accessibility": ["lift"]}, "accessibility.0"),
    ({"service_area": {"postcodes": ["37073"], "radius_km": 500}}, "service_area.radius_km"),
    ({"service_area": {"postcodes": ["37073"], "radius_km": 0}}, "service_area.radius_km"),
    ({"service_area": {"postcodes": ["99999"]}}, "service_area.postcodes"),
    (
        {
            "opening_hours": HOURS
            | {
                "weekly": [
                    {"weekday": 1, "start": "09:00", "end": "12:00"},
                    {"weekday": 1, "start": "11:00", "end": "14:00"},
                ]
            }
        },
        "opening_hours.weekly",
    ),
    ({"opening_hours": {"weekly": [{"weekday": 1, "start": "12:00", "end": "09:00"}]}}, "opening_hours.weekly.0"),
    (
        {"opening_hours": {"weekly": [{"weekday": 7, "start": "09:00", "end": "10:00"}]}},
        "opening_hours.weekly.0.weekday",
    ),
    ({"contact": {"email": "keine-adresse"}}, "contact.email"),
    ({"contact": {"phone": "call me"}}, "contact.phone"),
    ({"links": {"booking_url": "javascript:alert(1)"}}, "links.booking_url"),
    ({"location": {"lat": 10.0, "lon": 9.9}}, "location.lat"),
    ({"name": ""}, "name"),
    ({"surprise": 1}, "surprise"),
]


def fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("changes,field", BAD_PROFILES, ids=[f for _, f in BAD_PROFILES])
async def test_bad_profiles_are_refused_naming_the_field(client, admin, changes, field):
    centre_id = await record_interest(client, admin)
    response = await client.put(f"/centres/{centre_id}/profile", json=profile_body(**changes), headers=admin)
    assert field in fields(response)
    after = (await client.get(f"/centres/{centre_id}", headers=admin)).json()
    assert (after["version"], after["profile"]) == (1, None)


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("/agreement", {"version": "1", "signed_on": "2999-01-01", "signatory": "D"}, "signed_on"),
        ("/agreement", {"version": "", "signed_on": "2026-01-01", "signatory": "D"}, "version"),
        ("/agreement", {"version": "1", "signed_on": "2026-01-01"}, "signatory"),
        ("/functions", {"functions": ["teleportation"]}, "functions.0"),
        ("/functions", {"functions": []}, "functions"),
        ("/seats", {"seats": -1}, "seats"),
        ("/seats", {"seats": "viele"}, "seats"),
    ],
)
async def test_bad_onboarding_steps_are_refused(client, admin, path, body, field):
    centre_id = await record_interest(client, admin)
    assert field in fields(await client.put(f"/centres/{centre_id}{path}", json=body, headers=admin))
    assert (await client.get(f"/centres/{centre_id}", headers=admin)).json()["version"] == 1


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "X", "postcode": "00000"}, "postcode"),
        ({"name": "  ", "postcode": "37073"}, "name"),
        ({"postcode": "37073"}, "name"),
    ],
)
async def test_bad_interest_stores_nothing(service, client, admin, body, field):
    async with service.engine.connect() as conn:
        before = await conn.scalar(select(func.count()).select_from(centres_view))
    assert field in fields(await client.post("/centres", json=body, headers=admin))
    async with service.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(centres_view)) == before


@pytest.mark.parametrize(
    "params,field",
    [
        ({"postcode": "00000"}, "postcode"),
        ({"postcode": "123"}, "postcode"),
        ({}, "postcode"),
        ({"place": "Atlantis"}, "place"),
        ({"place": "Hermsdorf"}, "place"),  # places of that name in several states: ask for the postcode
        ({"postcode": "37073", "distance_km": 0}, "distance_km"),
        ({"postcode": "37073", "distance_km": 1000}, "distance_km"),
        ({"postcode": "37073", "topic": "astrology"}, "topic.0"),
        ({"postcode": "37073", "language": "xx"}, "language.0"),
        ({"postcode": "37073", "page_size": 1000}, "page_size"),
    ],
)
async def test_bad_finder_queries(client, params, field):
    assert field in fields(await client.get("/finder", params=params))


async def test_bad_region_fallback(client, admin):
    assert "centre_id" in fields(await client.put("/regions/NI/fallback", json={"centre_id": "nope"}, headers=admin))
    assert (await client.put("/regions/XX/fallback", json={"centre_id": "nope"}, headers=admin)).status_code == 404


async def test_bad_if_match(client, admin):
    centre_id = await record_interest(client, admin)
    response = await client.put(
        f"/centres/{centre_id}/profile", json=profile_body(), headers=admin | {"If-Match": "neu"}
    )
    assert "If-Match" in fields(response)
