"""The messaging service's tables (one MetaData): what it learned from events, and what it owns."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)

metadata = MetaData()

# --- learned from other services' events -------------------------------------------------------

offers = Table(
    "offers",
    metadata,
    Column("offer_id", String(200), primary_key=True),
    Column("order_id", String(200), nullable=False, index=True),
    Column("seeker_id", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("assistant_id", String(200)),
    Column("organisation_id", String(200)),
    Column("submitted_by", String(200), nullable=False),
    Column("withdrawn", Boolean, nullable=False, server_default=text("false")),
)

memberships = Table(
    "memberships",
    metadata,
    Column("account_id", String(200), primary_key=True),
    Column("organisation_id", String(200), primary_key=True),
    Column("role", String(30), nullable=False),
    Index("ix_memberships_org", "organisation_id", "role"),
)

guardianships = Table(
    "guardianships",
    metadata,
    Column("ward_id", String(200), primary_key=True),
    Column("guardian_id", String(200), primary_key=True),
)

# --- conversations ---------------------------------------------------------------------------

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("order_id", String(200)),
    Column("offer_id", String(200), unique=True),
    Column("organisation_id", String(200)),
    Column("title", Text),  # sealed with the opener's key (group names may be personal)
    Column("opened_by", String(200), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_seq", Integer, nullable=False, server_default=text("0")),
)

participants = Table(
    "participants",
    metadata,
    Column("conversation_id", String(64), ForeignKey("conversations.id"), primary_key=True),
    Column("person_id", String(200), primary_key=True),
    Column("role", String(30), nullable=False),
    Column("read_seq", Integer, nullable=False, server_default=text("0")),
    Column("read_at", DateTime(timezone=True)),
    Index("ix_participants_person", "person_id"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("author_id", String(200), nullable=False),
    Column("text", Text),  # sealed with the author's key
    Column("document_id", String(64)),
    Column("posted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("idempotency_key", String(100)),  # a retried POST returns the first message
    UniqueConstraint("conversation_id", "seq", name="uq_messages_seq"),
    UniqueConstraint("author_id", "idempotency_key", name="uq_messages_idempotency"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id"), nullable=False, index=True),
    Column("uploader_id", String(200), nullable=False, index=True),
    Column("filename", Text, nullable=False),  # sealed with the uploader's key
    Column("media_type", String(60), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("erased_at", DateTime(timezone=True)),
)

presence = Table(
    "presence",
    metadata,
    Column("person_id", String(200), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

meetings = Table(
    "meetings",
    metadata,
    Column("contract_id", String(200), primary_key=True),
    Column("seeker_id", String(200), nullable=False),
    Column("assistant_id", String(200), nullable=False),
    Column("organisation_id", String(200)),
    Column("meeting_at", DateTime(timezone=True), nullable=False),
)

video_appointments = Table(
    "video_appointments",
    metadata,
    Column("booking_id", String(100), primary_key=True),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    comment="booked video appointments (from appointments' events): who may enter their room",
)

video_rooms = Table(
    "video_rooms",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id"), index=True),
    Column("contract_id", String(200), index=True),  # a room for the meeting of a contract process
    Column("chat_id", String(64), ForeignKey("chats.id"), index=True),  # a room started from a counseling chat
    Column("booking_id", String(100), index=True),  # a room for a video appointment (appointments)
    Column("room", String(100), nullable=False),
    Column("moderator_id", String(200), nullable=False),
    Column("external_url", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

abuse_reports = Table(
    "abuse_reports",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id"), nullable=False),
    Column("reported_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),  # sealed with the reporter's key
    Column("reported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("actor_id", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("conversation_id", String(64)),
    Column("report_id", String(64)),
    Column("reason", Text, nullable=False),  # sealed with the actor's key
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# --- counseling chats (Sofortchat, assisto Chat, anonymous walk-in chat) ---------------------

counseling_clients = Table(
    "counseling_clients",
    metadata,
    Column("client_id", String(200), primary_key=True),
    Column("centre_id", String(200), nullable=False, index=True),
)

chats = Table(
    "chats",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(200), nullable=False),
    Column("kind", String(10), nullable=False),  # client, walk_in, group
    Column("state", String(10), nullable=False),  # waiting, active, ended
    Column("title", Text),  # group chats: sealed with the chat's key
    Column("client_id", String(200), index=True),  # the one client (kind client, or a claimed walk-in)
    Column("guest_id", String(64), unique=True),  # walk-in: the guest's opaque id
    Column("guest_name", Text),  # walk-in: the generated pseudonym, sealed with the chat's key
    Column("guest_secret", String(64), unique=True),  # walk-in: sha256 of the guest's credential
    Column("guest_expires_at", DateTime(timezone=True)),
    Column("requested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("accepted_by", String(200)),
    Column("accepted_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_by", String(10)),
    Column("last_seq", Integer, nullable=False, server_default=text("0")),
    Index("ix_chats_queue", "centre_id", "requested_at", postgresql_where=text("state = 'waiting'")),
)

chat_members = Table(
    "chat_members",
    metadata,
    Column("chat_id", String(64), ForeignKey("chats.id"), primary_key=True),
    Column("person_id", String(200), primary_key=True),
    Column("role", String(12), nullable=False),  # client, guest, counselor
    Column("read_seq", Integer, nullable=False, server_default=text("0")),
    Index("ix_chat_members_person", "person_id"),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("chat_id", String(64), ForeignKey("chats.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("author_id", String(200), nullable=False),
    Column("text", Text),  # sealed with the chat's key; None once its author was erased (group chats)
    Column("posted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("idempotency_key", String(100)),
    UniqueConstraint("chat_id", "seq", name="uq_chat_messages_seq"),
    UniqueConstraint("chat_id", "author_id", "idempotency_key", name="uq_chat_messages_idempotency"),
)

rate_windows = Table(
    "rate_windows",
    metadata,
    Column("bucket", String(200), primary_key=True),  # e.g. walk-in:<address>
    Column("window_start", DateTime(timezone=True), primary_key=True),
    Column("hits", Integer, nullable=False),
)

# --- notifications and their delivery ----------------------------------------------------------

notifications = Table(
    "notifications",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),  # the SSE event id
    Column("id", String(64), nullable=False, unique=True),
    Column("recipient_id", String(200), nullable=False),
    Column("kind", String(60), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("reference", String(200)),  # e.g. the password-reset request whose link is fetched on delivery
    Column("source_event_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("read_at", DateTime(timezone=True)),
    UniqueConstraint("source_event_id", "recipient_id", "kind", name="uq_notification_source"),
    Index("ix_notifications_recipient", "recipient_id", "seq"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("notification_id", String(64), ForeignKey("notifications.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("state", String(10), nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_error", String(200)),
    Column("secret_link", Text),  # a fetched one-time link (sealed), kept only until delivered
    Column("delivered_at", DateTime(timezone=True)),
    UniqueConstraint("notification_id", "channel", name="uq_delivery_channel"),
    Index("ix_deliveries_due", "next_attempt_at", postgresql_where=text("state = 'pending'")),
)

preferences = Table(
    "preferences",
    metadata,
    Column("person_id", String(200), primary_key=True),
    Column("email", Boolean, nullable=False, server_default=text("true")),
    Column("sms", Boolean, nullable=False, server_default=text("false")),
    Column("quiet_from", Time),
    Column("quiet_until", Time),
)
