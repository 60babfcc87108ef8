"""A coordinator finds a seeker to create an order for them (orders lets coordinators draft orders
for active seekers): by the exact e-mail address or phone number the person gave them, never by a
part of a name, so nobody can browse the seekers. Only active seekers are found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from identity.api.auth import normalise_login
from identity.app import accounts as cases
from identity.readmodels import queries
from teilhabe_events.activities import Activity
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.problems import Forbidden, NotFound

router = APIRouter(prefix="/api/v1/identity", tags=["accounts"])


class SeekerFound(BaseModel):
    """What a coordinator needs to create the order: whose it is and what the wizard starts from."""

    id: str
    name: str | None
    postcode: str | None
    introduction: str | None
    needs: list[Activity]


@router.get(
    "/seekers/lookup",
    response_model=SeekerFound,
    summary="An active seeker by exact e-mail address or phone number (coordinators of a provider, admins)",
)
async def lookup_seeker(
    engine: Engine,
    login: Annotated[str, Query(min_length=3, max_length=320, description="e-mail address or phone number")],
    principal: Principal = Depends(require_roles(Role.COORDINATOR, Role.ADMIN)),
) -> SeekerFound:
    if not principal.has(Role.ADMIN) and not principal.organisation_id:
        raise Forbidden("Sie gehören zu keinem Leistungs-Anbieter.")
    async with engine.connect() as conn:
        account_id = await cases.find_by_login(conn, normalise_login(login))
        row = await queries.account(conn, account_id) if account_id else None
    if row is None or row.role != AccountRole.SEEKER or row.status != "active" or row.locked or row.erase_after:
        raise NotFound("Unter dieser E-Mail-Adresse oder Telefon-Nummer ist keine suchende Person freigeschaltet.")
    return SeekerFound(
        id=row.id, name=row.name, postcode=row.postcode, introduction=row.introduction, needs=row.activities
    )
