"""Decisions on a centre's and a counselor's setup: services, rules, profile, booking times, absences."""

from __future__ import annotations

from datetime import date

from appointments.domain.calendar import Booking, Calendar
from appointments.domain.centre import Centre
from appointments.domain.events import (
    AbsenceRecorded,
    AbsenceRemoved,
    BookingTimesSet,
    CalendarOpened,
    CentreRulesChanged,
    CounselingServiceDefined,
    CounselorProfileChanged,
)
from appointments.domain.values import BookingTime, CentreRules, CounselingService
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import NotFound, Unprocessable


def define_service(centre: Centre | None, service: CounselingService) -> list[CounselingServiceDefined]:
    """Add or change a counseling service (the whole service)."""
    if service.duration_minutes <= 0:
        raise Unprocessable("Die Dauer muss größer als 0 sein.", field="duration_minutes", en="Duration must be > 0.")
    if service.follow_up_minutes < 0:
        raise Unprocessable("Die Nachbereitungszeit darf nicht negativ sein.", field="follow_up_minutes")
    known = centre.services.get(service.service_id) if centre else None
    return [] if known == service else [CounselingServiceDefined(service=service)]


def change_rules(centre: Centre | None, rules: CentreRules) -> list[CentreRulesChanged]:
    return [] if centre is not None and centre.rules == rules else [CentreRulesChanged(rules=rules)]


def open_calendar(calendar: Calendar | None, centre_id: str, counselor_id: str) -> list[CalendarOpened]:
    return [CalendarOpened(centre_id=centre_id, counselor_id=counselor_id)] if calendar is None else []


def change_profile(
    calendar: Calendar, *, display_name: str, only_regular_clients: bool, video_url: str | None
) -> list[CounselorProfileChanged]:
    unchanged = (calendar.display_name, calendar.only_regular_clients, calendar.video_url) == (
        display_name,
        only_regular_clients,
        video_url,
    )
    if unchanged:
        return []
    return [
        CounselorProfileChanged(
            display_name=display_name, only_regular_clients=only_regular_clients, video_url=video_url
        )
    ]


def set_booking_times(centre: Centre, times: list[BookingTime]) -> list[BookingTimesSet]:
    """The weekly booking times: each for an offered service, long enough for one appointment;
    ranges of one service on one day must not overlap (their follow-up would run into the next
    slot). Ranges of different services may overlap: those are parallel slots."""
    for index, booking_time in enumerate(times):
        field = f"booking_times[{index}]"
        service = centre.offered(booking_time.service_id)
        if service is None:
            raise Unprocessable(
                "Diese Beratungsleistung gibt es nicht.", field=f"{field}.service_id", en="There is no such service."
            )
        if booking_time.end <= booking_time.start:
            raise Unprocessable("„Bis“ muss nach „Von“ liegen.", field=f"{field}.end", en="End must be after start.")
        minutes = (booking_time.end.hour * 60 + booking_time.end.minute) - (
            booking_time.start.hour * 60 + booking_time.start.minute
        )
        if minutes < service.block_minutes:
            raise Unprocessable(
                f"Der Zeitraum ist kürzer als ein Termin mit Nachbereitung ({service.block_minutes} Minuten).",
                field=f"{field}.end",
                en=f"The range is shorter than one appointment with its follow-up ({service.block_minutes} minutes).",
            )
        for earlier in times[:index]:
            same = earlier.weekday == booking_time.weekday and earlier.service_id == booking_time.service_id
            if same and earlier.start < booking_time.end and booking_time.start < earlier.end:
                raise Unprocessable(
                    "Diese Zeit überschneidet sich mit einer anderen Buchungszeit derselben Leistung: "
                    "die Nachbereitungszeit liefe in den nächsten Termin.",
                    field=f"{field}.start",
                    en="This range overlaps another range of the same service: the follow-up would run into the next slot.",
                )
    return [BookingTimesSet(booking_times=tuple(times))]


def record_absence(
    calendar: Calendar, *, absence_id: str, first_day: date, last_day: date, label: str
) -> list[AbsenceRecorded]:
    if last_day < first_day:
        raise Unprocessable(
            "Die Abwesenheit endet vor ihrem Beginn.", field="last_day", en="The absence ends before it starts."
        )
    return [AbsenceRecorded(absence_id=absence_id, first_day=first_day, last_day=last_day, label=label)]


def remove_absence(calendar: Calendar, absence_id: str) -> list[AbsenceRemoved]:
    if absence_id not in calendar.absences:
        raise NotFound("Diese Abwesenheit gibt es nicht.", en="There is no such absence.")
    return [AbsenceRemoved(absence_id=absence_id)]


def bookings_during(calendar: Calendar, first_day: date, last_day: date) -> list[Booking]:
    """Booked appointments inside an absence: the counselor must move them."""
    return sorted(
        (b for b in calendar.bookings.values() if first_day <= local_date(b.starts_at) <= last_day),
        key=lambda b: b.starts_at,
    )
