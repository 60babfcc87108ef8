"""A closed-loop HTTP/1.1 load generator for a mix of calls that go to several servers.

wrk talks to one address, so it cannot send a mix straight to several services in the mix's
proportions; separate wrk runs per service let each service run at its own pace instead (a fast
one answers far more than its share). Here each of `connections` workers picks a random call of
the mix, sends it on its keep-alive connection to that call's server and waits for the answer,
like wrk's workers; the same generator sends the same mix through the gateway, so the two runs
differ only in the door. Python costs ~0.1 ms of CPU per call: negligible below a few thousand
calls per second, which is far above what the services answer on this machine.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from benchlib import summary_ms


@dataclass(frozen=True)
class Call:
    host: str
    port: int
    request: bytes


def call(url: str, path: str, token: str) -> Call:
    """GET `path` at the server of `url` with a bearer token (keep-alive)."""
    parts = urlsplit(url)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    return Call(parts.hostname or "127.0.0.1", parts.port or 80, request)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, request: bytes) -> int:
        """Send one request, read its whole answer; the status."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        return status

    def close(self) -> None:
        self.writer.close()


async def _worker(calls: list[Call], rng: random.Random, until: float, seen: list[float], statuses: dict) -> None:
    connections: dict[tuple[str, int], _Connection] = {}
    try:
        while time.perf_counter() < until:
            chosen = rng.choice(calls)
            address = (chosen.host, chosen.port)
            started = time.perf_counter()
            for attempt in range(2):  # a keep-alive connection the server closed meanwhile: once more
                connection = connections.get(address)
                if connection is None:
                    connection = connections[address] = _Connection(*await asyncio.open_connection(*address))
                try:
                    status = await connection.exchange(chosen.request)
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    connections.pop(address).close()
                    if attempt:
                        raise
            seen.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        for connection in connections.values():
            connection.close()


async def closed_loop(calls: list[Call], connections: int, seconds: float, seed: int = 7) -> dict:
    """`connections` workers send random calls of `calls` for `seconds`: requests/s, p50/p99."""
    seen: list[float] = []
    statuses: dict[int, int] = {}
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(_worker(calls, random.Random(seed + n), until, seen, statuses) for n in range(connections)))
    elapsed = time.perf_counter() - started
    return summary_ms(seen) | {
        "requests_per_s": round(len(seen) / elapsed, 2),
        "requests": len(seen),
        "non_2xx": sum(count for status, count in statuses.items() if not 200 <= status < 400),
    }
