"""A centre's mail counseling settings (seed 003 "Mailberatung Einstellungen") and the assignment
rule of a new request. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counseling.domain import thread_events as t
from teilhabe_events.contexts.mail_counseling import AssignmentReason

Openness = Literal["closed", "released", "open"]
"""Who may take over a thread: `closed` only admins hand it on, `released` any counselor once it is
released, `open` any counselor at any time."""


class Availability(BaseModel):
    """A counselor's availability for new requests: unlimited, none, or up to `max_open` open threads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["unlimited", "none", "resources"]
    max_open: int | None = Field(default=None, ge=1, le=1000, description="for `resources`: most open threads")

    @model_validator(mode="after")
    def _max_for_resources(self) -> Availability:
        if (self.mode == "resources") != (self.max_open is not None):
            raise ValueError("max_open gehört genau zu mode 'resources'")
        return self


@dataclass(frozen=True)
class MailSettings:
    centre_id: str
    availability: dict[str, Availability] = field(default_factory=dict)
    fallback_counselor_id: str | None = None
    openness: Openness = "released"


def evolve(state: MailSettings | None, event: object, stream_id: str) -> MailSettings:
    state = state or MailSettings(centre_id=stream_id)
    if isinstance(event, t.MailSettingsChanged):
        return replace(
            state,
            availability={k: Availability.model_validate(v) for k, v in event.availability.items()},
            fallback_counselor_id=event.fallback_counselor_id,
            openness=event.openness,  # type: ignore[arg-type]
        )
    return state


def choose_assignee(
    settings: MailSettings, previous: str | None, primary: str | None, open_threads: dict[str, int]
) -> tuple[str, AssignmentReason] | None:
    """The known client's previous or primary counselor (even when set to none), else the available
    counselor with the fewest open threads, else the fallback counselor; None leaves it to the team."""
    if previous is not None:
        return previous, "previous"
    if primary is not None:
        return primary, "primary"
    free = [
        (open_threads.get(counselor, 0), counselor)
        for counselor, available in settings.availability.items()
        if available.mode == "unlimited"
        or (available.mode == "resources" and open_threads.get(counselor, 0) < (available.max_open or 0))
    ]
    if free:
        return min(free)[1], "available"
    if settings.fallback_counselor_id is not None:
        return settings.fallback_counselor_id, "fallback"
    return None
