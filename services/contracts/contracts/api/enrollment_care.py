"""The sealed care details of an enrollment (emergency contacts, pick-up persons and their photos):
read only by the applicant side (the guardian for minors) and the facility's staff, not by admins."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from contracts.api.common import PREFIX
from contracts.app import documents
from contracts.app import enrollment as app
from contracts.readmodels import queries
from teilhabe_kit import documents as kit_documents
from teilhabe_kit import sealing
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=PREFIX, tags=["enrollment"])
CARERS = require_roles(Role.SEEKER, Role.APPLICANT, Role.GUARDIAN, Role.FACILITY_STAFF)


async def _row(conn, enrollment_id: str, principal: Principal):
    await app.visible(conn, enrollment_id, principal)
    return await queries.care_row(conn, enrollment_id)


@router.get(
    "/enrollments/{enrollment_id}/care", summary="Emergency contacts and pick-up persons (applicant, facility staff)"
)
async def care(request: Request, enrollment_id: str, principal: Principal = Depends(CARERS)) -> dict:
    async with engine(request).connect() as conn:
        row = await _row(conn, enrollment_id, principal)
        contacts = await app.unseal_json(conn, enrollment_id, row.emergency_contacts) or []
        pickup = [
            {"person_id": p["person_id"], "name": await sealing.unseal(conn, app.record_key(enrollment_id), p["name"])}
            for p in row.pickup_persons
        ]
    return {"emergency_contacts": contacts, "pickup_persons": [p for p in pickup if p["name"] is not None]}


@router.get(
    "/enrollments/{enrollment_id}/pickup-persons/{person_id}/photo",
    summary="The photo of a pick-up person (applicant, facility staff)",
)
async def photo(
    request: Request, enrollment_id: str, person_id: str, principal: Principal = Depends(CARERS)
) -> Response:
    async with engine(request).connect() as conn:
        row = await _row(conn, enrollment_id, principal)
        found = [p["photo_document_id"] for p in row.pickup_persons if p["person_id"] == person_id]
        if not found:
            raise NotFound("Diese abholberechtigte Person gibt es nicht (mehr).")
        media_type, content = await documents.fetch(conn, app.record_key(enrollment_id), found[0])
    headers = kit_documents.download_headers(kit_documents.file_name(f"foto-{person_id}", media_type))
    return Response(content, media_type=media_type, headers=headers)
