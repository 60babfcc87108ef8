"""Appointment pages (issue 16): the public free slots, the client's booking flow and own
appointments, the counselor's calendar and settings. Shared here: the page helper with the
appointment texts (`at(key)`), a centre's public offer and slots grouped by day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from gateway.web.api import call
from gateway.web.appointments.texts import CATALOGUE
from gateway.web.render import lang_of, page
from teilhabe_kit.localtime import BERLIN

API = "/api/v1/appointments"


def at(request: Request, key: str, **values: object) -> str:
    return CATALOGUE.text(lang_of(request), key, **values)


def appointments_page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """`page` with the appointment texts as `at(key, **values)`."""
    lang = lang_of(request)
    return page(
        request,
        template,
        status_code=status_code,
        at=lambda key, **values: CATALOGUE.text(lang, key, **values),
        **context,
    )


@dataclass(frozen=True)
class Offer:
    """A centre's public offer: its services (by id) and its counselors' display names."""

    services: dict[str, dict[str, Any]]
    counselors: dict[str, str]

    def service_text(self, lang: str, service_id: str) -> str:
        service = self.services.get(service_id)
        if service is None:
            return ""
        channel = service["channel_de"] if lang == "de" else service["channel_en"]
        minutes = CATALOGUE.text(lang, "minutes", n=service["duration_minutes"])
        return f"{channel} · {minutes}" + (f" · {service['description']}" if service.get("description") else "")

    def counselor_name(self, lang: str, counselor_id: str) -> str:
        return self.counselors.get(counselor_id) or CATALOGUE.text(lang, "somebody")


async def offer_of(request: Request, centre_id: str) -> Offer:
    services = await call(request, "appointments", "GET", f"{API}/centres/{centre_id}/offer/services", anonymous=True)
    counselors = await call(
        request, "appointments", "GET", f"{API}/centres/{centre_id}/offer/counselors", anonymous=True
    )
    return Offer(
        {s["service_id"]: s for s in services.json()},
        {c["counselor_id"]: c["display_name"] or "" for c in counselors.json()},
    )


async def free_slots(
    request: Request, centre_id: str, service_id: str, counselor_id: str | None, limit: int = 60
) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"service_id": service_id, "limit": limit}
    if counselor_id:
        params["counselor_id"] = counselor_id
    response = await call(
        request, "appointments", "GET", f"{API}/centres/{centre_id}/offer/slots", params=params, anonymous=True
    )
    return response.json()


def local(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(BERLIN)


def day_label(lang: str, moment: datetime) -> str:
    weekdays = (
        ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
        if lang == "de"
        else ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
    date_text = moment.strftime("%d.%m.%Y") if lang == "de" else moment.strftime("%Y-%m-%d")
    return f"{weekdays[moment.weekday()]}, {date_text}"


def when_text(lang: str, starts_at: str | datetime, ends_at: str | datetime | None = None) -> str:
    """ "Montag, 07.12.2026, 10:00–10:45 Uhr" (Berlin time)."""
    start = local(starts_at)
    text = f"{day_label(lang, start)}, {start:%H:%M}"
    if ends_at is not None:
        text += f"–{local(ends_at):%H:%M}"
    return text + (" Uhr" if lang == "de" else "")


def by_day(lang: str, slots: list[dict[str, Any]], *, one_per_time: bool) -> list[tuple[str, list[dict[str, Any]]]]:
    """Slots grouped by their Berlin day, in order; with `one_per_time` ("anyone") each start once."""
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for slot in sorted(slots, key=lambda s: (s["starts_at"], s["counselor_id"])):
        start = local(slot["starts_at"])
        if one_per_time and slot["starts_at"] in seen:
            continue
        seen.add(slot["starts_at"])
        days[day_label(lang, start)].append(slot | {"time": start.strftime("%H:%M"), "value": start.isoformat()})
    return list(days.items())
