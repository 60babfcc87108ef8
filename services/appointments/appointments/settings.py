"""Settings of the appointments service (``APPOINTMENTS_*`` variables)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="APPOINTMENTS_", extra="ignore")

    service_name: str = "appointments"
    identity_topic: str = topic_for("identity", "account")
    """Identity's account events: the centres' teams and erasures (tests use a private topic)."""
    counseling_topic: str = topic_for("counseling", "client")
    """Counseling's client events: primary counselors and erasures (tests use a private topic)."""
    consumer_group_prefix: str = "appointments"
    relay_linger_ms: int = 0  # a booking's confirmation must reach the client's stream fast
    offer_sweep_seconds: float = 5.0
    """How often expired waitlist offers are passed on to the next in line."""
