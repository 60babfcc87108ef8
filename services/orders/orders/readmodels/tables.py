"""Read models of orders (one MetaData): the orders and offers views and the account directory.

The views are written in the transaction that appends the order's events (read-your-writes for
the API) and can be rebuilt from the event store; the directory (seekers' and assistants' status, assistants'
provider) is fed by identity's events.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

orders_view = Table(
    "orders_view",
    metadata,
    Column("order_id", String(200), primary_key=True),
    Column("seeker_id", String(200), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("kind", String(20)),
    Column("revision", Integer, nullable=False),
    Column("terms", JSONB),
    Column("description", Text, doc="sealed with the seeker's key"),
    Column("version", Integer, nullable=False),
    Column("open_offers", Integer, nullable=False),
    Column("awarded_offer_id", String(200)),
    Column("contract_id", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_orders_view_seeker", "seeker_id", "updated_at"),
    Index("ix_orders_view_created_by", "created_by", "updated_at"),
)

offers_view = Table(
    "offers_view",
    metadata,
    Column("offer_id", String(200), primary_key=True),
    Column("order_id", String(200), nullable=False, index=True),
    Column("seeker_id", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("assistant_id", String(200)),
    Column("organisation_id", String(200)),
    Column("from_request", Boolean, nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_offers_view_assistant", "assistant_id", "updated_at"),
    Index("ix_offers_view_organisation", "organisation_id", "updated_at"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String(200), primary_key=True),
    Column("role", String(30), nullable=False),
    Column("organisation_id", String(200), doc="approved membership of a provider; None if self-employed"),
    Column("activated", Boolean, nullable=False, default=False),
    Column("locked", Boolean, nullable=False, default=False),
    Column("deleting", Boolean, nullable=False, default=False),
    Column("erased", Boolean, nullable=False, default=False),
)
