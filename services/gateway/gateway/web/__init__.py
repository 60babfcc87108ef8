"""The server-rendered web UI (Jinja2 + htmx, works without JavaScript)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.requests import ClientDisconnect

from gateway.tokens import CsrfRejected
from gateway.web import (
    assistant,
    contracts,
    enrollment,
    enrollment_care,
    enrollment_steps,
    messages,
    order_wizard,
    public,
    registration,
    seeker,
)
from gateway.web.backoffice import coordination, customer_service, provider_contracts
from gateway.web.centres import finder as centre_finder
from gateway.web.centres import onboarding as centre_onboarding
from gateway.web.centres import self_service as centre_self_service
from gateway.web.centres import team as centre_team
from gateway.web.render import LoginRequired, page, see_other, t
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.problems import Problem, problem_response

API_PREFIXES = ("/api/", "/events", "/health/")
ERROR_TITLES = (403, 404, 502, 503)


def install_web(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        return see_other(f"/anmelden?next={quote(error.next_path)}")

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, error: ClientDisconnect) -> Response:
        return Response(status_code=400)  # the browser cancelled (e.g. htmx replaced its request)

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> Response:
        path = request.url.path
        headers = {"Retry-After": "10"} if error.status == 503 else None
        if path.startswith(API_PREFIXES) or getattr(request.state, "session", None) is None:
            errors = [{"field": error.field, "message": error.detail}] if error.field else None
            return problem_response(
                error.status,
                error.title,
                error.detail,
                type_=error.type,
                instance=path,
                errors=errors,
                headers=headers,
                lang=texts.language(request),
                en=error.en,
            )
        key = (
            "csrf"
            if isinstance(error, CsrfRejected)
            else {503: "service_down", 403: "forbidden", 404: "not_found"}.get(error.status)
        )
        message = t(request, key) if key else error.detail
        title = t(request, f"title_{error.status}") if error.status in ERROR_TITLES else error.title
        response = page(request, "error.html", status_code=error.status, title=title, message=message)
        if headers:
            response.headers.update(headers)
        return response

    for module in (
        public,
        registration,
        order_wizard,
        seeker,
        assistant,
        contracts,
        messages,
        customer_service,
        coordination,
        provider_contracts,
        enrollment,
        enrollment_steps,
        enrollment_care,
        centre_team,
        centre_finder,
        centre_self_service,
        centre_onboarding,
    ):
        app.include_router(module.router)
