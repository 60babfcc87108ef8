"""The command line every service's ``python -m <name>.replay`` offers: one flag per read model
(``--views``, ``--directory`` …), all of them when none is given, each report printed.

A part is rebuilt either from the service's own event store (`from_store`: one function, one
transaction) or from its topics (`from_topics`: the kit's `replay` of a projection; stop the
service's consumers while it runs).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from teilhabe_kit.db import create_engine
from teilhabe_kit.projection import Projection
from teilhabe_kit.replay import replay
from teilhabe_kit.settings import ServiceSettings


@dataclass(frozen=True)
class Part:
    """One read model to rebuild: its flag, what it is, and how (given the engine and the Kafka
    bootstrap servers) it is rebuilt."""

    name: str
    help: str
    rebuild: Callable[[AsyncEngine, str], Awaitable[object]]


def from_store(name: str, help: str, rebuild: Callable[[AsyncConnection], Awaitable[object]]) -> Part:
    """A part folded again from the event store by `rebuild`, in one transaction."""

    async def run(engine: AsyncEngine, bootstrap_servers: str) -> object:
        async with engine.begin() as conn:
            return await rebuild(conn)

    return Part(name, help, run)


def from_topics(name: str, help: str, projection: Projection) -> Part:
    """A part replayed from the start of `projection`'s topics."""

    async def run(engine: AsyncEngine, bootstrap_servers: str) -> object:
        return await replay(engine, projection, bootstrap_servers)

    return Part(name, help, run)


async def run(settings: ServiceSettings, parts: Sequence[Part], argv: Sequence[str] | None = None) -> None:
    """Parse `argv`, rebuild the chosen parts (all when none is named) in the given order, print each report."""
    parser = argparse.ArgumentParser(description=f"Rebuild the read models of {settings.service_name}")
    for part in parts:
        parser.add_argument(f"--{part.name}", action="store_true", help=part.help)
    args = parser.parse_args(argv)
    chosen = [part for part in parts if getattr(args, part.name.replace("-", "_"))] or list(parts)
    engine = create_engine(settings.resolved_database_url())
    try:
        for part in chosen:
            print(await part.rebuild(engine, settings.kafka_bootstrap_servers))
    finally:
        await engine.dispose()


def main(settings: ServiceSettings, parts: Sequence[Part]) -> None:
    """The module's ``if __name__ == "__main__"``: `run` with the command line's arguments."""
    asyncio.run(run(settings, parts))
