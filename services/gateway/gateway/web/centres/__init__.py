"""Counseling-centre pages: the public finder and centre page, the platform admin's onboarding, the
centre admins' self-service and team, and the invitation link."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gateway.tokens import principal_of
from gateway.web.centres.texts import text
from gateway.web.render import lang_of, page, session_of
from teilhabe_kit.auth import Principal

CENTRE_LINKS = (
    ("/beratungsstelle", "self_profile"),
    ("/beratungsstelle/angebote", "self_offers"),
    ("/beratungsstelle/oeffnungszeiten", "self_hours"),
    ("/beratungsstelle/verlauf", "self_history"),
    ("/beratungsstelle/team", "team"),
)
"""The centre admin's sections (self-service and team), in the order of the sub-navigation."""


def centre_page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """`page` with the centre texts as `ct(key, **values)` and the centre admin's sections."""
    lang = lang_of(request)
    return page(
        request,
        template,
        status_code=status_code,
        ct=lambda key, **values: text(lang, key, **values),
        centre_links=CENTRE_LINKS,
        **context,
    )


def ct(request: Request, key: str, **values: object) -> str:
    return text(lang_of(request), key, **values)


async def signed_in_principal(request: Request) -> Principal:
    """The session's token as a principal (its `org` is the centre the person acts for now)."""
    return await principal_of(request, session_of(request).get("access_token"))
