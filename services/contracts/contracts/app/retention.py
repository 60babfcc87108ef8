"""Retention and erasure.

Contracts and their documents are kept for the legal retention period after they ended, then
erased by destroying their record key (every sealed value and document of the record reads as
erased; the streams still replay). An erasure request or an erased account during the retention
period restricts processing instead: only the provider or facility (legal need) and admins see
the record, and nothing changes it any more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app import assistance, enrollment
from contracts.domain import assistance as contract_domain
from contracts.domain import enrollment as enrollment_domain
from contracts.readmodels.tables import contracts_view, enrollments_view, interested_persons
from teilhabe_kit import sealing

NOT_CONCLUDED_YEARS = 1
"""Processes that never became a contract are kept one year (for questions and complaints)."""


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


async def restrict_person(conn: AsyncConnection, person_id: str) -> dict[str, int]:
    """Erasure requested: the person's registration data goes, their contract records are restricted."""
    await sealing.erase(conn, person_id)
    await conn.execute(interested_persons.delete().where(interested_persons.c.person_id == person_id))
    contracts = (
        await conn.scalars(
            select(contracts_view.c.contract_id).where(
                or_(contracts_view.c.seeker_id == person_id, contracts_view.c.assistant_id == person_id),
                contracts_view.c.erased.is_(False),
            )
        )
    ).all()
    for contract_id in contracts:
        await assistance.execute(conn, contract_id, contract_domain.RestrictProcessing(), None)
    enrollments = (
        await conn.scalars(
            select(enrollments_view.c.enrollment_id).where(
                or_(enrollments_view.c.participant_id == person_id, enrollments_view.c.applicant_id == person_id),
                enrollments_view.c.erased.is_(False),
            )
        )
    ).all()
    for enrollment_id in enrollments:
        await enrollment.execute(conn, enrollment_id, enrollment_domain.RestrictProcessing(), None)
    return {"contracts": len(contracts), "enrollments": len(enrollments)}


async def erase_expired(conn: AsyncConnection, as_of: date, retention_years: int) -> dict[str, int]:
    """Erase every record whose retention period passed by `as_of`."""
    kept_from = _years_before(as_of, retention_years)
    unconcluded_from = datetime.combine(_years_before(as_of, NOT_CONCLUDED_YEARS), time(), UTC)
    contracts = (
        await conn.scalars(
            select(contracts_view.c.contract_id).where(
                contracts_view.c.erased.is_(False),
                or_(
                    (contracts_view.c.status == "ended") & (contracts_view.c.ends_on < kept_from),
                    contracts_view.c.status.in_(["declined", "cancelled"])
                    & (contracts_view.c.updated_at < unconcluded_from),
                ),
            )
        )
    ).all()
    for contract_id in contracts:
        await assistance.execute(conn, contract_id, contract_domain.EraseContract(), None)
        await sealing.erase(conn, assistance.record_key(contract_id))
    enrollments = (
        await conn.scalars(
            select(enrollments_view.c.enrollment_id).where(
                enrollments_view.c.erased.is_(False),
                or_(
                    (enrollments_view.c.status == "ratifiziert") & (enrollments_view.c.ends_on < kept_from),
                    (enrollments_view.c.status != "ratifiziert") & (enrollments_view.c.updated_at < unconcluded_from),
                ),
            )
        )
    ).all()
    for enrollment_id in enrollments:
        await enrollment.execute(conn, enrollment_id, enrollment_domain.EraseEnrollment(), None)
        await sealing.erase(conn, enrollment.record_key(enrollment_id))
    return {"contracts": len(contracts), "enrollments": len(enrollments)}
