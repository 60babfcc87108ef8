"""`uvicorn centres.main:app` — counseling centres and the public finder on port 8107."""

from __future__ import annotations

from fastapi import FastAPI

from centres.api.backoffice import router as backoffice
from centres.api.public import router as public
from centres.consumers.directory import Directory
from centres.settings import Settings
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        settings,
        title="Teilhabe centres",
        routers=[public, backoffice],
        projections=[Directory(settings.centres_topic, settings.consumer_group_prefix)],
    )


app = create_app(Settings())
