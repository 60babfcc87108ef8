"""Rebuild what messaging learned from events: ``python -m messaging.replay`` (stop its consumers first).

Notifications are not recreated twice: each is unique per source event and recipient.
"""

from __future__ import annotations

import asyncio

from messaging.app.storage import FileStore
from messaging.consumers.events import MessagingProjection
from messaging.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.replay import replay


async def main() -> None:
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    try:
        topics = [t.strip() for t in settings.event_topics.split(",") if t.strip()] or None
        projection = MessagingProjection(FileStore(settings.storage_dir), name=settings.consumer_group, topics=topics)
        report = await replay(engine, projection, settings.kafka_bootstrap_servers)
        print(report)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
