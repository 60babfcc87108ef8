"""Registry from (event_type, schema_version) to the pydantic model of the payload, with upcasters.

Only the newest version of an event has a model; older versions reach it through upcasters
(plain functions from the payload dict of version n to that of n + 1), so a stored old event
always still parses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from teilhabe_events.envelope import EventEnvelope, new_envelope
from teilhabe_events.topics import topic_for

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventType(LookupError):
    """The registry has no model for this event type and version."""


class DomainEvent(BaseModel):
    """Base of every public event payload; subclasses name their type, version and stream."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    service: ClassVar[str]
    stream_type: ClassVar[str]

    @classmethod
    def topic(cls) -> str:
        return topic_for(cls.service, cls.stream_type)


ModelT = TypeVar("ModelT", bound=type[DomainEvent])


class EventRegistry:
    """Knows every event model and how to lift old payloads to the newest schema."""

    def __init__(self) -> None:
        self._models: dict[str, type[DomainEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: ModelT) -> ModelT:
        """Class decorator: make `model` the current schema of its event type."""
        known = self._models.get(model.event_type)
        if known is not None and known is not model:
            raise ValueError(f"event type {model.event_type!r} is registered twice")
        self._models[model.event_type] = model
        return model

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Decorator: register the function lifting `event_type` from `from_version` by one."""

        def add(function: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = function
            return function

        return add

    def model(self, event_type: str) -> type[DomainEvent]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEventType(f"unknown event type {event_type!r}") from None

    def models(self) -> Iterator[type[DomainEvent]]:
        yield from sorted(self._models.values(), key=lambda m: m.event_type)

    def topics(self, service: str | None = None) -> set[str]:
        """Every public topic, or those `service` publishes to."""
        return {m.topic() for m in self._models.values() if service is None or m.service == service}

    def upcast(self, event_type: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
        """Lift a payload of `version` to the current schema version of its type."""
        current = self.model(event_type).schema_version
        if version > current:
            raise UnknownEventType(f"{event_type} v{version} is newer than this code knows (v{current})")
        while version < current:
            try:
                step = self._upcasters[(event_type, version)]
            except KeyError:
                raise UnknownEventType(f"no upcaster for {event_type} v{version}") from None
            payload = step(dict(payload))
            version += 1
        return payload

    def load(self, envelope: EventEnvelope) -> DomainEvent:
        """The typed, current-version payload of an envelope (raises pydantic's ValidationError)."""
        payload = self.upcast(envelope.event_type, envelope.schema_version, envelope.payload)
        return self.model(envelope.event_type).model_validate(payload)

    def envelope(
        self,
        event: DomainEvent,
        *,
        stream_id: str,
        stream_version: int,
        correlation_id: uuid.UUID | None = None,
        causation_id: uuid.UUID | None = None,
        actor_id: str | None = None,
    ) -> EventEnvelope:
        """Wrap a typed event into an envelope of its current schema version."""
        model = type(event)
        if self._models.get(model.event_type) is not model:
            raise UnknownEventType(f"{model.__name__} is not registered")
        return new_envelope(
            event_type=model.event_type,
            schema_version=model.schema_version,
            stream_type=model.stream_type,
            stream_id=stream_id,
            stream_version=stream_version,
            payload=event.model_dump(mode="json"),
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor_id=actor_id,
        )


registry = EventRegistry()
"""The registry of all public events; importing `teilhabe_events.contexts` fills it."""
