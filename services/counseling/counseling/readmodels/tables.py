"""Counseling's read models, projected in the commit's transaction from its event store (rebuilt by
`python -m counseling.replay`). Personal columns hold clear text only while the person exists: the
erasure empties them (the event store's copies are sealed with the person's key, which is destroyed)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()

clients = Table(
    "clients",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("pseudonym", String(200)),
    Column("pseudonym_key", String(200)),  # case-folded, for search and order
    Column("opened_by", String(64)),
    Column("status", String(16), nullable=False, server_default="active"),  # active, blocked, deleted, erased
    Column("erase_after", Date),
    Column("primary_counselor_id", String(64)),
    Column("master_data", JSONB, nullable=False, server_default="{}"),
    Column("filters", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_clients_centre_key", "centre_id", "pseudonym_key", "id"),
    Index("ix_clients_centre_primary", "centre_id", "primary_counselor_id"),
    Index("ix_clients_filters", "filters", postgresql_using="gin"),
    Index(
        "ix_clients_key_trgm",
        "pseudonym_key",
        postgresql_using="gin",
        postgresql_ops={"pseudonym_key": "gin_trgm_ops"},
    ),
)

notes = Table(
    "notes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client_id", String(64), nullable=False, index=True),
    Column("author_id", String(64), nullable=False),
    Column("text", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

direct_messages = Table(
    "direct_messages",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client_id", String(64), nullable=False, index=True),
    Column("sent_by", String(64), nullable=False),
    Column("subject", String(200)),
    Column("body", Text),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)

case_records = Table(
    "case_records",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("client_id", String(64), nullable=False, index=True),
    Column("counselor_id", String(64), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("subject", String(40), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("fields", JSONB, nullable=False, server_default="{}"),
    Column("source_type", String(20)),  # mail_thread, chat, appointment: the contact it came from
    Column("source_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index(
        "ix_case_records_centre_period",
        "centre_id",
        "occurred_on",
        postgresql_include=["subject", "channel", "counselor_id", "minutes"],
    ),
)

client_groups = Table(
    "client_groups",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("client_id", String(64), primary_key=True),
    Index("ix_group_members_client", "client_id"),
)

bookmarks = Table(
    "bookmarks",
    metadata,
    Column("counselor_id", String(64), primary_key=True),
    Column("client_id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_bookmarks_client", "client_id"),
)

centre_settings = Table(
    "centre_settings",
    metadata,
    Column("centre_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("automatic_primary_counselor", Boolean, nullable=False, server_default=text("false")),
    Column("mail_overdue_days", Integer, nullable=False),
    Column("deletion_days", Integer, nullable=False),
    Column("contact_address", JSONB),
    Column("billing_address", JSONB),
    Column("filter_criteria", JSONB, nullable=False, server_default="[]"),
    Column("record_fields", JSONB, nullable=False, server_default="[]"),
)

counselors = Table(
    "counselors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False, index=True),
    Column("internal", JSONB),  # title, names, e-mail, phone, postcode (colleagues and admins)
    Column("display_name", String(100), nullable=False),
    Column("description", Text),
    Column("languages", ARRAY(String(8)), nullable=False, server_default="{}"),
    Column("photo_id", String(64)),
)

counselor_photos = Table(
    "counselor_photos",
    metadata,
    Column("photo_id", String(64), primary_key=True),
    Column("counselor_id", String(64), nullable=False, index=True),
    Column("media_type", String(40), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

client_documents = Table(
    "client_documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("client_id", String(64), nullable=False),
    Column("filename", Text, nullable=False),  # sealed with the client's key
    Column("media_type", String(40), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("content", Text, nullable=False),  # base64, sealed with the client's key
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Index("ix_client_documents_client", "client_id", "uploaded_at"),
)
"""Documents per client (PDF, PNG, JPEG checked by the kit): plain state like the photos, name and content
sealed with the client's key, so the client's erasure shreds them (and deletes the rows)."""

centre_staff = Table(
    "centre_staff",
    metadata,
    Column("centre_id", String(64), primary_key=True),
    Column("account_id", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
)
"""The centres' teams as identity publishes them (StaffJoined, StaffRoleChanged, StaffRemoved)."""

record_months = Table(
    "record_months",
    metadata,
    Column("centre_id", String(64), primary_key=True),
    Column("month", Date, primary_key=True),  # the first day of the month
    Column("subject", String(40), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("counselor_id", String(64), primary_key=True),
    Column("records", Integer, nullable=False),
    Column("minutes", Integer, nullable=False),
)
"""Case records summed per month, subject, channel and counselor: statistics read whole months here
and only the days of a partial month at the period's edges from `case_records`."""
