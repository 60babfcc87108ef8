"""`uvicorn appointments.main:app` — online appointment booking on port 8108."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from appointments.api.bookings import router as bookings
from appointments.api.feeds import router as feeds
from appointments.api.groups import router as groups
from appointments.api.public import router as public
from appointments.api.staff import router as staff
from appointments.app.waitlist import expire_due
from appointments.consumers.counseling_facts import CounselingFacts
from appointments.consumers.identity_facts import IdentityFacts
from appointments.settings import Settings
from teilhabe_kit.leadership import alone
from teilhabe_kit.service import create_service_app

log = logging.getLogger(__name__)
SWEEP_LOCK = 0xA770_0001
"""Advisory lock of the waitlist sweep in progress: every replica's timer fires, one sweeps."""


def _offer_sweeper(settings: Settings):
    @contextlib.asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        async def sweep() -> None:
            while True:
                await asyncio.sleep(settings.offer_sweep_seconds)
                try:
                    await alone(app.state.engine, SWEEP_LOCK, lambda: expire_due(app.state.engine))
                except Exception:  # the next round tries again; one bad calendar must not stop the sweeper
                    log.exception("expiring waitlist offers failed")

        task = asyncio.create_task(sweep()) if settings.run_api else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return run


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        settings,
        title="Teilhabe appointments",
        routers=[public, staff, bookings, groups, feeds],
        projections=[
            IdentityFacts(settings.identity_topic, settings.consumer_group_prefix),
            CounselingFacts(settings.counseling_topic, settings.consumer_group_prefix),
        ],
        extra_startup=_offer_sweeper(settings),
    )


app = create_app(Settings())
