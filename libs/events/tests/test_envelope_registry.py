"""Unit tests: envelope validation, registry lookup, upcasting and wire format."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from teilhabe_events import (
    DomainEvent,
    EventEnvelope,
    EventRegistry,
    MalformedEvent,
    UnknownEventType,
    decode,
    dlq_topic,
    encode,
    topic_for,
)


def make_registry() -> tuple[EventRegistry, type[DomainEvent]]:
    events = EventRegistry()

    @events.register
    class ParcelShipped(DomainEvent):
        event_type = "ParcelShipped"
        schema_version = 3
        service = "post"
        stream_type = "parcel"
        weight_grams: int
        carrier: str
        express: bool

    @events.upcaster("ParcelShipped", 1)
    def v1_to_v2(payload):
        payload["weight_grams"] = round(payload.pop("weight_kg") * 1000)
        return payload

    @events.upcaster("ParcelShipped", 2)
    def v2_to_v3(payload):
        payload.setdefault("express", False)
        return payload

    return events, ParcelShipped


def test_topic_names_follow_the_convention():
    assert topic_for("orders", "order") == "orders.order.v1"
    assert dlq_topic("orders.order.v1") == "orders.order.v1.dlq"
    _, parcel = make_registry()
    assert parcel.topic() == "post.parcel.v1"


def test_envelope_round_trips_through_bytes():
    events, parcel = make_registry()
    envelope = events.envelope(
        parcel(weight_grams=1200, carrier="DHL", express=True),
        stream_id="p-1",
        stream_version=1,
        actor_id="user-7",
    )
    assert envelope.event_type == "ParcelShipped" and envelope.schema_version == 3
    assert envelope.correlation_id == envelope.event_id
    again = decode(encode(envelope))
    assert again == envelope
    assert events.load(again) == parcel(weight_grams=1200, carrier="DHL", express=True)


def test_envelope_requires_time_zone_and_normalises_to_utc():
    base = dict(
        event_id=uuid.uuid4(),
        event_type="X",
        schema_version=1,
        stream_type="s",
        stream_id="1",
        stream_version=1,
        correlation_id=uuid.uuid4(),
        payload={},
    )
    with pytest.raises(ValidationError, match="time zone"):
        EventEnvelope(**base, occurred_at=datetime(2026, 1, 1, 12, 0))
    berlin = timezone(timedelta(hours=1))
    envelope = EventEnvelope(**base, occurred_at=datetime(2026, 1, 1, 13, 0, tzinfo=berlin))
    assert envelope.occurred_at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert envelope.occurred_at.utcoffset() == timedelta(0)


def test_old_payloads_are_upcast_step_by_step():
    events, parcel = make_registry()
    assert events.upcast("ParcelShipped", 1, {"weight_kg": 1.5, "carrier": "GLS"}) == {
        "weight_grams": 1500,
        "carrier": "GLS",
        "express": False,
    }


def test_unknown_type_and_future_version_are_refused():
    events, _ = make_registry()
    with pytest.raises(UnknownEventType):
        events.model("NeverHeardOf")
    with pytest.raises(UnknownEventType, match="newer"):
        events.upcast("ParcelShipped", 4, {})


def test_registering_two_models_for_one_type_fails():
    events, _ = make_registry()

    class Duplicate(DomainEvent):
        event_type = "ParcelShipped"
        service = "post"
        stream_type = "parcel"

    with pytest.raises(ValueError, match="twice"):
        events.register(Duplicate)


def test_payload_must_match_schema():
    events, parcel = make_registry()
    envelope = events.envelope(parcel(weight_grams=1, carrier="DHL", express=False), stream_id="p", stream_version=1)
    broken = envelope.model_copy(update={"payload": {"weight_grams": "heavy"}})
    with pytest.raises(ValidationError):
        events.load(broken)


@pytest.mark.parametrize("data", [b"", b"not json", b'{"event_id": "x"}', None])
def test_garbage_bytes_are_malformed(data):
    with pytest.raises(MalformedEvent):
        decode(data)


def test_the_reason_for_a_malformed_envelope_names_fields_never_their_values():
    """The reason goes to logs and DLQ headers: a name in a broken envelope must not leak there."""
    data = b'{"event_id": "Erika Mustermann", "event_type": 7, "payload": {"name": "Erika Mustermann"}}'
    with pytest.raises(MalformedEvent) as caught:
        decode(data)
    assert "event_type" in str(caught.value) and "Erika" not in str(caught.value)
