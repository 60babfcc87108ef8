"""Keeping the contract read models (view, ratings, bookings) in step with the stream."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.domain.assistance import Contract
from contracts.domain.events import ContractTermsRecorded, Event, RatingTextRecorded
from contracts.readmodels.tables import bookings, contracts_view, ratings
from teilhabe_events.contexts import contracts as pub
from teilhabe_kit.bulk import SqlWrites, Writes
from teilhabe_kit.streams import Committed


def _row(c: Contract) -> dict:
    return {
        "order_id": c.order_id,
        "offer_id": c.offer_id,
        "seeker_id": c.seeker_id,
        "assistant_id": c.assistant_id,
        "organisation_id": c.organisation_id,
        "status": c.status,
        "slots": list(c.slots),
        "meeting_at": c.meeting_at,
        "draft_revision": c.draft_revision,
        "signed": sorted(c.signed),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "restricted": c.restricted,
        "erased": c.erased,
    }


async def project(conn: AsyncConnection, committed: Committed[Contract, Event]) -> None:
    """In the commit's transaction: the view from the new state, then what the state does not carry."""
    assert committed.state is not None
    await project_events(SqlWrites(conn), committed.state, committed.events)


async def project_events(writes: Writes, state: Contract, events: Iterable[Event]) -> None:
    """Upsert the view from `state`, then apply `events` (those that led to it)."""
    row = _row(state)
    row["meeting_at"] = datetime.fromisoformat(row["meeting_at"]) if row["meeting_at"] else None
    for key in ("starts_on", "ends_on"):
        row[key] = date.fromisoformat(row[key]) if row[key] else None
    await writes.upsert(
        contracts_view, row | {"contract_id": state.contract_id}, row | {"updated_at": datetime.now().astimezone()}
    )
    for event in events:
        await _apply(writes, state, event)


async def _apply(writes: Writes, c: Contract, event: Event) -> None:
    where_contract = {"contract_id": c.contract_id}
    match event:
        case ContractTermsRecorded():
            terms = event.terms
            await writes.update(
                contracts_view,
                where_contract,
                {"terms": terms["sealed"], "payer": terms["payer"], "hourly_rate_cents": terms["hourly_rate_cents"]},
            )
        case pub.ContractEnded():
            await writes.update(contracts_view, where_contract, {"end_reason": event.reason.value})
        case pub.AssistantRated():
            await writes.insert(
                ratings,
                {
                    "contract_id": c.contract_id,
                    "period": event.period,
                    "assistant_id": event.assistant_id,
                    "stars": event.stars,
                },
            )
        case RatingTextRecorded():
            await writes.update(ratings, {"contract_id": c.contract_id, "period": event.period}, {"text": event.text})
        case pub.BookingRecorded():
            view = await writes.get(contracts_view, where_contract)
            assert view is not None
            await writes.insert(
                bookings,
                {
                    "booking_id": event.booking_id,
                    "contract_id": c.contract_id,
                    "assistant_id": event.assistant_id,
                    "organisation_id": c.organisation_id,
                    "payer": view.get("payer"),
                    "hourly_rate_cents": view.get("hourly_rate_cents"),
                    "worked_on": event.worked_on,
                    "minutes": event.minutes,
                },
            )
        case pub.BookingApproved():
            await writes.update(
                bookings, {"booking_id": event.booking_id}, {"approved": True, "approved_by": event.approved_by}
            )
