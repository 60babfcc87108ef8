"""Matching's tables: the projection of assistants and orders, and its own decisions (requests)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = MetaData()

NEXT_CHANGE = text("nextval('projection_changes')")
"""Every write of an assistant, order or award row takes the next number: the replicas that do not
lead follow the tables by it. Writers hold `CHANGES_LOCK` until they commit, so numbers follow
commit order and a follower that has seen number n has seen every change up to n."""

CHANGES_LOCK = 0x3A7C_0001
"""Transaction advisory lock of every transaction that numbers changes (see `store.numbering`)."""

assistants = Table(
    "assistants",
    metadata,
    Column("assistant_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("activities", ARRAY(String(50)), nullable=False),
    Column("spans", JSONB, nullable=False),  # [[weekday, start_s, end_s], ...]
    Column("lat", Float),
    Column("lon", Float),
    Column("radius_km", Float),
    Column("traits", ARRAY(String(50)), nullable=False),
    Column("activated", Boolean, nullable=False),
    Column("locked", Boolean, nullable=False),
    Column("deletion_requested", Boolean, nullable=False),
    Column("provider_id", String(200)),
    Column("self_employed", Boolean, nullable=False),
    Column("changed", BigInteger, server_default=NEXT_CHANGE, nullable=False, index=True),
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("seeker_id", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("schedule", JSONB, nullable=False),
    Column("activities", ARRAY(String(50)), nullable=False),
    Column("traits", ARRAY(String(50)), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("max_distance_km", Float, nullable=False),
    Column("transport_needed", Boolean, nullable=False),
    Column("status", String(20), nullable=False),
    Column("emitted", Integer, nullable=False, server_default="0"),  # matching's own stream version
    Column("changed", BigInteger, server_default=NEXT_CHANGE, nullable=False, index=True),
)

requests = Table(
    "requests",
    metadata,
    Column("request_id", UUID(as_uuid=True), primary_key=True),
    Column("order_id", String(200), nullable=False),
    Column("assistant_id", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("organisation_id", String(200)),
    Column("explanation", JSONB, nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("closed_at", DateTime(timezone=True)),
    Column("close_reason", String(40)),
    UniqueConstraint("order_id", "assistant_id", "revision", name="uq_requests_once_per_revision"),
    Index("ix_requests_open_by_assistant", "assistant_id", postgresql_where=text("closed_at IS NULL")),
    Index("ix_requests_open_by_order", "order_id", postgresql_where=text("closed_at IS NULL")),
)

answers = Table(
    "answers",
    metadata,
    Column("order_id", String(200), primary_key=True),
    Column("assistant_id", String(200), primary_key=True),
    Column("answered_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

awards = Table(
    "awards",
    metadata,
    Column("order_id", String(200), primary_key=True),
    Column("assistant_id", String(200), nullable=False, index=True),
    Column("changed", BigInteger, server_default=NEXT_CHANGE, nullable=False, index=True),
)

ended_awards = Table(
    "ended_awards",
    metadata,
    Column("order_id", String(200), primary_key=True),
    Column("changed", BigInteger, server_default=NEXT_CHANGE, nullable=False, index=True),
)
"""Orders whose award ended, so that followers take it from the assistant's workload too."""

removed_assistants = Table(
    "removed_assistants",
    metadata,
    Column("assistant_id", String(200), primary_key=True),
    Column("changed", BigInteger, server_default=NEXT_CHANGE, nullable=False, index=True),
)
"""Erased assistants (ids only), so that followers drop them too."""
