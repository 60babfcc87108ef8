"""`uvicorn counseling.main:app` — the counselors' workspace on port 8106."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI

from counseling.api import centre, clients, counselors, documents, groups, internal, me, records, threads
from counseling.app.identity_client import IdentityClient
from counseling.app.thread_overdue import run_every_minute
from counseling.consumers.identity_accounts import IdentityAccounts
from counseling.settings import Settings
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings) -> FastAPI:
    identity = IdentityClient(settings.identity_url, settings.identity_credential)

    @contextlib.asynccontextmanager
    async def wiring(app: FastAPI):
        app.state.identity = identity
        overdue = asyncio.create_task(run_every_minute(app.state.engine))
        yield
        overdue.cancel()
        await identity.close()

    return create_service_app(
        settings,
        title="Teilhabe counseling",
        routers=[
            clients.router,
            records.router,
            documents.router,
            groups.router,
            centre.router,
            counselors.router,
            me.router,
            internal.router,
            threads.router,
            threads.settings_router,
            threads.statistics_router,
        ],
        projections=[IdentityAccounts(settings.identity_topic, settings.consumer_group_prefix, identity)],
        extra_startup=wiring,
    )


app = create_app(Settings())
