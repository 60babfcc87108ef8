"""Centres benchmark: the public finder through the gateway, and how soon a profile change shows.

- Finder: 50,000 listed centres (quick: 5,000) across Germany in a fresh database
  (`centres_bench`, written with the directory projection's own row code); the centres service
  and the gateway run as their own processes. Queries: a random postcode of the region + 25 km +
  one topic + one language, anonymous, through the gateway; each alternates with the gateway's
  trivial endpoint (`/health/live`) of the same run, the baseline, with a static answer of the
  centres service through the gateway (`/catalogue`: the proxy's own cost) and with the finder
  and `/health/live` of the service called directly.
- Profile change → visible: centres onboarded over the API (event store, outbox, relay, Kafka,
  the directory consumer); each change switches the centre's second language and the clock runs
  from the HTTP response until the finder through the gateway shows the centre for that language.

``uv run python bench/centres_bench.py [--quick|--smoke]`` prints JSON and writes bench/results/centres.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from benchlib import add_size_options, gateway_process, progress, row, save, size_of, summary_ms, uvicorn_process
from region_platform import fresh_database
from sqlalchemy.dialects.postgresql import insert

from centres.demo_region import profiles
from centres.readmodels.directory_rows import profile_columns
from centres.readmodels.tables import directory
from teilhabe_events.centre_catalogue import Language, Topic
from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer
from teilhabe_kit.db import create_engine

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "full": {"centres": 50_000, "queries": 1000, "changes": 60},
    "quick": {"centres": 5_000, "queries": 300, "changes": 30},
    "smoke": {"centres": 300, "queries": 20, "changes": 3},
}
TOGGLE = [Language.VIETNAMESE, Language.ALBANIAN]


async def load_directory(url: str, count: int) -> list[str]:
    """`count` listed centres written as the directory projection writes them; their postcodes."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    postcodes: list[str] = []
    batch: list[dict] = []
    try:
        for centre_id, profile in profiles(count, seed=5):
            batch.append(
                {"centre_id": centre_id, "listed": True, "updated_at": now, "functions": ["directory"]}
                | profile_columns(profile, 1)
            )
            postcodes.append(profile.address.postcode)
            if len(batch) == 1000:
                async with engine.begin() as conn:
                    await conn.execute(insert(directory), batch)
                batch = []
        if batch:
            async with engine.begin() as conn:
                await conn.execute(insert(directory), batch)
        async with engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE directory")
    finally:
        await engine.dispose()
    return postcodes


async def measure_finder(
    gateway: httpx.AsyncClient, service: httpx.AsyncClient, postcodes: list[str], queries: int
) -> dict:
    rng = random.Random(99)
    wanted = [
        {
            "postcode": rng.choice(postcodes),
            "distance_km": 25,
            "topic": rng.choice(list(Topic)).value,
            "language": rng.choice(list(Language)).value,
        }
        for _ in range(queries)
    ]
    for params in wanted[:20]:  # warm up
        (await gateway.get("/api/v1/centres/finder", params=params)).raise_for_status()
    finder, floor, proxied, direct, direct_floor, hits = [], [], [], [], [], []
    for params in wanted:
        t0 = time.perf_counter()
        response = await gateway.get("/api/v1/centres/finder", params=params)
        finder.append(time.perf_counter() - t0)
        response.raise_for_status()
        hits.append(response.json()["total"])
        t0 = time.perf_counter()
        (await gateway.get("/health/live")).raise_for_status()
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        (await gateway.get("/api/v1/centres/catalogue")).raise_for_status()
        proxied.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        (await service.get("/api/v1/centres/finder", params=params)).raise_for_status()
        direct.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        (await service.get("/health/live")).raise_for_status()
        direct_floor.append(time.perf_counter() - t0)
    hits.sort()
    return {
        "finder": summary_ms(finder),
        "trivial": summary_ms(floor),
        "proxied_static": summary_ms(proxied),
        "service_alone": summary_ms(direct),
        "service_trivial": summary_ms(direct_floor),
        "median_total": hits[len(hits) // 2],
    }


async def onboard(gateway: httpx.AsyncClient, admin: dict[str, str], postcode: str, index: int) -> tuple[str, dict]:
    api = "/api/v1/centres"
    made = await gateway.post(f"{api}/centres", json={"name": f"Bench {index}", "postcode": postcode}, headers=admin)
    made.raise_for_status()
    centre_id = made.json()["centre_id"]
    agreement = {"version": "1", "signed_on": date.today().isoformat(), "signatory": "Bench"}
    (await gateway.put(f"{api}/centres/{centre_id}/agreement", json=agreement, headers=admin)).raise_for_status()
    body = {
        "name": f"Bench-Beratung {index}",
        "provider": "Bench e. V.",
        "address": {"street": "Markt 1", "postcode": postcode, "city": "Ort"},
        "service_area": {"radius_km": 10},
        "topics": ["debt"],
        "languages": ["de"],
        "channels": ["phone"],
        "contact": {"phone": "0551 1"},
    }
    (await gateway.put(f"{api}/centres/{centre_id}/profile", json=body, headers=admin)).raise_for_status()
    return centre_id, body


async def measure_visibility(
    gateway: httpx.AsyncClient, admin: dict[str, str], postcodes: list[str], changes: int
) -> dict:
    """Profile change (HTTP response) → the finder through the gateway shows the change."""
    rng = random.Random(7)
    centres = [await onboard(gateway, admin, rng.choice(postcodes), i) for i in range(5)]
    delays: list[float] = []
    for n in range(changes):
        centre_id, body = centres[n % len(centres)]
        language = TOGGLE[(n // len(centres)) % 2].value
        changed = body | {"languages": ["de", language]}
        response = await gateway.put(f"/api/v1/centres/centres/{centre_id}/profile", json=changed, headers=admin)
        done = time.perf_counter()
        response.raise_for_status()
        params = {"postcode": body["address"]["postcode"], "distance_km": 1, "language": language, "page_size": 100}
        while True:
            found = (await gateway.get("/api/v1/centres/finder", params=params)).json()
            if centre_id in {hit["centre_id"] for hit in found["items"]}:
                delays.append(time.perf_counter() - done)
                break
            if time.perf_counter() - done > 10:
                raise RuntimeError("a profile change did not reach the finder within 10 s")
        await asyncio.sleep(0.05)
    return summary_ms(delays)


async def main(mode: str) -> dict:
    sizes = SIZES[mode]
    run = uuid.uuid4().hex[:8]
    url = await fresh_database("centres_bench", "centres")
    gateway_url = await fresh_database("gateway_bench_centres", "gateway")
    t0 = time.perf_counter()
    postcodes = await load_directory(url, sizes["centres"])
    progress(f"directory: {sizes['centres']:,} centres in {time.perf_counter() - t0:.1f}s")
    issuer = TokenIssuer([SigningKey.generate()])
    jwks = json.dumps(issuer.jwks())
    admin = {"Authorization": f"Bearer {issuer.issue(Principal('bench-admin', frozenset({'admin'})))}"}
    centres_env = {
        "CENTRES_DATABASE_URL": url,
        "CENTRES_CENTRES_TOPIC": f"bench.centres.{run}.v1",
        "CENTRES_CONSUMER_GROUP_PREFIX": f"bench-centres-{run}",
        "CENTRES_LOG_LEVEL": "WARNING",
        "IDENTITY_JWKS_JSON": jwks,
    }
    async with uvicorn_process("centres", "centres.main:app", centres_env) as centres_url:
        async with gateway_process(gateway_url, jwks, centres_url=centres_url) as gateway_base:
            async with (
                httpx.AsyncClient(base_url=gateway_base, timeout=30) as gateway,
                httpx.AsyncClient(base_url=centres_url, timeout=30) as service,
            ):
                finder = await measure_finder(gateway, service, postcodes, sizes["queries"])
                progress(
                    f"finder p50/p99 {finder['finder']['p50_ms']}/{finder['finder']['p99_ms']} ms, service alone "
                    f"{finder['service_alone']['p50_ms']}/{finder['service_alone']['p99_ms']} ms (its /health/live "
                    f"{finder['service_trivial']['p50_ms']}/{finder['service_trivial']['p99_ms']} ms), gateway trivial "
                    f"{finder['trivial']['p50_ms']}/{finder['trivial']['p99_ms']} ms, proxied catalogue "
                    f"{finder['proxied_static']['p50_ms']}/{finder['proxied_static']['p99_ms']} ms"
                )
                visible = await measure_visibility(gateway, admin, postcodes, sizes["changes"])
                progress(f"profile change → finder p99 {visible['p99_ms']} ms")
    f, t, c = finder["finder"], finder["trivial"], finder["proxied_static"]
    table = [
        row(
            f"finder through the gateway p99, {sizes['centres']:,} centres, postcode + 25 km + topic + language "
            f"(p50 {f['p50_ms']} ms, median {finder['median_total']} hits; baseline: the gateway's /health/live p99)",
            f["p99_ms"],
            t["p99_ms"],
            unit="ms",
            target="≤ 20 ms",
            higher_is_better=False,
        ),
        row(
            f"finder through the gateway p99 beside a static answer of the same service through the gateway "
            f"(GET /api/v1/centres/catalogue, p50 {c['p50_ms']} ms): the gateway's proxy cost shown apart",
            f["p99_ms"],
            c["p99_ms"],
            unit="ms",
            higher_is_better=False,
        ),
        row(
            f"profile change → visible in the finder through the gateway p99 (p50 {visible['p50_ms']} ms, "
            f"{visible['n']} changes; outbox → Kafka → directory consumer)",
            visible["p99_ms"],
            unit="ms",
            target="≤ 1000 ms",
            higher_is_better=False,
        ),
    ]
    return {
        "mode": mode,
        "sizes": sizes,
        "finder": finder,
        "visibility": visible,
        "targets": {"finder_p99_met": f["p99_ms"] <= 20, "visibility_p99_met": visible["p99_ms"] <= 1000},
        "table": table,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_options(parser)
    save("centres", asyncio.run(main(size_of(parser.parse_args()))))
