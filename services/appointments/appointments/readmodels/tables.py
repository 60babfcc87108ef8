"""Read models of appointments (one MetaData), all written in the transaction of the append:

- `calendars`: one row per counselor's calendar at a centre (also the row locked while deciding on
  it, so concurrent bookings of one counselor are decided one after the other);
- `free_slots`: the bookable slots of every calendar up to the centre's horizon, regenerated from
  the calendar's state at each change (a held slot keeps its row with `held_until`);
- `bookings_view`, `group_appointments_view`, `waitlist_view`: what clients and staff list.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY

metadata = MetaData()

calendars = Table(
    "calendars",
    metadata,
    Column("calendar_id", String(200), primary_key=True),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("display_name", String(200), nullable=False, default=""),
    Column("only_regular_clients", Boolean, nullable=False, default=False),
    Column("has_booking_times", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=0),
    Column("generated_on", Date, doc="the Berlin day free_slots were last laid out (the horizon moves daily)"),
    Column("next_offer_expiry", DateTime(timezone=True), doc="the earliest waitlist offer to expire"),
    Index("ix_calendars_centre", "centre_id", "counselor_id"),
    Index("ix_calendars_offer_expiry", "next_offer_expiry", postgresql_where="next_offer_expiry IS NOT NULL"),
)

free_slots = Table(
    "free_slots",
    metadata,
    Column("calendar_id", String(200), nullable=False),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("service_id", String(100), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("held_until", DateTime(timezone=True)),
    Index("ix_free_slots_centre_service_start", "centre_id", "service_id", "starts_at"),
    Index("ix_free_slots_centre_start", "centre_id", "starts_at"),
    Index("ix_free_slots_calendar", "calendar_id", "starts_at"),
)

bookings_view = Table(
    "bookings_view",
    metadata,
    Column("booking_id", String(100), primary_key=True),
    Column("calendar_id", String(200), nullable=False),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("service_id", String(100), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_bookings_client", "client_id", "starts_at"),
    Index("ix_bookings_centre", "centre_id", "starts_at"),
)

group_appointments_view = Table(
    "group_appointments_view",
    metadata,
    Column("group_appointment_id", String(100), primary_key=True),
    Column("calendar_id", String(200), nullable=False),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text),
    Column("channel", String(20), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("max_participants", Integer, nullable=False),
    Column("bookable_by_clients", Boolean, nullable=False),
    Column("participants", ARRAY(String(100)), nullable=False),
    Column("client_group_ids", ARRAY(String(100)), nullable=False),
    Index("ix_groups_centre", "centre_id", "starts_at"),
)

waitlist_view = Table(
    "waitlist_view",
    metadata,
    Column("entry_id", String(100), primary_key=True),
    Column("calendar_id", String(200), nullable=False),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("service_id", String(100), nullable=False),
    Column("wanted_before", DateTime(timezone=True), nullable=False),
    Column("offered_starts_at", DateTime(timezone=True)),
    Column("offer_expires_at", DateTime(timezone=True)),
    Index("ix_waitlist_client", "client_id"),
)

primary_counselors = Table(
    "primary_counselors",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("centre_id", String(100), primary_key=True),
    Column("counselor_id", String(100), nullable=False),
    comment="a client's primary counselor (Stammberater:in) per centre, from the counseling service's events",
)

centre_staff = Table(
    "centre_staff",
    metadata,
    Column("centre_id", String(100), primary_key=True),
    Column("account_id", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    comment="the centres' teams as identity announces them (StaffJoined / RoleChanged / Removed)",
)

centre_settings_view = Table(
    "centre_settings_view",
    metadata,
    Column("centre_id", String(100), primary_key=True),
    Column("horizon_weeks", Integer, nullable=False),
    Column("lead_minutes", Integer, nullable=False),
    comment="what the free-slot query needs of a centre's rules (written with the centre's events)",
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("centre_id", String(100), nullable=False),
    Column("counselor_id", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_calendar_feeds_owner", "centre_id", "counselor_id"),
    comment="a counselor's private iCalendar feed: only the SHA-256 of the URL's secret token is kept",
)
