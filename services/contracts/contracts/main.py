"""`uvicorn contracts.main:app` — contracts and enrollment on port 8105."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from contracts.api import assistance, enrollment, enrollment_care, ratings_bookings, retention
from contracts.app.reauth import IdentityReauthenticator
from contracts.consumers.identity import IdentityEvents
from contracts.consumers.orders import OrderEvents
from contracts.settings import Settings
from teilhabe_kit.problems import problem_response
from teilhabe_kit.sealing import PersonErased
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings) -> FastAPI:
    app = create_service_app(
        settings,
        title="Teilhabe contracts",
        routers=[
            assistance.router,
            ratings_bookings.router,
            enrollment.router,
            enrollment_care.router,
            retention.router,
        ],
        projections=[
            OrderEvents(settings.orders_topic, settings.consumer_group_prefix),
            IdentityEvents(settings.identity_topic, settings.consumer_group_prefix),
        ],
    )
    app.state.reauthenticator = IdentityReauthenticator(settings.identity_url, settings.identity_credential)

    @app.exception_handler(PersonErased)
    async def _erased(request: Request, error: PersonErased) -> JSONResponse:
        return problem_response(
            409,
            "Conflict",
            "Diese Daten wurden gelöscht und können nicht mehr geändert werden.",
            instance=request.url.path,
        )

    return app


app = create_app(Settings())
