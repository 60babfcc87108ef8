"""Event store: appends/s (event + outbox row, one transaction each) for 1 and 8 concurrent
writers, against raw asyncpg inserting the same rows in the same run.

Usage: uv run python bench/eventstore_bench.py [--events N]   (needs the local stack up)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid

import asyncpg
from benchlib import add_size_options, progress, row, save, size_of

from teilhabe_events import encode, new_envelope
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.db import create_engine
from teilhabe_kit.migrations import database_url_for, upgrade

DATABASE = "kit_test"
TOPIC = "bench.eventstore.v1"


def envelope():
    stream = uuid.uuid4().hex
    return new_envelope(
        event_type="BenchHappened",
        schema_version=1,
        stream_type="bench",
        stream_id=stream,
        stream_version=1,
        payload={"n": 1, "text": "x" * 200},
    )


async def kit_writer(engine, count: int) -> None:
    for _ in range(count):
        e = envelope()
        async with engine.begin() as conn:
            await eventstore.append(conn, "bench", e.stream_id, 0, [e])
            await outbox.record(conn, TOPIC, [e])


async def raw_writer(pool, count: int) -> None:
    for _ in range(count):
        e = envelope()
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO event_store (event_id, stream_type, stream_id, stream_version, event_type,"
                " schema_version, occurred_at, correlation_id, payload) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                e.event_id,
                "bench",
                e.stream_id,
                1,
                e.event_type,
                1,
                e.occurred_at,
                e.correlation_id,
                json.dumps(e.payload),
            )
            await conn.execute(
                "INSERT INTO outbox (event_id, topic, key, value, headers) VALUES ($1,$2,$3,$4,$5)",
                e.event_id,
                TOPIC,
                e.stream_id,
                encode(e),
                "{}",
            )


async def measure(label: str, writers: int, total: int, make_writer) -> float:
    per_writer = total // writers
    started = time.perf_counter()
    await asyncio.gather(*(make_writer(per_writer) for _ in range(writers)))
    rate = per_writer * writers / (time.perf_counter() - started)
    progress(f"{label} x{writers}: {rate:,.0f} appends/s")
    return rate


async def main(total: int) -> dict:
    url = database_url_for(DATABASE)
    await asyncio.to_thread(upgrade, None, url)
    engine = create_engine(url, pool_size=8)
    pool = await asyncpg.create_pool(url.replace("postgresql+asyncpg", "postgresql"), min_size=8, max_size=8)
    results = {}
    try:
        await kit_writer(engine, 50)  # warm up both paths
        await raw_writer(pool, 50)
        for writers in (1, 8):
            raw = await measure("raw asyncpg", writers, total, lambda n: raw_writer(pool, n))
            kit = await measure("kit append+outbox", writers, total, lambda n: kit_writer(engine, n))
            results[f"writers_{writers}"] = {
                "kit_appends_per_s": round(kit),
                "raw_asyncpg_per_s": round(raw),
                "ratio_kit_to_raw": round(kit / raw, 3),
            }
        async with pool.acquire() as conn:
            await conn.execute("DELETE FROM outbox WHERE topic = $1", TOPIC)
            await conn.execute("DELETE FROM event_store WHERE stream_type = 'bench'")
    finally:
        await pool.close()
        await engine.dispose()
    table = [
        row(
            f"appends/s with outbox, {w} writer(s) (baseline: raw asyncpg, same rows)",
            results[f"writers_{w}"]["kit_appends_per_s"],
            results[f"writers_{w}"]["raw_asyncpg_per_s"],
            unit="events/s",
        )
        for w in (1, 8)
    ]
    return {"events_per_case": total, "results": results, "table": table}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=4000)
    add_size_options(parser)  # quick: 400 events, smoke: 40
    args = parser.parse_args()
    save("eventstore", asyncio.run(main({"quick": 400, "smoke": 40}.get(size_of(args), args.events))))
