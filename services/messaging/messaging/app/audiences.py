"""Who an audience is, from what messaging learned of offers, memberships and guardianships."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.domain.notices import Audience, CentreAdmins, Coordinators, Offerer, OfferersOfOrder, Person
from messaging.readmodels.tables import guardianships, memberships, offers


async def coordinators(conn: AsyncConnection, organisation_id: str, role: str = "coordinator") -> list[str]:
    """The members of the organisation with `role` (a centre's admins: `centre_admin`)."""
    rows = await conn.execute(
        select(memberships.c.account_id).where(
            memberships.c.organisation_id == organisation_id, memberships.c.role == role
        )
    )
    return sorted(rows.scalars())


async def guardians(conn: AsyncConnection, person_id: str) -> list[str]:
    rows = await conn.execute(select(guardianships.c.guardian_id).where(guardianships.c.ward_id == person_id))
    return sorted(rows.scalars())


def _offerers(row) -> list[str]:
    return [row.assistant_id or row.submitted_by] if row.kind == "assistant" else [row.submitted_by]


async def resolve(conn: AsyncConnection, audience: Audience) -> list[str]:
    """The people of an audience plus their guardians, without duplicates, in a stable order."""
    match audience:
        case Person(person_id):
            people = [person_id]
        case Coordinators(organisation_id):
            people = await coordinators(conn, organisation_id)
        case CentreAdmins(centre_id):
            people = await coordinators(conn, centre_id, "centre_admin")
        case Offerer(offer_id):
            row = (await conn.execute(select(offers).where(offers.c.offer_id == offer_id))).first()
            people = _offerers(row) if row else []
        case OfferersOfOrder(order_id):
            rows = await conn.execute(
                select(offers).where(offers.c.order_id == order_id, offers.c.withdrawn.is_(False))
            )
            people = [person for row in rows for person in _offerers(row)]
    result: list[str] = []
    for person in people:
        for someone in [person, *await guardians(conn, person)]:
            if someone not in result:
                result.append(someone)
    return result
