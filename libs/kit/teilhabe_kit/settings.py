"""Settings every service shares, read from the environment (pydantic-settings)."""

from __future__ import annotations

import json

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from teilhabe_kit.auth import Revocations, TokenVerifier
from teilhabe_kit.migrations import database_url_for
from teilhabe_kit.revocation import ACCOUNT_TOPIC


class ServiceSettings(BaseSettings):
    """Base settings; a service subclasses it and sets `env_prefix` (e.g. ``IDENTITY_``).

    Shared values fall back to the un-prefixed variables of the local stack
    (``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL_<SERVICE>``) so Compose and Kubernetes set them.
    """

    model_config = SettingsConfigDict(
        extra="ignore", populate_by_name=True
    )  # Settings(field=...) works for aliased fields too

    service_name: str
    database_url: str = ""
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    run_api: bool = True
    run_consumers: bool = True
    run_relay: bool = True
    relay_poll_seconds: float = 1.0  # fallback only: the relay wakes on NOTIFY at commit
    relay_linger_ms: int = 5  # the relay producer's batching delay; 0 for latency-critical services
    relay_batch_size: int = 500
    consumer_max_attempts: int = 3
    log_level: str = "INFO"
    metrics_port: int | None = None  # /metrics only there, not on the API port (set in Compose and Kubernetes)
    metrics_host: str = "0.0.0.0"
    jwks_url: str = Field(
        default="http://127.0.0.1:8101/api/v1/identity/.well-known/jwks.json",
        validation_alias="IDENTITY_JWKS_URL",
    )
    jwks_json: str = Field(default="", validation_alias="IDENTITY_JWKS_JSON")
    revocations_topic: str = ACCOUNT_TOPIC  # identity's account events: locks, deletions, erasures

    def resolved_database_url(self) -> str:
        """The database URL: explicit setting, else ``DATABASE_URL_<SERVICE>``, else local default."""
        return self.database_url or database_url_for(self.service_name)

    def token_verifier(self, revocations: Revocations | None = None) -> TokenVerifier:
        if self.jwks_json:
            return TokenVerifier(jwks=json.loads(self.jwks_json), revocations=revocations)
        return TokenVerifier(jwks_url=self.jwks_url, revocations=revocations)
