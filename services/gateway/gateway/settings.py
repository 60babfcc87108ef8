"""Gateway settings: where the services listen, session and rate-limit parameters."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from teilhabe_kit.settings import ServiceSettings

SERVICE_PORTS = {
    "identity": 8101,
    "orders": 8102,
    "matching": 8103,
    "messaging": 8104,
    "contracts": 8105,
    "counseling": 8106,
    "centres": 8107,
    "appointments": 8108,
}


class Settings(ServiceSettings):
    """``GATEWAY_*`` variables; each service URL as ``GATEWAY_<SERVICE>_URL``."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    identity_url: str = "http://127.0.0.1:8101"
    orders_url: str = "http://127.0.0.1:8102"
    matching_url: str = "http://127.0.0.1:8103"
    messaging_url: str = "http://127.0.0.1:8104"
    contracts_url: str = "http://127.0.0.1:8105"
    counseling_url: str = "http://127.0.0.1:8106"
    centres_url: str = "http://127.0.0.1:8107"
    appointments_url: str = "http://127.0.0.1:8108"
    upstream_timeout_seconds: float = 15.0
    upstream_connections: int = 200  # ordinary requests, per gateway process
    stream_connections: int = 20_000  # relayed event streams (SSE), a pool of their own
    session_secret: str = "local-development-only-change-me"
    session_days: int = 14
    cookie_secure: bool = True
    rate_per_minute: float = 300.0
    rate_burst: float = 120.0
    rate_sync_seconds: float = 1.0  # how often a replica's ordinary rate buckets meet the shared ones
    sensitive_per_minute: float = 10.0
    sensitive_burst: float = 10.0
    trust_forwarded_for: bool = False
    identity_refresh_path: str = "/api/v1/identity/auth/refresh"
    notifications_stream_path: str = "/api/v1/messaging/notifications/stream"
    tile_url: str = ""
    tile_attribution: str = ""

    def service_urls(self, service: str) -> list[str]:
        """The service's replicas: ``GATEWAY_<SERVICE>_URL`` may list several base URLs, comma-separated
        (the gateway takes them in turn; Kubernetes gives one Service address instead)."""
        if service not in SERVICE_PORTS:
            return []
        return [url.strip().rstrip("/") for url in getattr(self, f"{service}_url").split(",") if url.strip()]

    def service_url(self, service: str) -> str | None:
        urls = self.service_urls(service)
        return urls[0] if urls else None
