"""Small helpers shared by the benchmarks: percentiles, progress, JSON results and the table, a
service started as its own process, a consumer at a topic's end."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer

from teilhabe_kit.replay import topic_partitions

RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).parent / "results")
"""Where results go: `bench/results/`, or `BENCH_RESULTS` (`run.py --results`, e.g. the smoke test's)."""
ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3) if ms else float("nan"),
    }


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """`--quick` (small sizes, minutes) and `--smoke` (the smallest, only to see that it runs)."""
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="small sizes (minutes)")
    sizes.add_argument("--smoke", action="store_true", help="the smallest sizes, to check that it runs")


def size_of(args: argparse.Namespace) -> str:
    return "smoke" if args.smoke else "quick" if args.quick else "full"


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, str | int | list[float]]:
    """Where and when; `loadavg` (1, 5, 15 min) says how busy the shared machine was."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count() or 0,
        "platform": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def row(
    metric: str,
    value: float,
    baseline: float | None = None,
    *,
    unit: str = "",
    target: str = "",
    higher_is_better: bool = True,
) -> dict:
    """One line of the human table: a figure beside its same-run baseline."""
    ratio = None
    if baseline:
        ratio = round(value / baseline, 3) if higher_is_better else round(baseline / value, 3)
    return {
        "metric": metric,
        "value": value,
        "baseline": baseline,
        "unit": unit,
        "ratio_to_baseline": ratio,
        "target": target,
    }


def save(name: str, result: dict) -> Path:
    """Write bench/results/<name>.json and print the JSON on stdout.

    `result["table"]` (a list of `row(...)`) is what `bench/run.py` puts in bench/README.md.
    """
    RESULTS.mkdir(exist_ok=True)
    document = {"benchmark": name, "machine": machine(), **result}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(json.dumps(document, indent=2))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PIDS: dict[str, int] = {}
"""The process id of each running `uvicorn_process` by its base URL (for `cpu_ms`)."""


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) the process `pid` has used so far, in ms (Linux /proc): the cost of a
    request in CPU-ms is steadier than its latency on a loaded machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def uvicorn_process(name: str, app: str, env: dict[str, str]) -> AsyncIterator[str]:
    """`uvicorn app` (environment: ours and `env`) on a free port until `/health/ready` answers;
    yields its base URL and stops it afterwards. Its log stays in a temporary file."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix=f"{name}-bench-", suffix=".log", delete=False)
    started = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning"],
        env=os.environ | env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    PIDS[base] = started.pid
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while True:
                if started.poll() is not None:
                    raise RuntimeError(f"{name} stopped; see {log.name}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health/ready")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
        progress(f"{name}: ready on {base}")
        yield base
    finally:
        started.terminate()
        started.wait(30)


@asynccontextmanager
async def gateway_process(database_url: str, jwks: str, **upstreams: str) -> AsyncIterator[str]:
    """A gateway process before the services in `upstreams` (``centres_url=…`` → ``GATEWAY_CENTRES_URL``),
    its rate limit out of the way of the load; yields its base URL."""
    env = {
        "GATEWAY_DATABASE_URL": database_url,
        **{f"GATEWAY_{name.upper()}": url for name, url in upstreams.items()},
        "GATEWAY_RATE_PER_MINUTE": "1000000",
        "GATEWAY_RATE_BURST": "1000000",
        "GATEWAY_LOG_LEVEL": "WARNING",
        "IDENTITY_JWKS_JSON": jwks,
    }
    async with uvicorn_process("gateway", "gateway.main:app", env) as base:
        yield base


async def assigned_at_end(bootstrap: str, topic: str, fetch_max_wait_ms: int = 100) -> AIOKafkaConsumer:
    """A consumer (no group) assigned to every partition of `topic`, positioned at its end."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=fetch_max_wait_ms
    )
    partitions = await topic_partitions(bootstrap, [topic])
    await consumer.start()
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for tp in partitions:
        await consumer.position(tp)
    return consumer
