"""Consumer runner: idempotent, at-least-once application of events to a read model.

Per message: decode the envelope and type it with the registry (upcast to the current schema, the
one validation), then in ONE transaction record ``(consumer, event_id)`` and apply
the projection; a redelivered event finds its row and changes nothing. The Kafka offset is
committed only after that transaction committed (faststream ``NACK_ON_ERROR``: success acks, an
exception seeks back). A malformed message, an event the registry does not know (or cannot
upcast), one whose payload does not match its registered schema, or one whose projection keeps
failing after bounded retries, goes to ``<topic>.dlq`` with the reason and the partition moves on. Failures of the
infrastructure itself (database or a service the projection asks unreachable) are not the message's
fault: the runner waits and tries again with exponential backoff (capped, one warning line each, no
traceback), and after `patience_seconds` raises; the message is not acknowledged and comes again,
and the backoff goes on where it stopped until something succeeds.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

import teilhabe_events.contexts  # noqa: F401  (fills the registry of public events)
from teilhabe_events import DomainEvent, EventEnvelope, MalformedEvent, UnknownEventType, decode, dlq_topic, registry
from teilhabe_events.registry import EventRegistry
from teilhabe_kit.metrics import CONSUMED, EVENT_AGE
from teilhabe_kit.projection import Projection
from teilhabe_kit.tables import processed_events
from teilhabe_kit.telemetry import context_from_headers

log = logging.getLogger(__name__)
_tracer = trace.get_tracer(__name__)


class Unreadable(Exception):
    """A message that will never become a typed event (the reason names fields, never values)."""


def read(envelope: EventEnvelope, events: EventRegistry = registry) -> DomainEvent:
    """The typed event of an envelope, upcast to the current schema: the one validation per message."""
    try:
        return events.load(envelope)
    except UnknownEventType as error:
        raise Unreadable(f"unknown {envelope.event_type} v{envelope.schema_version}: {error}") from error
    except ValidationError as error:
        fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'payload'}: {e['msg']}" for e in error.errors())
        raise Unreadable(f"schema-invalid {envelope.event_type}: {fields}") from error
    except Exception as error:  # an upcaster that cannot lift this old payload
        raise Unreadable(f"cannot upcast {envelope.event_type} v{envelope.schema_version}: {error!r}") from error


class Outcome(Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


def is_infrastructure_failure(error: BaseException) -> bool:
    """True when the database (not the message) is at fault: retry forever, never dead-letter."""
    if isinstance(error, (OperationalError, InterfaceError, ConnectionError, OSError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


@dataclass
class EventApplier:
    """Applies one envelope to a projection exactly once (the transactional part of consuming)."""

    engine: AsyncEngine
    projection: Projection

    async def apply_once(self, envelope: EventEnvelope, event: DomainEvent) -> bool:
        """Apply in one transaction with the tracking row; False when it was applied before."""
        async with self.engine.begin() as conn:
            first_time = await conn.scalar(
                insert(processed_events)
                .values(consumer=self.projection.name, event_id=envelope.event_id)
                .on_conflict_do_nothing()
                .returning(processed_events.c.event_id)
            )
            if first_time is None:
                return False
            await self.projection.apply(conn, envelope, event)
            return True


class ConsumerRunner:
    """Subscribes a projection to its topics on a faststream Kafka broker."""

    def __init__(
        self,
        broker: KafkaBroker,
        engine: AsyncEngine,
        projection: Projection,
        *,
        max_attempts: int = 3,
        retry_backoff_seconds: float = 0.2,
        max_backoff_seconds: float = 30.0,
        patience_seconds: float = 120.0,
        events: EventRegistry = registry,
    ) -> None:
        """`events`: the registry that types and upcasts the messages (tests may bring their own)."""
        self._broker = broker
        self._events = events
        self._applier = EventApplier(engine, projection)
        self._projection = projection
        self._max_attempts = max_attempts
        self._backoff = retry_backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._patience = patience_seconds
        self._unreachable = 0  # infrastructure failures in a row, across messages
        self.subscriber = broker.subscriber(
            *projection.topics,
            group_id=projection.name,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
        )
        self.subscriber(self._on_message)

    async def _on_message(self, message: KafkaMessage) -> None:
        record: ConsumerRecord = message.raw_message
        headers = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
        with _tracer.start_as_current_span(
            f"consume {record.topic}",
            context=context_from_headers(headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.consumer.group.name": self._projection.name},
        ):
            started = time.perf_counter()
            outcome = await self.handle(record)
            CONSUMED.labels(self._projection.name, outcome.value).observe(time.perf_counter() - started)

    async def handle(self, record: ConsumerRecord) -> Outcome:
        """Process one record: apply once, or dead-letter it; raise only on infrastructure failure."""
        try:
            envelope = decode(record.value)
        except MalformedEvent as error:
            await self._dead_letter(record, f"malformed: {error}")
            return Outcome.DEAD_LETTERED
        try:
            event = read(envelope, self._events)
        except Unreadable as error:
            await self._dead_letter(record, str(error))
            return Outcome.DEAD_LETTERED
        last_error: BaseException | None = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                applied = await self._apply_when_reachable(envelope, event)
                if not applied:
                    return Outcome.DUPLICATE
                age = (datetime.now(UTC) - envelope.occurred_at).total_seconds()
                EVENT_AGE.labels(self._projection.name).observe(max(age, 0.0))
                return Outcome.APPLIED
            except Exception as error:
                if is_infrastructure_failure(error):
                    raise
                last_error = error
                log.warning(
                    "projection %s failed on %s (attempt %d/%d): %s",
                    self._projection.name,
                    envelope.event_id,
                    attempt,
                    self._max_attempts,
                    error,
                )
                await asyncio.sleep(self._backoff * attempt)
        reason = "".join(traceback.format_exception_only(last_error)).strip()
        await self._dead_letter(record, f"handler failed {self._max_attempts} times: {reason}")
        return Outcome.DEAD_LETTERED

    def next_backoff(self) -> float:
        """The wait after the current run of infrastructure failures: doubling, capped."""
        return min(self._backoff * 2.0 ** min(self._unreachable, 30), self._max_backoff)

    async def _apply_when_reachable(self, envelope: EventEnvelope, event: DomainEvent) -> bool:
        """Apply once; while the infrastructure fails, wait with growing backoff and try again."""
        waited = 0.0
        while True:
            try:
                applied = await self._applier.apply_once(envelope, event)
            except Exception as error:
                if not is_infrastructure_failure(error):
                    raise
                delay = self.next_backoff()
                self._unreachable += 1
                log.warning(
                    "%s: dependency unavailable (%d in a row), next try in %.1fs: %s",
                    self._projection.name,
                    self._unreachable,
                    delay,
                    error,
                )
                if waited >= self._patience:
                    raise
                await asyncio.sleep(delay)
                waited += delay
            else:
                self._unreachable = 0
                return applied

    async def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        log.error("dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, reason)
        original = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
        await self._broker.publish(
            record.value or b"",
            topic=dlq_topic(record.topic),
            key=record.key,
            headers=original
            | {
                "dlq.error": reason[:2000],
                "dlq.consumer": self._projection.name,
                "dlq.topic": record.topic,
                "dlq.partition": str(record.partition),
                "dlq.offset": str(record.offset),
            },
        )
