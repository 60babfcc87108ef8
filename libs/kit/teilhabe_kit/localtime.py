"""Calendar dates as people in Germany see them: a day begins at midnight in Berlin, not in UTC.

Times are stored and compared in UTC; only dates ("today", a booking day, a deadline) are local.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def local_date(moment: datetime) -> date:
    """The Berlin calendar day of an aware moment."""
    return moment.astimezone(BERLIN).date()


def today() -> date:
    """Today's date in Berlin."""
    return local_date(datetime.now(UTC))
