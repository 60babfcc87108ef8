"""Settings of the contracts service (``CONTRACTS_*`` variables)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTRACTS_", extra="ignore")

    service_name: str = "contracts"
    orders_topic: str = topic_for("orders", "order")
    identity_topic: str = topic_for("identity", "account")
    consumer_group_prefix: str = "contracts"
    """Consumer groups are ``<prefix>.order-events`` and ``<prefix>.identity-events``."""
    identity_url: str = "http://127.0.0.1:8101"
    """Identity, asked to confirm a signer's password (see contracts.app.reauth)."""
    identity_credential: str = Field(default="", validation_alias="CONTRACTS_IDENTITY_CREDENTIAL")
    """Contracts' credential for identity's internal API (one of IDENTITY_SERVICE_CREDENTIALS)."""
    service_credentials: str = ""
    """Comma-separated secrets other services (identity) send as X-Service-Credential to read an
    interested person's contact."""
    email_index_secret: str = "local-development-only-change-me"
    """Pepper of the blind index over e-mail addresses (looked up without unsealing)."""
    max_upload_bytes: int = 5 * 1024 * 1024
    retention_years: int = 10
    """Legal retention after a contract ended (§ 147 AO, § 257 HGB: up to ten years)."""
