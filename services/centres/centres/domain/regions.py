"""Regions (German states) and their fallback centre, shown where no centre covers a place.

A region's stream (`region`, id = state code) holds internal events only: which centre answers
for white spots of that state.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


class RegionFallbackSet(BaseModel):
    """The platform admin chose the region's fallback centre (internal)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str] = "RegionFallbackSet"

    centre_id: str = Field(min_length=1, max_length=200)


def decide_fallback(current: str | None, centre_id: str) -> list[RegionFallbackSet]:
    return [] if current == centre_id else [RegionFallbackSet(centre_id=centre_id)]
