"""The matching service: projection of assistants and orders, availability requests, queries."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI

from matching.api.routes import router
from matching.app.matcher import Matcher
from matching.consumers.projection import MatchingProjection
from matching.index import MatchIndex
from matching.settings import Settings
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    index = MatchIndex()
    projection = MatchingProjection(
        settings.consumer_group,
        [settings.identity_topic, settings.orders_topic],
        index,
        Matcher(index, settings.output_topic),
    )

    @contextlib.asynccontextmanager
    async def load_index(app: FastAPI):
        await index.load(app.state.engine)
        if settings.run_consumers:  # the projection changes the index itself
            yield
            return
        stop = asyncio.Event()
        following = asyncio.create_task(index.follow(app.state.engine, stop), name="index-follower")
        try:
            yield
        finally:
            stop.set()
            await following

    app = create_service_app(
        settings,
        title="Teilhabe matching",
        routers=[router],
        projections=[projection] if settings.run_consumers else [],
        extra_startup=load_index,
    )
    app.state.index = index
    return app


app = create_app()
