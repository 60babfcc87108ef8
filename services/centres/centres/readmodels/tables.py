"""Read models of centres (one MetaData).

- `centres_view`: every centre with its onboarding status, for the platform admin's back office;
  written in the transaction that appends the centre's events, rebuilt from the event store.
- `region_fallbacks`: the fallback centre of each region (state), same way.
- `directory`: the public finder's rows, fed by the centres topic (a consumer projection,
  rebuilt by replaying the topic); only `listed` rows are public.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Index, Integer, MetaData, String, Table, text
from sqlalchemy.dialects.postgresql import ARRAY, INT4MULTIRANGE, JSONB

metadata = MetaData()

centres_view = Table(
    "centres_view",
    metadata,
    Column("centre_id", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("postcode", String(5), nullable=False),
    Column("status", String(20), nullable=False),
    Column("agreement_version", String(40)),
    Column("agreement_signed_on", Date),
    Column("functions", ARRAY(String(40)), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("missing", ARRAY(String(40)), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_centres_view_status", "status", "name"),
    Index("ix_centres_view_name", "name"),
)

region_fallbacks = Table(
    "region_fallbacks",
    metadata,
    Column("region", String(2), primary_key=True),
    Column("centre_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
)

directory = Table(
    "directory",
    metadata,
    Column("centre_id", String(200), primary_key=True),
    Column("listed", Boolean, nullable=False, default=False),
    Column("name", String(200), nullable=False),
    Column("postcode", String(5), nullable=False),
    Column("region", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("radius_km", Float),
    Column("service_postcodes", ARRAY(String(5)), nullable=False, default=[]),
    Column("topics", ARRAY(String(40)), nullable=False, default=[]),
    Column("languages", ARRAY(String(8)), nullable=False, default=[]),
    Column("channels", ARRAY(String(20)), nullable=False, default=[]),
    Column("accessibility", ARRAY(String(30)), nullable=False, default=[]),
    Column("target_groups", ARRAY(String(30)), nullable=False, default=[]),
    Column("open_minutes", INT4MULTIRANGE, doc="weekly opening hours as minutes from Monday 00:00, Berlin"),
    Column("closed_on", ARRAY(Date), nullable=False, default=[]),
    Column("functions", ARRAY(String(40)), nullable=False, default=["directory"]),
    Column("revision", Integer, nullable=False, default=0),
    Column("profile", JSONB),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_directory_listed_lat_lon", "lat", "lon", postgresql_where=text("listed")),
    Index("ix_directory_service_postcodes", "service_postcodes", postgresql_using="gin"),
    Index("ix_directory_listed_name", "name", postgresql_where=text("listed")),
    Index("ix_directory_listed_radius", "radius_km", postgresql_where=text("listed")),
    Index("ix_directory_updated_at", "updated_at"),
)
