"""Keeping the enrollment view in step with its stream."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.domain import enrollment as domain
from contracts.domain import events as ev
from contracts.domain.events import Event
from contracts.readmodels.tables import enrollments_view
from teilhabe_events.contexts import contracts as pub
from teilhabe_kit.bulk import SqlWrites, Writes
from teilhabe_kit.streams import Committed


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(e: domain.Enrollment) -> dict:
    return {
        "offer_id": e.offer_id,
        "facility_id": e.facility_id,
        "participant_id": e.participant_id,
        "applicant_id": e.applicant_id,
        "minor": e.minor,
        "status": e.status.value,
        "interview_at": datetime.fromisoformat(e.interview_at) if e.interview_at else None,
        "income_declared": e.income_declared,
        "proof_demanded": e.proof_demanded,
        "proof_delivered": e.proof_delivered,
        "starts_on": _date(e.starts_on),
        "ends_on": _date(e.ends_on),
        "respond_by": _date(e.respond_by),
        "monthly_fee_cents": e.monthly_fee_cents,
        "fee_basis": e.fee_basis,
        "restricted": e.restricted,
        "erased": e.erased,
    }


async def project(conn: AsyncConnection, committed: Committed[domain.Enrollment, Event]) -> None:
    """In the commit's transaction: the view from the new state and what the state does not carry."""
    assert committed.state is not None
    await project_events(SqlWrites(conn), committed.state, committed.events)


async def project_events(writes: Writes, state: domain.Enrollment, events: Iterable[Event]) -> None:
    row = _row(state)
    await writes.upsert(
        enrollments_view, row | {"enrollment_id": state.enrollment_id}, row | {"updated_at": datetime.now(UTC)}
    )
    where = {"enrollment_id": state.enrollment_id}
    for event in events:
        match event:
            case ev.RegistrationDataRecorded():
                values = {"registration": event.registration}
                if event.customer_number is not None:
                    values["customer_number"] = event.customer_number
                await writes.update(enrollments_view, where, values)
            case pub.CustomerNumberAssigned():
                await writes.update(enrollments_view, where, {"customer_number": event.customer_number})
            case pub.ContractNumberAssigned():
                await writes.update(enrollments_view, where, {"contract_number": event.contract_number})
            case ev.EmergencyContactsRecorded():
                await writes.update(enrollments_view, where, {"emergency_contacts": event.contacts})
            case ev.PickupPersonRecorded():
                person = {
                    "person_id": event.person_id,
                    "name": event.name,
                    "photo_document_id": event.photo_document_id,
                }
                await writes.update(
                    enrollments_view, where, {"pickup_persons": [*await _pickup_persons(writes, where), person]}
                )
            case ev.PickupPersonRemoved():
                persons = await _pickup_persons(writes, where)
                await writes.update(
                    enrollments_view,
                    where,
                    {"pickup_persons": [p for p in persons if p["person_id"] != event.person_id]},
                )


async def _pickup_persons(writes: Writes, where: dict) -> list[dict]:
    view = await writes.get(enrollments_view, where)
    return list((view or {}).get("pickup_persons") or [])
