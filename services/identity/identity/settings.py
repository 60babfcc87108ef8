"""Settings of the identity service (environment variables, prefix-free like the kit's)."""

from __future__ import annotations

from pydantic import Field

from teilhabe_events import topic_for
from teilhabe_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "identity"
    signing_key_pem: str = Field(default="", validation_alias="IDENTITY_SIGNING_KEY_PEM")
    signing_key_file: str = Field(default="", validation_alias="IDENTITY_SIGNING_KEY_FILE")
    previous_signing_key_files: str = Field(
        default="",
        validation_alias="IDENTITY_PREVIOUS_SIGNING_KEY_FILES",
        description="comma-separated PEM files of retired keys: still in the JWKS until their tokens expired",
    )
    access_token_seconds: int = Field(default=900, validation_alias="IDENTITY_ACCESS_TOKEN_SECONDS")
    refresh_token_days: int = Field(default=30, validation_alias="IDENTITY_REFRESH_TOKEN_DAYS")
    password_reset_minutes: int = Field(default=60, validation_alias="IDENTITY_PASSWORD_RESET_MINUTES")
    welcome_link_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 30,
        validation_alias="IDENTITY_WELCOME_LINK_HOURS",
        description="how long the link to set the first password is valid when someone else opened the account",
    )
    password_reset_url: str = Field(
        default="http://127.0.0.1:8000/passwort-neu", validation_alias="IDENTITY_PASSWORD_RESET_URL"
    )
    invitation_days: int = Field(
        default=7,
        ge=1,
        le=60,
        validation_alias="IDENTITY_INVITATION_DAYS",
        description="how long a team invitation is valid",
    )
    invitation_url: str = Field(
        default="http://127.0.0.1:8000/einladung",
        validation_alias="IDENTITY_INVITATION_URL",
        description="page of the web UI that takes ?token= of a team invitation",
    )
    centres_topic: str = Field(
        default=topic_for("centres", "centre"),
        validation_alias="IDENTITY_CENTRES_TOPIC",
        description="where centres publishes CentreInterestRecorded, ProcessingAgreementSigned, CentreSeatsChanged",
    )
    counseling_topic: str = Field(
        default=topic_for("counseling", "centre_settings"),
        validation_alias="IDENTITY_COUNSELING_TOPIC",
        description="where counseling publishes CounselingSettingsChanged (a centre's deletion routine for clients)",
    )
    deletion_retention_days: int = Field(default=30, validation_alias="IDENTITY_DELETION_RETENTION_DAYS")
    service_credentials: str = Field(
        default="",
        validation_alias="IDENTITY_SERVICE_CREDENTIALS",
        description="comma-separated secrets other services (messaging) send as X-Service-Credential",
    )
    contracts_topic: str = Field(
        default=topic_for("contracts", "interested_person"),
        validation_alias="IDENTITY_CONTRACTS_TOPIC",
        description="where contracts publishes InterestedPersonRegistered (tests use a private topic)",
    )
    consumer_group_prefix: str = Field(
        default="identity",
        validation_alias="IDENTITY_CONSUMER_GROUP_PREFIX",
        description="consumer groups <prefix>.interested-persons and <prefix>.centres",
    )
    contracts_url: str = Field(default="http://127.0.0.1:8105", validation_alias="IDENTITY_CONTRACTS_URL")
    contracts_credential: str = Field(
        default="",
        validation_alias="IDENTITY_CONTRACTS_CREDENTIAL",
        description="identity's X-Service-Credential for contracts (one of CONTRACTS_SERVICE_CREDENTIALS)",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1,::1",
        validation_alias="IDENTITY_TRUSTED_PROXIES",
        description="comma-separated addresses or networks (CIDR) of proxies whose X-Forwarded-For counts",
    )
    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    login_failure_window_seconds: int = 900
    consent_version: str = Field(default="2026-11", validation_alias="IDENTITY_CONSENT_VERSION")
