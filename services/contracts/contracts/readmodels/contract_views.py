"""Keeping the contract read models (view, ratings, bookings) in step with the stream."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.domain.assistance import RATING_TEXT_RECORDED, TERMS_RECORDED, Contract
from contracts.readmodels.tables import bookings, contracts_view, ratings
from teilhabe_events import EventEnvelope


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


async def project(conn: AsyncConnection, state: Contract, envelopes: Sequence[EventEnvelope]) -> None:
    """Upsert the view from the new state, then apply what the state does not carry."""
    row = _row(state)
    row["meeting_at"] = datetime.fromisoformat(row["meeting_at"]) if row["meeting_at"] else None
    for key in ("starts_on", "ends_on"):
        row[key] = date.fromisoformat(row[key]) if row[key] else None
    await conn.execute(
        insert(contracts_view)
        .values(contract_id=state.contract_id, **row)
        .on_conflict_do_update(index_elements=["contract_id"], set_=row | {"updated_at": datetime.now().astimezone()})
    )
    for envelope in envelopes:
        await _apply(conn, state, envelope)


async def _apply(conn: AsyncConnection, c: Contract, e: EventEnvelope) -> None:
    d = e.payload
    where_contract = contracts_view.c.contract_id == c.contract_id
    match e.event_type:
        case _ if e.event_type == TERMS_RECORDED:
            terms = d["terms"]
            await conn.execute(
                update(contracts_view)
                .where(where_contract)
                .values(terms=terms["sealed"], payer=terms["payer"], hourly_rate_cents=terms["hourly_rate_cents"])
            )
        case "ContractEnded":
            await conn.execute(update(contracts_view).where(where_contract).values(end_reason=d["reason"]))
        case "AssistantRated":
            await conn.execute(
                insert(ratings).values(
                    contract_id=c.contract_id, period=d["period"], assistant_id=d["assistant_id"], stars=d["stars"]
                )
            )
        case _ if e.event_type == RATING_TEXT_RECORDED:
            await conn.execute(
                update(ratings)
                .where(ratings.c.contract_id == c.contract_id, ratings.c.period == d["period"])
                .values(text=d["text"])
            )
        case "BookingRecorded":
            view = (
                await conn.execute(
                    select(contracts_view.c.payer, contracts_view.c.hourly_rate_cents).where(where_contract)
                )
            ).one()
            await conn.execute(
                insert(bookings).values(
                    booking_id=d["booking_id"],
                    contract_id=c.contract_id,
                    assistant_id=d["assistant_id"],
                    organisation_id=c.organisation_id,
                    payer=view.payer,
                    hourly_rate_cents=view.hourly_rate_cents,
                    worked_on=date.fromisoformat(d["worked_on"]),
                    minutes=d["minutes"],
                )
            )
        case "BookingApproved":
            await conn.execute(
                update(bookings)
                .where(bookings.c.booking_id == d["booking_id"])
                .values(approved=True, approved_by=d["approved_by"])
            )
