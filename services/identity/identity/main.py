"""The identity service: accounts, roles, organisations, verification, profiles, sign-in, JWKS."""

from __future__ import annotations

import contextlib

from fastapi import FastAPI

from identity.api import (
    accounts,
    admin,
    auth,
    centres,
    clients,
    internal,
    organisations,
    registration,
    seeker_lookup,
    verification,
)
from identity.app.standing import AccountStanding
from identity.consumers.centres import CentreEvents
from identity.consumers.counseling import CounselingSettings
from identity.consumers.interested_persons import InterestedPersons
from identity.keys import load_signing_keys
from identity.settings import Settings
from teilhabe_kit.auth import TokenIssuer, TokenVerifier
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    interested_persons = InterestedPersons(settings)

    @contextlib.asynccontextmanager
    async def tokens(app: FastAPI):
        issuer = TokenIssuer(load_signing_keys(settings), ttl_seconds=settings.access_token_seconds)
        app.state.token_issuer = issuer
        app.state.token_verifier = TokenVerifier(  # identity trusts its own keys and its own accounts table
            jwks=issuer.jwks(), revocations=AccountStanding(app.state.engine, app.state.revocations)
        )
        yield
        await interested_persons.close()

    return create_service_app(
        settings,
        title="Teilhabe identity",
        routers=[
            registration.router,
            auth.router,
            accounts.router,
            verification.router,
            admin.router,
            organisations.router,
            internal.router,
            centres.router,
            clients.router,
            seeker_lookup.router,
        ],
        projections=[interested_persons, CentreEvents(settings), CounselingSettings(settings)],
        extra_startup=tokens,
    )


app = create_app()
