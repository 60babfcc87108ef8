"""Identity's own projections, updated in the append's transaction (and by `identity.replay`).

Sealed fields are opened with the person's key; once the person is erased they read as None, so
a rebuild after erasure reproduces the erased rows.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.domain import events as e
from identity.domain.account import Status
from identity.domain.clients import login_name
from identity.readmodels.tables import (
    accounts,
    centre_staff,
    guardianships,
    organisations,
    seat_requests,
    verification_steps,
)
from teilhabe_events import EventEnvelope
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit import postcodes, sealing

PERSONAL_COLUMNS = (
    "name",
    "login_name",
    "email",
    "phone",
    "introduction",
    "postcode",
    "lat",
    "lon",
    "refusal_reason",
    "lock_reason",
)


async def opened(conn: AsyncConnection, envelope: EventEnvelope) -> e.Event:
    """The event with its sealed fields opened (None once erased)."""
    model = e.EVENTS[envelope.event_type]
    payload = dict(envelope.payload)
    for name in model.sealed:
        value = await sealing.unseal(conn, envelope.stream_id, payload.get(name))  # absent in older events
        payload[name] = json.loads(value) if name in model.sealed_json and value is not None else value
    return model.model_validate(payload)


def _place(postcode: str | None) -> dict:
    found = postcodes.lookup(postcode) if postcode else None
    return {"postcode": postcode, "lat": found[0] if found else None, "lon": found[1] if found else None}


async def project(conn: AsyncConnection, envelope: EventEnvelope) -> None:
    event = await opened(conn, envelope)
    at = envelope.occurred_at
    account_id = envelope.stream_id
    change: dict[str, Any] | None = None
    match event:
        case e.Registered():
            await conn.execute(
                insert(accounts).values(
                    id=account_id,
                    role=event.role,
                    status=Status.PENDING,
                    organisation_id=event.organisation_id,
                    self_employed=event.self_employed,
                    created_by=event.created_by,
                    name=event.name,
                    login_name=login_name(event.name) if event.role == AccountRole.CLIENT and event.name else None,
                    email=event.email,
                    phone=event.phone,
                    introduction=event.introduction,
                    **_place(event.postcode),
                    radius_km=event.radius_km,
                    activities=list(event.activities or event.needs or ()),
                    ranges=[r.model_dump(mode="json") for r in event.ranges or event.time_windows or ()],
                    traits=list(event.traits),
                    consents=[c.model_dump(mode="json") for c in event.consents],
                    created_at=at,
                    updated_at=at,
                )
            )
        case e.StepRecorded():
            await conn.execute(
                insert(verification_steps).values(
                    account_id=account_id,
                    step=event.step,
                    reason=event.reason,
                    recorded_by=event.recorded_by,
                    recorded_at=at,
                )
            )
        case e.Activated():
            change = {"status": Status.ACTIVE}
        case e.Refused():
            change = {"status": Status.REFUSED, "refusal_reason": event.reason}
        case e.MembershipApproved():
            change = {"organisation_id": event.organisation_id}
        case e.MembershipEnded():
            change = {"organisation_id": None}
        case e.Locked():
            change = {"locked": True, "lock_reason": event.reason}
        case e.Unlocked():
            change = {"locked": False, "lock_reason": None}
        case e.DeletionRequested():
            change = {"erase_after": event.erase_after}
        case e.Restored():
            change = {"erase_after": None}
        case e.Erased():
            change = {"status": Status.ERASED, "activities": [], "ranges": [], "traits": []}
            change |= {c: None for c in PERSONAL_COLUMNS}
            await conn.execute(delete(verification_steps).where(verification_steps.c.account_id == account_id))
            await conn.execute(delete(guardianships).where(guardianships.c.ward_id == account_id))
            await conn.execute(delete(centre_staff).where(centre_staff.c.account_id == account_id))
        case e.ContactChanged():
            change = event.model_dump(include={"name", "email", "phone", "introduction"})
        case e.ActivitiesChanged():
            change = {"activities": list(event.activities)}
        case e.RangesChanged():
            change = {"ranges": [r.model_dump(mode="json") for r in event.ranges]}
        case e.NeedsChanged():
            change = {"activities": list(event.needs or ())}
        case e.TimeWindowsChanged():
            change = {"ranges": [r.model_dump(mode="json") for r in event.time_windows or ()]}
        case e.TraitsChanged():
            change = {"traits": list(event.traits)}
        case e.PlaceChanged():
            change = _place(event.postcode) | {"radius_km": event.radius_km}
        case e.GuardianAssigned():
            await conn.execute(
                insert(guardianships).values(
                    ward_id=account_id,
                    guardian_id=event.guardian_id,
                    acts_until=event.acts_until,
                    birth_date=date.fromisoformat(event.birth_date) if event.birth_date else None,
                )
            )
        case e.GuardianshipEnded():
            await conn.execute(
                delete(guardianships).where(
                    guardianships.c.ward_id == account_id, guardianships.c.guardian_id == event.guardian_id
                )
            )
        case e.OrganisationCreated():
            await conn.execute(
                insert(organisations).values(
                    id=account_id,
                    kind=event.organisation_kind,
                    name=event.name,
                    postcode=event.postcode,
                    created_at=at,
                )
            )
        case e.StaffInvited() | e.StaffJoined() | e.StaffRoleChanged() | e.StaffRemoved():
            await _project_staff(conn, account_id, event, at)
        case e.AgreementSigned():
            await conn.execute(
                update(organisations).where(organisations.c.id == account_id).values(agreement_signed=True)
            )
        case e.SeatsChanged():
            await conn.execute(update(organisations).where(organisations.c.id == account_id).values(seats=event.seats))
        case e.ClientRetentionChanged():
            await conn.execute(
                update(organisations).where(organisations.c.id == account_id).values(client_retention_days=event.days)
            )
        case e.SeatsRequested():
            await conn.execute(
                insert(seat_requests).values(
                    request_id=event.request_id,
                    centre_id=account_id,
                    seats=event.seats,
                    note=event.note,
                    requested_by=event.requested_by,
                    requested_at=at,
                )
            )
    if change is not None:
        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(**change, updated_at=at))


async def _project_staff(
    conn: AsyncConnection,
    account_id: str,
    event: e.StaffInvited | e.StaffJoined | e.StaffRoleChanged | e.StaffRemoved,
    at: datetime,
) -> None:
    """The team table `centre_staff` (one row per account and centre)."""
    member = (centre_staff.c.account_id == account_id) & (centre_staff.c.centre_id == event.centre_id)
    match event:
        case e.StaffInvited():
            row = {
                "role": event.role,
                "joined": False,
                "invitation_id": event.invitation_id,
                "expires_at": event.expires_at,
                "invited_at": at,
                "joined_at": None,
            }
            await conn.execute(
                insert(centre_staff)
                .values(account_id=account_id, centre_id=event.centre_id, **row)
                .on_conflict_do_update(index_elements=["centre_id", "account_id"], set_=row)
            )
        case e.StaffJoined():
            await conn.execute(update(centre_staff).where(member).values(joined=True, joined_at=at, role=event.role))
        case e.StaffRoleChanged():
            await conn.execute(update(centre_staff).where(member).values(role=event.role))
        case e.StaffRemoved():
            await conn.execute(delete(centre_staff).where(member))
