"""Rebuild what messaging learned from events: ``python -m messaging.replay`` (stop its consumers first).

Notifications are not recreated twice: each is unique per source event and recipient.
"""

from __future__ import annotations

from messaging.app.storage import FileStore
from messaging.consumers.events import MessagingProjection
from messaging.settings import Settings
from teilhabe_kit import replay_cli


def learned(settings: Settings) -> replay_cli.Part:
    topics = [t.strip() for t in settings.event_topics.split(",") if t.strip()] or None
    projection = MessagingProjection(FileStore(settings.storage_dir), name=settings.consumer_group, topics=topics)
    return replay_cli.from_topics("learned", "what messaging learned from the topics", projection)


if __name__ == "__main__":
    settings = Settings()
    replay_cli.main(settings, [learned(settings)])
