"""Gateway: a read-heavy mix of dashboard and list calls at saturation, beside the same server's floor.

The real platform on a generated region (`region_platform`), warmed by a short journey (so
assistants have requests and notifications). wrk (Debian package; installed with apt-get when
missing) on loopback sends, with bearer tokens of the region's assistants and seekers, what their
dashboards and lists load: requests, free orders nearby, unread count, notifications,
conversations, assignments, own orders. Baselines of the same run, interleaved round by round:
- the gateway's own `/health/live` with the same wrk settings (the framework and middleware
  floor: no upstream call);
- the same mix sent straight to the services (no gateway), which separates the gateway's cost
  from the services'. wrk talks to one address, so this pair (mix through the gateway, mix
  straight to the services) is sent by `mixload`, a closed-loop generator with the same number of
  connections that picks each call of the mix at random, as wrk's script does.

Usage: uv run python bench/gateway_bench.py [--quick|--smoke]  (local stack up; needs root or wrk for apt)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import subprocess
import tempfile

import httpx
from benchlib import add_size_options, progress, row, save, size_of
from mixload import call, closed_loop
from region_platform import Running, journey, region_platform

SIZES = {
    "full": {"assistants": 3000, "people": 200, "seconds": 20, "connections": 32, "rounds": 2},
    "quick": {"assistants": 400, "people": 60, "seconds": 8, "connections": 32, "rounds": 2},
    "smoke": {"assistants": 60, "people": 8, "seconds": 2, "connections": 8, "rounds": 1},
}
ASSISTANT_PATHS = [
    "/api/v1/matching/assistants/{id}/requests",
    "/api/v1/matching/assistants/{id}/free-orders",
    "/api/v1/messaging/notifications/unread-count",
    "/api/v1/messaging/notifications",
    "/api/v1/messaging/conversations",
    "/api/v1/contracts/assistance",
]
SEEKER_PATHS = [
    "/api/v1/orders/orders",
    "/api/v1/messaging/notifications/unread-count",
    "/api/v1/messaging/conversations",
]
LUA = """
local requests = {}
init = function(args)
  for line in io.lines("%s") do
    local path, token = line:match("^(%%S+) (%%S+)$")
    requests[#requests + 1] = wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
  end
  math.randomseed(7)
end
request = function() return requests[math.random(#requests)] end
"""


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        progress("installing wrk (Debian package)")
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)  # a fresh machine
            subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 3)


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    output = subprocess.run(
        command + (["-s", script] if script else []) + [url], check=True, capture_output=True, text=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    if "99" not in latency:
        raise RuntimeError(f"wrk said:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


async def mix(p: Running, people: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(path, token) pairs that answer 200 through the gateway, and the paths that did not."""
    rng = random.Random(3)
    listeners = [a for a in p.assistants if a.eligible][:people]
    pairs = [
        (path.format(id=a.assistant_id), p.token(a.assistant_id, "assistant"))
        for a in listeners
        for path in ASSISTANT_PATHS
    ]
    pairs += [(path, p.token(f"seeker-bench-{n}", "seeker")) for n in range(people // 4) for path in SEEKER_PATHS]
    rng.shuffle(pairs)
    good, refused = [], set()
    async with httpx.AsyncClient(base_url=p.urls["gateway"], timeout=30) as client:
        for path, token in pairs:
            response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            (
                good.append((path, token))
                if response.status_code == 200
                else refused.add(f"{re.sub(r'asst-[0-9]+', '{id}', path)} → {response.status_code}")
            )
    return good, sorted(refused)


async def main(size: str) -> None:
    sizes = SIZES[size]
    ensure_wrk()
    async with region_platform(sizes["assistants"]) as p:
        await journey(p, seekers=max(4, sizes["people"] // 4), each=3, gap_s=1.0, listeners=sizes["people"])
        pairs, refused = await mix(p, sizes["people"])
        if refused:
            progress(f"left out of the mix (not 200): {refused}")
        with tempfile.TemporaryDirectory() as folder:
            lines, script = f"{folder}/requests.txt", f"{folder}/mix.lua"
            with open(lines, "w") as f:
                f.writelines(f"{path} {token}\n" for path, token in pairs)
            with open(script, "w") as f:
                f.write(LUA % lines)
            through = [call(p.urls["gateway"], path, token) for path, token in pairs]
            straight = [call(p.urls[path.split("/")[3]], path, token) for path, token in pairs]
            seconds, conns = sizes["seconds"], sizes["connections"]
            floors, mixes, gateway_runs, direct_runs = [], [], [], []
            for n in range(sizes["rounds"]):  # interleaved: the machine is shared
                floors.append(wrk(f"{p.urls['gateway']}/health/live", seconds, conns))
                mixes.append(wrk(p.urls["gateway"], seconds, conns, script))
                gateway_runs.append(await closed_loop(through, conns, seconds))
                direct_runs.append(await closed_loop(straight, conns, seconds))
                progress(
                    f"round {n + 1}: mix {mixes[-1]['requests_per_s']}/s p99 {mixes[-1]['p99_ms']} ms; "
                    f"floor {floors[-1]['requests_per_s']}/s p99 {floors[-1]['p99_ms']} ms; generator: "
                    f"gateway {gateway_runs[-1]['requests_per_s']}/s p99 {gateway_runs[-1]['p99_ms']} ms, "
                    f"direct {direct_runs[-1]['requests_per_s']}/s p99 {direct_runs[-1]['p99_ms']} ms"
                )
    floor = max(floors, key=lambda r: r["requests_per_s"])
    best = max(mixes, key=lambda r: r["requests_per_s"])
    via, direct = (max(runs, key=lambda r: r["requests_per_s"]) for runs in (gateway_runs, direct_runs))
    size = f"region {sizes['assistants']:,}, {len(pairs)} calls"
    table = [
        row(
            f"read mix through the gateway, requests/s at saturation (wrk, {conns} connections, {size}; "
            f"baseline: /health/live of the same gateway)",
            round(best["requests_per_s"]),
            round(floor["requests_per_s"]),
            unit="req/s",
            target="≥ 30 % of /health/live",
        ),
        row(
            f"read mix p99 at saturation (p50 {best['p50_ms']} ms; baseline: /health/live p99)",
            best["p99_ms"],
            floor["p99_ms"],
            unit="ms",
            higher_is_better=False,
            target="≤ 150 ms",
        ),
        row(
            f"read mix through the gateway, requests/s (mixload, {conns} connections; baseline: the same mix "
            "straight to the services, same generator)",
            round(via["requests_per_s"]),
            round(direct["requests_per_s"]),
            unit="req/s",
            target="≥ 70 % of direct",
        ),
        row(
            f"read mix p99 through the gateway (mixload, p50 {via['p50_ms']} ms; baseline: straight to the "
            f"services p99, p50 {direct['p50_ms']} ms)",
            via["p99_ms"],
            direct["p99_ms"],
            unit="ms",
            higher_is_better=False,
        ),
    ]
    save(
        "gateway",
        {
            "sizes": sizes,
            "mix_paths": sorted({re.sub(r"asst-[0-9]+", "{id}", path) for path, _ in pairs}),
            "mix_requests": len(pairs),
            "left_out": refused,
            "mix": mixes,
            "floor": floors,
            "mixload_through_gateway": gateway_runs,
            "mixload_direct": direct_runs,
            "table": table,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_options(parser)
    asyncio.run(main(size_of(parser.parse_args())))
