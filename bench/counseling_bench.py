"""Counseling benchmark: client search and a year's statistics through the gateway.

- Search: 20,000 clients of one centre (quick: 2,000) plus 5,000 of another centre in a fresh
  database (`counseling_bench`, rows as the projection writes them), 30 counselors as primary
  counselors, three filter criteria. Queries: part of a pseudonym, alone or with a filter criterion
  or "my clients", first page (50) A–Z, as a counselor through the gateway; beside the same query
  in raw SQL (asyncpg, no HTTP) and the gateway's trivial endpoint of the same run.
- Statistics: 200,000 case records of the centre in one year (quick: 20,000) and their monthly sums
  (as the projection keeps them); counts and minutes per subject, channel, counselor and month for
  the year, as the centre's admin through the gateway; beside a raw SQL aggregate of the same rows
  (one GROUP BY per dimension over the records, asyncpg).

``uv run python bench/counseling_bench.py [--quick]`` prints JSON and writes bench/results/counseling.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid

import asyncpg
import httpx
from benchlib import (
    PIDS,
    add_size_options,
    cpu_ms,
    gateway_process,
    progress,
    row,
    save,
    size_of,
    summary_ms,
    uvicorn_process,
)
from region_platform import fresh_database

from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer

SIZES = {
    "full": {"clients": 20_000, "others": 5_000, "records": 200_000, "queries": 600, "stats": 60},
    "quick": {"clients": 2_000, "others": 500, "records": 20_000, "queries": 150, "stats": 20},
    "smoke": {"clients": 200, "others": 50, "records": 2_000, "queries": 20, "stats": 5},
}
WORDS = [
    "Sonnenblume", "Leuchtturm", "Kiefer", "Waldkauz", "Ahorn", "Regenbogen", "Moewe", "Birke", "Fuchs", "Eule",
    "Kastanie", "Libelle", "Meerblick", "Nordstern", "Quelle", "Rabe", "Schwalbe", "Tanne", "Ulme", "Wolke",
]  # fmt: skip
SUBJECTS = ["debt", "family", "parenting", "addiction", "housing", "social_benefits", "employment", "migration"]
CHANNELS = ["mail", "chat", "appointment", "on_site", "phone", "video", "other"]
RAW_SEARCH = """
SELECT id, pseudonym, status, primary_counselor_id, filters, count(*) OVER () AS total FROM clients
WHERE centre_id = $1 AND status <> 'erased' AND pseudonym_key LIKE $2
  AND ($3::text IS NULL OR filters @> ARRAY[$3]::varchar[]) AND ($4::text IS NULL OR primary_counselor_id = $4)
ORDER BY pseudonym_key, id LIMIT 50
"""
RAW_STATS = [
    f"SELECT {column}, count(*), sum(minutes) FROM case_records "
    f"WHERE centre_id = $1 AND occurred_on BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY 1"
    for column in ("subject", "channel", "counselor_id", "to_char(occurred_on, 'YYYY-MM')")
]


async def load(dsn: str, centre: str, other: str, counselors: list[str], sizes: dict) -> None:
    """Clients and records with SQL's generate_series (deterministic spread over words, filters, counselors)."""
    conn = await asyncpg.connect(dsn)
    try:
        for centre_id, count, offset in ((centre, sizes["clients"], 0), (other, sizes["others"], 10**6)):
            await conn.execute(
                """
                INSERT INTO clients (id, centre_id, pseudonym, pseudonym_key, status, primary_counselor_id, filters,
                                     created_at, updated_at)
                SELECT 'c-' || ($2 + i), $1, w || ' ' || ($2 + i), lower(w || ' ' || ($2 + i)), 'active',
                       CASE WHEN i % 4 = 0 THEN NULL ELSE ($3::text[])[1 + i % array_length($3, 1)] END,
                       (ARRAY['{u25}', '{schulden}', '{familie}', '{u25,schulden}'])[1 + i % 4]::varchar[],
                       now(), now()
                FROM generate_series(1, $4) AS i, LATERAL (SELECT ($5::text[])[1 + (i * 7) % array_length($5, 1)] AS w) AS p
                """,
                centre_id,
                offset,
                counselors,
                count,
                WORDS,
            )
        await conn.execute(
            """
            INSERT INTO case_records (id, centre_id, client_id, counselor_id, occurred_on, minutes, subject, channel,
                                      fields, created_at, updated_at)
            SELECT 'r-' || i, $1, 'c-' || (1 + i % $2), ($3::text[])[1 + i % array_length($3, 1)],
                   DATE '2026-01-01' + (i * 37) % 365, 5 + (i * 13) % 116,
                   ($4::text[])[1 + (i * 5) % array_length($4, 1)], ($5::text[])[1 + (i * 3) % array_length($5, 1)],
                   '{}'::jsonb, now(), now()
            FROM generate_series(1, $6) AS i
            """,
            centre,
            sizes["clients"],
            counselors,
            SUBJECTS,
            CHANNELS,
            sizes["records"],
        )
        await conn.execute(  # the monthly sums the projection keeps beside the records
            "INSERT INTO record_months SELECT centre_id, date_trunc('month', occurred_on)::date, subject, channel, "
            "counselor_id, count(*), sum(minutes) FROM case_records GROUP BY 1, 2, 3, 4, 5"
        )
        for table in (
            "clients",
            "case_records",
            "record_months",
        ):  # as autovacuum would have: visibility map, statistics
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()


def timed(samples: list[float]):
    class _Timer:
        def __enter__(self):
            self.t0 = time.perf_counter()

        def __exit__(self, *exc):
            samples.append(time.perf_counter() - self.t0)

    return _Timer()


async def measure(
    gateway, raw: asyncpg.Connection, centre: str, counselor: tuple[str, dict], admin: dict, sizes, pids: dict[str, int]
):
    rng = random.Random(15)
    counselor_id, as_counselor = counselor
    queries = []
    for _ in range(sizes["queries"]):
        q = f"{rng.choice(WORDS)[-5:].lower()} {rng.randint(1, 99)}"
        kind = rng.choice(["q", "filter", "mine"])
        queries.append((q, "schulden" if kind == "filter" else None, counselor_id if kind == "mine" else None))
    path = f"/api/v1/counseling/centres/{centre}/clients"
    search, raw_search, trivial, hits = [], [], [], []
    for q, _, _ in queries[:20]:  # warm up
        (await gateway.get(path, params={"q": q}, headers=as_counselor)).raise_for_status()
    cpu_before = {name: cpu_ms(pid) for name, pid in pids.items()}
    for q, criterion, primary in queries:
        params = {"q": q} | ({"filter": criterion} if criterion else {}) | ({"primary": "me"} if primary else {})
        (await gateway.get(path, params=params, headers=as_counselor)).raise_for_status()
    cpu = {name: round((cpu_ms(pid) - cpu_before[name]) / len(queries), 2) for name, pid in pids.items()}
    for q, criterion, primary in queries:
        params = {"q": q} | ({"filter": criterion} if criterion else {}) | ({"primary": "me"} if primary else {})
        with timed(search):
            response = await gateway.get(path, params=params, headers=as_counselor)
        response.raise_for_status()
        hits.append(response.json()["total"])
        with timed(raw_search):
            rows = await raw.fetch(RAW_SEARCH, centre, f"%{q}%", criterion, primary)
        assert (rows[0]["total"] if rows else 0) == hits[-1], "raw SQL and the API disagree"
        with timed(trivial):
            (await gateway.get("/health/live")).raise_for_status()
    stats, raw_stats = [], []
    params = {"from": "2026-01-01", "to": "2026-12-31"}
    for n in range(sizes["stats"] + 3):
        with timed(stats):
            response = await gateway.get(
                f"/api/v1/counseling/centres/{centre}/statistics", params=params, headers=admin
            )
        response.raise_for_status()
        with timed(raw_stats):
            for statement in RAW_STATS:
                await raw.fetch(statement, centre)
        if n < 3:  # warm up
            stats.pop(), raw_stats.pop()
    total = response.json()["total"]
    assert total["count"] == sizes["records"], total
    hits.sort()
    return {
        "search": summary_ms(search),
        "search_raw_sql": summary_ms(raw_search),
        "trivial": summary_ms(trivial),
        "search_cpu_ms_per_request": cpu,
        "median_hits": hits[len(hits) // 2],
        "statistics": summary_ms(stats),
        "statistics_raw_sql": summary_ms(raw_stats),
        "records_counted": total["count"],
    }


async def main(mode: str) -> dict:
    sizes = SIZES[mode]
    url = await fresh_database("counseling_bench", "counseling")
    gateway_url = await fresh_database("gateway_bench_counseling", "gateway")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    centre, other = str(uuid.uuid4()), str(uuid.uuid4())
    counselors = [str(uuid.uuid4()) for _ in range(30)]
    t0 = time.perf_counter()
    await load(dsn, centre, other, counselors, sizes)
    progress(f"loaded {sizes['clients']:,} clients and {sizes['records']:,} records in {time.perf_counter() - t0:.1f}s")
    issuer = TokenIssuer([SigningKey.generate()])
    jwks = json.dumps(issuer.jwks())

    def bearer(account_id: str, role: str) -> dict[str, str]:
        token = issuer.issue(Principal(account_id, frozenset({role}), organisation_id=centre))
        return {"Authorization": f"Bearer {token}"}

    env = {
        "COUNSELING_DATABASE_URL": url,
        "COUNSELING_RUN_CONSUMERS": "false",
        "COUNSELING_LOG_LEVEL": "WARNING",
        "IDENTITY_JWKS_JSON": jwks,
    }
    async with uvicorn_process("counseling", "counseling.main:app", env) as counseling_url:
        async with gateway_process(gateway_url, jwks, counseling_url=counseling_url) as gateway_base:
            raw = await asyncpg.connect(dsn)
            try:
                async with httpx.AsyncClient(base_url=gateway_base, timeout=30) as gateway:
                    figures = await measure(
                        gateway,
                        raw,
                        centre,
                        (counselors[0], bearer(counselors[0], "counselor")),
                        bearer("bench-admin", "centre_admin"),
                        sizes,
                        {"counseling": PIDS[counseling_url], "gateway": PIDS[gateway_base]},
                    )
            finally:
                await raw.close()
    s, r, t = figures["search"], figures["search_raw_sql"], figures["trivial"]
    st, sr = figures["statistics"], figures["statistics_raw_sql"]
    progress(f"search p50/p99 {s['p50_ms']}/{s['p99_ms']} ms (raw SQL {r['p50_ms']}/{r['p99_ms']} ms)")
    progress(f"search CPU-ms per request (a loop of its own, no other load): {figures['search_cpu_ms_per_request']}")
    progress(f"statistics p50/p99 {st['p50_ms']}/{st['p99_ms']} ms (raw SQL {sr['p50_ms']}/{sr['p99_ms']} ms)")
    table = [
        row(
            f"client search through the gateway p99, {sizes['clients']:,} clients of the centre (p50 {s['p50_ms']} ms, "
            f"median {figures['median_hits']} hits; baseline: the same query in raw SQL p99)",
            s["p99_ms"],
            r["p99_ms"],
            unit="ms",
            target="≤ 30 ms",
            higher_is_better=False,
        ),
        row(
            f"client search through the gateway p99 beside the gateway's /health/live p99 (p50 {t['p50_ms']} ms)",
            s["p99_ms"],
            t["p99_ms"],
            unit="ms",
            higher_is_better=False,
        ),
        row(
            f"statistics for a year through the gateway p99, {sizes['records']:,} records (p50 {st['p50_ms']} ms; "
            "baseline: a raw SQL aggregate of the same rows per dimension p99)",
            st["p99_ms"],
            sr["p99_ms"],
            unit="ms",
            target="≤ 200 ms",
            higher_is_better=False,
        ),
    ]
    return {
        "mode": mode,
        "sizes": sizes,
        **figures,
        "targets": {"search_p99_met": s["p99_ms"] <= 30, "statistics_p99_met": st["p99_ms"] <= 200},
        "table": table,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_options(parser)
    save("counseling", asyncio.run(main(size_of(parser.parse_args()))))
