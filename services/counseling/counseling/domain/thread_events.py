"""Mail counseling's internal events (counseling's event store only, never on Kafka). The subject and
every text are sealed with the thread's own key (stream id): destroying it erases the thread's content."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from counseling.domain.events import Event


class RequestWritten(Event):
    """The client's first message: the subject (never changed afterwards), the text and the personal
    data the client chose to give (master data fields; copied into the profile or a case record only
    by a counselor's explicit action)."""

    event_type: ClassVar[str] = "MailRequestWritten"
    sealed: ClassVar[tuple[str, ...]] = ("subject", "text", "personal_data")
    sealed_json: ClassVar[tuple[str, ...]] = ("personal_data",)
    message_id: str
    subject: str | None
    text: str | None
    personal_data: dict[str, Any] | None = None


class MessageWritten(Event):
    """A later message in the thread: the client's follow-up or a counselor's reply."""

    event_type: ClassVar[str] = "MailMessageWritten"
    sealed: ClassVar[tuple[str, ...]] = ("text",)
    message_id: str
    author_id: str
    author_role: Literal["client", "counselor"]
    text: str | None


class DraftSaved(Event):
    """A counselor's draft of the reply; `cleared`: the draft was sent (no text)."""

    event_type: ClassVar[str] = "MailDraftSaved"
    sealed: ClassVar[tuple[str, ...]] = ("text",)
    author_id: str
    text: str | None
    cleared: bool = False


class MailSettingsChanged(Event):
    """Mail settings stream (id = centre): each counselor's availability, the fallback counselor and
    the openness level (who may take over a thread)."""

    event_type: ClassVar[str] = "MailSettingsChanged"
    availability: dict[str, dict]
    fallback_counselor_id: str | None
    openness: str


THREAD_EVENTS: dict[str, type[Event]] = {
    model.event_type: model for model in (RequestWritten, MessageWritten, DraftSaved, MailSettingsChanged)
}
