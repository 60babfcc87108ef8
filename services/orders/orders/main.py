"""`uvicorn orders.main:app` — search orders and offers on port 8102."""

from __future__ import annotations

from fastapi import FastAPI

from orders.api.routes import router
from orders.consumers.contracts import ContractEvents
from orders.consumers.identity import AccountDirectory, Erasure
from orders.settings import Settings
from teilhabe_kit.service import create_service_app


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        settings,
        title="Teilhabe orders",
        routers=[router],
        projections=[
            AccountDirectory(settings.identity_topic, settings.consumer_group_prefix),
            Erasure(settings.identity_topic, settings.orders_topic, settings.consumer_group_prefix),
            ContractEvents(settings.contracts_topic, settings.orders_topic, settings.consumer_group_prefix),
        ],
    )


app = create_app(Settings())
