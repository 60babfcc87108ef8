"""Journey under load: seekers publish orders while the region's assistants listen over SSE.

The real platform (every service, `region_platform`) on a generated region; N concurrent seekers
publish orders (OrderPublished on the orders topic, as orders' outbox relay does) around the
listening assistants; per order the time from publish to the first availability request arriving
on an assistant's notification stream (Kafka → matching → Kafka → messaging → gateway → SSE).
Baseline, same run and schedule: a raw aiokafka produce → consume round trip on the same broker.
180 listeners at full size: with 500 the streams did not all open within 120 s — likely the
gateway's upstream pool (200 connections in total, gateway/upstream.py), one per relayed stream.

Usage: uv run python bench/journey_bench.py [--quick|--smoke]  (local stack up)
"""

from __future__ import annotations

import argparse
import asyncio

from benchlib import add_size_options, progress, row, save, size_of
from region_platform import journey, order_payload, raw_round_trip, region_platform

SIZES = {
    "full": {"assistants": 3000, "listeners": 180, "seekers": 40, "each": 8, "gap_s": 4.0},
    "quick": {"assistants": 400, "listeners": 150, "seekers": 12, "each": 5, "gap_s": 3.0},
    "smoke": {"assistants": 60, "listeners": 10, "seekers": 3, "each": 2, "gap_s": 0.5},
}


async def main(size: str) -> None:
    sizes = SIZES[size]
    async with region_platform(sizes["assistants"]) as p:
        raw = await raw_round_trip(sizes["seekers"], sizes["each"], sizes["gap_s"], 11, order_payload(p))
        progress(f"raw round trip: p50 {raw['p50_ms']} ms p99 {raw['p99_ms']} ms")
        result = await journey(p, sizes["seekers"], sizes["each"], sizes["gap_s"], sizes["listeners"])
        progress(
            f"journey: p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms "
            f"({result['orders_reached_a_stream']}/{result['orders']} orders reached a stream)"
        )
    label = (
        f"{sizes['seekers']} seekers, {result['rate_per_s']} orders/s, {result['listeners']} assistants on SSE "
        f"via gateway, region {sizes['assistants']:,}"
    )
    table = [
        row(
            f"publish → SSE arrival p50 ({label}; baseline: raw aiokafka round trip p50)",
            result["p50_ms"],
            raw["p50_ms"],
            unit="ms",
            higher_is_better=False,
        ),
        row(
            "publish → SSE arrival p99 (baseline: raw aiokafka round trip p99)",
            result["p99_ms"],
            raw["p99_ms"],
            unit="ms",
            higher_is_better=False,
        ),
    ]
    save("journey", {"sizes": sizes, "journey": result, "raw_round_trip": raw, "table": table})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_options(parser)
    asyncio.run(main(size_of(parser.parse_args())))
