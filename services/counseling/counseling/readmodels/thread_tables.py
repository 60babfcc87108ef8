"""Mail counseling's read model: one row per thread for the inboxes, the assignment's counts and the
overdue check. The subject is kept only sealed with the thread's key (unsealed when listed)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Text

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
