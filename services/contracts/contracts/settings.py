"""Settings of the contracts service (``CONTRACTS_*`` variables)."""

from __future__ import annotations

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
    reauth_url: str = "http://127.0.0.1:8101/api/v1/identity/auth/reauthenticate"
    """Identity's re-authentication check for in-app signatures (POST {"password"}, caller's token)."""
    email_index_secret: str = "local-development-only-change-me"
    """Pepper of the blind index over e-mail addresses (looked up without unsealing)."""
    max_upload_bytes: int = 5 * 1024 * 1024
    retention_years: int = 10
    """Legal retention after a contract ended (§ 147 AO, § 257 HGB: up to ten years)."""
