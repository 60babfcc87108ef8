"""The replay command rebuilds the back-office views from the event store and the public
directory from the centres topic; both equal what the live service built."""

from __future__ import annotations

from centres_support import in_finder, onboarded, record_interest, until
from sqlalchemy import select

from centres.consumers.directory import Directory
from centres.readmodels.tables import centres_view, directory, region_fallbacks
from centres.replay import rebuild_views
from teilhabe_kit.replay import replay


async def snapshot(conn, table, key, ids):
    rows = await conn.execute(select(table).where(key.in_(ids)).order_by(key))
    return [dict(r._mapping) for r in rows]


async def test_views_rebuilt_from_the_event_store_equal_the_live_ones(service, client, admin):
    listed, body = await onboarded(client, admin)
    await client.put(f"/centres/{listed}/profile", json=body | {"languages": ["de"]}, headers=admin)
    waiting = await record_interest(client, admin)
    await client.put(f"/centres/{waiting}/seats", json={"seats": 3}, headers=admin)
    await client.put("/regions/NI/fallback", json={"centre_id": listed}, headers=admin)
    ids = [listed, waiting]
    async with service.engine.connect() as conn:
        live = await snapshot(conn, centres_view, centres_view.c.centre_id, ids)
        live_regions = await snapshot(conn, region_fallbacks, region_fallbacks.c.region, ["NI"])

    async with service.engine.begin() as conn:
        report = await rebuild_views(conn)
        rebuilt = await snapshot(conn, centres_view, centres_view.c.centre_id, ids)
        rebuilt_regions = await snapshot(conn, region_fallbacks, region_fallbacks.c.region, ["NI"])
    assert report.centres >= 2 and report.events >= 7 and report.regions >= 1
    assert rebuilt == live and len(live) == 2
    assert rebuilt_regions == live_regions and live_regions[0]["centre_id"] == listed


async def test_directory_replays_from_the_centres_topic(service, client, admin, as_):
    centre_id, body = await onboarded(client, admin)
    centre_admin = as_("ca-replay", "centre_admin", organisation_id=centre_id)
    await client.put(f"/centres/{centre_id}/profile", json=body | {"topics": ["care"]}, headers=centre_admin)
    delisted, _ = await onboarded(client, admin)
    await in_finder(client, delisted)  # listed first, so that "gone" below means the delisting arrived
    await client.post(f"/centres/{delisted}/delist", headers=admin)

    async def settled() -> bool:
        shown = await client.get(f"/directory/{centre_id}")
        gone = await client.get(f"/directory/{delisted}")
        return shown.status_code == 200 and shown.json()["topics"] == ["care"] and gone.status_code == 404

    await until(settled)
    async with service.engine.connect() as conn:
        live = await snapshot(conn, directory, directory.c.centre_id, [centre_id, delisted])

    rebuilt_by = Directory(service.settings.centres_topic, f"{service.settings.consumer_group_prefix}-replay")
    report = await replay(service.engine, rebuilt_by, service.bootstrap)
    assert report.applied >= 8 and report.skipped == 0
    async with service.engine.connect() as conn:
        rebuilt = await snapshot(conn, directory, directory.c.centre_id, [centre_id, delisted])
    differing = [(a["centre_id"], k, a[k], b[k]) for a, b in zip(live, rebuilt) for k in a if a[k] != b[k]]
    assert rebuilt == live, differing
    assert {row["centre_id"]: row["listed"] for row in rebuilt} == {centre_id: True, delisted: False}
