"""Demo data for local runs: ``python -m appointments.demo`` (idempotent; `./bin/start` runs it).

For the demo centre (`centres.demo.DEMO_CENTRE_ID`): rules (8 weeks ahead, Lower Saxony's
holidays), three counseling services (chat, on site, video with follow-up) and, for each counselor
identity's demo attached to the centre (learnt from identity's events: waits up to a minute for
them), booking times — Monday as in the seed's example (chat 9–12, on site 10–11 in parallel) plus
Wednesday and Thursday — and one bookable group appointment.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from appointments.app.streams import commit_calendar, commit_centre, load_calendar, load_centre, lock_calendar
from appointments.domain import groups, setup
from appointments.domain.calendar import Calendar
from appointments.domain.events import CalendarEvent, CentreEvent
from appointments.domain.values import BookingTime, CentreRules, Channel, CounselingService
from appointments.readmodels import queries
from appointments.settings import Settings
from teilhabe_events.centre_catalogue import Topic
from teilhabe_kit.db import create_engine
from teilhabe_kit.localtime import BERLIN, today
from teilhabe_kit.streams import Loaded

DEMO_CENTRE_ID = "5e1c0000-de00-4000-8000-000000000001"
"""As `centres.demo.DEMO_CENTRE_ID`."""
ACTOR = "demo-loader"
SERVICES = [
    CounselingService(
        service_id="5e1c0000-de00-4000-8000-0000000000c1",
        name="Chat 30",
        duration_minutes=30,
        channel=Channel.CHAT,
        reason=Topic.DEBT,
        description="Beratung im Chat, 30 Minuten. Sie brauchen nur Ihren Browser.",
    ),
    CounselingService(
        service_id="5e1c0000-de00-4000-8000-0000000000c2",
        name="Vor Ort 30",
        duration_minutes=30,
        channel=Channel.ON_SITE,
        reason=Topic.SOCIAL_BENEFITS,
        description="Persönliche Beratung in der Beratungsstelle, 30 Minuten.",
        address="Weender Straße 42, 37073 Göttingen",
    ),
    CounselingService(
        service_id="5e1c0000-de00-4000-8000-0000000000c3",
        name="Video 30 + 15 Nachbereitung",
        duration_minutes=30,
        follow_up_minutes=15,
        channel=Channel.VIDEO,
        reason=Topic.DISABILITY,
        description="Beratung per Video, 30 Minuten.",
    ),
]
CHAT, ON_SITE, VIDEO = (s.service_id for s in SERVICES)
BOOKING_TIMES = (
    BookingTime(weekday=0, start=time(9), end=time(12), service_id=CHAT),
    BookingTime(weekday=0, start=time(10), end=time(11), service_id=ON_SITE),
    BookingTime(weekday=2, start=time(14), end=time(17), service_id=VIDEO),
    BookingTime(weekday=3, start=time(9), end=time(12), service_id=ON_SITE),
)


async def _counselors(engine: AsyncEngine, wait_s: float) -> list[str]:
    """The demo centre's counselors once identity's events about them have arrived."""
    deadline = asyncio.get_running_loop().time() + wait_s
    while True:
        async with engine.connect() as conn:
            found = await queries.team(conn, DEMO_CENTRE_ID, "counselor")
        if found or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(1)


async def _centre(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        centre, version = await load_centre(conn, DEMO_CENTRE_ID)
        events: list[CentreEvent] = [
            *setup.change_rules(centre, CentreRules(horizon_weeks=8, region="NI", lead_minutes=60)),
            *(event for service in SERVICES for event in setup.define_service(centre, service)),
        ]
        await commit_centre(conn, Loaded(centre, version), DEMO_CENTRE_ID, events, actor_id=ACTOR)


async def _calendar(engine: AsyncEngine, number: int, counselor_id: str) -> bool:
    """Booking times and a group appointment for one counselor, unless they have booking times."""
    async with engine.begin() as conn:
        await lock_calendar(conn, DEMO_CENTRE_ID, counselor_id, create=True)
        centre, _ = await load_centre(conn, DEMO_CENTRE_ID)
        loaded = await load_calendar(conn, DEMO_CENTRE_ID, counselor_id)
        calendar = loaded.state or Calendar(DEMO_CENTRE_ID, counselor_id)
        if calendar.booking_times:
            return False
        events: list[CalendarEvent] = [
            *setup.open_calendar(loaded.state, DEMO_CENTRE_ID, counselor_id),
            *setup.change_profile(
                calendar, display_name=f"Berater:in {number}", only_regular_clients=False, video_url=None
            ),
            *setup.set_booking_times(centre, list(BOOKING_TIMES)),
        ]
        day = today() + timedelta(days=(1 - today().weekday()) % 7 or 7)  # next Tuesday
        start = datetime.combine(day, time(15 + number % 4), BERLIN)  # 16–19 h, however many counselors
        plan = groups.GroupPlan(
            title="Offene Gruppe: Fragen zu Bürgergeld",
            description="Austausch in der Gruppe, bis zu 8 Personen.",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            follow_up_minutes=15,
            channel=Channel.VIDEO,
            max_participants=8,
            bookable_by_clients=True,
        )
        events += groups.schedule(calendar, str(uuid.uuid4()), plan, datetime.now(BERLIN))
        await commit_calendar(conn, centre, loaded, DEMO_CENTRE_ID, counselor_id, events, actor_id=ACTOR)
        return True


async def load(engine: AsyncEngine, wait_s: float = 60) -> tuple[int, int]:
    """Set up the demo centre and its counselors' calendars; returns (counselors, calendars set up now)."""
    await _centre(engine)
    counselors = await _counselors(engine, wait_s)
    made = [await _calendar(engine, n, c) for n, c in enumerate(counselors, start=1)]
    return len(counselors), sum(made)


async def main() -> None:
    engine = create_engine(Settings().resolved_database_url())
    try:
        counselors, made = await load(engine)
        print(
            f"appointments demo: centre {DEMO_CENTRE_ID} with {len(SERVICES)} services; "
            f"{counselors} counselors ({made} calendars set up now)"
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
