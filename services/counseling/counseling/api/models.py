"""Request and response models of counseling's API (German texts in problems, English names)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from counseling.domain.records import CHANNELS, SOURCE_TYPES, Source
from counseling.domain.settings import Address, FilterCriterion, RecordField
from teilhabe_events.centre_catalogue import Language, Topic

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Channel = Literal["mail", "chat", "appointment", "on_site", "phone", "video", "other"]
assert set(CHANNELS) == set(Channel.__args__)  # type: ignore[attr-defined]
SourceType = Literal["mail_thread", "chat", "appointment"]
assert set(SOURCE_TYPES) == set(SourceType.__args__)  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MasterData(Strict):
    """Stammdaten: what the centre records about a client (all optional)."""

    gender: Literal["female", "male", "diverse", "unknown"] | None = None
    age_group: Literal["under_18", "18_26", "27_44", "45_64", "65_plus"] | None = None
    postcode: str | None = Field(default=None, pattern=r"^\d{5}$")
    languages: list[Language] = Field(default=[], max_length=10)
    household: Literal["single", "couple", "family", "single_parent", "shared", "other"] | None = None
    note: str | None = Field(default=None, max_length=1000, description="free remark on the master data")


class ClientIn(Strict):
    pseudonym: str = Field(min_length=1, max_length=80, description="checked by identity (3–40 characters)")
    email: str | None = Field(default=None, max_length=320, description="for notifications (admins see it)")
    phone: str | None = Field(default=None, max_length=40)
    master_data: MasterData = MasterData()
    filters: list[str] = Field(default=[], max_length=50, description="keys of the centre's filter criteria")


class ClientOpened(BaseModel):
    client_id: str
    pseudonym: str
    initial_password: str = Field(description="shown only now; the client changes it at the first sign-in")


class MasterDataIn(Strict):
    master_data: MasterData
    filters: list[str] = Field(default=[], max_length=50)


class PrimaryIn(Strict):
    counselor_id: str | None = Field(max_length=64, description="a member of the centre's team, or null")


class ClientItem(BaseModel):
    client_id: str
    pseudonym: str | None
    status: str = Field(description="active, blocked (gesperrt) or deleted (zum Löschen vorgemerkt)")
    primary_counselor_id: str | None
    filters: list[str]
    erase_after: date | None = None


class ClientPage(BaseModel):
    items: list[ClientItem]
    total: int
    empty_text: str | None = Field(description="German hint when nothing matched: „Nicht gefunden? Filter prüfen“")


class Contact(BaseModel):
    email: str | None
    phone: str | None


class GroupRef(BaseModel):
    group_id: str
    name: str
    description: str | None


class ClientOut(ClientItem):
    master_data: dict[str, Any]
    bookmarked: bool
    groups: list[GroupRef]
    contact: Contact | None = Field(default=None, description="admins only")
    created_at: datetime


class NoteIn(Strict):
    text: LongText


class NoteOut(BaseModel):
    note_id: str
    text: str | None
    author_id: str
    created_at: datetime


class DocumentOut(BaseModel):
    document_id: str
    filename: str
    media_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime
    url: str


class MessageIn(Strict):
    subject: Text
    body: LongText


class MessageOut(BaseModel):
    message_id: str
    subject: str | None
    body: str | None
    sent_by: str
    sent_at: datetime


class SourceRef(Strict):
    """The contact a case record came from."""

    type: SourceType = Field(description="mail_thread, chat or appointment")
    id: uuid.UUID = Field(description="the thread's, chat's or appointment's id")


class RecordIn(Strict):
    occurred_on: date
    minutes: int = Field(gt=0, le=24 * 60, description="duration in minutes (> 0)")
    subject: Topic = Field(description="the topic of the contact (catalogue of centres)")
    channel: Channel
    fields: dict[str, Any] = Field(default={}, description="the centre's configurable fields by key")
    source: SourceRef | None = Field(default=None, description="the mail thread, chat or appointment it came from")

    def source_of(self) -> Source | None:
        return Source(self.source.type, str(self.source.id)) if self.source else None

    @field_validator("occurred_on")
    @classmethod
    def _not_too_far(cls, value: date) -> date:
        if value.year < 2000 or value.year > 2100:
            raise ValueError("Bitte geben Sie ein gültiges Datum an.")
        return value


class RecordOut(BaseModel):
    record_id: str
    client_id: str
    counselor_id: str
    occurred_on: date
    minutes: int
    subject: str
    channel: str
    fields: dict[str, Any]
    source: SourceRef | None = None
    created_at: datetime


class GroupIn(Strict):
    name: Text
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class GroupMemberIn(Strict):
    client_id: str = Field(min_length=1, max_length=64)


class GroupOut(BaseModel):
    group_id: str
    name: str
    description: str | None
    created_by: str
    members: int


class SettingsIn(Strict):
    contact_address: Address | None = None
    billing_address: Address | None = None
    automatic_primary_counselor: bool = False
    mail_overdue_days: int = Field(default=3, ge=1, le=60, description="days until a mail request is overdue")
    deletion_days: int = Field(default=30, ge=0, le=3650, description="days from deletion to erasure")
    filter_criteria: list[FilterCriterion] = Field(default=[], max_length=100)
    record_fields: list[RecordField] = Field(default=[], max_length=50)

    @field_validator("record_fields")
    @classmethod
    def _choices(cls, value: list[RecordField]) -> list[RecordField]:
        keys = [f.key for f in value]
        if len(set(keys)) != len(keys):
            raise ValueError("Jedes Feld braucht einen eigenen Schlüssel.")
        for spec in value:
            if spec.type == "choice" and not spec.choices:
                raise ValueError(f"Das Auswahlfeld „{spec.label}“ braucht Möglichkeiten.")
        return value


class SettingsOut(SettingsIn):
    version: int


class CounselorInternal(Strict):
    """Kontaktdaten intern: seen by colleagues and admins."""

    salutation: Literal["frau", "herr", "neutral"] | None = None
    title: str | None = Field(default=None, max_length=40)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    postcode: str | None = Field(default=None, pattern=r"^\d{5}$")


class CounselorProfileIn(Strict):
    internal: CounselorInternal = CounselorInternal()
    display_name: Text = Field(description="Benutzername shown to clients (may be a pseudonym)")
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    languages: list[Language] = Field(default=[], max_length=20)


class CounselorPublic(BaseModel):
    counselor_id: str
    display_name: str
    description: str | None
    languages: list[str]
    photo_url: str | None


class CounselorOut(CounselorPublic):
    internal: dict[str, Any] | None


class Figure(BaseModel):
    key: str
    count: int
    minutes: int


class Total(BaseModel):
    count: int
    minutes: int


class Statistics(BaseModel):
    start: date
    end: date
    total: Total
    subject: list[Figure]
    channel: list[Figure]
    counselor_id: list[Figure]
    month: list[Figure]


class MyAccount(BaseModel):
    client_id: str
    centre_id: str
    pseudonym: str | None
    primary_counselor: CounselorPublic | None
    groups: list[GroupRef]
