"""Rebuild the read models: ``python -m orders.replay [--views] [--directory]`` (both by default).

- views (orders and offers): emptied and folded again from the event store, in position order,
  in one transaction — the same projection the use cases write;
- directory (accounts from identity's events): emptied and replayed from the start of identity's
  topic with the kit's replay. Stop the service's consumers while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app.streams import ORDER, STREAM
from orders.consumers.identity import AccountDirectory
from orders.domain.state import Order, evolve
from orders.readmodels.tables import offers_view, orders_view
from orders.readmodels.views import project
from orders.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.eventstore import read_all
from teilhabe_kit.replay import replay


@dataclass
class ViewsReport:
    events: int = 0
    orders: int = 0


async def rebuild_views(conn: AsyncConnection) -> ViewsReport:
    await conn.execute(offers_view.delete())
    await conn.execute(orders_view.delete())
    report = ViewsReport()
    states: dict[str, Order] = {}
    async for _, envelope in read_all(conn):
        if envelope.stream_type != STREAM:
            continue
        report.events += 1
        event = ORDER.decode(envelope)
        state = evolve(states.get(envelope.stream_id), event, order_id=envelope.stream_id)
        states[envelope.stream_id] = state
        touched = [event.offer_id] if hasattr(event, "offer_id") else []
        await project(conn, state, envelope.stream_version, envelope.occurred_at, touched)
    report.orders = len(states)
    return report


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild the read models of orders")
    parser.add_argument("--views", action="store_true", help="orders and offers views from the event store")
    parser.add_argument("--directory", action="store_true", help="account directory from identity's topic")
    args = parser.parse_args(argv)
    both = not (args.views or args.directory)
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    try:
        if args.views or both:
            async with engine.begin() as conn:
                print(await rebuild_views(conn))
        if args.directory or both:
            directory = AccountDirectory(settings.identity_topic, settings.consumer_group_prefix)
            print(await replay(engine, directory, settings.kafka_bootstrap_servers))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
