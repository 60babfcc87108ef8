"""Identity's tables. `accounts`, `verification_steps`, `guardianships`, `organisations`,
`centre_staff` and `seat_requests` are projections of its event store (rebuilt by
`python -m identity.replay`); credentials, sessions, password resets (and invitation links) and
login failures are plain state that never enters an event."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("locked", Boolean, nullable=False, server_default="false"),
    Column("erase_after", Date),
    Column("organisation_id", String(64)),
    Column("self_employed", Boolean, nullable=False, server_default="false"),
    Column("created_by", String(64)),  # who opened the account for the person (staff, contracts)
    Column("name", String(200)),
    Column("login_name", String(200)),  # clients of a counseling centre: the pseudonym, case-folded
    Column("staff_login", String(40)),  # counselors and centre admins: their own login name, case-folded
    Column("email", String(320)),
    Column("phone", String(40)),
    Column("introduction", Text),
    Column("postcode", String(5)),
    Column("lat", Float),
    Column("lon", Float),
    Column("radius_km", Float),
    Column("activities", JSONB, nullable=False, server_default="[]"),
    Column("ranges", JSONB, nullable=False, server_default="[]"),
    Column("traits", JSONB, nullable=False, server_default="[]"),
    Column("consents", JSONB, nullable=False, server_default="[]"),
    Column("refusal_reason", Text),
    Column("lock_reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("uq_accounts_email", "email", unique=True),
    Index("uq_accounts_phone", "phone", unique=True),
    Index("uq_accounts_centre_login", "organisation_id", "login_name", unique=True),
    Index("uq_accounts_staff_login", "staff_login", unique=True),
    Index("ix_accounts_role_status", "role", "status"),
)

verification_steps = Table(
    "verification_steps",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("step", String(40), primary_key=True),
    Column("reason", Text),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

guardianships = Table(
    "guardianships",
    metadata,
    Column("ward_id", String(64), primary_key=True),
    Column("guardian_id", String(64), primary_key=True),
    Column("birth_date", Date),
    Column("acts_until", Date, nullable=False),
    Index("ix_guardianships_guardian", "guardian_id"),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("postcode", String(5), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("agreement_signed", Boolean, nullable=False, server_default="false"),
    Column("seats", Integer),
    Column("client_retention_days", Integer),  # counseling centres: days from a client's deletion to erasure
)

centre_staff = Table(
    "centre_staff",
    metadata,
    Column("centre_id", String(64), primary_key=True),
    Column("account_id", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("joined", Boolean, nullable=False, server_default="false"),
    Column("invitation_id", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("invited_at", DateTime(timezone=True), nullable=False),
    Column("joined_at", DateTime(timezone=True)),
    Index("ix_centre_staff_account", "account_id"),
)

seat_requests = Table(
    "seat_requests",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("centre_id", String(64), nullable=False, index=True),
    Column("seats", Integer, nullable=False),
    Column("note", Text),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)

public_versions = Table(
    "public_versions",
    metadata,
    Column("stream_type", String(40), primary_key=True),
    Column("stream_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

credentials = Table(
    "credentials",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("password_hash", String(200)),
    Column("must_change", Boolean, nullable=False, server_default="false"),  # set by someone else: change it first
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("family_id", String(64), nullable=False, index=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("rotated_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("centre_id", String(64)),  # the counseling centre the session acts for (staff of several)
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("token_hash", String(64)),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("used_at", DateTime(timezone=True)),
    Column("purpose", String(16), nullable=False, server_default="password"),  # or "invitation"
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),  # sha256 of "account:<id>" or "address:<ip>"
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key", "key", "failed_at"),
)
