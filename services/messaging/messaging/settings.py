"""Settings of the messaging service (environment variables, prefix ``MESSAGING_`` unless named)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_prefix="MESSAGING_")

    service_name: str = "messaging"
    consumer_group: str = "messaging"
    event_topics: str = Field(default="", description="comma-separated topics instead of the public ones (tests)")
    # documents
    storage_dir: str = ".local/messaging-files"
    max_document_bytes: int = 10 * 1024 * 1024
    # contacts and reset links come from identity (never over Kafka)
    identity_url: str = Field(default="http://127.0.0.1:8101", validation_alias="IDENTITY_URL")
    identity_credential: str = Field(default="", validation_alias="MESSAGING_IDENTITY_CREDENTIAL")
    contacts_json: str = Field(
        default="", description='static contacts instead of identity: {"<id>": {"email": .., "phone": ..}}'
    )
    # e-mail
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_sender: str = "Teilhabe <benachrichtigung@teilhabe.local>"
    smtp_timeout_seconds: float = 10.0
    smtp_sink: str = Field(
        default="", validation_alias="SMTP_SINK", description="'local': run the SMTP sink in-process"
    )
    sink_dir: str = ".local/messaging-sink"
    # SMS: "local" writes to the sink folder; other providers implement SmsProvider
    sms_provider: str = "local"
    # delivery
    delivery_poll_seconds: float = 1.0
    delivery_max_attempts: int = 8
    delivery_backoff_seconds: float = 2.0
    delivery_max_backoff_seconds: float = 600.0
    run_delivery: bool = True
    # server-sent events
    sse_heartbeat_seconds: float = 10.0  # below proxies' idle timeouts (the gateway's ordinary one is 15 s)
    sse_max_seconds: float = 300.0
    # links in notifications
    web_base_url: str = "http://127.0.0.1:8000"
    # video rooms (Jitsi with JWT authentication, or an external static link)
    video_base_url: str = "https://meet.jit.si"
    video_app_id: str = "teilhabe"
    video_app_secret: str = "local-development-secret-change-me"
    video_token_minutes: int = 240
    video_external_url: str = ""
    # anonymous walk-in chat: new chats per address and window, waiting guests per centre, credential life
    walk_in_per_address: int = 5
    walk_in_window_seconds: int = 3600
    walk_in_queue_max: int = 30
    walk_in_minutes: int = 120
    walk_in_keep_days: float = 7.0  # an unclaimed walk-in chat is shredded this long after its credential ended
    walk_in_sweep_seconds: float = 300.0
