"""Rebuild the read models: ``python -m orders.replay [--views] [--directory]`` (both by default).

- views (orders and offers): emptied and folded again from the event store, in position order,
  in one transaction — the same projection the use cases write;
- directory (accounts from identity's events): emptied and replayed from the start of identity's
  topic with the kit's replay. Stop the service's consumers while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app.streams import ORDER, STREAM
from orders.consumers.identity import AccountDirectory
from orders.domain.state import Order, evolve
from orders.readmodels.tables import offers_view, orders_view
from orders.readmodels.views import project
from orders.settings import Settings
from teilhabe_kit import replay_cli
from teilhabe_kit.eventstore import read_all


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


def parts(settings: Settings) -> list[replay_cli.Part]:
    directory = AccountDirectory(settings.identity_topic, settings.consumer_group_prefix)
    return [
        replay_cli.from_store("views", "orders and offers views from the event store", rebuild_views),
        replay_cli.from_topics("directory", "account directory from identity's topic", directory),
    ]


if __name__ == "__main__":
    settings = Settings()
    replay_cli.main(settings, parts(settings))
