"""„Begriffe“: the one glossary of the words the pages use, in plain language (German, English)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.render import lang_of, page, t

router = APIRouter(include_in_schema=False)

TERMS: list[tuple[tuple[str, str], tuple[str, str]]] = [
    (
        ("Auftrag", "Order"),
        (
            "Was Sie suchen: wann, wofür und wo Sie Unterstützung brauchen. Andere Wörter dafür "
            "(Such-Auftrag, Suchauftrag) meinen dasselbe.",
            "What you look for: when, for what and where you need support.",
        ),
    ),
    (
        ("Angebot", "Offer"),
        (
            "Eine Assistenz-Kraft oder ein Leistungs-Anbieter hat Interesse an Ihrem Auftrag.",
            "An assistant or a service provider is interested in your order.",
        ),
    ),
    (
        ("Auftrag erteilen", "Award order"),
        (
            "Sie entscheiden sich verbindlich für ein Angebot. Dann wird ein Kennenlern-Termin vereinbart.",
            "You choose one offer bindingly. Then a meeting to get to know each other is arranged.",
        ),
    ),
    (
        ("Anfrage senden", "Send request"),
        (
            "Bei einem Leistungs-Anbieter: Die Koordination schlägt Ihnen dann eine Assistenz-Kraft vor.",
            "With a service provider: the coordinator then proposes an assistant to you.",
        ),
    ),
    (
        ("Leistungs-Anbieter", "Service provider"),
        (
            "Ein Dienst, für den Assistenz-Kräfte arbeiten. Die Koordination ist dort Ihre Ansprech-Person.",
            "A service assistants work for. Its coordinator is your contact person there.",
        ),
    ),
    (
        ("Chat", "Chat"),
        (
            "Ein Gespräch mit einer Person zu einem Auftrag. Nachrichten sind die einzelnen Beiträge im Chat.",
            "A conversation with one person about an order. Messages are the single posts in a chat.",
        ),
    ),
    (
        ("Benachrichtigungen", "Notifications"),
        (
            "Hinweise des Portals, zum Beispiel: Jemand hat Interesse an Ihrem Auftrag.",
            "Notices of the portal, for example: somebody is interested in your order.",
        ),
    ),
    (
        ("Vertrag", "Contract"),
        (
            "Nach dem Kennenlernen: die Vereinbarung über Tätigkeiten, Zeiten und Preis. Beide unterschreiben.",
            "After meeting: the agreement about activities, times and price. Both sign.",
        ),
    ),
    (
        ("Vertrag gilt (ratifiziert)", "Contract in force (ratified)"),
        (
            "Alle haben unterschrieben und der Anbieter oder die Einrichtung hat den Vertrag bestätigt. Ab "
            "jetzt gilt er.",
            "Everybody signed and the provider or the facility confirmed the contract. From now on it applies.",
        ),
    ),
    (
        ("Einsatz", "Assignment"),
        (
            "Für Assistenz-Kräfte: ein Auftrag, den sie übernehmen (geplant, aktiv oder beendet).",
            "For assistants: an order they take on (planned, active or finished).",
        ),
    ),
    (
        ("Anmeldung", "Enrollment"),
        (
            "Bei einer Einrichtung (zum Beispiel einer Tagesstätte): der Antrag auf einen Platz.",
            "At a facility (for example a day centre): the application for a place.",
        ),
    ),
]


@router.get("/begriffe", response_class=HTMLResponse)
async def glossary(request: Request) -> Response:
    english = lang_of(request) == "en"
    terms = [(term[english], meaning[english]) for term, meaning in TERMS]
    return page(request, "glossary.html", title=t(request, "glossary"), terms=terms)
