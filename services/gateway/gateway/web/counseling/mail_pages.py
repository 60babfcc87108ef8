"""What the mail counseling pages share: their texts as `kt`, their notices, the thread's API path."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gateway.web.counseling import COUNSELING, Workspace, counseling_page, workspace_page
from gateway.web.counseling.mail_texts import MAIL
from gateway.web.render import lang_of, session_of


def mail_threads(centre_id: str) -> str:
    return f"{COUNSELING}/centres/{centre_id}/mail-threads"


def mail_text(request: Request, key: str, **values: object) -> str:
    return MAIL.text(lang_of(request), key, **values)


def notify(request: Request, key: str) -> None:
    """A notice (a key of the mail texts) shown on the next page."""
    session_of(request).set("mail_notice", key)


def _notice(request: Request) -> dict[str, str]:
    key = session_of(request).pop("mail_notice")
    return {"notice": mail_text(request, key)} if key else {}


def mail_page(
    request: Request, template: str, place: Workspace | None = None, status_code: int = 200, **context
) -> HTMLResponse:
    """A client's page (no `place`) or one of the team's workspace, with the mail texts."""
    context = _notice(request) | context
    if place is None:
        return counseling_page(request, template, status_code, MAIL, **context)
    return workspace_page(request, template, place, status_code, catalogue=MAIL, **context)
