"""The gateway's own tables: web sessions (sealed), rate-limit buckets and assistants' calendar feeds
(sealed). No events."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, LargeBinary, MetaData, Table, Text

metadata = MetaData()

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", Text, primary_key=True, comment="SHA-256 of the cookie value"),
    Column("data", LargeBinary, nullable=False, comment="AES-GCM sealed JSON (tokens, drafts)"),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("key", Text, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("account_id", Text, primary_key=True),
    Column("token_hash", Text, nullable=False, unique=True, comment="SHA-256 of the secret in the feed URL"),
    Column("data", LargeBinary, comment="AES-GCM sealed iCalendar text as of the last visit"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
