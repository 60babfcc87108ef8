"""The server-rendered web UI (Jinja2 + htmx, works without JavaScript)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from gateway.web import (
    assistant,
    assistant_calendar,
    contracts,
    enrollment,
    enrollment_care,
    enrollment_steps,
    glossary,
    messages,
    my_account,
    order_wizard,
    public,
    registration,
    seeker,
)
from gateway.web.appointments import booking as appointment_booking
from gateway.web.appointments import calendar as appointments_calendar
from gateway.web.appointments import mine as appointments_mine
from gateway.web.appointments import public as appointments_public
from gateway.web.backoffice import coordination, customer_service, provider_contracts
from gateway.web.centres import finder as centre_finder
from gateway.web.centres import onboarding as centre_onboarding
from gateway.web.centres import self_service as centre_self_service
from gateway.web.centres import team as centre_team
from gateway.web.counseling import chat_pages as counseling_chats
from gateway.web.counseling import client_account as counseling_client_account
from gateway.web.counseling import client_edit as counseling_client_edit
from gateway.web.counseling import client_page as counseling_client_page
from gateway.web.counseling import clients as counseling_clients
from gateway.web.counseling import groups as counseling_groups
from gateway.web.counseling import mail_client as counseling_mail_client
from gateway.web.counseling import mail_inbox as counseling_mail_inbox
from gateway.web.counseling import mail_settings as counseling_mail_settings
from gateway.web.counseling import profile as counseling_profile
from gateway.web.counseling import settings as counseling_settings
from gateway.web.counseling import statistics as counseling_statistics
from gateway.web.errors import error_page, problem_page, validation_page, wants_page
from gateway.web.render import LoginRequired, see_other
from teilhabe_kit.problems import Problem


async def _answer(
    handler: Callable[[Request, Any], Response | Awaitable[Response]], request: Request, error
) -> Response:
    """The kit's problem+json answer (its handlers, registered before the web's)."""
    answer = handler(request, error)
    return await answer if inspect.isawaitable(answer) else answer


def install_web(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        return see_other(f"/anmelden?next={quote(error.next_path)}")

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, error: ClientDisconnect) -> Response:
        return Response(status_code=400)  # the browser cancelled (e.g. htmx replaced its request)

    json_problem = app.exception_handlers[Problem]
    json_http = app.exception_handlers[StarletteHTTPException]
    json_invalid = app.exception_handlers[RequestValidationError]

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> Response:
        if not wants_page(request):
            response = await _answer(json_problem, request, error)
        else:
            response = problem_page(request, error)
        if error.status == 503:
            response.headers["Retry-After"] = "10"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        """An unknown address or a method the page does not take."""
        if not wants_page(request):
            return await _answer(json_http, request, error)
        return error_page(request, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        if not wants_page(request):
            return await _answer(json_invalid, request, error)
        return validation_page(request, error)

    for module in (
        public,
        glossary,
        registration,
        order_wizard,
        seeker,
        assistant,
        assistant_calendar,
        contracts,
        messages,
        customer_service,
        coordination,
        provider_contracts,
        my_account,
        enrollment,
        enrollment_steps,
        enrollment_care,
        centre_team,
        centre_finder,
        centre_self_service,
        centre_onboarding,
        counseling_client_account,
        appointments_public,
        appointment_booking,
        appointments_mine,
        counseling_chats,
        appointments_calendar,
        counseling_clients,
        counseling_client_page,
        counseling_client_edit,
        counseling_profile,
        counseling_groups,
        counseling_statistics,
        counseling_settings,
        counseling_mail_client,
        counseling_mail_settings,  # before the inbox: its address is also a thread's shape
        counseling_mail_inbox,
    ):
        app.include_router(module.router)
