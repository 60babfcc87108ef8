"""Queries over the contract, enrollment, offer, rating and booking views (what the API reads)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.domain import assistance as domain
from contracts.readmodels.tables import bookings, contracts_view, enrollments_view, facility_offers, ratings

View = Literal["planned", "active", "finished"]


def _in_view(view: View, today: date) -> ColumnElement[bool]:
    """planned: on the way to a contract or not yet started; active: running (also under notice);
    finished: declined, cancelled, or past its last day."""
    v = contracts_view.c
    started = v.starts_on <= today
    if view == "planned":
        return v.status.in_(domain.OPEN_STATES) | ((v.status == "ratified") & ~started)
    if view == "active":
        return ((v.status == "ratified") & started) | ((v.status == "ended") & (v.ends_on > today))
    return v.status.in_(["declined", "cancelled"]) | ((v.status == "ended") & (v.ends_on <= today))


async def contract_row(conn: AsyncConnection, contract_id: str):
    return (await conn.execute(select(contracts_view).where(contracts_view.c.contract_id == contract_id))).one()


async def contracts_in_view(
    conn: AsyncConnection,
    view: View,
    today: date,
    *,
    everyone: bool = False,
    seeker_ids: Sequence[str] = (),
    assistant_id: str | None = None,
    organisation_id: str | None = None,
    limit: int,
    offset: int,
) -> list:
    """Contracts in `view` on `today`, newest change first: all of them (`everyone`), else those of the
    given seekers, assistant or provider; restricted ones only to their provider."""
    v = contracts_view.c
    query = select(contracts_view).where(_in_view(view, today), v.erased.is_(False))
    if not everyone:
        mine: list[ColumnElement[bool]] = []
        if seeker_ids:
            mine.append(v.seeker_id.in_(seeker_ids))
        if assistant_id is not None:
            mine.append(v.assistant_id == assistant_id)
        if organisation_id is not None:
            mine.append(v.organisation_id == organisation_id)
        if not mine:
            return []
        visible: ColumnElement[bool] = v.restricted.is_(False)
        if organisation_id is not None:  # legal need of the provider
            visible = visible | (v.organisation_id == organisation_id)
        query = query.where(or_(*mine), visible)
    query = query.order_by(v.updated_at.desc()).limit(limit).offset(offset)
    return list(await conn.execute(query))


async def works_for(conn: AsyncConnection, assistant_id: str, organisation_id: str | None) -> bool:
    """Whether the assistant has a contract through the provider."""
    v = contracts_view.c
    return bool(
        await conn.scalar(select(exists().where(v.assistant_id == assistant_id, v.organisation_id == organisation_id)))
    )


async def ratings_of(conn: AsyncConnection, assistant_id: str) -> list:
    query = select(ratings).where(ratings.c.assistant_id == assistant_id).order_by(ratings.c.period.desc())
    return list(await conn.execute(query))


async def bookings_of(conn: AsyncConnection, contract_id: str) -> list:
    query = select(bookings).where(bookings.c.contract_id == contract_id).order_by(bookings.c.worked_on)
    return list(await conn.execute(query))


async def approved_bookings(conn: AsyncConnection, organisation_id: str | None, payer: str, first: date, after: date):
    """The provider's approved bookings for one payer from `first` to before `after`, with the seeker."""
    query = (
        select(bookings, contracts_view.c.seeker_id)
        .join(contracts_view, contracts_view.c.contract_id == bookings.c.contract_id)
        .where(
            and_(
                bookings.c.organisation_id == organisation_id,
                bookings.c.payer == payer,
                bookings.c.approved.is_(True),
                bookings.c.worked_on >= first,
                bookings.c.worked_on < after,
                contracts_view.c.erased.is_(False),
            )
        )
        .order_by(bookings.c.contract_id, bookings.c.worked_on)
    )
    return list(await conn.execute(query))


async def facility_offers_page(conn: AsyncConnection, facility_id: str | None, *, limit: int, offset: int) -> list:
    query = select(facility_offers).order_by(facility_offers.c.starts_on).limit(limit).offset(offset)
    if facility_id:
        query = query.where(facility_offers.c.facility_id == facility_id)
    return list(await conn.execute(query))


async def enrollment_row(conn: AsyncConnection, enrollment_id: str):
    query = select(enrollments_view).where(enrollments_view.c.enrollment_id == enrollment_id)
    return (await conn.execute(query)).one()


async def enrollments(
    conn: AsyncConnection,
    *,
    everyone: bool = False,
    facility_id: str | None = None,
    account_id: str | None = None,
    wards: Sequence[str] = (),
    status: str | None = None,
    offer_id: str | None = None,
    limit: int,
    offset: int,
) -> list:
    """Enrollments, newest change first: all (`everyone`), the facility's, or those in which one of
    whose applicant or participant is `account_id`, or whose participant is one of `wards` (restricted
    ones left out)."""
    v = enrollments_view.c
    query = select(enrollments_view).where(v.erased.is_(False))
    if facility_id is not None:
        query = query.where(v.facility_id == facility_id)
    elif not everyone:
        mine: list[ColumnElement[bool]] = [v.applicant_id == account_id, v.participant_id == account_id]
        if wards:
            mine.append(v.participant_id.in_(wards))
        query = query.where(or_(*mine), v.restricted.is_(False))
    if status is not None:
        query = query.where(v.status == status)
    if offer_id is not None:
        query = query.where(v.offer_id == offer_id)
    query = query.order_by(v.updated_at.desc()).limit(limit).offset(offset)
    return list(await conn.execute(query))


async def care_row(conn: AsyncConnection, enrollment_id: str):
    """The sealed emergency contacts and pick-up persons of an enrollment."""
    v = enrollments_view.c
    return (
        await conn.execute(select(v.emergency_contacts, v.pickup_persons).where(v.enrollment_id == enrollment_id))
    ).one()
