"""Mail counseling's read model: one row per thread for the inboxes, the assignment's counts and the
overdue check. The subject is kept only sealed with the thread's key (unsealed when listed)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text

from counseling.readmodels.tables import metadata

mail_threads = Table(
    "mail_threads",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("client_id", String(64), nullable=False),
    Column("assignee_id", String(64)),
    Column("status", String(16), nullable=False),  # open, answered, released
    Column("sealed_subject", Text),
    Column("draft_by", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("waiting_since", DateTime(timezone=True)),  # the client's unanswered message, None once answered
    Column("escalated_for", DateTime(timezone=True)),  # the waiting_since already escalated as overdue
    Index("ix_mail_threads_centre_status", "centre_id", "status"),
    Index("ix_mail_threads_centre_assignee", "centre_id", "assignee_id"),
    Index("ix_mail_threads_client", "client_id", "created_at"),
)

mail_responses = Table(
    "mail_responses",
    metadata,
    Column("thread_id", String(64), primary_key=True),
    Column("answered_at", DateTime(timezone=True), primary_key=True),
    Column("centre_id", String(64), nullable=False),
    Column("counselor_id", String(64), nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),  # the wait's start (waiting_since)
    Index("ix_mail_responses_centre", "centre_id", "answered_at"),
)
"""One row per answered wait: how long the client waited for the team's reply (ids and times only)."""

mail_attachments = Table(
    "mail_attachments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("thread_id", String(64), nullable=False),
    Column("centre_id", String(64), nullable=False),
    Column("filename", Text, nullable=False),  # sealed with the thread's key
    Column("media_type", String(40), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("content", Text, nullable=False),  # base64, sealed with the thread's key
    Column("author_id", String(64), nullable=False),
    Column("author_role", String(16), nullable=False),  # client, counselor
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Index("ix_mail_attachments_thread", "thread_id", "uploaded_at"),
)
"""Files attached to a thread by its client or its assignee: the name and the content sealed with the
thread's key (the client's erasure destroys it and deletes the rows)."""
