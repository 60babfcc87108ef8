"""Public events of mail counseling (Mailberatung, seed 003) in the counseling service.

Topic `counseling.mail_thread.v1`, stream id = the thread's id. Ids, codes and times only: the
subject and every text of a thread stay in counseling's event store, sealed with the thread's own
key (destroyed when the client is erased).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from teilhabe_events.registry import DomainEvent, registry

AssignmentReason = Literal["previous", "primary", "available", "fallback", "taken_over"]


class _ThreadEvent(DomainEvent):
    service: ClassVar[str] = "counseling"
    stream_type: ClassVar[str] = "mail_thread"


@registry.register
class MailRequestReceived(_ThreadEvent):
    """A client of `centre_id` sent a new request (the thread's first message)."""

    event_type: ClassVar[str] = "MailRequestReceived"
    centre_id: str
    client_id: str
    message_id: str


@registry.register
class MailThreadAssigned(_ThreadEvent):
    """The thread has one assignee now, chosen by the centre's rules (`reason`) or taken over."""

    event_type: ClassVar[str] = "MailThreadAssigned"
    centre_id: str
    counselor_id: str
    reason: AssignmentReason


@registry.register
class MailReplySent(_ThreadEvent):
    """A counselor answered the thread."""

    event_type: ClassVar[str] = "MailReplySent"
    centre_id: str
    client_id: str
    counselor_id: str
    message_id: str


@registry.register
class MailFollowUpReceived(_ThreadEvent):
    """The client wrote again in the thread."""

    event_type: ClassVar[str] = "MailFollowUpReceived"
    centre_id: str
    client_id: str
    message_id: str


@registry.register
class MailThreadReleased(_ThreadEvent):
    """The assignee released the thread ("Entwurf speichern und freigeben") for a colleague to take over."""

    event_type: ClassVar[str] = "MailThreadReleased"
    centre_id: str
    counselor_id: str
    with_draft: bool


@registry.register
class MailThreadOverdue(_ThreadEvent):
    """The thread waited longer than the centre's overdue period: escalated to the centre's admins."""

    event_type: ClassVar[str] = "MailThreadOverdue"
    centre_id: str
    counselor_id: str | None
    waiting_since: datetime
    overdue_days: int
