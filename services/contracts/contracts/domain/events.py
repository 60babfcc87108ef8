"""What deciding returns: domain events as (type, data) before they get an envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """One decided event. `data` is JSON-ready; public types are validated by their schema."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


def iso(value: Any) -> Any:
    """JSON form of dates and times (isoformat), other values unchanged."""
    return value.isoformat() if hasattr(value, "isoformat") else value
