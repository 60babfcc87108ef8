"""Organisations (service providers, counseling centres, facilities), postcodes and catalogues."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.api import schemas
from identity.api.deps import Config
from identity.app import accounts as cases
from identity.readmodels import queries
from teilhabe_events.activities import ACTIVITY_LABELS, TRAIT_LABELS
from teilhabe_events.contexts.identity import OrganisationKind
from teilhabe_kit import idempotency, postcodes
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix="/api/v1/identity", tags=["organisations"])


@router.post(
    "/organisations", status_code=201, response_model=schemas.Organisation, summary="Create an organisation (admins)"
)
async def create(
    body: schemas.OrganisationIn,
    engine: Engine,
    principal: Principal = Depends(require_roles(Role.ADMIN)),
    idempotency_key: IdempotencyKey = None,
):
    async def create(conn: AsyncConnection) -> dict:
        organisation_id = await cases.create_organisation(
            conn, body.kind, body.name, body.postcode, principal.account_id
        )
        answer = schemas.Organisation(id=organisation_id, kind=body.kind, name=body.name, postcode=body.postcode)
        return answer.model_dump(mode="json")

    return await idempotency.once(engine, "identity:organisation", idempotency_key, body, create)


@router.get(
    "/organisations",
    response_model=list[schemas.Organisation],
    summary="Organisations, e.g. providers to join (public)",
)
async def list_organisations(engine: Engine, kind: OrganisationKind | None = None):
    async with engine.connect() as conn:
        rows = await queries.organisations_by_name(conn, kind)
        return [schemas.Organisation(id=r.id, kind=r.kind, name=r.name, postcode=r.postcode) for r in rows]


@router.get(
    "/organisations/{organisation_id}", response_model=schemas.Organisation, summary="One organisation (public)"
)
async def get_organisation(organisation_id: str, engine: Engine):
    async with engine.connect() as conn:
        row = await queries.organisation(conn, organisation_id)
    if row is None:
        raise NotFound("Diese Organisation gibt es nicht.")
    return schemas.Organisation(id=row.id, kind=row.kind, name=row.name, postcode=row.postcode)


@router.get("/postcodes/{postcode}", summary="Coordinates of a German postcode (public)")
async def postcode(postcode: str) -> dict:
    found = postcodes.lookup(postcode)
    if found is None:
        raise NotFound("Diese Postleitzahl kennen wir nicht.")
    return {"postcode": postcode, "lat": found[0], "lon": found[1]}


@router.get("/catalogue", summary="Activities, traits and the current consent version for sign-up forms (public)")
async def catalogue(config: Config) -> dict:
    return {
        "activities": [{"code": a, "label_de": de, "label_en": en} for a, (de, en) in ACTIVITY_LABELS.items()],
        "traits": [{"code": t, "label_de": de, "label_en": en} for t, (de, en) in TRAIT_LABELS.items()],
        "consent_version": config.consent_version,
        "consents": ["privacy", "withdrawal", "terms", "data_processing"],
    }
