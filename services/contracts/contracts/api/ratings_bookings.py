"""Ratings of assistants and billing bookings (record, approve, CSV export per payer and month)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from contracts.api.assistance import SEEKER_SIDE, Payer
from contracts.api.common import PREFIX, create_once
from contracts.app import assistance as app
from contracts.app import billing
from contracts.domain import assistance as domain
from contracts.readmodels import queries
from teilhabe_kit import sealing
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.problems import Conflict, NotFound

router = APIRouter(prefix=PREFIX, tags=["ratings and bookings"])

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2027-01"])]


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: Month
    stars: int = Field(ge=1, le=5)
    text: str | None = Field(default=None, max_length=2000)


class BillingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    own_system: bool = Field(description="the provider bills with its own system: no bookings here")


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    worked_on: date
    minutes: int = Field(gt=0, le=24 * 60)


@router.post("/assistance/{contract_id}/ratings", status_code=201)
async def rate(
    request: Request, contract_id: str, body: RatingIn, principal: Principal = Depends(require_roles(*SEEKER_SIDE))
) -> dict:
    await app.rate(engine(request), contract_id, body.period, body.stars, body.text, principal)
    return {"contract_id": contract_id, "period": body.period, "stars": body.stars}


@router.get("/assistants/{assistant_id}/ratings", summary="Ratings overview of an assistant")
async def ratings_overview(
    request: Request,
    assistant_id: str,
    principal: Principal = Depends(require_roles(Role.ASSISTANT, Role.COORDINATOR, Role.ADMIN)),
) -> dict:
    async with engine(request).connect() as conn:
        if not (principal.has(Role.ADMIN) or (principal.has(Role.ASSISTANT) and principal.account_id == assistant_id)):
            # a coordinator sees the ratings of assistants who work for their provider
            works_for = await queries.works_for(conn, assistant_id, principal.organisation_id)
            if not (principal.has(Role.COORDINATOR) and principal.organisation_id and works_for):
                raise NotFound("Diese Bewertungen gibt es nicht (oder Sie dürfen sie nicht sehen).")
        rows = await queries.ratings_of(conn, assistant_id)
        items = [
            {
                "contract_id": r.contract_id,
                "period": r.period,
                "stars": r.stars,
                "text": await sealing.unseal(conn, app.record_key(r.contract_id), r.text),
            }
            for r in rows
        ]
    average = round(sum(i["stars"] for i in items) / len(items), 2) if items else None
    return {"assistant_id": assistant_id, "count": len(items), "average": average, "ratings": items}


@router.post("/assistance/{contract_id}/bookings", status_code=201)
async def record_booking(
    request: Request,
    contract_id: str,
    body: BookingIn,
    idempotency_key: IdempotencyKey = None,
    principal: Principal = Depends(require_roles(Role.ASSISTANT)),
):
    async def create(conn) -> dict:
        contract = await app.visible(conn, contract_id, principal)
        if await billing.bills_itself(conn, contract.organisation_id):
            raise Conflict(
                "Ihr Leistungs-Anbieter rechnet mit einem eigenen System ab. Bitte buchen Sie Ihre Stunden dort."
            )
        booking_id = str(uuid.uuid4())
        await app.execute(conn, contract_id, domain.RecordBooking(booking_id, body.worked_on, body.minutes), principal)
        return {"booking_id": booking_id, "contract_id": contract_id}

    return await create_once(request, principal, idempotency_key, f"booking:{contract_id}", body, create)


@router.put("/providers/{organisation_id}/billing", summary="Whether the provider bills with its own system")
async def set_billing(
    request: Request,
    organisation_id: str,
    body: BillingIn,
    principal: Principal = Depends(require_roles(Role.COORDINATOR)),
) -> dict:
    if principal.organisation_id != organisation_id:
        raise NotFound("Diesen Leistungs-Anbieter gibt es nicht (oder Sie gehören nicht dazu).")
    async with engine(request).begin() as conn:
        await billing.set_own_system(conn, organisation_id, body.own_system, principal.account_id)
    return {"organisation_id": organisation_id, "own_system": body.own_system}


@router.get("/providers/{organisation_id}/billing")
async def get_billing(
    request: Request,
    organisation_id: str,
    principal: Principal = Depends(require_roles(Role.COORDINATOR, Role.ASSISTANT, Role.ADMIN)),
) -> dict:
    async with engine(request).connect() as conn:
        return {"organisation_id": organisation_id, "own_system": await billing.bills_itself(conn, organisation_id)}


@router.get("/assistance/{contract_id}/bookings")
async def list_bookings(
    request: Request,
    contract_id: str,
    principal: Principal = Depends(require_roles(Role.ASSISTANT, Role.COORDINATOR, *SEEKER_SIDE)),
) -> list[dict]:
    async with engine(request).connect() as conn:
        await app.visible(conn, contract_id, principal)
        rows = await queries.bookings_of(conn, contract_id)
        return [
            {
                "booking_id": r.booking_id,
                "worked_on": r.worked_on.isoformat(),
                "minutes": r.minutes,
                "approved": r.approved,
            }
            for r in rows
        ]


@router.post("/assistance/{contract_id}/bookings/{booking_id}/approval")
async def approve_booking(
    request: Request,
    contract_id: str,
    booking_id: str,
    principal: Principal = Depends(require_roles(Role.COORDINATOR, *SEEKER_SIDE)),
) -> dict:
    await app.run(engine(request), contract_id, domain.ApproveBooking(booking_id), principal)
    return {"booking_id": booking_id, "approved": True}


@router.get("/bookings/export.csv", summary="Approved bookings of the caller's provider for one payer and month")
async def export_bookings(
    request: Request,
    payer: Payer,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    principal: Principal = Depends(require_roles(Role.COORDINATOR)),
) -> Response:
    first = date.fromisoformat(f"{month}-01")
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Vertrag", "Person", "Assistenz", "Datum", "Minuten", "Stundensatz (Cent)", "Betrag (Cent)"])
    async with engine(request).connect() as conn:
        rows = await queries.approved_bookings(conn, principal.organisation_id, payer.value, first, after)
    for r in rows:
        amount = round(r.minutes * r.hourly_rate_cents / 60)
        writer.writerow(
            [
                r.contract_id,
                r.seeker_id,
                r.assistant_id,
                r.worked_on.isoformat(),
                r.minutes,
                r.hourly_rate_cents,
                amount,
            ]
        )
    filename = f"abrechnung-{payer.value}-{month}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
