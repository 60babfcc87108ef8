"""Request bodies (strict: unknown fields are refused with 422)."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenConversation(Strict):
    order_id: Id
    offer_id: Id


class OpenGroup(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    member_ids: list[Id] = Field(min_length=1, max_length=100)


class PostMessage(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class MarkRead(Strict):
    up_to_seq: int = Field(ge=0)


class CreateRoom(Strict):
    external_url: AnyHttpUrl | None = None


class Reason(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)]


class Status(Strict):
    status: Literal["online", "not_online", "not_reachable"]


class Preferences(Strict):
    email: bool = True
    sms: bool = False
    quiet_from: time | None = None
    quiet_until: time | None = Field(default=None, validate_default=True)

    @field_validator("quiet_until")
    @classmethod
    def _both_or_neither(cls, value: time | None, info: ValidationInfo) -> time | None:
        if (info.data.get("quiet_from") is None) != (value is None):
            raise ValueError("Bitte geben Sie Beginn und Ende der Ruhezeit an.")
        return value


class OpenClientChat(Strict):
    client_id: Id


class OpenGroupChat(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    client_ids: list[Id] = Field(min_length=1, max_length=50)
    counselor_ids: list[Id] = Field(default_factory=list, max_length=20)
