"""Counseling's internal events (its own event store, never on Kafka). Personal fields, listed in
`sealed`, are sealed with the client's (or counselor's) key before they are stored: erasing that
key erases them everywhere (crypto-shredding)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    sealed: ClassVar[tuple[str, ...]] = ()
    """Personal fields: sealed in the event store, None once the person is erased."""
    sealed_json: ClassVar[tuple[str, ...]] = ()
    """Those sealed fields that are not text: stored as sealed JSON."""

    def key(self, stream_id: str) -> str:
        """Whose key seals the personal fields: the stream's person unless the event names another."""
        return stream_id


class ClientOpened(Event):
    """Client stream: counseling knows the client (pseudonym sealed)."""

    event_type: ClassVar[str] = "ClientOpened"
    sealed: ClassVar[tuple[str, ...]] = ("pseudonym",)
    centre_id: str
    pseudonym: str | None
    opened_by: str | None = None


class MasterDataChanged(Event):
    """Client stream: master data (Stammdaten) and the centre's filter criteria that apply."""

    event_type: ClassVar[str] = "MasterDataChanged"
    sealed: ClassVar[tuple[str, ...]] = ("master_data", "filters")
    sealed_json: ClassVar[tuple[str, ...]] = ("master_data", "filters")
    master_data: dict[str, Any] | None
    filters: list[str] | None


class NoteAdded(Event):
    event_type: ClassVar[str] = "NoteAdded"
    sealed: ClassVar[tuple[str, ...]] = ("text",)
    note_id: str
    text: str | None
    author_id: str


class NoteDeleted(Event):
    event_type: ClassVar[str] = "NoteDeleted"
    note_id: str
    deleted_by: str


class DirectMessageWritten(Event):
    """Client stream: what an admin wrote (subject and text sealed); `DirectMessageSent` goes public."""

    event_type: ClassVar[str] = "DirectMessageWritten"
    sealed: ClassVar[tuple[str, ...]] = ("subject", "body")
    message_id: str
    subject: str | None
    body: str | None


class CaseRecordDetails(Event):
    """Case-record stream: the centre's configurable fields of the record (sealed with the client's key)."""

    event_type: ClassVar[str] = "CaseRecordDetails"
    sealed: ClassVar[tuple[str, ...]] = ("fields",)
    sealed_json: ClassVar[tuple[str, ...]] = ("fields",)
    client_id: str
    fields: dict[str, Any] | None
    source_type: str | None = None
    """The contact the record came from: `mail_thread`, `chat` or `appointment` (with `source_id`)."""
    source_id: str | None = None

    def key(self, stream_id: str) -> str:
        return self.client_id


class GroupDescribed(Event):
    """Client-group stream: name and description (visible to the members)."""

    event_type: ClassVar[str] = "GroupDescribed"
    name: str
    description: str | None = None


class SettingsDetailsChanged(Event):
    """Centre-settings stream: addresses, filter criteria and case-record fields (organisation data)."""

    event_type: ClassVar[str] = "SettingsDetailsChanged"
    contact_address: dict[str, Any] | None = None
    billing_address: dict[str, Any] | None = None
    filter_criteria: list[dict[str, Any]] = []
    record_fields: list[dict[str, Any]] = []


class CounselorProfileChanged(Event):
    """Counselor stream: internal contact data (sealed, colleagues and admins) and the external
    profile clients see (display name — maybe a pseudonym —, description, languages)."""

    event_type: ClassVar[str] = "CounselorProfileChanged"
    sealed: ClassVar[tuple[str, ...]] = ("internal",)
    sealed_json: ClassVar[tuple[str, ...]] = ("internal",)
    centre_id: str
    internal: dict[str, Any] | None
    display_name: str
    description: str | None = None
    languages: list[str] = []


class CounselorPhotoChanged(Event):
    """Counselor stream: a new photo (`photo_id`) or none."""

    event_type: ClassVar[str] = "CounselorPhotoChanged"
    photo_id: str | None


class BookmarkAdded(Event):
    """Counselor stream: a client on the counselor's bookmark list (Merkliste)."""

    event_type: ClassVar[str] = "BookmarkAdded"
    centre_id: str
    client_id: str


class BookmarkRemoved(Event):
    event_type: ClassVar[str] = "BookmarkRemoved"
    client_id: str


class ClientStatusChanged(Event):
    """Client stream: what identity decided about the account (locked, marked for deletion, ...),
    kept so that the read model can be rebuilt from counseling's own store."""

    event_type: ClassVar[str] = "ClientStatusChanged"
    status: str
    erase_after: str | None = None
    at: datetime | None = None


EVENTS: dict[str, type[Event]] = {
    cls.event_type: cls
    for cls in (
        ClientOpened,
        MasterDataChanged,
        NoteAdded,
        NoteDeleted,
        DirectMessageWritten,
        CaseRecordDetails,
        GroupDescribed,
        SettingsDetailsChanged,
        CounselorProfileChanged,
        CounselorPhotoChanged,
        BookmarkAdded,
        BookmarkRemoved,
        ClientStatusChanged,
    )
}
