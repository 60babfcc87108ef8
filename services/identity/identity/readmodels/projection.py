"""Identity's own projections, updated in the append's transaction (and by `identity.replay`).

Sealed fields are opened with the person's key; once the person is erased they read as None, so
a rebuild after erasure reproduces the erased rows.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

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
from teilhabe_kit.bulk import SqlWrites, Writes

PERSONAL_COLUMNS = (
    "name",
    "login_name",
    "staff_login",
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
    key = await sealing.key_of(conn, envelope.stream_id) if model.sealed else None
    return opened_with(key, envelope)


def opened_with(key: bytes | None, envelope: EventEnvelope) -> e.Event:
    """`opened` with the person's key at hand (a rebuild loads every key at once)."""
    model = e.EVENTS[envelope.event_type]
    payload = dict(envelope.payload)
    for name in model.sealed:
        value = sealing.open_with(key, envelope.stream_id, payload.get(name))  # absent in older events
        payload[name] = json.loads(value) if name in model.sealed_json and value is not None else value
    return model.model_validate(payload)


def _place(postcode: str | None) -> dict:
    found = postcodes.lookup(postcode) if postcode else None
    return {"postcode": postcode, "lat": found[0] if found else None, "lon": found[1] if found else None}


async def project(conn: AsyncConnection, envelope: EventEnvelope) -> None:
    """The projections of one event, live (a statement each, in the append's transaction)."""
    await apply(SqlWrites(conn), envelope, await opened(conn, envelope))


async def apply(writes: Writes, envelope: EventEnvelope, event: e.Event) -> None:
    """The row changes of one opened event, through `writes` (SQL live, memory in a rebuild)."""
    at = envelope.occurred_at
    account_id = envelope.stream_id
    change: dict[str, Any] | None = None
    match event:
        case e.Registered():
            await writes.insert(
                accounts,
                dict(
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
                ),
            )
        case e.StepRecorded():
            await writes.insert(
                verification_steps,
                dict(
                    account_id=account_id,
                    step=event.step,
                    reason=event.reason,
                    recorded_by=event.recorded_by,
                    recorded_at=at,
                ),
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
            await writes.delete(verification_steps, {"account_id": account_id})
            await writes.delete(guardianships, {"ward_id": account_id})
            await writes.delete(centre_staff, {"account_id": account_id})
        case e.ContactChanged():
            change = event.model_dump(include={"name", "email", "phone", "introduction"})
        case e.LoginNameChanged():
            change = {"staff_login": event.login_name.casefold() if event.login_name else None}
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
            await writes.insert(
                guardianships,
                dict(
                    ward_id=account_id,
                    guardian_id=event.guardian_id,
                    acts_until=event.acts_until,
                    birth_date=date.fromisoformat(event.birth_date) if event.birth_date else None,
                ),
            )
        case e.GuardianshipEnded():
            await writes.delete(guardianships, {"ward_id": account_id, "guardian_id": event.guardian_id})
        case e.OrganisationCreated():
            await writes.insert(
                organisations,
                dict(
                    id=account_id, kind=event.organisation_kind, name=event.name, postcode=event.postcode, created_at=at
                ),
            )
        case e.StaffInvited() | e.StaffJoined() | e.StaffRoleChanged() | e.StaffRemoved():
            await _project_staff(writes, account_id, event, at)
        case e.AgreementSigned():
            await writes.update(organisations, {"id": account_id}, {"agreement_signed": True})
        case e.SeatsChanged():
            await writes.update(organisations, {"id": account_id}, {"seats": event.seats})
        case e.ClientRetentionChanged():
            await writes.update(organisations, {"id": account_id}, {"client_retention_days": event.days})
        case e.SeatsRequested():
            await writes.insert(
                seat_requests,
                dict(
                    request_id=event.request_id,
                    centre_id=account_id,
                    seats=event.seats,
                    note=event.note,
                    requested_by=event.requested_by,
                    requested_at=at,
                ),
            )
    if change is not None:
        await writes.update(accounts, {"id": account_id}, change | {"updated_at": at})


async def _project_staff(
    writes: Writes,
    account_id: str,
    event: e.StaffInvited | e.StaffJoined | e.StaffRoleChanged | e.StaffRemoved,
    at: datetime,
) -> None:
    """The team table `centre_staff` (one row per account and centre)."""
    member = {"account_id": account_id, "centre_id": event.centre_id}
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
            await writes.upsert(centre_staff, member | row, row)
        case e.StaffJoined():
            await writes.update(centre_staff, member, {"joined": True, "joined_at": at, "role": event.role})
        case e.StaffRoleChanged():
            await writes.update(centre_staff, member, {"role": event.role})
        case e.StaffRemoved():
            await writes.delete(centre_staff, member)
