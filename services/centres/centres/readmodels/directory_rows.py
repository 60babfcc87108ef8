"""Writing the public directory's rows (the consumer projection's SQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from centres import places
from centres.domain.hours import week_interval
from centres.readmodels.tables import directory
from teilhabe_events.contexts.centres import CentreProfile


def profile_columns(profile: CentreProfile, revision: int) -> dict:
    return {
        "name": profile.name,
        "postcode": profile.address.postcode,
        "region": places.state_of(profile.address.postcode),
        "lat": profile.location.lat,
        "lon": profile.location.lon,
        "radius_km": profile.service_area.radius_km,
        "service_postcodes": list(profile.service_area.postcodes),
        "topics": [t.value for t in profile.topics],
        "languages": [lang.value for lang in profile.languages],
        "channels": [c.value for c in profile.channels],
        "accessibility": [a.value for a in profile.accessibility],
        "target_groups": [g.value for g in profile.target_groups],
        "open_minutes": [Range(*week_interval(r), bounds="[)") for r in profile.opening_hours.weekly],
        "closed_on": list(profile.opening_hours.closed_on),
        "revision": revision,
        "profile": profile.model_dump(mode="json"),
    }


async def add(conn: AsyncConnection, centre_id: str, name: str, postcode: str, at: datetime) -> None:
    """A new (unlisted) centre."""
    await conn.execute(
        insert(directory)
        .values(
            centre_id=centre_id,
            listed=False,
            name=name,
            postcode=postcode,
            region=places.state_of(postcode),
            updated_at=at,
        )
        .on_conflict_do_nothing()
    )


async def set_profile(conn: AsyncConnection, centre_id: str, profile: CentreProfile, revision: int, at: datetime):
    columns = profile_columns(profile, revision) | {"updated_at": at}
    await conn.execute(
        update(directory).where(directory.c.centre_id == centre_id, directory.c.revision < revision).values(**columns)
    )


async def change(conn: AsyncConnection, centre_id: str, at: datetime, **columns) -> None:
    await conn.execute(update(directory).where(directory.c.centre_id == centre_id).values(updated_at=at, **columns))
