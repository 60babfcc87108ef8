"""Settings of the orders service (``ORDERS_*`` variables)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERS_", extra="ignore")

    service_name: str = "orders"
    orders_topic: str = topic_for("orders", "order")
    """Where the public order events go (tests use a private topic)."""
    identity_topic: str = topic_for("identity", "account")
    contracts_topic: str = topic_for("contracts", "contract")
    consumer_group_prefix: str = "orders"
