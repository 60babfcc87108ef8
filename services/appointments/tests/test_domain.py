"""Domain rules of the appointment book: given events, when a decision, then events (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from appointments.domain import booking, groups, setup, waitlist
from appointments.domain.calendar import Calendar, evolve
from appointments.domain.centre import Centre
from appointments.domain.centre import evolve as evolve_centre
from appointments.domain.events import BookingTimesSet, CentreRulesChanged, CounselingServiceDefined
from appointments.domain.slots import candidates, closed, free, holiday_names
from appointments.domain.values import BookingTime, CentreRules, Channel, CounselingService
from teilhabe_events.contexts.appointments import BookingCancelled, SlotBooked, WaitlistOfferExpired, WaitlistOfferMade
from teilhabe_kit.localtime import BERLIN
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable

pytestmark = pytest.mark.unit

CHAT = CounselingService(service_id="chat", name="Chat 30", duration_minutes=30, channel=Channel.CHAT)
ON_SITE = CounselingService(service_id="site", name="Vor Ort 30", duration_minutes=30, channel=Channel.ON_SITE)
VIDEO = CounselingService(
    service_id="video", name="Video 30+15", duration_minutes=30, follow_up_minutes=15, channel=Channel.VIDEO
)
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # a Thursday
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


def centre(**rules) -> Centre:
    state = None
    for event in [
        CentreRulesChanged(rules=CentreRules(**({"region": "NI", "horizon_weeks": 8} | rules))),
        *[CounselingServiceDefined(service=s) for s in (CHAT, ON_SITE, VIDEO)],
    ]:
        state = evolve_centre(state, event, "c1")
    assert state is not None
    return state


def seed_monday(*events) -> Calendar:
    """The seed's example: Monday 9–12 chat slots of 30 minutes, 10–11 on-site slots of 30 minutes."""
    times = (
        BookingTime(weekday=0, start=time(9), end=time(12), service_id="chat"),
        BookingTime(weekday=0, start=time(10), end=time(11), service_id="site"),
    )
    state = Calendar("c1", "co1")
    for event in (BookingTimesSet(booking_times=times), *events):
        state = evolve(state, event, "c1:co1")
    return state


def monday_slots(calendar: Calendar, the_centre: Centre) -> list[tuple[str, str]]:
    return [
        (s.service_id, s.starts_at.astimezone(BERLIN).strftime("%H:%M"))
        for s in free(calendar, the_centre, NOW)
        if s.starts_at.astimezone(BERLIN).date() == MONDAY
    ]


def test_the_seeds_monday_has_8_slots_4_of_them_parallel():
    slots = monday_slots(seed_monday(), centre())
    assert [t for s, t in slots if s == "chat"] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert [t for s, t in slots if s == "site"] == ["10:00", "10:30"]
    parallel = [t for s, t in slots if s == "chat" and ("site", t) in slots]
    assert len(slots) == 8 and len(parallel) * 2 == 4


def test_booking_on_site_at_10_removes_the_chat_slot_at_10():
    the_centre, calendar = centre(), seed_monday()
    events = booking.book(
        calendar,
        the_centre,
        booking_id="b1",
        client_id="k1",
        service_id="site",
        starts_at=at(MONDAY, 10),
        now=NOW,
        booked_by="client",
    )
    assert [type(e) for e in events] == [SlotBooked]
    after = evolve(calendar, events[0], "c1:co1")
    slots = monday_slots(after, the_centre)
    assert ("chat", "10:00") not in slots and ("site", "10:00") not in slots
    assert ("chat", "10:30") in slots and ("site", "10:30") in slots and len(slots) == 6
    with pytest.raises(Conflict):
        booking.book(
            after,
            the_centre,
            booking_id="b2",
            client_id="k2",
            service_id="chat",
            starts_at=at(MONDAY, 10),
            now=NOW,
            booked_by="client",
        )


def test_follow_up_time_is_added_to_each_slot():
    times = (BookingTime(weekday=0, start=time(9), end=time(12), service_id="video"),)
    calendar = evolve(Calendar("c1", "co1"), BookingTimesSet(booking_times=times), "c1:co1")
    starts = [s.starts_at.astimezone(BERLIN).strftime("%H:%M") for s in candidates(calendar, centre(), MONDAY, MONDAY)]
    assert starts == ["09:00", "09:45", "10:30", "11:15"]


@pytest.mark.parametrize("weeks", [1, 2, 4, 8])
def test_slots_reach_as_far_as_the_horizon_and_no_further(weeks):
    times = tuple(BookingTime(weekday=d, start=time(9), end=time(10), service_id="chat") for d in range(7))
    calendar = evolve(Calendar("c1", "co1"), BookingTimesSet(booking_times=times), "c1:co1")
    the_centre = centre(horizon_weeks=weeks, region=None)
    last = max(s.starts_at for s in free(calendar, the_centre, NOW)).astimezone(BERLIN).date()
    assert last == NOW.date() + timedelta(days=7 * weeks)


def test_horizon_beyond_8_weeks_is_refused():
    with pytest.raises(ValueError):
        CentreRules(horizon_weeks=12)


def test_public_holidays_of_the_state_closing_days_and_absences_remove_slots():
    assert closed(CentreRules(region="NI"), date(2026, 10, 31))  # Reformationstag in Lower Saxony
    assert not closed(CentreRules(region="BY"), date(2026, 10, 31))
    assert closed(CentreRules(region="BY"), date(2026, 1, 6))  # Heilige Drei Könige in Bavaria
    assert "Zweiter Weihnachtstag" in holiday_names("NI", date(2026, 12, 1), date(2026, 12, 31)).values()
    christmas = date(2026, 12, 28)  # a Monday, not a holiday: closed by the centre
    the_centre = centre(closing_days=(christmas,))
    absent = setup.record_absence(
        seed_monday(), absence_id="a1", first_day=MONDAY, last_day=MONDAY, label="Fortbildung"
    )
    calendar = seed_monday(*absent)
    days = {s.starts_at.astimezone(BERLIN).date() for s in free(calendar, the_centre, NOW)}
    assert MONDAY not in days and christmas not in days and MONDAY + timedelta(days=7) in days
    with pytest.raises(Unprocessable) as error:
        booking.book(
            calendar,
            the_centre,
            booking_id="b",
            client_id="k",
            service_id="chat",
            starts_at=at(MONDAY, 9),
            now=NOW,
            booked_by="staff",
        )
    assert error.value.field == "starts_at"


@pytest.mark.parametrize(
    "starts_at,detail",
    [
        (at(date(2026, 11, 30), 9), "Vergangenheit"),
        (at(MONDAY + timedelta(weeks=9), 9), "zu weit"),
        (at(MONDAY, 13), "außerhalb der Buchungszeiten"),
        (at(MONDAY, 9, 15), "außerhalb der Buchungszeiten"),
    ],
)
def test_bad_slots_are_refused_naming_the_field(starts_at, detail):
    with pytest.raises(Unprocessable) as error:
        booking.book(
            seed_monday(),
            centre(),
            booking_id="b",
            client_id="k",
            service_id="chat",
            starts_at=starts_at,
            now=NOW,
            booked_by="staff",
        )
    assert error.value.field == "starts_at" and detail in error.value.detail


def test_booking_times_refuse_overlapping_ranges_of_one_service_and_too_short_ranges():
    the_centre = centre()
    overlapping = [
        BookingTime(weekday=0, start=time(9), end=time(9, 45), service_id="video"),
        BookingTime(weekday=0, start=time(9, 30), end=time(10, 30), service_id="video"),
    ]
    with pytest.raises(Unprocessable) as error:
        setup.set_booking_times(the_centre, overlapping)
    assert error.value.field == "booking_times[1].start"
    with pytest.raises(Unprocessable) as error:
        setup.set_booking_times(
            the_centre, [BookingTime(weekday=0, start=time(9), end=time(9, 30), service_id="video")]
        )
    assert error.value.field == "booking_times[0].end"
    with pytest.raises(Unprocessable) as error:
        setup.set_booking_times(the_centre, [BookingTime(weekday=0, start=time(9), end=time(10), service_id="nope")])
    assert error.value.field == "booking_times[0].service_id"
    parallel = [
        BookingTime(weekday=0, start=time(9), end=time(12), service_id="chat"),
        BookingTime(weekday=0, start=time(10), end=time(11), service_id="site"),
    ]
    assert len(setup.set_booking_times(the_centre, parallel)) == 1


def test_an_absence_that_ends_before_it_starts_is_refused_and_bookings_inside_are_listed():
    with pytest.raises(Unprocessable) as error:
        setup.record_absence(
            seed_monday(), absence_id="a", first_day=MONDAY, last_day=MONDAY - timedelta(days=1), label="x"
        )
    assert error.value.field == "last_day"
    booked = booking.book(
        seed_monday(),
        centre(),
        booking_id="b1",
        client_id="k",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=NOW,
        booked_by="staff",
    )
    calendar = seed_monday(*booked)
    assert [b.booking_id for b in setup.bookings_during(calendar, MONDAY, MONDAY)] == ["b1"]


def test_a_hold_hides_the_slot_from_others_until_it_expires():
    the_centre, calendar = centre(hold_minutes=10), seed_monday()
    held = booking.hold(
        calendar,
        the_centre,
        hold_id="h1",
        client_id="k1",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=NOW,
        primary_counselor_id=None,
    )
    calendar = seed_monday(*held)
    with pytest.raises(Conflict):
        booking.book(
            calendar,
            the_centre,
            booking_id="b",
            client_id="k2",
            service_id="chat",
            starts_at=at(MONDAY, 9),
            now=NOW,
            booked_by="client",
        )
    later = NOW + timedelta(minutes=11)
    assert booking.book(
        calendar,
        the_centre,
        booking_id="b",
        client_id="k2",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=later,
        booked_by="client",
    )
    confirmed = booking.confirm(calendar, the_centre, hold_id="h1", client_id="k1", booking_id="h1", now=NOW)
    after = evolve(calendar, confirmed[0], "c1:co1")
    assert after.holds == {} and "h1" in after.bookings
    with pytest.raises(NotFound):
        booking.confirm(calendar, the_centre, hold_id="h1", client_id="someone else", booking_id="x", now=NOW)


def test_only_regular_clients_may_book_a_reserved_service_or_counselor():
    reserved = CounselingService(
        service_id="reg", name="Stamm", duration_minutes=30, channel=Channel.CHAT, only_regular_clients=True
    )
    the_centre = evolve_centre(centre(), CounselingServiceDefined(service=reserved), "c1")
    times = (BookingTime(weekday=0, start=time(9), end=time(10), service_id="reg"),)
    calendar = evolve(seed_monday(), BookingTimesSet(booking_times=times), "c1:co1")
    ask = {"hold_id": "h", "client_id": "k", "service_id": "reg", "starts_at": at(MONDAY, 9), "now": NOW}
    with pytest.raises(Forbidden):
        booking.hold(calendar, the_centre, primary_counselor_id=None, **ask)
    with pytest.raises(Forbidden):
        booking.hold(calendar, the_centre, primary_counselor_id="another counselor", **ask)
    assert booking.hold(calendar, the_centre, primary_counselor_id="co1", **ask)
    # the counselor's own toggle reserves all their slots
    calendar = seed_monday(
        *setup.change_profile(seed_monday(), display_name="B.", only_regular_clients=True, video_url=None)
    )
    ask |= {"service_id": "chat"}
    with pytest.raises(Forbidden):
        booking.hold(calendar, the_centre, primary_counselor_id=None, **ask)
    # staff booking for a client is not bound by it
    assert booking.book(
        calendar,
        the_centre,
        booking_id="b",
        client_id="k",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=NOW,
        booked_by="staff",
    )


def test_clients_cancel_and_reschedule_only_until_the_notice_period():
    the_centre = centre(notice_hours=24)
    booked = booking.book(
        seed_monday(),
        the_centre,
        booking_id="b1",
        client_id="k",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=NOW,
        booked_by="client",
    )
    calendar = seed_monday(*booked)
    late = at(MONDAY, 8)
    with pytest.raises(Conflict) as error:
        booking.cancel(calendar, the_centre, booking_id="b1", by="client", client_id="k", now=late)
    assert "24 Stunden" in error.value.detail
    assert booking.cancel(calendar, the_centre, booking_id="b1", by="staff", client_id=None, now=late)
    with pytest.raises(NotFound):
        booking.cancel(calendar, the_centre, booking_id="b1", by="client", client_id="other", now=NOW)
    moved = booking.reschedule(
        calendar, the_centre, booking_id="b1", starts_at=at(MONDAY, 11), by="client", client_id="k", now=NOW
    )
    after = seed_monday(*booked, *moved)
    assert after.bookings["b1"].starts_at == at(MONDAY, 11)
    assert ("chat", "09:00") in monday_slots(after, the_centre)
    with pytest.raises(Conflict):
        booking.reschedule(
            calendar, the_centre, booking_id="b1", starts_at=at(MONDAY, 11), by="client", client_id="k", now=late
        )


def test_a_freed_slot_goes_to_the_first_on_the_waitlist_then_to_the_next():
    the_centre = centre(offer_minutes=30)
    booked = booking.book(
        seed_monday(),
        the_centre,
        booking_id="b1",
        client_id="k0",
        service_id="chat",
        starts_at=at(MONDAY, 9),
        now=NOW,
        booked_by="client",
    )
    later = at(MONDAY + timedelta(days=14), 9)
    joined = [
        *waitlist.join(
            seed_monday(*booked),
            the_centre,
            entry_id="w1",
            client_id="k1",
            service_id="chat",
            wanted_before=later,
            now=NOW,
        ),
    ]
    calendar = seed_monday(*booked, *joined)
    joined += waitlist.join(
        calendar, the_centre, entry_id="w2", client_id="k2", service_id="chat", wanted_before=later, now=NOW
    )
    calendar = seed_monday(*booked, *joined)
    with pytest.raises(Conflict):
        waitlist.join(
            calendar, the_centre, entry_id="w3", client_id="k1", service_id="chat", wanted_before=later, now=NOW
        )
    cancelled = booking.cancel(calendar, the_centre, booking_id="b1", by="client", client_id="k0", now=NOW)
    assert [type(e) for e in cancelled] == [BookingCancelled, WaitlistOfferMade]
    assert cancelled[1].client_id == "k1"
    calendar = seed_monday(*booked, *joined, *cancelled)
    assert ("chat", "09:00") not in monday_slots(calendar, the_centre)  # held for k1
    expired = waitlist.expire_offers(calendar, the_centre, NOW + timedelta(minutes=31))
    assert [type(e) for e in expired] == [WaitlistOfferExpired, WaitlistOfferMade]
    assert expired[1].client_id == "k2"
    calendar = seed_monday(*booked, *joined, *cancelled, *expired)
    taken = booking.confirm(calendar, the_centre, hold_id="offer:w2", client_id="k2", booking_id="b2", now=NOW)
    calendar = seed_monday(*booked, *joined, *cancelled, *expired, *taken)
    assert calendar.waitlist == () and calendar.holds == {} and "b2" in calendar.bookings


def test_group_appointments_fill_up_to_their_maximum_and_block_the_counselors_time():
    plan = groups.GroupPlan(
        title="Elterngruppe",
        description=None,
        starts_at=at(MONDAY, 9),
        ends_at=at(MONDAY, 10),
        follow_up_minutes=15,
        channel=Channel.VIDEO,
        max_participants=2,
        bookable_by_clients=True,
    )
    calendar = seed_monday()
    scheduled = groups.schedule(calendar, "g1", plan, NOW)
    calendar = seed_monday(*scheduled)
    slots = monday_slots(calendar, centre())
    assert ("chat", "09:30") not in slots and ("chat", "10:00") not in slots and ("chat", "10:30") in slots
    events = list(scheduled)
    for client in ("k1", "k2"):
        events += groups.add_participant(seed_monday(*events), "g1", client, "client", NOW)
    with pytest.raises(Conflict) as error:
        groups.add_participant(seed_monday(*events), "g1", "k3", "staff", NOW)
    assert "ausgebucht" in error.value.detail
    with pytest.raises(Conflict):
        groups.schedule(seed_monday(*events), "g2", plan, NOW)
    with pytest.raises(Unprocessable) as bad:
        groups.update(seed_monday(*events), "g1", groups.GroupPlan(**(plan.__dict__ | {"max_participants": 1})), NOW)
    assert bad.value.field == "max_participants"
    cancelled = groups.cancel(seed_monday(*events), "g1")
    assert cancelled[0].participant_ids == ["k1", "k2"]
