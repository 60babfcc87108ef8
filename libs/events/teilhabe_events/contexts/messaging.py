"""Public events of the messaging context (topics `messaging.conversation.v1`, `messaging.notification.v1`).

Ids and non-personal facts only: message texts, documents, notification texts and contact data stay
in the messaging service (sealed with the author's key).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from teilhabe_events.registry import DomainEvent, registry


class ConversationKind(StrEnum):
    ORDER = "order"
    GROUP = "group"


class DeliveryChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class _ConversationEvent(DomainEvent):
    service: ClassVar[str] = "messaging"
    stream_type: ClassVar[str] = "conversation"


class _NotificationEvent(DomainEvent):
    service: ClassVar[str] = "messaging"
    stream_type: ClassVar[str] = "notification"


@registry.register
class ConversationOpened(_ConversationEvent):
    """A conversation was opened (stream id = conversation id)."""

    event_type: ClassVar[str] = "ConversationOpened"
    kind: ConversationKind
    order_id: str | None = None
    offer_id: str | None = None
    organisation_id: str | None = None
    opened_by: str
    participant_ids: list[str] = Field(min_length=2)


@registry.register
class MessagePosted(_ConversationEvent):
    """A participant posted a message (its text stays sealed in messaging)."""

    event_type: ClassVar[str] = "MessagePosted"
    message_id: str
    author_id: str
    with_document: bool = False


@registry.register
class NotificationCreated(_NotificationEvent):
    """A person has a new notification in their inbox (stream id = notification id)."""

    event_type: ClassVar[str] = "NotificationCreated"
    recipient_id: str
    kind: str = Field(max_length=60)
    source_event_id: str | None = None


@registry.register
class NotificationDelivered(_NotificationEvent):
    """The notification reached the person's mailbox or phone over `channel`."""

    event_type: ClassVar[str] = "NotificationDelivered"
    channel: DeliveryChannel
    attempts: int = Field(ge=1)


@registry.register
class NotificationDeliveryFailed(_NotificationEvent):
    """Delivery over `channel` was given up after `attempts` tries (no contact, or the channel kept failing)."""

    event_type: ClassVar[str] = "NotificationDeliveryFailed"
    channel: DeliveryChannel
    attempts: int = Field(ge=0)
    reason: str = Field(max_length=40, description="a code: no_contact, channel_error, expired")
