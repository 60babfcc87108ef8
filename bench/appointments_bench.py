"""Appointments benchmark: the free-slot query through the gateway and concurrent bookings of one slot.

- Free slots: a centre with 30 counselors (quick: 10), each with booking times on every working
  day (chat 9–12 and on site 10–11 in parallel, video with follow-up 14–17), 8 weeks ahead — set
  up over the API in a fresh database (`appointments_bench`). Queries through the gateway,
  anonymous: one service, any counselor (or one counselor for every third query), from a random
  day of the 8 weeks, the first 100 slots; each alternates with the gateway's trivial endpoint
  (`/health/live`, the baseline) and the same query to the service directly.
- Concurrent bookings: rounds of 50 clients booking the 8 slots of one counselor's Monday (the
  seed's example: 6 chat + 2 on site, 4 in parallel) at the same moment, through the gateway;
  each round must end with exactly 6 bookings (one per distinct time) and 44 × 409.

The service's relay is off (no bench events on the shared topic).
``uv run python bench/appointments_bench.py [--quick]`` prints JSON and writes bench/results/appointments.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock

import httpx
from benchlib import add_size_options, gateway_process, progress, row, save, size_of, summary_ms, uvicorn_process
from region_platform import fresh_database

from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer
from teilhabe_kit.localtime import BERLIN

SIZES = {
    "full": {"counselors": 30, "queries": 1000, "rounds": 10},
    "quick": {"counselors": 10, "queries": 200, "rounds": 3},
    "smoke": {"counselors": 2, "queries": 20, "rounds": 1},
}
API = "/api/v1/appointments"


def bearer(issuer: TokenIssuer, account_id: str, role: str, centre_id: str) -> dict[str, str]:
    token = issuer.issue(Principal(account_id, frozenset({role}), organisation_id=centre_id))
    return {"Authorization": f"Bearer {token}"}


def monday(weeks: int) -> date:
    today = datetime.now(BERLIN).date()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks - 1)


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, clock(hour, minute), BERLIN).isoformat()


async def set_up(service: httpx.AsyncClient, issuer: TokenIssuer, centre_id: str, counselors: int) -> dict:
    admin = bearer(issuer, "bench-admin", "centre_admin", centre_id)
    rules = {"horizon_weeks": 8, "region": "NI", "lead_minutes": 0}
    (await service.put(f"{API}/centres/{centre_id}/settings", json=rules, headers=admin)).raise_for_status()
    services = {}
    for name, body in {
        "chat": {"name": "Chat", "duration_minutes": 30, "channel": "chat"},
        "site": {"name": "Vor Ort", "duration_minutes": 30, "channel": "on_site"},
        "video": {"name": "Video", "duration_minutes": 30, "follow_up_minutes": 15, "channel": "video"},
    }.items():
        made = await service.post(f"{API}/centres/{centre_id}/services", json=body, headers=admin)
        made.raise_for_status()
        services[name] = made.json()["service_id"]
    times = []
    for weekday in range(5):
        times += [
            {"weekday": weekday, "start": "09:00", "end": "12:00", "service_id": services["chat"]},
            {"weekday": weekday, "start": "10:00", "end": "11:00", "service_id": services["site"]},
            {"weekday": weekday, "start": "14:00", "end": "17:00", "service_id": services["video"]},
        ]
    ids = [f"bench-counselor-{n:02d}" for n in range(counselors)]
    for n, counselor_id in enumerate(ids):
        headers = bearer(issuer, counselor_id, "counselor", centre_id)
        base = f"{API}/centres/{centre_id}/counselors/{counselor_id}"
        profile = {"display_name": f"Berater:in {n + 1}"}
        (await service.put(f"{base}/profile", json=profile, headers=headers)).raise_for_status()
        (await service.put(f"{base}/booking-times", json={"booking_times": times}, headers=headers)).raise_for_status()
    return {"services": services, "counselors": ids}


async def measure_slots(
    gateway: httpx.AsyncClient, service: httpx.AsyncClient, centre_id: str, world: dict, queries: int
) -> dict:
    rng = random.Random(16)
    start = datetime.now(BERLIN).date()
    wanted = []
    for n in range(queries):
        params = {
            "service_id": rng.choice(list(world["services"].values())),
            "from": at(start + timedelta(days=rng.randrange(56)), 0),
            "limit": 100,
        }
        if n % 3 == 0:
            params["counselor_id"] = rng.choice(world["counselors"])
        wanted.append(params)
    path = f"{API}/centres/{centre_id}/offer/slots"
    for params in wanted[:20]:  # warm up
        (await gateway.get(path, params=params)).raise_for_status()
    slots, floor, direct, counts = [], [], [], []
    for params in wanted:
        t0 = time.perf_counter()
        response = await gateway.get(path, params=params)
        slots.append(time.perf_counter() - t0)
        response.raise_for_status()
        counts.append(len(response.json()))
        t0 = time.perf_counter()
        (await gateway.get("/health/live")).raise_for_status()
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        (await service.get(path, params=params)).raise_for_status()
        direct.append(time.perf_counter() - t0)
    counts.sort()
    return {
        "slots": summary_ms(slots),
        "trivial": summary_ms(floor),
        "service_alone": summary_ms(direct),
        "median_slots": counts[len(counts) // 2],
    }


async def measure_bookings(
    gateway: httpx.AsyncClient, issuer: TokenIssuer, centre_id: str, world: dict, rounds: int
) -> dict:
    """Rounds of 50 clients at once on one counselor's Monday; every round exactly 6 × 201."""
    latencies: list[float] = []
    walls: list[float] = []
    for n in range(rounds):
        counselor_id = world["counselors"][n % len(world["counselors"])]
        day = monday(weeks=2 + n // len(world["counselors"]))
        chat, site = world["services"]["chat"], world["services"]["site"]
        wanted = [(chat, at(day, 9)), (chat, at(day, 9, 30)), (chat, at(day, 10)), (site, at(day, 10))]
        wanted += [(chat, at(day, 10, 30)), (site, at(day, 10, 30)), (chat, at(day, 11)), (chat, at(day, 11, 30))]

        # tokens made beforehand: signing one takes the bench's loop tens of milliseconds
        clients = [bearer(issuer, f"client-{uuid.uuid4()}", "client", centre_id) for _ in range(50)]

        async def book(i: int) -> int:
            service_id, starts_at = wanted[i % len(wanted)]
            body = {"service_id": service_id, "counselor_id": counselor_id, "starts_at": starts_at}
            headers = clients[i]
            t0 = time.perf_counter()
            response = await gateway.post(f"{API}/centres/{centre_id}/bookings", json=body, headers=headers)
            latencies.append(time.perf_counter() - t0)
            return response.status_code

        t0 = time.perf_counter()
        statuses = sorted(await asyncio.gather(*(book(i) for i in range(50))))
        walls.append(time.perf_counter() - t0)
        if statuses != [201] * 6 + [409] * 44:
            raise RuntimeError(f"round {n}: {statuses}")
    return {"request": summary_ms(latencies), "round": summary_ms(walls), "rounds": rounds, "exact": True}


async def main(mode: str) -> dict:
    sizes = SIZES[mode]
    run = uuid.uuid4().hex[:8]
    url = await fresh_database("appointments_bench", "appointments")
    gateway_url = await fresh_database("gateway_bench_appointments", "gateway")
    issuer = TokenIssuer([SigningKey.generate()])
    jwks = json.dumps(issuer.jwks())
    centre_id = str(uuid.uuid4())
    env = {
        "APPOINTMENTS_DATABASE_URL": url,
        "APPOINTMENTS_IDENTITY_TOPIC": f"bench.identity.{run}.v1",
        "APPOINTMENTS_CONSUMER_GROUP_PREFIX": f"bench-appointments-{run}",
        "APPOINTMENTS_RUN_RELAY": "false",
        "APPOINTMENTS_LOG_LEVEL": "WARNING",
        "IDENTITY_JWKS_JSON": jwks,
    }
    async with uvicorn_process("appointments", "appointments.main:app", env) as service_url:
        async with gateway_process(gateway_url, jwks, appointments_url=service_url) as gateway_base:
            async with (
                httpx.AsyncClient(base_url=gateway_base, timeout=60) as gateway,
                httpx.AsyncClient(base_url=service_url, timeout=60) as service,
            ):
                t0 = time.perf_counter()
                world = await set_up(service, issuer, centre_id, sizes["counselors"])
                progress(f"set up {sizes['counselors']} counselors in {time.perf_counter() - t0:.1f}s")
                slots = await measure_slots(gateway, service, centre_id, world, sizes["queries"])
                s, t, d = slots["slots"], slots["trivial"], slots["service_alone"]
                progress(
                    f"slots p50/p99 {s['p50_ms']}/{s['p99_ms']} ms (service alone {d['p50_ms']}/{d['p99_ms']} ms, "
                    f"gateway trivial {t['p50_ms']}/{t['p99_ms']} ms)"
                )
                bookings = await measure_bookings(gateway, issuer, centre_id, world, sizes["rounds"])
                progress(f"50 concurrent bookings: round p99 {bookings['round']['p99_ms']} ms, exactly 6 each")
    s, t, b = slots["slots"], slots["trivial"], bookings
    table = [
        row(
            f"free slots through the gateway p99, {sizes['counselors']} counselors, 8 weeks, one service, first 100 "
            f"(p50 {s['p50_ms']} ms; service alone p99 {slots['service_alone']['p99_ms']} ms; baseline: the "
            "gateway's /health/live p99)",
            s["p99_ms"],
            t["p99_ms"],
            unit="ms",
            target="≤ 20 ms",
            higher_is_better=False,
        ),
        row(
            f"50 clients booking one counselor's 8 overlapping Monday slots at once through the gateway: round p99 "
            f"({b['rounds']} rounds, each exactly 6 × 201 and 44 × 409; request p99 {b['request']['p99_ms']} ms)",
            b["round"]["p99_ms"],
            unit="ms",
            higher_is_better=False,
        ),
    ]
    return {
        "mode": mode,
        "sizes": sizes,
        "slots": slots,
        "bookings": bookings,
        "targets": {"slots_p99_met": s["p99_ms"] <= 20},
        "table": table,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_options(parser)
    save("appointments", asyncio.run(main(size_of(parser.parse_args()))))
