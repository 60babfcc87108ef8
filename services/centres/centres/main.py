"""`uvicorn centres.main:app` — counseling centres and the public finder on port 8107."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from centres.api.backoffice import router as backoffice
from centres.api.public import router as public
from centres.consumers.directory import Directory
from centres.readmodels.finder_index import FinderIndex, follow
from centres.settings import Settings
from teilhabe_kit.service import create_service_app


@contextlib.asynccontextmanager
async def finder_index(app: FastAPI) -> AsyncIterator[None]:
    """The finder's in-memory index (`app.state.finder_index`), following the directory table."""
    index = app.state.finder_index = FinderIndex()
    following = asyncio.ensure_future(follow(app.state.engine, index))
    try:
        yield
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        settings,
        title="Teilhabe centres",
        routers=[public, backoffice],
        projections=[Directory(settings.centres_topic, settings.consumer_group_prefix)],
        extra_startup=finder_index,
    )


app = create_app(Settings())
