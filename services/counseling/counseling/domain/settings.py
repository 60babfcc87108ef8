"""A centre's counseling settings (seed 003 "Einstellungen der Einrichtung"): contact and billing
address, automatic primary counselor, overdue period of mail counseling, deletion routine, filter
criteria for clients and the configurable fields of case records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from counseling.domain import events as e
from teilhabe_events.contexts import counseling as pub

FieldType = Literal["text", "choice", "number", "yes_no"]


class RecordField(BaseModel):
    """One configurable field of the centre's case records."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="stable name, e.g. `referral`")
    label: str = Field(min_length=1, max_length=100, description="German label shown in the form")
    type: FieldType
    choices: list[str] = Field(default=[], max_length=50, description="for `choice`: the options")
    required: bool = False


class FilterCriterion(BaseModel):
    """A filter criterion the centre sorts its clients by (e.g. `u25` "unter 25")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1, max_length=100)


class Address(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    street: str = Field(min_length=1, max_length=200)
    postcode: str = Field(pattern=r"^\d{5}$")
    city: str = Field(min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)


DEFAULT_DELETION_DAYS = 30
DEFAULT_OVERDUE_DAYS = 3


@dataclass(frozen=True)
class CentreSettings:
    centre_id: str
    version: int = 0
    automatic_primary_counselor: bool = False
    mail_overdue_days: int = DEFAULT_OVERDUE_DAYS
    deletion_days: int = DEFAULT_DELETION_DAYS
    contact_address: dict[str, Any] | None = None
    billing_address: dict[str, Any] | None = None
    filter_criteria: list[dict[str, Any]] = field(default_factory=list)
    record_fields: list[dict[str, Any]] = field(default_factory=list)

    def fields(self) -> list[RecordField]:
        return [RecordField.model_validate(f) for f in self.record_fields]

    def criteria(self) -> set[str]:
        return {c["key"] for c in self.filter_criteria}


def evolve(state: CentreSettings | None, event: object, stream_id: str) -> CentreSettings:
    state = state or CentreSettings(centre_id=stream_id)
    state = replace(state, version=state.version + 1)
    if isinstance(event, pub.CounselingSettingsChanged):
        return replace(
            state,
            automatic_primary_counselor=event.automatic_primary_counselor,
            mail_overdue_days=event.mail_overdue_days,
            deletion_days=event.deletion_days,
        )
    if isinstance(event, e.SettingsDetailsChanged):
        return replace(
            state,
            contact_address=event.contact_address,
            billing_address=event.billing_address,
            filter_criteria=event.filter_criteria,
            record_fields=event.record_fields,
        )
    return state
