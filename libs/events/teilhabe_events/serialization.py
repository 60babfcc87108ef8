"""Bytes on the wire: UTF-8 JSON of the envelope."""

from __future__ import annotations

from pydantic import ValidationError

from teilhabe_events.envelope import EventEnvelope


class MalformedEvent(ValueError):
    """The bytes are not a valid event envelope."""


def encode(envelope: EventEnvelope) -> bytes:
    return envelope.model_dump_json().encode()


def decode(data: bytes | None) -> EventEnvelope:
    if not data:
        raise MalformedEvent("empty message")
    try:
        return EventEnvelope.model_validate_json(data)
    except ValidationError as error:
        raise MalformedEvent(f"not an event envelope: {error.errors(include_url=False)}") from error
