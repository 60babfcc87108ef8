"""One way to write: `load` folds a stream, `commit` stores what a decision returned.

`commit` works in the caller's transaction: it appends the events to the event store after the
version the caller loaded (a concurrent writer makes it fail with `ConcurrencyConflict` → HTTP 409),
records the public ones in the outbox, and runs an optional projection, for a service that must read
its own write at once. All envelopes of one commit share one `occurred_at` and one correlation id,
so a replay projects exactly what the commit did.

Events are pydantic models with a class attribute `event_type`. Public events are the registered
`DomainEvent`s of `teilhabe_events` (checked against the registry, recorded in the outbox); internal
ones are the service's own models, listed in `Stream.internal`, which never leave the event store.
A service whose public events are derived from its internal ones (identity) overrides
`Stream.publish`; one that seals personal fields overrides `Stream.payload` and `Stream.decode`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, NamedTuple, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from teilhabe_events import DomainEvent, EventEnvelope, new_envelope, registry
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.eventstore import ConcurrencyConflict
from teilhabe_kit.problems import NotFound

S = TypeVar("S")
E = TypeVar("E", bound=BaseModel)
T = TypeVar("T")


def event_type(event: BaseModel) -> str:
    """The type name of an event model (its class attribute `event_type`)."""
    return str(type(event).event_type)  # type: ignore[attr-defined]


def check_registered(event: DomainEvent, stream_type: str) -> None:
    """Raise ValueError unless `event` is the registered current schema of its type for `stream_type`."""
    model = type(event)
    if registry.model(model.event_type) is not model:
        raise ValueError(f"{model.__name__} is not the registered schema of {model.event_type}")
    if model.stream_type != stream_type:
        raise ValueError(f"{model.event_type} belongs to {model.stream_type}, not {stream_type}")


class Loaded(NamedTuple, Generic[S]):
    """A folded stream: its state (None when it has no events) and its version."""

    state: S | None
    version: int


@dataclass(frozen=True)
class Step(Generic[S, E]):
    """One committed event: its stored envelope, the typed event and the state after it."""

    envelope: EventEnvelope
    event: E
    state: S | None


@dataclass(frozen=True)
class Committed(Generic[S, E]):
    """What a commit stored: the new state and version, and each step on the way."""

    stream_id: str
    state: S | None
    version: int
    occurred_at: datetime
    steps: Sequence[Step[S, E]]

    @property
    def events(self) -> list[E]:
        return [step.event for step in self.steps]

    @property
    def envelopes(self) -> list[EventEnvelope]:
        return [step.envelope for step in self.steps]


Project = Callable[[AsyncConnection, Committed[S, E]], Awaitable[None]]
"""A projection run in the commit's transaction, after the events are stored."""


class Stream(Generic[S, E]):
    """How one service stores one stream type: its name, its internal events, how its state folds."""

    def __init__(
        self,
        stream_type: str,
        evolve: Callable[[S | None, E, str], S] | None = None,
        *,
        internal: Iterable[type[E]] = (),
        topic: str | None = None,
    ) -> None:
        """`evolve(state, event, stream_id)` folds one event (None: the stream has no state to load);
        `topic` receives the public events (default: each event's registered topic)."""
        self.stream_type = stream_type
        self._evolve = evolve
        self.internal: dict[str, type[E]] = {model.event_type: model for model in internal}  # type: ignore[attr-defined]
        self.topic = topic

    def evolve(self, state: S | None, event: E, stream_id: str) -> S | None:
        return self._evolve(state, event, stream_id) if self._evolve is not None else state

    def decode(self, envelope: EventEnvelope) -> E:
        """The typed event of a stored envelope; public types upcast by the registry."""
        model = self.internal.get(envelope.event_type)
        if model is not None:
            return model.model_validate(envelope.payload)
        return cast(E, registry.load(envelope))

    async def payload(self, conn: AsyncConnection, stream_id: str, event: E) -> dict[str, Any]:
        """The stored payload of an event (override to seal personal fields)."""
        return event.model_dump(mode="json")

    def schema_version(self, event: E) -> int:
        if isinstance(event, DomainEvent):
            check_registered(event, self.stream_type)
            return int(type(event).schema_version)
        if event_type(event) not in self.internal:
            raise ValueError(f"{type(event).__name__} is neither public nor internal to {self.stream_type}")
        return int(getattr(type(event), "schema_version", 1))

    async def publish(
        self, conn: AsyncConnection, stream_id: str, steps: Sequence[Step[S, E]], topic: str | None
    ) -> None:
        """Record the public events of a commit in the outbox (override to derive them instead)."""
        by_topic: dict[str, list[EventEnvelope]] = defaultdict(list)
        for step in steps:
            if isinstance(step.event, DomainEvent):
                by_topic[topic or self.topic or step.event.topic()].append(step.envelope)
        for name, envelopes in by_topic.items():
            await outbox.record(conn, name, envelopes)


@dataclass(frozen=True)
class Tx:
    """A use case's transaction: its connection and the topic its public events go to (None: the
    stream's topic; tests and several instances set a private one)."""

    conn: AsyncConnection
    topic: str | None = None


async def load(conn: AsyncConnection, stream: Stream[S, E], stream_id: str) -> Loaded[S]:
    """Fold the stream's stored events with `stream.evolve`."""
    state: S | None = None
    version = 0
    for envelope in await eventstore.read_stream(conn, stream.stream_type, stream_id):
        state = stream.evolve(state, stream.decode(envelope), stream_id)
        version = envelope.stream_version
    return Loaded(state, version)


async def load_existing(conn: AsyncConnection, stream: Stream[S, E], stream_id: str, missing: str) -> tuple[S, int]:
    """The folded stream and its version; 404 with the German detail `missing` when there is none."""
    loaded = await load(conn, stream, stream_id)
    if loaded.state is None:
        raise NotFound(missing)
    return loaded.state, loaded.version


async def commit(
    conn: AsyncConnection,
    stream: Stream[S, E],
    stream_id: str,
    loaded: Loaded[S],
    events: Sequence[E],
    *,
    actor_id: str | None,
    causation_id: uuid.UUID | None = None,
    correlation_id: uuid.UUID | None = None,
    topic: str | None = None,
    project: Project[S, E] | None = None,
) -> Committed[S, E]:
    """Append `events` after `loaded.version`, record the public ones, project; nothing when empty."""
    state, version = loaded
    occurred_at = datetime.now(UTC)
    if not events:
        return Committed(stream_id, state, version, occurred_at, [])
    correlation_id = correlation_id or uuid.uuid4()
    steps: list[Step[S, E]] = []
    for number, event in enumerate(events, start=version + 1):
        envelope = new_envelope(
            event_type=event_type(event),
            schema_version=stream.schema_version(event),
            stream_type=stream.stream_type,
            stream_id=stream_id,
            stream_version=number,
            payload=await stream.payload(conn, stream_id, event),
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor_id=actor_id,
            occurred_at=occurred_at,
        )
        state = stream.evolve(state, event, stream_id)
        steps.append(Step(envelope, event, state))
    await eventstore.append(conn, stream.stream_type, stream_id, version, [step.envelope for step in steps])
    await stream.publish(conn, stream_id, steps, topic)
    committed = Committed(stream_id, state, version + len(events), occurred_at, steps)
    if project is not None:
        await project(conn, committed)
    return committed


async def append(
    conn: AsyncConnection,
    stream_id: str,
    events: Sequence[DomainEvent],
    *,
    actor_id: str | None = None,
    causation_id: uuid.UUID | None = None,
    correlation_id: uuid.UUID | None = None,
) -> Committed[None, DomainEvent]:
    """`commit` public events to a stream that keeps no state to decide on (a conversation, a
    notification), after its current version."""
    if not events:
        return Committed(stream_id, None, 0, datetime.now(UTC), [])
    stream: Stream[None, DomainEvent] = Stream(type(events[0]).stream_type)
    version = await eventstore.stream_version(conn, stream.stream_type, stream_id)
    return await commit(
        conn,
        stream,
        stream_id,
        Loaded(None, version),
        events,
        actor_id=actor_id,
        causation_id=causation_id,
        correlation_id=correlation_id,
    )


async def publish(
    conn: AsyncConnection,
    topic: str,
    stream_id: str,
    first_version: int,
    events: Sequence[DomainEvent],
    *,
    correlation_id: uuid.UUID | None = None,
    causation_id: uuid.UUID | None = None,
    actor_id: str | None = None,
) -> list[EventEnvelope]:
    """Record public events that are not stored in an event store (derived ones, numbered by the
    caller from `first_version`) in the outbox; returns their envelopes."""
    envelopes = [
        registry.envelope(
            event,
            stream_id=stream_id,
            stream_version=first_version + offset,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor_id=actor_id,
        )
        for offset, event in enumerate(events)
    ]
    await outbox.record(conn, topic, envelopes)
    return envelopes


async def retrying(engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]], attempts: int = 3) -> T:
    """Run `work` in a transaction; if a concurrent writer got there first, decide again on the new state.

    Two people acting at once (seeker and assistant signing at the meeting) both succeed; a command
    the new state no longer allows is refused by the decision as usual.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with engine.begin() as conn:
                return await work(conn)
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
