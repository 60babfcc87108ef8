"""Every benchmark of `bench/` that runs without the whole platform runs at its smallest size and
writes its JSON (no thresholds).

`bench/run.py --smoke --results DIR` starts what each benchmark needs on private databases, topics
and consumer groups; the figures of so small a run mean nothing, only that the benchmarks still work.
Results go to a temporary folder, never to `bench/results/` or the README's table. The three that
start the whole platform on a generated region (journey, gateway, memory: about 7 minutes together
on 2 cores) would push the test command past its time budget; `bench/run.py --smoke` runs them by
hand. `-m "not bench"` leaves this module out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
WHOLE_PLATFORM = {"journey", "gateway", "memory"}
"""Benchmarks that start every service on a generated region (`region_platform`)."""


def test_every_benchmark_runs_at_its_smallest_size_and_writes_its_json(stack, tmp_path):
    names = sorted(p.name.removesuffix("_bench.py") for p in BENCH.glob("*_bench.py"))
    assert WHOLE_PLATFORM <= set(names)
    names = [name for name in names if name not in WHOLE_PLATFORM]
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *names, "--smoke", "--results", str(tmp_path)],
        cwd=BENCH,
        env=os.environ | {"PYTHONPATH": str(BENCH)},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    written = {p.stem: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    assert sorted(written) == names
    for name, document in written.items():
        assert document["benchmark"] == name and document["table"], name
        assert all("metric" in r and "value" in r for r in document["table"]), name


def test_compare_prints_each_row_beside_the_earlier_one(tmp_path):
    old = {
        "benchmark": "gateway",
        "machine": {"date": "2026-11-22T08:25:47+00:00", "loadavg": [6.3]},
        "table": [
            {"metric": "read mix requests/s (p50 234 ms)", "value": 112, "unit": "req/s", "ratio_to_baseline": 0.08}
        ],
    }
    new = old | {
        "machine": {"date": "2026-12-03T15:00:00+00:00", "loadavg": [9.1]},
        "table": [
            {"metric": "read mix requests/s (p50 90 ms)", "value": 168, "unit": "req/s", "ratio_to_baseline": 0.2}
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    printed = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--compare", str(tmp_path / "old.json"), str(tmp_path / "new.json")],
        cwd=BENCH,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "| read mix requests/s | 112 req/s | 168 req/s | +50.0 % | 0.08 | 0.2 |" in printed
