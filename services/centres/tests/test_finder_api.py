"""The public finder without login: distance, filters, reasons, open now, white spots, paging, export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from centres_support import in_finder, onboarded, profile_body, until

from centres.domain.hours import MINUTES_PER_DAY, minute_of_week

NORTHEIM = "37154"  # about 20 km north of Göttingen


async def test_finder_ranks_by_distance_with_reasons(client, admin):
    near, _ = await onboarded(client, admin)
    far, _ = await onboarded(
        client,
        admin,
        address={"street": "Markt 1", "postcode": NORTHEIM, "city": "Northeim"},
        service_area={"postcodes": [NORTHEIM], "radius_km": None},
    )
    await in_finder(client, far)
    found = (
        await client.get(
            "/finder",
            params={
                "postcode": "37073",
                "distance_km": 40,
                "topic": "debt",
                "accessibility": "step_free",
                "page_size": 100,
            },
        )
    ).json()
    ids = [hit["centre_id"] for hit in found["items"]]
    assert near in ids and far in ids and ids.index(near) < ids.index(far)
    hit = found["items"][ids.index(near)]
    assert hit["reasons_de"].startswith("berät zu Schulden · 0,")
    assert "Rollstuhlgerecht" in hit["reasons_de"] and "advises on debt" in hit["reasons_en"]
    assert {"kind": "topic", "code": "debt", "de": "berät zu Schulden", "en": "advises on debt"} in hit["reasons"]
    assert hit["covers"] is True and found["white_spot"] is False
    assert found["place"]["region"] == "NI"


async def test_filters_exclude_what_does_not_fit(client, admin):
    centre_id, _ = await onboarded(client, admin, languages=["de", "uk"], channels=["video"])
    await in_finder(client, centre_id)

    async def ids(**params) -> list[str]:
        body = (await client.get("/finder", params={"postcode": "37073", "page_size": 100} | params)).json()
        return [hit["centre_id"] for hit in body["items"]]

    assert centre_id in await ids(language="uk")
    assert centre_id not in await ids(language="fa")
    assert centre_id in await ids(channel=["video", "chat"])
    assert centre_id not in await ids(channel="home_visit")
    assert centre_id not in await ids(topic=["debt", "addiction"])  # every chosen topic must be offered
    assert centre_id not in await ids(accessibility="hearing_loop")


async def test_open_now_follows_the_weekly_hours_in_berlin(client, admin):
    now = minute_of_week(datetime.now(UTC))
    weekday, minute = divmod(now, MINUTES_PER_DAY)
    start = max(minute - 30, 0)
    end = min(minute + 30, MINUTES_PER_DAY - 1)
    open_now = {
        "weekday": weekday,
        "start": f"{start // 60:02d}:{start % 60:02d}",
        "end": f"{end // 60:02d}:{end % 60:02d}",
    }
    closed_now = {"weekday": (weekday + 3) % 7, "start": "09:00", "end": "12:00"}
    open_id, _ = await onboarded(client, admin, opening_hours={"weekly": [open_now]})
    closed_id, _ = await onboarded(client, admin, opening_hours={"weekly": [closed_now]})
    await in_finder(client, closed_id)
    assert (await in_finder(client, open_id))["open_now"] is True
    found = (await client.get("/finder", params={"postcode": "37073", "open_now": "true", "page_size": 100})).json()
    ids = [hit["centre_id"] for hit in found["items"]]
    assert open_id in ids and closed_id not in ids
    assert "jetzt geöffnet" in found["items"][ids.index(open_id)]["reasons_de"]


async def test_white_spot_shows_the_regions_fallback_centre(client, admin):
    fallback_id, _ = await onboarded(
        client,
        admin,
        address={"street": "Domhof 1", "postcode": "24103", "city": "Kiel"},
        service_area={"postcodes": ["24103"], "radius_km": None},
    )
    await in_finder(client, fallback_id)
    chosen = await client.put("/regions/SH/fallback", json={"centre_id": fallback_id}, headers=admin)
    assert chosen.status_code == 200
    found = (await client.get("/finder", params={"postcode": "25980", "distance_km": 10})).json()  # Sylt
    assert found["white_spot"] is True and found["items"] == []
    assert found["fallback"]["centre_id"] == fallback_id
    assert found["fallback"]["reasons"][0]["kind"] == "fallback"


async def test_search_by_place_name(client, admin):
    centre_id, _ = await onboarded(client, admin)
    await in_finder(client, centre_id)
    found = (await client.get("/finder", params={"place": "Göttingen", "page_size": 100})).json()
    assert centre_id in [hit["centre_id"] for hit in found["items"]]
    assert found["place"]["name"] == "Göttingen"
    suggestions = (await client.get("/places", params={"q": "Götting"})).json()
    assert any(p["name"] == "Göttingen" and p["region"] == "NI" for p in suggestions)


async def test_paging(client, admin):
    for _ in range(3):
        centre_id, _ = await onboarded(
            client, admin, address={"street": "Am Wall 1", "postcode": "37412", "city": "Herzberg"}
        )
    await in_finder(client, centre_id)
    params = {"postcode": "37412", "distance_km": 1, "page_size": 2}
    first = (await client.get("/finder", params=params)).json()
    second = (await client.get("/finder", params=params | {"page": 2})).json()
    assert first["total"] == second["total"] >= 3
    assert len(first["items"]) == 2 and second["items"]
    assert not {h["centre_id"] for h in first["items"]} & {h["centre_id"] for h in second["items"]}


async def test_a_profile_change_is_live_in_the_finder(client, admin):
    centre_id, body = await onboarded(client, admin)
    await in_finder(client, centre_id)
    changed = await client.put(f"/centres/{centre_id}/profile", json=body | {"topics": ["addiction"]}, headers=admin)
    assert changed.status_code == 200

    async def shows_addiction() -> bool:
        return (await client.get(f"/directory/{centre_id}")).json()["topics"] == ["addiction"]

    await until(shows_addiction, timeout_s=5)


async def test_export_json_and_csv(client, admin):
    centre_id, body = await onboarded(client, admin)
    await in_finder(client, centre_id)
    exported = (await client.get("/directory.json")).json()
    mine = [c for c in exported["centres"] if c["centre_id"] == centre_id]
    assert mine and mine[0]["name"] == body["name"]
    response = await client.get("/directory.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    row = next(r for r in rows if r["centre_id"] == centre_id)
    assert (row["postcode"], row["topics"], row["languages"]) == ("37073", "debt|social_benefits", "de|tr")


async def test_unlisted_centres_are_not_public(client, admin):
    response = await client.post("/centres", json={"name": "Noch nicht fertig", "postcode": "37073"}, headers=admin)
    centre_id = response.json()["centre_id"]
    await client.put(f"/centres/{centre_id}/profile", json=profile_body(), headers=admin)
    assert (await client.get(f"/directory/{centre_id}")).status_code == 404
    found = (await client.get("/finder", params={"postcode": "37073", "page_size": 100})).json()
    assert centre_id not in [hit["centre_id"] for hit in found["items"]]
