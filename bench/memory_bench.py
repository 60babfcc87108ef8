"""Memory: resident size (VmRSS from /proc) of each service process at rest and under the journey load.

The real platform on a generated region (`region_platform`, every service one uvicorn process);
"at rest" is after the region was consumed and 10 s of quiet, "under load" the highest value
sampled every 0.5 s while the journey runs (seekers publishing, assistants listening over SSE
through the gateway). Same run: the at-rest figure is the baseline of the loaded one.

Usage: uv run python bench/memory_bench.py [--quick|--smoke]  (local stack up)
"""

from __future__ import annotations

import argparse
import asyncio

from benchlib import add_size_options, progress, row, save, size_of
from region_platform import journey, region_platform, rss_mib

SIZES = {
    "full": {"assistants": 3000, "listeners": 500, "seekers": 40, "each": 8, "gap_s": 4.0, "rest_s": 10},
    "quick": {"assistants": 400, "listeners": 150, "seekers": 12, "each": 5, "gap_s": 3.0, "rest_s": 10},
    "smoke": {"assistants": 60, "listeners": 10, "seekers": 3, "each": 2, "gap_s": 0.5, "rest_s": 1},
}


async def main(size: str) -> None:
    sizes = SIZES[size]
    async with region_platform(sizes["assistants"]) as p:
        await asyncio.sleep(sizes["rest_s"])
        at_rest = {name: rss_mib(pid) for name, pid in p.pids.items()}
        progress(f"at rest (MiB): {at_rest}")
        peak = dict(at_rest)

        def sample() -> None:
            for name, pid in p.pids.items():
                peak[name] = max(peak[name], rss_mib(pid))

        load = await journey(p, sizes["seekers"], sizes["each"], sizes["gap_s"], sizes["listeners"], during=sample)
        sample()
        progress(f"under load (MiB): {peak}")
    table = [
        row(
            f"{name} resident size under the journey load ({load['listeners']} SSE listeners, "
            f"{load['rate_per_s']} orders/s; baseline: at rest with the region loaded)",
            peak[name],
            at_rest[name],
            unit="MiB",
            higher_is_better=False,
        )
        for name in sorted(at_rest)
    ]
    save(
        "memory",
        {
            "sizes": sizes,
            "at_rest_mib": at_rest,
            "under_load_mib": peak,
            "journey": load,
            "total_at_rest_mib": round(sum(at_rest.values()), 1),
            "total_under_load_mib": round(sum(peak.values()), 1),
            "table": table,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_options(parser)
    asyncio.run(main(size_of(parser.parse_args())))
