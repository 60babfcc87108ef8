"""Runs an outbox relay until killed (used by the kill -9 test): python relay_process.py DB BOOTSTRAP."""

import asyncio
import sys

from teilhabe_kit.db import create_engine
from teilhabe_kit.outbox import OutboxRelay, idempotent_producer


async def main(database_url: str, bootstrap: str) -> None:
    engine = create_engine(database_url)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    print("relay started", flush=True)
    await OutboxRelay(engine, producer, batch_size=25, poll_seconds=0.01).run(asyncio.Event())


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
