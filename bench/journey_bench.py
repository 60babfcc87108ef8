"""Journey under load: seekers publish orders while the region's assistants listen over SSE.

The real platform (every service, `region_platform`) on a generated region; N concurrent seekers
publish orders (OrderPublished on the orders topic, as orders' outbox relay does) around the
listening assistants; per order the time from publish to the first availability request arriving
on an assistant's notification stream (Kafka → matching → Kafka → messaging → gateway → SSE).
Baseline, same run and schedule: a raw aiokafka produce → consume round trip on the same broker.
180 listeners at full size: with 500 the streams did not all open within 120 s — likely the
gateway's upstream pool (200 connections in total, gateway/upstream.py), one per relayed stream.

`--replicas 1,2`: the same journey on one and on two processes of every service (gateway round-robin,
consumer groups shared, matching's leader consuming); on 2 cores this shows the overhead of more
processes, not a speed-up. With two replicas it then kills matching's consuming replica and measures
the takeover (leader lock, then the consumer group's rebalance). Saved as `journey_replicas`.

Usage: uv run python bench/journey_bench.py [--quick|--smoke] [--replicas 1,2]  (local stack up)
"""

from __future__ import annotations

import argparse
import asyncio

from benchlib import add_size_options, progress, row, save, size_of
from region_platform import journey, matching_takeover, order_payload, raw_round_trip, region_platform

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


async def compare_replicas(size: str, counts: list[int]) -> None:
    sizes = SIZES[size]
    results: dict[int, dict] = {}
    takeover: dict = {}
    for count in counts:
        async with region_platform(sizes["assistants"], replicas=count) as p:
            results[count] = await journey(p, sizes["seekers"], sizes["each"], sizes["gap_s"], sizes["listeners"])
            progress(f"{count} replica(s): p50 {results[count]['p50_ms']} ms p99 {results[count]['p99_ms']} ms")
            if count > 1:
                takeover = await matching_takeover(p)
                progress(f"matching takeover after SIGKILL of its consumer: {takeover}")
    one, *more = counts
    table = [
        row(
            f"publish → SSE arrival {q} with {n} replicas per service (baseline: {one})",
            results[n][f"{q}_ms"],
            results[one][f"{q}_ms"],
            unit="ms",
            higher_is_better=False,
        )
        for n in more
        for q in ("p50", "p99")
    ]
    if takeover:
        table += [
            row("matching: SIGKILL of the consuming replica → another leads", takeover["leading_after_s"], unit="s"),
            row("matching: SIGKILL → requests of an order published then", takeover["requests_after_s"], unit="s"),
        ]
    save(
        "journey_replicas",
        {"sizes": sizes, "journeys": {str(n): r for n, r in results.items()}, "takeover": takeover, "table": table},
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_options(parser)
    parser.add_argument("--replicas", default="1", help="processes per service, e.g. 1,2 to compare")
    arguments = parser.parse_args()
    counts = [int(n) for n in arguments.replicas.split(",")]
    if counts == [1]:
        asyncio.run(main(size_of(arguments)))
    else:
        asyncio.run(compare_replicas(size_of(arguments), counts))
