"""Helpers of the fault suite: the private stack's settings, toy service processes, counters."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from teilhabe_kit.testing import PROJECT_ROOT, STACK_SCRIPT, free_port

HERE = Path(__file__).parent
FAULT_ENV = {
    "TEILHABE_LOCAL_DIR": str(PROJECT_ROOT / ".local" / "faults"),
    "KAFKA_PORT": "19092",
    "KAFKA_CONTROLLER_PORT": "19093",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092",
    "PGPORT": "56432",
    "TEILHABE_DATABASES": "faults",
    # a broker killed or stopped comes back faster with a short session timeout
    "KAFKA_OVERRIDES": "broker.session.timeout.ms=3000 broker.heartbeat.interval.ms=500",
}
DATABASE_URL = "postgresql+asyncpg://app@127.0.0.1:56432/faults"


def stack(*args: str) -> None:
    env = os.environ | FAULT_ENV
    result = subprocess.run([str(STACK_SCRIPT), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"stack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


class ToyProcess:
    """One uvicorn process of the toy service with some of its parts switched on."""

    def __init__(self, topic: str, *, api: bool, consumers: bool, relay: bool, **settings: str) -> None:
        self.port = free_port()
        self.env = (
            os.environ
            | FAULT_ENV
            | {
                "DATABASE_URL": DATABASE_URL,
                "TOY_TOPIC": topic,
                "RUN_API": str(api).lower(),
                "RUN_CONSUMERS": str(consumers).lower(),
                "RUN_RELAY": str(relay).lower(),
                "PYTHONPATH": str(HERE),
                **settings,
            }
        )
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ToyProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "toy_service:app", "--port", str(self.port), "--log-level", "warning"],
            env=self.env,
            cwd=HERE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode()[-3000:])
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("toy service did not start")

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()


async def wait_until(predicate, timeout_s: float, what: str, every_s: float = 0.2) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every_s)


async def counts(engine) -> dict[str, int]:
    """Events stored, outbox rows, outbox rows published, tally rows, tally rows applied twice."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM event_store WHERE stream_type = 'toy') AS events,"
                    " (SELECT count(*) FROM outbox WHERE topic LIKE 'faults.%') AS outbox,"
                    " (SELECT count(*) FROM outbox WHERE topic LIKE 'faults.%' AND published_at IS NOT NULL) AS published,"
                    " (SELECT count(*) FROM fault_tally) AS applied,"
                    " (SELECT count(*) FROM fault_tally WHERE times > 1) AS doubled"
                )
            )
        ).one()
    return dict(row._mapping)


async def post_events(client: httpx.AsyncClient, count: int, *, pause_s: float = 0.0) -> dict[str, int]:
    """POST /append `count` times; returns how many answered 201, 503 and anything else."""
    statuses = {"created": 0, "unavailable": 0, "other": 0}
    for _ in range(count):
        try:
            response = await client.post("/append", json={"events": 1})
            code = response.status_code
        except httpx.TransportError:
            code = -1
        if code == 201:
            statuses["created"] += 1
        elif code == 503:
            assert response.headers["content-type"] == "application/problem+json"
            statuses["unavailable"] += 1
        else:
            statuses["other"] += 1
        if pause_s:
            await asyncio.sleep(pause_s)
    return statuses
