"""HTTP API of assistance contracts: meeting, draft, signatures, ratification, end, documents."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts.api.common import PREFIX, read_upload, settings
from contracts.app import assistance as app
from contracts.app import documents
from contracts.domain import assistance as domain
from contracts.readmodels import queries
from teilhabe_events.activities import Activity
from teilhabe_events.contexts.contracts import EndReason
from teilhabe_kit import documents as kit_documents
from teilhabe_kit import localtime
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.problems import NotFound
from teilhabe_kit.streams import retrying

router = APIRouter(prefix=f"{PREFIX}/assistance", tags=["assistance contracts"])

PARTIES = (Role.SEEKER, Role.GUARDIAN, Role.ASSISTANT, Role.COORDINATOR, Role.ADMIN)
SIGNERS = (Role.SEEKER, Role.GUARDIAN, Role.ASSISTANT)
PROVIDER = (Role.COORDINATOR, Role.ASSISTANT)
SEEKER_SIDE = (Role.SEEKER, Role.GUARDIAN)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Payer(StrEnum):
    RELIEF_AMOUNT = "relief_amount"  # Entlastungsbetrag der Pflegeversicherung
    INTEGRATION_ASSISTANCE = "integration_assistance"  # Eingliederungshilfe
    PRIVATE = "private"


class MeetingProposal(Strict):
    slots: list[AwareDatetime] = Field(min_length=1, max_length=5)


class MeetingChoice(Strict):
    slot: AwareDatetime


class MeetingHeld(Strict):
    held_at: AwareDatetime | None = Field(default=None, description="when it took place; default: now")


class Terms(Strict):
    activities: list[Activity] = Field(min_length=1)
    schedule: str = Field(min_length=1, max_length=2000, description="agreed times in words")
    hourly_rate_cents: int = Field(ge=0, le=20_000)
    payer: Payer
    starts_on: date
    ends_on: date | None = None
    notice_weeks: int = Field(ge=0, le=26)

    @field_validator("ends_on")
    @classmethod
    def _end_after_start(cls, ends_on: date | None, info: ValidationInfo) -> date | None:
        if ends_on is not None and "starts_on" in info.data and ends_on < info.data["starts_on"]:
            raise ValueError("Das Ende darf nicht vor dem Beginn liegen.")
        return ends_on


class InAppSignature(Strict):
    party: Literal["seeker", "assistant"]
    password: str = Field(min_length=1, max_length=500)


class Ending(Strict):
    reason: EndReason
    ends_on: date


class ContractOut(BaseModel):
    contract_id: str
    order_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None
    status: str
    slots: list[datetime]
    meeting_at: datetime | None
    draft_revision: int
    signed: list[str]
    starts_on: date | None
    ends_on: date | None
    end_reason: str | None
    terms: dict | None = None
    documents: list[dict] = []


def _out(row, terms: dict | None = None, docs: list[dict] | None = None) -> ContractOut:
    return ContractOut(
        contract_id=row.contract_id,
        order_id=row.order_id,
        seeker_id=row.seeker_id,
        assistant_id=row.assistant_id,
        organisation_id=row.organisation_id,
        status=row.status,
        slots=row.slots,
        meeting_at=row.meeting_at,
        draft_revision=row.draft_revision,
        signed=row.signed,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        end_reason=row.end_reason,
        terms=terms,
        documents=docs or [],
    )


async def _detail(request: Request, contract_id: str) -> ContractOut:
    async with engine(request).connect() as conn:
        row = await queries.contract_row(conn, contract_id)
        docs = await documents.listing(conn, app.record_key(contract_id))
        return _out(row, await app.terms_of(conn, contract_id), docs)


@router.get("", response_model=list[ContractOut], summary="Assignments of the caller (planned / active / finished)")
async def list_assignments(
    request: Request,
    view: Literal["planned", "active", "finished"] = "active",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(require_roles(*PARTIES)),
) -> list[ContractOut]:
    seeker_ids = [principal.account_id] if principal.has(Role.SEEKER) else []
    if principal.has(Role.GUARDIAN):
        seeker_ids += principal.acting_for
    async with engine(request).connect() as conn:
        rows = await queries.contracts_in_view(
            conn,
            view,
            localtime.today(),
            everyone=principal.has(Role.ADMIN),
            seeker_ids=seeker_ids,
            assistant_id=principal.account_id if principal.has(Role.ASSISTANT) else None,
            organisation_id=principal.organisation_id if principal.has(Role.COORDINATOR) else None,
            limit=limit,
            offset=offset,
        )
    return [_out(row) for row in rows]


@router.get("/{contract_id}", response_model=ContractOut)
async def get_contract(
    request: Request, contract_id: str, principal: Principal = Depends(require_roles(*PARTIES))
) -> ContractOut:
    async with engine(request).connect() as conn:
        await app.visible(conn, contract_id, principal)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/meeting-proposals", response_model=ContractOut)
async def propose_meeting(
    request: Request, contract_id: str, body: MeetingProposal, principal: Principal = Depends(require_roles(*PROVIDER))
) -> ContractOut:
    await app.run(engine(request), contract_id, domain.ProposeMeeting(tuple(body.slots)), principal)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/meeting", response_model=ContractOut)
async def pick_meeting(
    request: Request, contract_id: str, body: MeetingChoice, principal: Principal = Depends(require_roles(*SEEKER_SIDE))
) -> ContractOut:
    await app.run(engine(request), contract_id, domain.PickMeeting(body.slot), principal)
    return await _detail(request, contract_id)


@router.post(
    "/{contract_id}/meeting/held",
    response_model=ContractOut,
    summary="Record that the get-to-know meeting took place; only then can the contract be drafted (provider side)",
)
async def record_meeting_held(
    request: Request,
    contract_id: str,
    body: MeetingHeld | None = None,
    principal: Principal = Depends(require_roles(*PROVIDER)),
) -> ContractOut:
    held_at = body.held_at if body and body.held_at else datetime.now(UTC)
    await app.run(engine(request), contract_id, domain.RecordMeetingHeld(held_at), principal)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/decline", response_model=ContractOut)
async def decline(
    request: Request, contract_id: str, principal: Principal = Depends(require_roles(*SIGNERS, Role.COORDINATOR))
) -> ContractOut:
    await app.run(engine(request), contract_id, domain.Decline(), principal)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/draft", response_model=ContractOut)
async def draft(
    request: Request, contract_id: str, body: Terms, principal: Principal = Depends(require_roles(*PROVIDER))
) -> ContractOut:
    await app.draft(
        engine(request), contract_id, body.model_dump(mode="json") | {"starts_on": body.starts_on}, principal
    )
    return await _detail(request, contract_id)


@router.post(
    "/{contract_id}/signatures",
    response_model=ContractOut,
    summary="Sign in the app: confirm with the current password",
)
async def sign_in_app(
    request: Request, contract_id: str, body: InAppSignature, principal: Principal = Depends(require_roles(*SIGNERS))
) -> ContractOut:
    async with engine(request).connect() as conn:
        state = await app.visible(conn, contract_id, principal)
    # decide first without storing (role and state), so a wrong party never reaches identity
    app.decide(state, domain.Sign(body.party, "in_app"), principal)
    await request.app.state.reauthenticator.confirm(principal.account_id, body.password)
    await app.run(engine(request), contract_id, domain.Sign(body.party, "in_app"), principal)
    return await _detail(request, contract_id)


@router.post(
    "/{contract_id}/signatures/scan",
    response_model=ContractOut,
    summary="Sign by uploading the signed paper copy (PDF, JPEG or PNG)",
)
async def sign_by_scan(
    request: Request,
    contract_id: str,
    party: Annotated[Literal["seeker", "assistant"], Form()],
    file: Annotated[UploadFile, File()],
    principal: Principal = Depends(require_roles(*SIGNERS)),
) -> ContractOut:
    limit = settings(request).max_upload_bytes
    content = await read_upload(file, limit)
    media_type = kit_documents.check(
        content, max_bytes=limit, filename=file.filename, declared_type=file.content_type
    ).media_type

    async def work(conn) -> None:
        await app.execute(conn, contract_id, domain.Sign(party, "scan"), principal)
        await documents.store(
            conn, app.record_key(contract_id), "signed_scan", media_type, content, principal.account_id
        )

    await retrying(engine(request), work)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/ratification", response_model=ContractOut)
async def ratify(
    request: Request, contract_id: str, principal: Principal = Depends(require_roles(*PROVIDER))
) -> ContractOut:
    await app.run(engine(request), contract_id, domain.Ratify(), principal)
    return await _detail(request, contract_id)


@router.post("/{contract_id}/end", response_model=ContractOut)
async def end(
    request: Request,
    contract_id: str,
    body: Ending,
    principal: Principal = Depends(require_roles(*SEEKER_SIDE, *PROVIDER)),
) -> ContractOut:
    await app.run(engine(request), contract_id, domain.EndContract(body.reason, body.ends_on), principal)
    return await _detail(request, contract_id)


@router.get("/{contract_id}/contract.pdf", summary="The current draft as PDF (to read, or to sign on paper)")
async def contract_pdf(
    request: Request, contract_id: str, principal: Principal = Depends(require_roles(*PARTIES))
) -> Response:
    async with engine(request).connect() as conn:
        await app.visible(conn, contract_id, principal)
        row = await queries.contract_row(conn, contract_id)
        terms = await app.terms_of(conn, contract_id)
    from contracts.documents import pdf  # fpdf costs ~40 MB: imported on the first PDF only

    if terms is None:
        raise NotFound("Für diesen Vertrag gibt es noch keinen Entwurf (oder er wurde gelöscht).")
    return Response(
        pdf.assistance_contract_pdf(row, terms),
        media_type="application/pdf",
        headers=kit_documents.download_headers(f"vertrag-{contract_id}.pdf"),
    )


@router.get("/{contract_id}/documents/{document_id}")
async def document(
    request: Request, contract_id: str, document_id: str, principal: Principal = Depends(require_roles(*PARTIES))
) -> Response:
    async with engine(request).connect() as conn:
        await app.visible(conn, contract_id, principal)
        media_type, content = await documents.fetch(conn, app.record_key(contract_id), document_id)
    return Response(
        content,
        media_type=media_type,
        headers=kit_documents.download_headers(kit_documents.file_name(f"dokument-{document_id}", media_type)),
    )
