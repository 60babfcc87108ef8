"""For other services (appointments, mail counseling) with a service credential: what counseling
knows about a client (centre, status, primary counselor, groups) and a group's members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from counseling.api.deps import PREFIX, Engine
from counseling.readmodels import queries
from teilhabe_kit.auth import Role, service_or_roles
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/internal", tags=["intern"])
Service = Annotated[str, Depends(service_or_roles(lambda r: r.app.state.settings.service_credentials, Role.ADMIN))]


class ClientFacts(BaseModel):
    client_id: str
    centre_id: str
    status: str
    primary_counselor_id: str | None
    group_ids: list[str]


@router.get(
    "/clients/{client_id}",
    response_model=ClientFacts,
    summary="Stelle, Status, Stammberater:in und Gruppen einer ratsuchenden Person (Dienste mit Berechtigung)",
)
async def client(client_id: str, engine: Engine, caller: Service, request: Request):
    async with engine.connect() as conn:
        row = await queries.client_by_id(conn, client_id)
        if row is None:
            raise NotFound("Diese ratsuchende Person gibt es nicht.")
        groups = await queries.groups_of_client(conn, client_id)
    return ClientFacts(
        client_id=row.id,
        centre_id=row.centre_id,
        status=row.status,
        primary_counselor_id=row.primary_counselor_id,
        group_ids=[g.id for g in groups],
    )
