"""Tables of the contracts service (one MetaData): read models, numbers, documents.

Read models are written in the transaction of the append that changes them (the aggregate's new
state plus extras), so a person sees their change at once; `contracts.replay` rebuilds them from
the event store. Personal values are sealed (`sealed:v1:…`) with the key of their record
(``contract:<id>``, ``enrollment:<id>``) or of the person (interested persons), so that erasure
after the retention period is the destruction of one key.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

customer_number_seq = Sequence("customer_number_seq", metadata=metadata, start=1)
contract_number_seq = Sequence("contract_number_seq", metadata=metadata, start=1)

contracts_view = Table(
    "contracts_view",
    metadata,
    Column("contract_id", String(200), primary_key=True),
    Column("order_id", String(200), nullable=False),
    Column("offer_id", String(200), nullable=False),
    Column("seeker_id", String(200), nullable=False, index=True),
    Column("assistant_id", String(200), nullable=False, index=True),
    Column("organisation_id", String(200), index=True),
    Column("status", String(40), nullable=False),
    Column("slots", JSONB, nullable=False, server_default="[]"),
    Column("meeting_at", DateTime(timezone=True)),
    Column("draft_revision", Integer, nullable=False, server_default="0"),
    Column("signed", JSONB, nullable=False, server_default="[]"),
    Column("terms", Text),  # sealed JSON of the current draft's terms
    Column("payer", String(40)),
    Column("hourly_rate_cents", Integer),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("end_reason", String(40)),
    Column("restricted", Boolean, nullable=False, server_default="false"),
    Column("erased", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ratings = Table(
    "ratings",
    metadata,
    Column("contract_id", String(200), nullable=False),
    Column("period", String(7), nullable=False),
    Column("assistant_id", String(200), nullable=False, index=True),
    Column("stars", Integer, nullable=False),
    Column("text", Text),  # sealed with the contract's key
    Column("rated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("contract_id", "period"),
)

bookings = Table(
    "bookings",
    metadata,
    Column("booking_id", String(200), primary_key=True),
    Column("contract_id", String(200), nullable=False, index=True),
    Column("assistant_id", String(200), nullable=False),
    Column("organisation_id", String(200)),
    Column("payer", String(40), nullable=False),
    Column("hourly_rate_cents", Integer, nullable=False),
    Column("worked_on", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("approved", Boolean, nullable=False, server_default="false"),
    Column("approved_by", String(200)),
)

facility_offers = Table(
    "facility_offers",
    metadata,
    Column("offer_id", String(200), primary_key=True),
    Column("facility_id", String(200), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("fee_rules", JSONB, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

interested_persons = Table(
    "interested_persons",
    metadata,
    Column("person_id", String(200), primary_key=True),
    Column("email_hash", String(64), nullable=False, unique=True),
    Column("offer_id", String(200), nullable=False),
    Column("first_name", Text, nullable=False),  # sealed with the person's key
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

customers = Table(
    "customers",
    metadata,
    Column("participant_id", String(200), primary_key=True),
    Column("customer_number", String(20), nullable=False, unique=True),
)

enrollments_view = Table(
    "enrollments_view",
    metadata,
    Column("enrollment_id", String(200), primary_key=True),
    Column("offer_id", String(200), nullable=False, index=True),
    Column("facility_id", String(200), nullable=False, index=True),
    Column("participant_id", String(200), nullable=False, index=True),
    Column("applicant_id", String(200), nullable=False, index=True),
    Column("minor", Boolean, nullable=False),
    Column("status", String(20), nullable=False),
    Column("customer_number", String(20)),
    Column("contract_number", String(20), unique=True),
    Column("registration", Text),  # sealed JSON as entered
    Column("interview_at", DateTime(timezone=True)),
    Column("income_declared", Boolean, nullable=False, server_default="false"),
    Column("proof_demanded", Boolean, nullable=False, server_default="false"),
    Column("proof_delivered", Boolean, nullable=False, server_default="false"),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("respond_by", Date),
    Column("monthly_fee_cents", Integer),
    Column("fee_basis", String(40)),
    Column("emergency_contacts", Text),  # sealed JSON
    Column(
        "pickup_persons", JSONB, nullable=False, server_default="[]"
    ),  # [{person_id, name (sealed), photo_document_id}]
    Column("restricted", Boolean, nullable=False, server_default="false"),
    Column("erased", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

documents = Table(
    "documents",
    metadata,
    Column("document_id", String(200), primary_key=True),
    Column("record_key", String(200), nullable=False, index=True),  # contract:<id> / enrollment:<id>
    Column("kind", String(40), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("content", Text, nullable=False),  # sealed base64
    Column("uploaded_by", String(200), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

provider_billing = Table(
    "provider_billing",
    metadata,
    Column("organisation_id", String(200), primary_key=True),
    Column("own_system", Boolean, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
"""Providers that bill with their own system: their assistants record no hours here."""

Index("ix_bookings_org_month", bookings.c.organisation_id, bookings.c.worked_on)
