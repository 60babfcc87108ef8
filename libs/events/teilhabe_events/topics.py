"""Topic names: one per stream type, `<service>.<stream-type>.v<major>`, dead letters in `.dlq`."""

from __future__ import annotations

DLQ_SUFFIX = ".dlq"


def topic_for(service: str, stream_type: str, major: int = 1) -> str:
    """The public topic of a stream type, e.g. ``topic_for("orders", "order") == "orders.order.v1"``."""
    return f"{service}.{stream_type}.v{major}"


def dlq_topic(topic: str) -> str:
    """The dead-letter topic of a topic."""
    return f"{topic}{DLQ_SUFFIX}"
