"""Turning directory rows into the public API's shapes (detail, finder hit, CSV line)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Row

from centres.domain.hours import is_open
from centres.domain.reasons import reasons, text
from centres.readmodels.finder import Filters
from centres.readmodels.finder_index import Hit
from teilhabe_events.contexts.centres import CentreProfile, OpeningHours

CSV_COLUMNS = [
    "centre_id",
    "name",
    "provider",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "topics",
    "languages",
    "channels",
    "accessibility",
    "target_groups",
    "phone",
    "email",
    "website",
    "booking_url",
    "counseling_url",
    "radius_km",
    "service_postcodes",
    "updated_at",
]


def public_centre(row: Row, now: datetime) -> dict[str, Any]:
    """The stored profile (JSON as the projection wrote it) with the centre's id, functions and "open now"."""
    hours = OpeningHours.model_validate(row.profile["opening_hours"])
    return dict(row.profile) | {
        "centre_id": row.centre_id,
        "functions": list(row.functions),
        "open_now": is_open(hours, now),
        "updated_at": row.updated_at.isoformat(),
    }


def finder_hit(row: Row, filters: Filters, now: datetime, *, fallback: bool = False) -> dict[str, Any]:
    found = public_centre(row, now)
    covers = bool(getattr(row, "covers", False))
    why = reasons(
        distance_km=row.distance_km,
        covers=covers,
        topics=row.topics,
        languages=row.languages,
        channels=row.channels,
        accessibility=row.accessibility,
        target_groups=row.target_groups,
        wanted_topics=filters.topics,
        wanted_languages=filters.languages,
        wanted_channels=filters.channels,
        wanted_accessibility=filters.accessibility,
        wanted_target_groups=filters.target_groups,
        open_now=filters.open_at is not None,
        fallback=fallback,
    )
    return found | {
        "distance_km": round(row.distance_km, 1),
        "covers": covers,
        "reasons": [r.as_dict() for r in why],
        "reasons_de": text(why, "de"),
        "reasons_en": text(why, "en"),
    }


def hit_json(hit: Hit, filters: Filters, moment: tuple[int, date], *, fallback: bool = False) -> orjson.Fragment:
    """`finder_hit` of an in-memory hit: its stored public JSON with open now, distance and reasons."""
    e = hit.entry
    why = reasons(
        distance_km=hit.distance_km,
        covers=hit.covers,
        topics=e.topics,
        languages=e.languages,
        channels=e.channels,
        accessibility=e.accessibility,
        target_groups=e.target_groups,
        wanted_topics=filters.topics,
        wanted_languages=filters.languages,
        wanted_channels=filters.channels,
        wanted_accessibility=filters.accessibility,
        wanted_target_groups=filters.target_groups,
        open_now=filters.open_at is not None,
        fallback=fallback,
    )
    extra = orjson.dumps(
        {
            "open_now": e.is_open(*moment),
            "distance_km": round(hit.distance_km, 1),
            "covers": hit.covers,
            "reasons": [r.as_dict() for r in why],
            "reasons_de": text(why, "de"),
            "reasons_en": text(why, "en"),
        }
    )
    return orjson.Fragment(e.public + b"," + extra[1:])


def csv_line(row: Row) -> list[str]:
    p = CentreProfile.model_validate(row.profile)
    return [
        row.centre_id,
        p.name,
        p.provider,
        p.address.street,
        p.address.postcode,
        p.address.city,
        f"{p.location.lat:.5f}",
        f"{p.location.lon:.5f}",
        "|".join(p.topics),
        "|".join(p.languages),
        "|".join(p.channels),
        "|".join(p.accessibility),
        "|".join(p.target_groups),
        p.contact.phone or "",
        p.contact.email or "",
        p.contact.website or "",
        p.links.booking_url or "",
        p.links.counseling_url or "",
        "" if p.service_area.radius_km is None else str(p.service_area.radius_km),
        "|".join(p.service_area.postcodes),
        row.updated_at.isoformat(),
    ]
