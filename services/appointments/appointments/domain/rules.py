"""Checks shared by the decisions on a calendar: the slot asked for exists, lies in the horizon and is free."""

from __future__ import annotations

from datetime import datetime

from appointments.domain.calendar import Calendar
from appointments.domain.centre import Centre
from appointments.domain.slots import Slot, candidates, closed, earliest_start, horizon_end, untaken
from appointments.domain.values import CounselingService
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, Unprocessable

TAKEN = "Dieser Termin ist leider nicht mehr frei. Bitte wählen Sie einen anderen."
TAKEN_EN = "This slot is no longer free. Please choose another one."


def offered_service(centre: Centre, service_id: str, field: str = "service_id") -> CounselingService:
    service = centre.offered(service_id)
    if service is None:
        raise Unprocessable("Diese Beratungsleistung gibt es nicht.", field=field, en="There is no such service.")
    return service


def slot_at(
    calendar: Calendar,
    centre: Centre,
    service: CounselingService,
    starts_at: datetime,
    now: datetime,
    *,
    field: str = "starts_at",
) -> Slot:
    """The slot of `service` starting at `starts_at`: 422 when it is in the past, beyond the horizon,
    on a closed day or outside the booking times."""
    if starts_at.tzinfo is None:
        raise Unprocessable("Bitte geben Sie die Zeit mit Zeitzone an.", field=field, en="Give the time with a zone.")
    if starts_at < now:
        raise Unprocessable("Dieser Termin liegt in der Vergangenheit.", field=field, en="This slot is in the past.")
    if starts_at < earliest_start(centre.rules, now):
        raise Unprocessable(
            "Dieser Termin beginnt zu bald. Bitte wählen Sie einen späteren.",
            field=field,
            en="This slot starts too soon.",
        )
    day = local_date(starts_at)
    if day > horizon_end(centre.rules, now):
        raise Unprocessable(
            "Dieser Termin liegt zu weit in der Zukunft.", field=field, en="This slot is beyond the booking horizon."
        )
    if closed(centre.rules, day):
        raise Unprocessable(
            "An diesem Tag ist die Beratungsstelle geschlossen.", field=field, en="The centre is closed that day."
        )
    if calendar.absent_on(day):
        raise Unprocessable(
            "An diesem Tag ist die Beraterin oder der Berater nicht da.", field=field, en="The counselor is away."
        )
    for slot in candidates(calendar, centre, day, day):
        if slot.service_id == service.service_id and slot.starts_at == starts_at:
            return slot
    raise Unprocessable(
        "Zu dieser Zeit gibt es keinen Termin für diese Leistung (außerhalb der Buchungszeiten).",
        field=field,
        en="There is no slot of this service at that time (outside the booking times).",
    )


def require_free(
    calendar: Calendar,
    slot: Slot,
    now: datetime,
    *,
    for_client: str | None = None,
    except_booking: str | None = None,
) -> None:
    busy = calendar.busy(now, except_booking=except_booking, for_client=for_client)
    if not untaken([slot], busy):
        raise Conflict(TAKEN, en=TAKEN_EN)


def require_regular_client(calendar: Calendar, service: CounselingService, primary_counselor_id: str | None) -> None:
    """ "Nur für Stammklient:innen": a service (or a counselor) reserved to their regular clients is
    bookable only by clients whose primary counselor is this counselor."""
    if not (service.only_regular_clients or calendar.only_regular_clients):
        return
    if primary_counselor_id != calendar.counselor_id:
        raise Forbidden(
            "Diesen Termin können nur Stammklient:innen dieser Beraterin oder dieses Beraters buchen.",
            en="Only this counselor's regular clients may book this slot.",
        )
