"""Settings of the centres service (``CENTRES_*`` variables)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CENTRES_", extra="ignore")

    service_name: str = "centres"
    centres_topic: str = topic_for("centres", "centre")
    """Where the public centre events go; the public directory is built from it (tests use a private topic)."""
    consumer_group_prefix: str = "centres"
    relay_linger_ms: int = 0  # a profile change must reach the finder within a second
