"""The matching service: projection of assistants and orders, availability requests, queries.

Every replica answers queries from its own index; the one holding `LEADER_LOCK` runs the consumers
(each decision needs every assistant and order, so they never split the partitions), the others
follow the tables and take over when the leader goes (see `matching.index`).
"""

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

LEADER_LOCK = 0x3A7C_0002
"""Session advisory lock of the replica that consumes (in matching's own database)."""


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
        engine = app.state.engine
        await index.load(engine)
        app.state.readiness = {"index": lambda: index.readiness(engine)}
        stop = asyncio.Event()
        following = asyncio.create_task(index.follow(engine, stop), name="index-follower")
        try:
            yield
        finally:
            stop.set()
            await following

    app = create_service_app(
        settings,
        title="Teilhabe matching",
        routers=[router],
        projections=[projection],
        extra_startup=load_index,
        leader_lock=LEADER_LOCK,
        while_leading=lambda app: index.leader(app.state.engine),
    )
    app.state.index = index
    return app


app = create_app()
