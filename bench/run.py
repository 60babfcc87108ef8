"""Run all benchmarks (or the named ones) and regenerate the table in bench/README.md.

Usage: uv run python bench/run.py [NAME ...] [--quick | --smoke] [--results DIR]
       uv run python bench/run.py --compare OLD.json [NEW.json]
A benchmark is a script `bench/<name>_bench.py` that accepts `--quick` and `--smoke` and writes
`bench/results/<name>.json` through `benchlib.save` with a `table` of rows. `--smoke` runs each
at its smallest size only to see that it runs; its results go to `--results DIR` (the README's
table is regenerated only from runs into `bench/results/`). `--compare` runs nothing: it prints
each row of an earlier result beside the same row of a newer one (default: the benchmark's
current file in `bench/results/`), with the change.
Needs the local stack (deploy/local/stack up); benchmarks that need services start them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def _key(metric: str) -> str:
    """A row's name without the figures of its run (sizes and side figures in parentheses)."""
    return re.sub(r"\s*\(.*", "", metric).strip()


def compare(old: dict, new: dict) -> list[str]:
    """Each row of `old` beside the row of `new` with the same name (in order where names repeat)."""
    pending: dict[str, list[dict]] = {}
    for r in new.get("table", []):
        pending.setdefault(_key(r["metric"]), []).append(r)
    lines = [
        f"{old['benchmark']}: {old['machine']['date']} (load {old['machine'].get('loadavg', ['?'])[0]}) → "
        f"{new['machine']['date']} (load {new['machine'].get('loadavg', ['?'])[0]})",
        "| row | old | new | change | old ratio | new ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in old.get("table", []):
        match = pending.get(_key(r["metric"]), [])
        later = match.pop(0) if match else None
        unit = f" {r['unit']}" if r.get("unit") else ""
        if later is None:
            lines.append(f"| {_key(r['metric'])} | {r['value']}{unit} | – | | {r.get('ratio_to_baseline')} | |")
            continue
        change = f"{(later['value'] / r['value'] - 1) * 100:+.1f} %" if r["value"] else ""
        lines.append(
            f"| {_key(r['metric'])} | {r['value']}{unit} | {later['value']}{unit} | {change} "
            f"| {r.get('ratio_to_baseline')} | {later.get('ratio_to_baseline')} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"one or more of: {', '.join(available())}")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true")
    sizes.add_argument("--smoke", action="store_true")
    parser.add_argument("--results", type=Path, help="write the results here (default bench/results/)")
    parser.add_argument("--compare", type=Path, metavar="OLD.json", help="compare with an earlier result; runs nothing")
    args = parser.parse_args()
    if args.compare:
        old = json.loads(args.compare.read_text())
        newer = Path(args.names[0]) if args.names else RESULTS / f"{old['benchmark']}.json"
        print("\n".join(compare(old, json.loads(newer.read_text()))))
        return
    names = args.names or available()
    unknown = set(names) - set(available())
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(available())}")
    env = os.environ | ({"BENCH_RESULTS": str(args.results.resolve())} if args.results else {})
    size = ["--quick"] if args.quick else ["--smoke"] if args.smoke else []
    failed = []
    for index, name in enumerate(names, 1):
        progress(f"({index}/{len(names)}) {name}")
        command = [sys.executable, str(HERE / f"{name}_bench.py"), *size]
        if subprocess.run(command, cwd=HERE, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            failed.append(name)
    if not args.results:
        update_readme()
        print(render())
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
