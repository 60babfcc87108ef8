"""Back office pages: customer service (verification, accounts, organisations, data access)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gateway.web.backoffice.texts import text
from gateway.web.render import lang_of, page


def office_page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """`page` with the back office texts as `bt(key, **values)`."""
    lang = lang_of(request)
    return page(
        request, template, status_code=status_code, bt=lambda key, **values: text(lang, key, **values), **context
    )


def bt(request: Request, key: str, **values: object) -> str:
    return text(lang_of(request), key, **values)
