"""The finder's in-memory index answers what the SQL statement answers, and follows the directory."""

from __future__ import annotations

from datetime import UTC, datetime

from centres_support import in_finder, onboarded, until

from centres.api.public_views import finder_hit
from centres.readmodels import finder

QUERIES = [
    {"postcode": "37073", "distance_km": 40.0, "filters": finder.Filters(topics=["debt"])},
    {"postcode": "37073", "distance_km": 25.0, "filters": finder.Filters(languages=["uk", "de"], channels=["video"])},
    {"postcode": "37154", "distance_km": 200.0, "filters": finder.Filters(accessibility=["step_free"])},
    {"postcode": "25980", "distance_km": 10.0, "filters": finder.Filters()},
]


async def test_the_index_answers_like_the_sql_statement(service, client, admin):
    centre_id, _ = await onboarded(client, admin, languages=["de", "uk"], channels=["video"])
    await in_finder(client, centre_id)
    index = service.app.state.finder_index
    assert index.ready and centre_id in index.by_id
    now = datetime.now(UTC)
    for query in QUERIES:
        coordinates = (await client.get("/finder", params={"postcode": query["postcode"]})).json()["place"]
        lat, lon = coordinates["lat"], coordinates["lon"]
        filters = query["filters"]
        async with service.engine.connect() as conn:
            sql = await finder.search(
                conn,
                lat=lat,
                lon=lon,
                postcode=query["postcode"],
                within_km=query["distance_km"],
                filters=filters,
                offset=0,
                limit=100,
            )
        memory = index.search(
            lat=lat,
            lon=lon,
            postcode=query["postcode"],
            within_km=query["distance_km"],
            filters=filters,
            offset=0,
            limit=100,
        )
        assert (memory.total, memory.covered) == (sql.total, sql.covered)
        assert [h.entry.centre_id for h in memory.hits] == [r.centre_id for r in sql.rows]
        for hit, row in zip(memory.hits, sql.rows, strict=True):
            assert abs(hit.distance_km - row.distance_km) < 1e-6 and hit.covers == row.covers

    answer = (
        await client.get("/finder", params={"postcode": "37073", "distance_km": 40, "language": "uk", "page_size": 100})
    ).json()
    [hit] = [h for h in answer["items"] if h["centre_id"] == centre_id]
    async with service.engine.connect() as conn:
        sql = await finder.search(
            conn,
            lat=answer["place"]["lat"],
            lon=answer["place"]["lon"],
            postcode="37073",
            within_km=40,
            filters=finder.Filters(languages=["uk"]),
            offset=0,
            limit=100,
        )
    [row] = [r for r in sql.rows if r.centre_id == centre_id]
    assert hit == finder_hit(row, finder.Filters(languages=["uk"]), now) | {"open_now": hit["open_now"]}


async def test_a_delisted_centre_leaves_the_index(service, client, admin):
    centre_id, _ = await onboarded(client, admin)
    await in_finder(client, centre_id)
    delisted = await client.post(f"/centres/{centre_id}/delist", headers=admin)
    assert delisted.status_code == 200, delisted.text

    async def gone() -> bool:
        return centre_id not in service.app.state.finder_index.by_id

    await until(gone)
    assert (await client.get(f"/directory/{centre_id}")).status_code == 404
