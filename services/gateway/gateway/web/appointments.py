"""The public page of a centre's free appointments (no login): choose a counseling service, see the
next free slots by day, each with its time, channel and length. Booking itself needs the client's
sign-in (the API's hold → confirm flow)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call
from gateway.web.render import lang_of, page
from teilhabe_kit.localtime import BERLIN

router = APIRouter(include_in_schema=False)
API = "/api/v1/appointments"
TEXTS = {
    "de": {
        "title": "Freie Termine",
        "intro": "Wählen Sie eine Beratung. Dann sehen Sie die nächsten freien Termine.",
        "service": "Beratung",
        "show": "Termine zeigen",
        "none": "Zurzeit gibt es keine freien Termine für diese Beratung. Bitte fragen Sie später noch einmal.",
        "no_services": "Diese Beratungsstelle bietet noch keine Online-Termine an.",
        "minutes": "{n} Minuten",
        "book_hint": "Zum Buchen melden Sie sich mit Ihrem Konto der Beratungsstelle an.",
        "sign_in": "Anmelden und buchen",
    },
    "en": {
        "title": "Free appointments",
        "intro": "Choose a kind of counseling. Then you see the next free appointments.",
        "service": "Counseling",
        "show": "Show appointments",
        "none": "There are no free appointments for this counseling right now. Please ask again later.",
        "no_services": "This centre offers no online appointments yet.",
        "minutes": "{n} minutes",
        "book_hint": "To book, sign in with your account at the centre.",
        "sign_in": "Sign in and book",
    },
}


def _by_day(slots: list[dict], lang: str) -> list[tuple[str, list[str]]]:
    days: dict[str, list[str]] = defaultdict(list)
    for slot in slots:
        start = datetime.fromisoformat(slot["starts_at"]).astimezone(BERLIN)
        label = start.strftime("%d.%m.%Y") if lang == "de" else start.strftime("%Y-%m-%d")
        days[label].append(start.strftime("%H:%M"))
    return [(day, sorted(set(times))) for day, times in days.items()]


@router.get("/beratung/{centre_id}/termine", response_class=HTMLResponse)
async def free_appointments(request: Request, centre_id: str) -> Response:
    lang = lang_of(request)
    texts = TEXTS[lang if lang in TEXTS else "de"]
    services = (
        await call(request, "appointments", "GET", f"{API}/centres/{centre_id}/offer/services", anonymous=True)
    ).json()
    chosen = request.query_params.get("service", "")
    if services and chosen not in {s["service_id"] for s in services}:
        chosen = services[0]["service_id"]
    days: list[tuple[str, list[str]]] = []
    if chosen:
        slots = await call(
            request,
            "appointments",
            "GET",
            f"{API}/centres/{centre_id}/offer/slots",
            params={"service_id": chosen, "limit": 60},
            anonymous=True,
        )
        days = _by_day(slots.json(), lang)
    return page(
        request,
        "appointments/slots.html",
        at=lambda key, **values: texts[key].format(**values),
        centre_id=centre_id,
        services=services,
        chosen=chosen,
        days=days,
    )
