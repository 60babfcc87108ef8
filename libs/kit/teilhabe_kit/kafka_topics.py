"""Create topics before anyone subscribes to them.

A consumer subscribed to a topic that does not exist yet learns of it only at its next metadata
refresh (five minutes by default), so a fresh broker would leave new services deaf for minutes.
Services therefore create their consumed topics (with the dead-letter topics) and the topics they
publish to at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

DEFAULT_PARTITIONS = 3


async def ensure_topics(bootstrap: str, topics: Iterable[str], *, partitions: int = DEFAULT_PARTITIONS) -> None:
    """Create each missing topic (single broker locally: replication factor 1)."""
    wanted = sorted(set(topics))
    if not wanted:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            # a topic created meanwhile by another service comes back as a per-topic error code
            await admin.create_topics(
                [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
            )
    finally:
        await admin.close()
