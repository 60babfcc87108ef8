"""Run all benchmarks (or the named ones) and regenerate the table in bench/README.md.

Usage: uv run python bench/run.py [NAME ...] [--quick]
A benchmark is a script `bench/<name>_bench.py` that accepts `--quick` and writes
`bench/results/<name>.json` through `benchlib.save` with a `table` of rows.
Needs the local stack (deploy/local/stack up); benchmarks that need services start them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchlib import RESULTS, machine, progress

HERE = Path(__file__).parent
README = HERE / "README.md"
TABLE_START = "<!-- results:start -->"
TABLE_END = "<!-- results:end -->"


def available() -> list[str]:
    return sorted(p.name.removesuffix("_bench.py") for p in HERE.glob("*_bench.py"))


def load(document: dict) -> str:
    loadavg = document["machine"].get("loadavg")
    return f", load {loadavg[0]}" if loadavg else ""


def render() -> str:
    m = machine()
    lines = [
        TABLE_START,
        f"Regenerated {m['date']} on {m['cpus']} CPUs, {m['platform']}, Python {m['python']}; "
        f"load average now {m['loadavg'][0]} (the machine is shared: each result's JSON has the load at its run).",
        "",
        "| benchmark | metric | value | baseline (same run) | ratio | target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for path in sorted(RESULTS.glob("*.json")):
        document = json.loads(path.read_text())
        for r in document.get("table", []):
            unit = f" {r['unit']}" if r.get("unit") else ""
            baseline = "" if r.get("baseline") is None else f"{r['baseline']}{unit}"
            ratio = "" if r.get("ratio_to_baseline") is None else str(r["ratio_to_baseline"])
            lines.append(
                f"| {document['benchmark']} ({document['machine']['date'][:10]}{load(document)}) | {r['metric']} "
                f"| {r['value']}{unit} | {baseline} | {ratio} | {r.get('target', '')} |"
            )
    lines.append(TABLE_END)
    return "\n".join(lines)


def update_readme() -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n\n" + TABLE_START + "\n" + TABLE_END + "\n"
    head, _, rest = text.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    README.write_text(head + render() + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"one or more of: {', '.join(available())}")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    names = args.names or available()
    unknown = set(names) - set(available())
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(available())}")
    failed = []
    for index, name in enumerate(names, 1):
        progress(f"({index}/{len(names)}) {name}")
        command = [sys.executable, str(HERE / f"{name}_bench.py")] + (["--quick"] if args.quick else [])
        if subprocess.run(command, cwd=HERE, stdout=subprocess.DEVNULL).returncode != 0:
            failed.append(name)
    update_readme()
    print(render())
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
