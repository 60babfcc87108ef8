"""Settings of the matching service (environment prefix ``MATCHING_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from teilhabe_events.contexts.identity import AccountRegistered
from teilhabe_events.contexts.matching import CandidatesMatched
from teilhabe_events.contexts.orders import OrderPublished
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    service_name: str = "matching"
    consumer_group: str = "matching"
    identity_topic: str = AccountRegistered.topic()
    orders_topic: str = OrderPublished.topic()
    output_topic: str = CandidatesMatched.topic()
    relay_linger_ms: int = 0  # a request should reach the assistant at once (pipeline latency)
