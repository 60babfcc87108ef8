"""The messaging projection: learns offers, memberships and guardianships, erases people, and turns
events of identity, orders, matching, contracts and counseling into notifications (once per event);
a centre's admins hear of an overdue mail request (ids only on Kafka: the notice names no content).

It works on the typed event's current-schema payload (`event.model_dump`), never on the envelope's
payload as written: an old schema version arrives upcast."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import notifications as inbox
from messaging.app.audiences import resolve
from messaging.app.chat_erasure import erase_client
from messaging.app.erasure import erase_person
from messaging.app.storage import FileStore
from messaging.domain.appointment_notices import appointment_notices
from messaging.domain.notices import notices_for
from messaging.readmodels.tables import (
    conversations,
    counseling_clients,
    guardianships,
    meetings,
    memberships,
    notifications,
    offers,
    participants,
    video_appointments,
)
from teilhabe_events import DomainEvent, EventEnvelope, topic_for

TOPICS = [
    topic_for("identity", "account"),
    topic_for("orders", "order"),
    topic_for("matching", "order"),
    topic_for("contracts", "contract"),
    topic_for("counseling", "client"),
    topic_for("counseling", "mail_thread"),
    topic_for("appointments", "calendar"),
]


class MessagingProjection:
    """Consumer group ``messaging``; replay empties what it learned, notifications stay idempotent."""

    def __init__(self, store: FileStore, *, name: str = "messaging", topics: list[str] | None = None) -> None:
        self.name = name
        self.topics = topics or TOPICS
        self._store = store

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        payload = event.model_dump(mode="json")
        await self._learn(conn, envelope, payload)
        notices = notices_for(envelope.event_type, envelope.stream_id, payload, envelope.actor_id)
        for notice in notices + appointment_notices(envelope.event_type, payload):
            for person in await resolve(conn, notice.to):
                await inbox.create(
                    conn, notice, person, source_event_id=str(envelope.event_id), causation_id=envelope.event_id
                )

    async def _learn(self, conn: AsyncConnection, envelope: EventEnvelope, p: dict[str, Any]) -> None:
        stream_id = envelope.stream_id
        match envelope.event_type:
            case "OfferSubmitted":
                await conn.execute(
                    insert(offers)
                    .values(
                        offer_id=p["offer_id"],
                        order_id=stream_id,
                        seeker_id=p["seeker_id"],
                        kind=p["kind"],
                        assistant_id=p.get("assistant_id"),
                        organisation_id=p.get("organisation_id"),
                        submitted_by=p["submitted_by"],
                    )
                    .on_conflict_do_nothing()
                )
            case "OfferWithdrawn" | "OfferDeclined":
                await conn.execute(update(offers).where(offers.c.offer_id == p["offer_id"]).values(withdrawn=True))
            case "AssistantProposed":  # the proposed assistant joins the provider's conversation
                await conn.execute(
                    update(offers).where(offers.c.offer_id == p["offer_id"]).values(assistant_id=p["assistant_id"])
                )
                conversation_id = await conn.scalar(
                    select(conversations.c.id).where(conversations.c.offer_id == p["offer_id"])
                )
                if conversation_id:
                    await conn.execute(
                        insert(participants)
                        .values(
                            conversation_id=conversation_id,
                            person_id=p["assistant_id"],
                            role="assistant",
                        )
                        .on_conflict_do_nothing()
                    )
            case "MembershipApproved":
                await _member(conn, stream_id, p["organisation_id"], p["role"])
            case "MembershipEnded":
                await _member(conn, stream_id, p["organisation_id"], None)
            case "GuardianAssigned":
                await conn.execute(
                    insert(guardianships)
                    .values(ward_id=stream_id, guardian_id=p["guardian_id"])
                    .on_conflict_do_nothing()
                )
            case "GuardianshipEnded":
                await conn.execute(
                    delete(guardianships).where(
                        guardianships.c.ward_id == stream_id, guardianships.c.guardian_id == p["guardian_id"]
                    )
                )
            case "MeetingScheduled":
                values = {
                    "seeker_id": p["seeker_id"],
                    "assistant_id": p["assistant_id"],
                    "organisation_id": p.get("organisation_id"),
                    "meeting_at": datetime.fromisoformat(p["meeting_at"]),
                }
                await conn.execute(
                    insert(meetings)
                    .values(contract_id=p.get("contract_id") or stream_id, **values)
                    .on_conflict_do_update(index_elements=["contract_id"], set_=values)
                )
            case "AvailabilityRequestClosed":  # nothing left to answer: the request's notice counts as read
                await conn.execute(
                    update(notifications)
                    .where(
                        notifications.c.recipient_id == p["assistant_id"],
                        notifications.c.kind == "availability_request",
                        notifications.c.link == f"/assistenz/anfragen/{p['request_id']}",
                        notifications.c.read_at.is_(None),
                    )
                    .values(read_at=func.now())
                )
            case "StaffJoined" | "StaffRoleChanged":  # a counseling centre's team (its admins hear of overdue mail)
                await _member(conn, stream_id, p["centre_id"], p["role"])
            case "StaffRemoved":
                await _member(conn, stream_id, p["centre_id"], None)
            case "SlotBooked" if p["channel"] == "video":  # who may enter the appointment's video room
                values = {
                    "centre_id": p["centre_id"],
                    "counselor_id": p["counselor_id"],
                    "client_id": p["client_id"],
                    "starts_at": datetime.fromisoformat(p["starts_at"]),
                }
                await conn.execute(
                    insert(video_appointments)
                    .values(booking_id=p["booking_id"], **values)
                    .on_conflict_do_update(index_elements=["booking_id"], set_=values)
                )
            case "BookingRescheduled":
                await conn.execute(
                    update(video_appointments)
                    .where(video_appointments.c.booking_id == p["booking_id"])
                    .values(starts_at=datetime.fromisoformat(p["starts_at"]))
                )
            case "BookingCancelled":
                await conn.execute(delete(video_appointments).where(video_appointments.c.booking_id == p["booking_id"]))
            case "ClientRegistered":
                await conn.execute(
                    insert(counseling_clients)
                    .values(client_id=stream_id, centre_id=p["centre_id"])
                    .on_conflict_do_update(index_elements=["client_id"], set_={"centre_id": p["centre_id"]})
                )
            case "ClientErased":
                await erase_client(conn, stream_id)
            case "AccountErased":
                await erase_person(conn, stream_id, self._store)
                await erase_client(conn, stream_id)

    async def reset(self, conn: AsyncConnection) -> None:
        for table in (offers, memberships, guardianships, meetings, counseling_clients, video_appointments):
            await conn.execute(delete(table))


async def _member(conn: AsyncConnection, account_id: str, organisation_id: str, role: str | None) -> None:
    """The person's role in the organisation (a provider's, a facility's or a counseling centre's); None: gone."""
    if role is None:
        await conn.execute(
            delete(memberships).where(
                memberships.c.account_id == account_id, memberships.c.organisation_id == organisation_id
            )
        )
        return
    await conn.execute(
        insert(memberships)
        .values(account_id=account_id, organisation_id=organisation_id, role=role)
        .on_conflict_do_update(index_elements=["account_id", "organisation_id"], set_={"role": role})
    )
