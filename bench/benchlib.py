"""Small helpers shared by the benchmarks: percentiles, progress, JSON results and the table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


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
