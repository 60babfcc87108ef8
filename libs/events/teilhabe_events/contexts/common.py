"""Value types shared by the events of several contexts."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Weekday = Annotated[int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]
Latitude = Annotated[float, Field(ge=47.0, le=55.5)]
Longitude = Annotated[float, Field(ge=5.5, le=15.5)]


class WeeklyRange(BaseModel):
    """A time range on one weekday, local time Europe/Berlin (end after start, same day)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weekday: Weekday
    start: time
    end: time

    @model_validator(mode="after")
    def _end_after_start(self) -> WeeklyRange:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class CoarsePlace(BaseModel):
    """A place rounded to about 1 km (two decimals), never an address."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lat: Latitude
    lon: Longitude

    @model_validator(mode="after")
    def _rounded(self) -> CoarsePlace:
        if round(self.lat, 2) != self.lat or round(self.lon, 2) != self.lon:
            raise ValueError("coordinates must be rounded to two decimals (about 1 km)")
        return self

    @classmethod
    def around(cls, lat: float, lon: float) -> CoarsePlace:
        return cls(lat=round(lat, 2), lon=round(lon, 2))
