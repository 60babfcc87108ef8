"""The waitlist: clients ask for an earlier slot; a freed slot is offered to the first in line for a
limited time (held for them), then to the next."""

from __future__ import annotations

from datetime import datetime, timedelta

from appointments.domain.calendar import Calendar, evolve
from appointments.domain.centre import Centre
from appointments.domain.events import CalendarEvent, WaitlistJoined, WaitlistLeft
from appointments.domain.rules import offered_service
from appointments.domain.slots import candidates, earliest_start, untaken
from teilhabe_events.contexts.appointments import WaitlistOfferExpired, WaitlistOfferMade
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable


def join(
    calendar: Calendar,
    centre: Centre,
    *,
    entry_id: str,
    client_id: str,
    service_id: str,
    wanted_before: datetime,
    now: datetime,
) -> list[WaitlistJoined]:
    offered_service(centre, service_id)
    if wanted_before <= now:
        raise Unprocessable(
            "Dieser Zeitpunkt liegt in der Vergangenheit.", field="wanted_before", en="This moment is in the past."
        )
    if any(e.client_id == client_id and e.service_id == service_id for e in calendar.waitlist):
        raise Conflict("Sie stehen schon auf der Warteliste.", en="You are already on the waitlist.")
    return [WaitlistJoined(entry_id=entry_id, client_id=client_id, service_id=service_id, wanted_before=wanted_before)]


def leave(calendar: Calendar, *, entry_id: str, client_id: str | None) -> list[WaitlistLeft]:
    entry = next((e for e in calendar.waitlist if e.entry_id == entry_id), None)
    if entry is None or (client_id is not None and entry.client_id != client_id):
        raise NotFound("Diesen Eintrag auf der Warteliste gibt es nicht.", en="There is no such waitlist entry.")
    return [WaitlistLeft(entry_id=entry_id)]


def offer_freed(
    calendar: Calendar, centre: Centre, service_id: str, starts_at: datetime, now: datetime
) -> list[WaitlistOfferMade]:
    """Offer the freed slot of `service_id` at `starts_at` to the first waiting client who wants
    one before it (`calendar` is the state after the slot was freed)."""
    service = centre.offered(service_id)
    if service is None or starts_at < earliest_start(centre.rules, now):
        return []
    day = local_date(starts_at)
    slot = next(
        (s for s in candidates(calendar, centre, day, day) if s.service_id == service_id and s.starts_at == starts_at),
        None,
    )
    if slot is None or not untaken([slot], calendar.busy(now)):
        return []
    entry = next(
        (e for e in calendar.waitlist if not e.offered and e.service_id == service_id and starts_at < e.wanted_before),
        None,
    )
    if entry is None:
        return []
    return [
        WaitlistOfferMade(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            entry_id=entry.entry_id,
            client_id=entry.client_id,
            service_id=service_id,
            starts_at=slot.starts_at,
            blocked_until=slot.blocked_until,
            expires_at=now + timedelta(minutes=centre.rules.offer_minutes),
        )
    ]


def expire_offers(calendar: Calendar, centre: Centre, now: datetime) -> list[CalendarEvent]:
    """Offers not taken in time expire (the client leaves the line); each slot goes to the next in line."""
    events: list[CalendarEvent] = []
    state = calendar
    for held in sorted(calendar.holds.values(), key=lambda h: h.expires_at):
        if held.entry_id is None or held.expires_at > now:
            continue
        expired = WaitlistOfferExpired(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            entry_id=held.entry_id,
            client_id=held.client_id,
            starts_at=held.starts_at,
        )
        state = evolve(state, expired, calendar.calendar_id)
        following = offer_freed(state, centre, held.service_id, held.starts_at, now)
        for event in (expired, *following):
            if event is not expired:
                state = evolve(state, event, calendar.calendar_id)
            events.append(event)
    return events
