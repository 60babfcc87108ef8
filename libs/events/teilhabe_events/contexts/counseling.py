"""Public events of the counseling context (counselors' workspace, seed 003 "assisto").

Topics: `counseling.client.v1` (stream id = the client's account id), `counseling.case_record.v1`
(stream id = record id), `counseling.client_group.v1` (stream id = group id),
`counseling.centre_settings.v1` (stream id = centre id).

Only ids, codes, numbers and dates: a client's pseudonym, contact, master data, notes, the free
fields of case records, group names and direct messages stay in the counseling service, sealed
with the client's key (erased by crypto-shredding).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from teilhabe_events.centre_catalogue import Topic
from teilhabe_events.registry import DomainEvent, registry


class _ClientEvent(DomainEvent):
    service: ClassVar[str] = "counseling"
    stream_type: ClassVar[str] = "client"


class _CaseRecordEvent(DomainEvent):
    service: ClassVar[str] = "counseling"
    stream_type: ClassVar[str] = "case_record"


class _GroupEvent(DomainEvent):
    service: ClassVar[str] = "counseling"
    stream_type: ClassVar[str] = "client_group"


class _SettingsEvent(DomainEvent):
    service: ClassVar[str] = "counseling"
    stream_type: ClassVar[str] = "centre_settings"


@registry.register
class ClientRegistered(_ClientEvent):
    """Counseling knows a client of `centre_id` (opened by a counselor, or self-registered: `opened_by` None)."""

    event_type: ClassVar[str] = "ClientRegistered"
    centre_id: str
    opened_by: str | None = None


@registry.register
class PrimaryCounselorAssigned(_ClientEvent):
    """The client's primary counselor (Stammberater:in): automatically at the first contact where the
    centre enables it, else by hand; None when the assignment was taken away."""

    event_type: ClassVar[str] = "PrimaryCounselorAssigned"
    centre_id: str
    counselor_id: str | None
    automatic: bool = False
    assigned_by: str | None = None


@registry.register
class DirectMessageSent(_ClientEvent):
    """A centre admin wrote to the client: messaging tells the client over their registered channel
    that a message waits (the text stays in counseling, read after signing in)."""

    event_type: ClassVar[str] = "DirectMessageSent"
    centre_id: str
    message_id: str
    sent_by: str


@registry.register
class ClientErased(_ClientEvent):
    """Counseling erased everything about the client (after identity's `AccountErased`): services that
    keep client data of their own (appointments, mail counseling) erase it now."""

    event_type: ClassVar[str] = "ClientErased"
    centre_id: str


@registry.register
class CaseRecordAdded(_CaseRecordEvent):
    """A case record ("Monitoring") of one contact: the figures statistics are made of."""

    event_type: ClassVar[str] = "CaseRecordAdded"
    centre_id: str
    client_id: str
    counselor_id: str
    occurred_on: date
    minutes: int = Field(gt=0, le=24 * 60)
    subject: Topic
    channel: str = Field(description="mail, chat, appointment, on_site, phone, video or other")


@registry.register
class CaseRecordChanged(_CaseRecordEvent):
    event_type: ClassVar[str] = "CaseRecordChanged"
    occurred_on: date
    minutes: int = Field(gt=0, le=24 * 60)
    subject: Topic
    channel: str


@registry.register
class CaseRecordDeleted(_CaseRecordEvent):
    event_type: ClassVar[str] = "CaseRecordDeleted"
    deleted_by: str


@registry.register
class ClientGroupCreated(_GroupEvent):
    """A group of clients of a centre (its name and description stay in counseling)."""

    event_type: ClassVar[str] = "ClientGroupCreated"
    centre_id: str
    created_by: str


@registry.register
class ClientGroupMemberAdded(_GroupEvent):
    event_type: ClassVar[str] = "ClientGroupMemberAdded"
    client_id: str


@registry.register
class ClientGroupMemberRemoved(_GroupEvent):
    event_type: ClassVar[str] = "ClientGroupMemberRemoved"
    client_id: str


@registry.register
class ClientGroupDeleted(_GroupEvent):
    event_type: ClassVar[str] = "ClientGroupDeleted"
    deleted_by: str


@registry.register
class CounselingSettingsChanged(_SettingsEvent):
    """A centre's counseling settings that other services act on (identity: the deletion routine;
    mail counseling: the overdue period and the automatic primary counselor)."""

    event_type: ClassVar[str] = "CounselingSettingsChanged"
    automatic_primary_counselor: bool
    mail_overdue_days: int = Field(ge=1, le=60)
    deletion_days: int = Field(ge=0, le=3650)
