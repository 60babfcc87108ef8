"""Events of a centre stream: the public ones of `teilhabe_events` plus internal ones.

`SignatoryRecorded` carries the agreement signatory's name sealed (a person's name): it stays in
this service's event store and is never published.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.registry import DomainEvent


class SignatoryRecorded(BaseModel):
    """Who signed the agreement for the centre (internal; name sealed under `signatory_key`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str] = "SignatoryRecorded"

    signatory_key: str = Field(description="the sealing key the name is sealed with (erasable)")
    signatory: str = Field(description="sealed")


Event = DomainEvent | SignatoryRecorded
