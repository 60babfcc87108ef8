"""Rebuild the read models: ``python -m orders.replay [--views] [--directory]`` (both by default).

- views (orders and offers): folded again in memory from the event store, in position order, with
  the rows the use cases' projection writes, and replaced with COPY in one transaction;
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
from orders.readmodels.views import offer_rows, order_row
from orders.settings import Settings
from teilhabe_kit import replay_cli
from teilhabe_kit.bulk import Rows, copy_rows
from teilhabe_kit.eventstore import read_all_stored


@dataclass
class ViewsReport:
    events: int = 0
    orders: int = 0


async def rebuild_views(conn: AsyncConnection) -> ViewsReport:
    """Fold every order in memory with the live projection's rows (`order_row`, `offer_rows`: the
    first change's time stays `created_at`), then replace both views with COPY."""
    report = ViewsReport()
    states: dict[str, Order] = {}
    orders, offers = Rows(), Rows()
    async for envelope in read_all_stored(conn, stream_type=STREAM):
        report.events += 1
        event = ORDER.decode(envelope)
        state = evolve(states.get(envelope.stream_id), event, order_id=envelope.stream_id)
        states[envelope.stream_id] = state
        at = envelope.occurred_at
        row = order_row(state, envelope.stream_version, at)
        orders.upsert(state.order_id, row | {"created_at": at}, row)
        for offer_row, changes in offer_rows(state, at, [event.offer_id] if hasattr(event, "offer_id") else []):
            offers.upsert(offer_row["offer_id"], offer_row, changes)
    await conn.execute(offers_view.delete())
    await conn.execute(orders_view.delete())
    await copy_rows(conn, orders_view, orders.values())
    await copy_rows(conn, offers_view, offers.values())
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
