"""Public event contract of Teilhabe: envelope, schemas, registry, topics (DESIGN.md §3)."""

from teilhabe_events.envelope import EventEnvelope, new_envelope
from teilhabe_events.registry import (
    DomainEvent,
    EventRegistry,
    UnknownEventType,
    registry,
)
from teilhabe_events.serialization import MalformedEvent, decode, encode
from teilhabe_events.topics import dlq_topic, topic_for

__all__ = [
    "DomainEvent",
    "EventEnvelope",
    "EventRegistry",
    "MalformedEvent",
    "UnknownEventType",
    "decode",
    "dlq_topic",
    "encode",
    "new_envelope",
    "registry",
    "topic_for",
]
