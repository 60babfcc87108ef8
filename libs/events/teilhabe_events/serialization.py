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
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'envelope'}: {e['msg']}" for e in error.errors())
        raise MalformedEvent(f"not an event envelope: {problems}") from error  # locations, never values
