"""Request and response models of mail counseling's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from counseling.api.models import MasterData
from counseling.domain.mail_settings import Availability, Openness
from teilhabe_events.centre_catalogue import Topic

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MailText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestIn(Strict):
    subject: Subject = Field(description="Betreff: the thread hangs on it and it never changes")
    text: MailText
    personal_data: MasterData | None = Field(
        default=None,
        description="optional personal data; never copied into the profile or a case record automatically",
    )


class MessageIn(Strict):
    text: MailText


class DraftIn(Strict):
    text: MailText
    release: bool = Field(default=False, description="'Entwurf speichern und freigeben': a colleague may take over")


class SubjectChangeIn(BaseModel):
    subject: str | None = None


class MailSettingsIn(Strict):
    availability: dict[str, Availability] = Field(default={}, max_length=500, description="by counselor id")
    fallback_counselor_id: str | None = Field(default=None, max_length=64)
    openness: Openness = "released"


class MailSettingsOut(MailSettingsIn):
    """The centre's mail settings as stored (the same fields as the change)."""


class ThreadRecordIn(Strict):
    """A case record of the thread's contact (channel `mail`, the thread's client)."""

    occurred_on: date
    minutes: int = Field(gt=0, le=24 * 60)
    subject: Topic
    fields: dict[str, Any] = {}


class MessageOut(BaseModel):
    message_id: str
    author_role: Literal["client", "counselor"]
    author_id: str
    text: str | None
    sent_at: datetime


class DraftOut(BaseModel):
    author_id: str
    text: str | None


class ThreadSummary(BaseModel):
    thread_id: str
    client_id: str
    subject: str | None
    status: Literal["open", "answered", "released"]
    assignee_id: str | None
    created_at: datetime
    waiting_since: datetime | None
    due_at: datetime | None = Field(default=None, description="when a waiting request becomes overdue")
    overdue: bool


class AttachmentOut(BaseModel):
    attachment_id: str
    filename: str
    media_type: str
    size_bytes: int
    author_role: Literal["client", "counselor"]
    author_id: str
    uploaded_at: datetime
    url: str = Field(description="the download, for who may read the thread")


class ThreadOut(ThreadSummary):
    messages: list[MessageOut]
    personal_data: dict[str, Any] | None = Field(default=None, description="what the client gave with the request")
    attachments: list[AttachmentOut] = []
    draft: DraftOut | None = Field(default=None, description="staff only")


class ResponseFigures(BaseModel):
    answered: int = Field(description="answered waits (a reply to the client's unanswered message)")
    median_hours: float | None
    average_hours: float | None
    longest_hours: float | None
    answered_in_time: int = Field(description="answered within the centre's overdue period")


class MonthFigures(ResponseFigures):
    key: str = Field(description="YYYY-MM (Berlin)")


class MailStatistics(BaseModel):
    start: date
    end: date
    overdue_days: int
    total: ResponseFigures
    month: list[MonthFigures]
    waiting: int = Field(description="requests waiting for an answer now")
    overdue: int = Field(description="of them, overdue now")
    next_due_at: datetime | None = Field(description="when the longest waiting request is (was) due")
