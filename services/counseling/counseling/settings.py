"""Settings of the counseling service (``COUNSELING_*`` variables)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="COUNSELING_", extra="ignore")

    service_name: str = "counseling"
    identity_url: str = "http://127.0.0.1:8101"
    identity_credential: str = Field(
        default="", description="counseling's X-Service-Credential for identity (one of IDENTITY_SERVICE_CREDENTIALS)"
    )
    service_credentials: str = Field(
        default="", description="comma-separated secrets other services (appointments) send as X-Service-Credential"
    )
    identity_topic: str = topic_for("identity", "account")
    """Where identity publishes client accounts, locks, deletions and erasures, and centre teams."""
    consumer_group_prefix: str = "counseling"
