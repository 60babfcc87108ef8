"""`uvicorn contracts.main:app` — contracts and enrollment on port 8105."""

from __future__ import annotations

from fastapi import FastAPI
from teilhabe_kit.service import create_service_app

from contracts.api import assistance, enrollment, ratings_bookings, retention
from contracts.app.reauth import IdentityReauthenticator
from contracts.consumers.identity import IdentityEvents
from contracts.consumers.orders import OrderEvents
from contracts.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    app = create_service_app(
        settings,
        title="Teilhabe contracts",
        routers=[assistance.router, ratings_bookings.router, enrollment.router, retention.router],
        projections=[OrderEvents(), IdentityEvents()],
    )
    app.state.reauthenticator = IdentityReauthenticator(settings.reauth_url)
    return app


app = create_app(Settings())
