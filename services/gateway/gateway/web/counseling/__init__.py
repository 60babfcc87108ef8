"""Counseling pages: the workspace of counselors and centre admins (clients, notes, case records,
groups, statistics, settings) and the client's own account."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse

from gateway.web.catalogue import Catalogue
from gateway.web.centres import signed_in_principal
from gateway.web.counseling.texts import CATALOGUE
from gateway.web.render import lang_of, page, require_user
from teilhabe_kit.problems import Problem


def counseling_page(
    request: Request, template: str, status_code: int = 200, catalogue: Catalogue = CATALOGUE, **context
) -> HTMLResponse:
    """`page` with the counseling texts (or another `catalogue` of the counseling pages) as `kt(key, **values)`."""
    lang = lang_of(request)
    return page(
        request,
        template,
        status_code=status_code,
        kt=lambda key, **values: catalogue.text(lang, key, **values),
        **context,
    )


def kt(request: Request, key: str, **values: object) -> str:
    return CATALOGUE.text(lang_of(request), key, **values)


COUNSELING = "/api/v1/counseling"
WORKSPACE_LINKS = (
    ("/beratungsstelle/ratsuchende", "clients", False),
    ("/beratungsstelle/gruppen", "groups", False),
    ("/beratungsstelle/mailberatung", "mail_inbox", False),
    ("/beratungsstelle/chats", "chats", False),
    ("/beratungsstelle/kalender", "calendar", False),
    ("/beratungsstelle/statistik", "statistics", True),
    ("/beratungsstelle/einstellungen-beratung", "settings", True),
    ("/beratungsstelle/mailberatung/einstellungen", "mail_settings", True),
    ("/beratungsstelle/profil", "my_profile", False),
)
"""The workspace's sections (href, text, admins only), in the order of the sub-navigation."""


@dataclass(frozen=True)
class Workspace:
    """Who works here now: the centre of the token (`org`) and whether as its admin."""

    centre_id: str
    admin: bool

    @property
    def api(self) -> str:
        return f"{COUNSELING}/centres/{self.centre_id}"


async def workspace(request: Request, *, admin: bool = False) -> Workspace:
    """The signed-in counselor's or centre admin's centre (403 for everybody else, and for
    counselors where `admin` is asked)."""
    require_user(request, *(("centre_admin",) if admin else ("counselor", "centre_admin")))
    principal = await signed_in_principal(request)
    if not principal.organisation_id:
        raise Problem(kt(request, "no_centre"), status=403, title="Forbidden")
    return Workspace(principal.organisation_id, "centre_admin" in principal.roles)


def workspace_page(request: Request, template: str, place: Workspace, status_code: int = 200, **context):
    """`counseling_page` with the workspace's sub-navigation."""
    links = [(href, key) for href, key, admins in WORKSPACE_LINKS if place.admin or not admins]
    return counseling_page(request, template, status_code=status_code, workspace_links=links, place=place, **context)
