"""Public events of counseling chats (Sofortchat, assisto Chat, anonymous walk-in chat; seed 003)
in the messaging service.

Topic `messaging.counseling_chat.v1`, stream id = the chat's id. Ids, codes and times only: the
texts, the group's title and the walk-in guest's pseudonym stay in messaging, sealed with the
chat's own key (destroyed when the client is erased). A walk-in guest appears by an opaque
`guest-…` id that no account carries.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from teilhabe_events.registry import DomainEvent, registry

ChatKind = Literal["client", "walk_in", "group"]
EndedBy = Literal["client", "guest", "counselor", "expired"]


class _ChatEvent(DomainEvent):
    service: ClassVar[str] = "messaging"
    stream_type: ClassVar[str] = "counseling_chat"


@registry.register
class CounselingChatRequested(_ChatEvent):
    """A client or an anonymous walk-in guest entered `centre_id`'s chat queue."""

    event_type: ClassVar[str] = "CounselingChatRequested"
    centre_id: str
    kind: ChatKind
    requested_by: str = Field(description="the client's account id or the guest's opaque id")


@registry.register
class CounselingChatAccepted(_ChatEvent):
    """A counselor took the waiting chat (exactly one does)."""

    event_type: ClassVar[str] = "CounselingChatAccepted"
    centre_id: str
    counselor_id: str
    waited_seconds: int = Field(ge=0)


@registry.register
class CounselingChatOpened(_ChatEvent):
    """A counselor opened a chat with clients of the centre at once (one client, or a group)."""

    event_type: ClassVar[str] = "CounselingChatOpened"
    centre_id: str
    kind: ChatKind
    opened_by: str
    member_ids: list[str] = Field(min_length=2)


@registry.register
class CounselingChatMessagePosted(_ChatEvent):
    """A member wrote in the chat (the text stays sealed in messaging)."""

    event_type: ClassVar[str] = "CounselingChatMessagePosted"
    centre_id: str
    message_id: str
    author_id: str
    seq: int = Field(ge=1)


@registry.register
class CounselingChatEnded(_ChatEvent):
    """The chat was ended by one side (or its walk-in credential expired while waiting)."""

    event_type: ClassVar[str] = "CounselingChatEnded"
    centre_id: str
    ended_by: EndedBy


@registry.register
class WalkInChatClaimed(_ChatEvent):
    """The walk-in guest signed in as a client of the centre and took the chat into their account."""

    event_type: ClassVar[str] = "WalkInChatClaimed"
    centre_id: str
    guest_id: str
    client_id: str


@registry.register
class ChatVideoCallStarted(_ChatEvent):
    """A member started a video call from the chat (the room's links stay in messaging)."""

    event_type: ClassVar[str] = "ChatVideoCallStarted"
    centre_id: str
    room_id: str
    started_by: str
