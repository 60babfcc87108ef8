"""The matching benchmark runs end to end at tiny sizes (the real run is `bench/matching_bench.py`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"


def test_the_benchmark_runs_and_reports_every_figure(stack, tmp_path):
    out = tmp_path / "matching.json"
    result = subprocess.run(
        [sys.executable, str(BENCH / "matching_bench.py"), "--smoke", "--out", str(out)],
        cwd=BENCH,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["rebuild"]["events"] > 1000 and report["rebuild"]["rebuild_events_per_s"] > 0
    assert report["pipeline"]["pipeline"]["n"] == 8 and report["pipeline"]["raw_round_trip"]["n"] == 8
    assert set(report["count"]) == {"300"} and report["count"]["300"]["n"] == 10
    assert {row["metric"].split(" ")[0] for row in report["table"]} >= {"published", "live", "projection"}
