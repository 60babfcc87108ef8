"""HTTP API of enrollment (WorkPro): offers, registration, the status flow, documents and PDFs."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from contracts.api.common import PREFIX, create_once, read_upload, settings
from contracts.app import documents
from contracts.app import enrollment as app
from contracts.domain import enrollment as domain
from contracts.readmodels import queries
from teilhabe_kit import documents as kit_documents
from teilhabe_kit import localtime, sealing
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal, Role, require_roles, service_or_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.problems import NotFound
from teilhabe_kit.streams import retrying

router = APIRouter(prefix=PREFIX, tags=["enrollment"])

APPLICANT = (Role.SEEKER, Role.APPLICANT, Role.GUARDIAN)  # applicant: an interested person not yet verified
STAFF = (Role.FACILITY_STAFF,)
ANYONE_INVOLVED = (*APPLICANT, *STAFF, Role.ADMIN)
IDENTITY_OR_ADMIN = service_or_roles(lambda request: settings(request).service_credentials, Role.ADMIN)

Name = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bracket(Strict):
    up_to_income_cents: int = Field(ge=0)
    monthly_fee_cents: int = Field(ge=0)


class FeeRulesIn(Strict):
    highest_fee_cents: int = Field(ge=0, description="applies without declaration or without demanded proof")
    brackets: list[Bracket] = Field(default=[], max_length=20)

    @field_validator("brackets")
    @classmethod
    def _highest_is_highest(cls, brackets: list[Bracket], info: ValidationInfo) -> list[Bracket]:
        if any(b.monthly_fee_cents > info.data.get("highest_fee_cents", 0) for b in brackets):
            raise ValueError("Keine Stufe darf mehr kosten als der höchste Beitrag (highest_fee_cents).")
        return brackets


class OfferIn(Strict):
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    starts_on: date
    ends_on: date
    capacity: int = Field(ge=1, le=10_000)
    fee_rules: FeeRulesIn

    @field_validator("ends_on")
    @classmethod
    def _period(cls, ends_on: date, info: ValidationInfo) -> date:
        if "starts_on" in info.data and ends_on <= info.data["starts_on"]:
            raise ValueError("Das Ende muss nach dem Beginn liegen.")
        return ends_on


class PersonIn(Strict):
    first_name: Name
    last_name: Name
    email: EmailStr


class ParticipantIn(Strict):
    account_id: str | None = Field(default=None, max_length=200, description="a minor ward; omit to sign up yourself")
    first_name: Name
    last_name: Name
    birth_date: date
    street: str = Field(min_length=1, max_length=200)
    postcode: str = Field(pattern=r"^\d{5}$")
    city: str = Field(min_length=1, max_length=100)

    @field_validator("birth_date")
    @classmethod
    def _born(cls, birth_date: date) -> date:
        if birth_date >= localtime.today():
            raise ValueError("Das Geburtsdatum muss in der Vergangenheit liegen.")
        return birth_date


class SignUpIn(Strict):
    offer_id: str = Field(min_length=1, max_length=200)
    participant: ParticipantIn
    applicant: PersonIn | None = None


class RegistrationIn(Strict):
    participant: ParticipantIn
    remarks: str | None = Field(default=None, max_length=2000)


class InvitationIn(Strict):
    interview_at: AwareDatetime


class DecisionIn(Strict):
    accepted: bool
    interview: Literal["attended", "no_show", "none"]


class IncomeIn(Strict):
    household_income_cents: int | None = Field(ge=0, le=10**11, description="annual; null = no declaration")
    earners: int = Field(default=1, ge=0, le=20)


class OfferTermsIn(Strict):
    starts_on: date
    ends_on: date
    respond_by: date


class Contact(Strict):
    name: Name
    phone: str = Field(pattern=r"^\+?[0-9 ()/-]{5,30}$")
    relation: str = Field(min_length=1, max_length=100)


class EmergencyContactsIn(Strict):
    contacts: list[Contact] = Field(min_length=1, max_length=5)


def _view(row, missing: list[dict]) -> dict:
    return {
        "enrollment_id": row.enrollment_id,
        "offer_id": row.offer_id,
        "facility_id": row.facility_id,
        "participant_id": row.participant_id,
        "applicant_id": row.applicant_id,
        "minor": row.minor,
        "status": row.status,
        "customer_number": row.customer_number,
        "contract_number": row.contract_number,
        "interview_at": row.interview_at.isoformat() if row.interview_at else None,
        "income_declared": row.income_declared,
        "proof_demanded": row.proof_demanded,
        "proof_delivered": row.proof_delivered,
        "starts_on": row.starts_on.isoformat() if row.starts_on else None,
        "ends_on": row.ends_on.isoformat() if row.ends_on else None,
        "respond_by": row.respond_by.isoformat() if row.respond_by else None,
        "monthly_fee_cents": row.monthly_fee_cents,
        "fee_basis": row.fee_basis,
        "pickup_persons": len(row.pickup_persons),
        "restricted": row.restricted,
        "missing": missing,
    }


async def _detail(request: Request, enrollment_id: str, principal: Principal) -> dict:
    async with engine(request).connect() as conn:
        state = await app.visible(conn, enrollment_id, principal)
        row = await queries.enrollment_row(conn, enrollment_id)
        view = _view(row, state.missing(localtime.today()))
        view["registration"] = await app.unseal_json(conn, enrollment_id, row.registration)
        view["documents"] = await documents.listing(conn, app.record_key(enrollment_id))
        return view


async def _command(request: Request, enrollment_id: str, command, principal: Principal) -> dict:
    async def work(conn) -> None:
        await app.execute(conn, enrollment_id, command, principal)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


# --- facility offers ----------------------------------------------------------------------------


@router.post("/facility-offers", status_code=201, summary="Publish an offer of the caller's facility")
async def publish_offer(
    request: Request,
    body: OfferIn,
    idempotency_key: IdempotencyKey = None,
    principal: Principal = Depends(require_roles(*STAFF)),
):
    async def create(conn) -> dict:
        offer_id = await app.publish_offer(
            conn, principal, body.model_dump(mode="python") | {"fee_rules": body.fee_rules.model_dump()}
        )
        return {"offer_id": offer_id}

    return await create_once(request, principal, idempotency_key, "facility-offer", body, create)


@router.get("/facility-offers", summary="Published offers (public, as on the facilities' homepages)")
async def list_offers(
    request: Request,
    facility_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    async with engine(request).connect() as conn:
        return [_offer(r) for r in await queries.facility_offers_page(conn, facility_id, limit=limit, offset=offset)]


@router.get("/facility-offers/{offer_id}", summary="One offer with its free places (public)")
async def get_offer(request: Request, offer_id: str) -> dict:
    async with engine(request).connect() as conn:
        offer = _offer(await app.offer_row(conn, offer_id))
        taken = await app.places_taken(conn, offer_id)
    return offer | {"free_places": max(offer["capacity"] - taken, 0)}


def _offer(r) -> dict:
    return {
        "offer_id": r.offer_id,
        "facility_id": r.facility_id,
        "title": r.title,
        "description": r.description,
        "starts_on": r.starts_on.isoformat(),
        "ends_on": r.ends_on.isoformat(),
        "capacity": r.capacity,
        "fee_rules": r.fee_rules,
    }


@router.post(
    "/facility-offers/{offer_id}/registrations",
    status_code=202,
    summary="Register as an interested person (public); the account and password link follow by e-mail",
)
async def register(request: Request, offer_id: str, body: PersonIn) -> dict:
    async with engine(request).begin() as conn:
        await app.register_person(
            conn, offer_id, body.first_name, body.last_name, str(body.email), settings(request).email_index_secret
        )
    return {"detail": "Danke! Sie bekommen eine E-Mail mit Ihrem Passwort und den nächsten Schritten."}


@router.get(
    "/interested-persons/{person_id}/contact",
    summary="Contact of an interested person (identity with its service credential, or admin)",
)
async def contact(request: Request, person_id: str, caller: str = Depends(IDENTITY_OR_ADMIN)) -> dict:
    async with engine(request).connect() as conn:
        found = await app.person_contact(conn, person_id)
    if found is None:
        raise NotFound("Diese Person gibt es nicht (mehr).")
    return found


# --- enrollments --------------------------------------------------------------------------------


@router.post("/enrollments", status_code=201, summary="Sign up yourself or a minor ward for an offer")
async def sign_up(
    request: Request,
    body: SignUpIn,
    idempotency_key: IdempotencyKey = None,
    principal: Principal = Depends(require_roles(*APPLICANT)),
):
    async def create(conn) -> dict:
        state = await app.sign_up(
            conn,
            principal,
            body.offer_id,
            body.participant.model_dump(mode="json") | {"birth_date": body.participant.birth_date},
            body.applicant.model_dump() if body.applicant else None,
        )
        row = await queries.enrollment_row(conn, state.enrollment_id)
        return {
            "enrollment_id": state.enrollment_id,
            "status": row.status,
            "customer_number": row.customer_number,
            "contract_number": row.contract_number,
        }

    return await create_once(request, principal, idempotency_key, "enrollment", body, create)


@router.get("/enrollments", summary="Own enrollments (applicant) or the facility's (staff)")
async def list_enrollments(
    request: Request,
    status: domain.S | None = None,
    offer_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(require_roles(*ANYONE_INVOLVED)),
) -> list[dict]:
    staff = principal.has(Role.FACILITY_STAFF) and principal.organisation_id is not None
    async with engine(request).connect() as conn:
        rows = await queries.enrollments(
            conn,
            everyone=principal.has(Role.ADMIN),
            facility_id=principal.organisation_id if staff else None,
            account_id=principal.account_id,
            wards=sorted(principal.acting_for) if principal.has(Role.GUARDIAN) else [],
            status=status.value if status is not None else None,
            offer_id=offer_id,
            limit=limit,
            offset=offset,
        )
    return [_view(r, []) for r in rows]


@router.get("/enrollments/{enrollment_id}", summary="One enrollment with what is still missing")
async def get_enrollment(
    request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*ANYONE_INVOLVED))
) -> dict:
    return await _detail(request, enrollment_id, principal)


@router.put("/enrollments/{enrollment_id}/registration", summary="Correct or complete the registration data")
async def update_registration(
    request: Request,
    enrollment_id: str,
    body: RegistrationIn,
    principal: Principal = Depends(require_roles(*APPLICANT)),
) -> dict:
    async def work(conn) -> None:
        await app.update_registration(
            conn,
            enrollment_id,
            principal,
            body.participant.model_dump(mode="json") | {"birth_date": body.participant.birth_date},
            body.remarks,
        )

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.post("/enrollments/{enrollment_id}/submission", summary="Send the registration (→ Bewerber / Eingestuft)")
async def submit(
    request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*APPLICANT))
) -> dict:
    return await _command(request, enrollment_id, domain.Submit(), principal)


@router.post("/enrollments/{enrollment_id}/invitation", summary="Invite to an interview (→ Eingeladen)")
async def invite(
    request: Request, enrollment_id: str, body: InvitationIn, principal: Principal = Depends(require_roles(*STAFF))
) -> dict:
    return await _command(request, enrollment_id, domain.Invite(body.interview_at), principal)


@router.post("/enrollments/{enrollment_id}/decision", summary="Accept as candidate or reject (→ Kandidat / Abgelehnt)")
async def decide(
    request: Request, enrollment_id: str, body: DecisionIn, principal: Principal = Depends(require_roles(*STAFF))
) -> dict:
    return await _command(request, enrollment_id, domain.Decide(body.accepted, body.interview), principal)


@router.put("/enrollments/{enrollment_id}/income", summary="Declare the household's annual income (unchecked)")
async def declare_income(
    request: Request, enrollment_id: str, body: IncomeIn, principal: Principal = Depends(require_roles(*APPLICANT))
) -> dict:
    async def work(conn) -> None:
        await app.visible(conn, enrollment_id, principal)
        sealed = await app.seal_json(conn, enrollment_id, body.model_dump())
        await app.execute(conn, enrollment_id, domain.DeclareIncome(body.household_income_cents, sealed), principal)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.post("/enrollments/{enrollment_id}/income-proof-demand", summary="Demand proof of the declared income")
async def demand_proof(
    request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*STAFF))
) -> dict:
    return await _command(request, enrollment_id, domain.DemandProof(), principal)


async def _upload(
    request: Request,
    enrollment_id: str,
    principal: Principal,
    file: UploadFile,
    kind: str,
    command_for,
    *,
    images_only: bool = False,
    field: str = "file",
) -> dict:
    limit = settings(request).max_upload_bytes
    content = await read_upload(file, limit)
    allowed = kit_documents.IMAGES if images_only else kit_documents.EVERY
    media_type = kit_documents.check(
        content,
        max_bytes=limit,
        field=field,
        allowed=allowed,
        filename=file.filename,
        declared_type=file.content_type,
    ).media_type

    async def work(conn) -> None:
        await app.visible(conn, enrollment_id, principal)
        document_id = await documents.store(
            conn, app.record_key(enrollment_id), kind, media_type, content, principal.account_id
        )
        await app.execute(conn, enrollment_id, await command_for(conn, document_id), principal)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.post("/enrollments/{enrollment_id}/income-proof", summary="Upload the demanded proof of income")
async def deliver_proof(
    request: Request,
    enrollment_id: str,
    file: Annotated[UploadFile, File()],
    principal: Principal = Depends(require_roles(*APPLICANT)),
) -> dict:
    async def command(conn, document_id):
        return domain.DeliverProof(document_id)

    return await _upload(request, enrollment_id, principal, file, "income_proof", command)


@router.post("/enrollments/{enrollment_id}/offer", summary="Send the signed offer with fee and period (→ Angebot)")
async def make_offer(
    request: Request, enrollment_id: str, body: OfferTermsIn, principal: Principal = Depends(require_roles(*STAFF))
) -> dict:
    async def work(conn) -> None:
        await app.make_offer(conn, enrollment_id, principal, body.starts_on, body.ends_on, body.respond_by)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.post(
    "/enrollments/{enrollment_id}/acceptance",
    summary="Upload the offer signed by all parties by the deadline (→ Angenommen)",
)
async def accept(
    request: Request,
    enrollment_id: str,
    file: Annotated[UploadFile, File()],
    principal: Principal = Depends(require_roles(*APPLICANT)),
) -> dict:
    async def command(conn, document_id):
        return domain.Accept(document_id)

    return await _upload(request, enrollment_id, principal, file, "signed_contract", command)


@router.post("/enrollments/{enrollment_id}/ratification", summary="Countersign (→ Ratifiziert)")
async def ratify(request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*STAFF))) -> dict:
    return await _command(request, enrollment_id, domain.Ratify(), principal)


@router.put("/enrollments/{enrollment_id}/emergency-contacts", summary="Emergency contacts of a participant")
async def emergency_contacts(
    request: Request,
    enrollment_id: str,
    body: EmergencyContactsIn,
    principal: Principal = Depends(require_roles(*APPLICANT)),
) -> dict:
    async def work(conn) -> None:
        await app.visible(conn, enrollment_id, principal)
        sealed = await app.seal_json(conn, enrollment_id, [c.model_dump() for c in body.contacts])
        await app.execute(conn, enrollment_id, domain.RecordEmergencyContacts(len(body.contacts), sealed), principal)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.post("/enrollments/{enrollment_id}/pickup-persons", summary="An authorised pick-up person with a current photo")
async def pickup_person(
    request: Request,
    enrollment_id: str,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    photo: Annotated[UploadFile, File()],
    principal: Principal = Depends(require_roles(*APPLICANT)),
) -> dict:
    async def command(conn, document_id):
        sealed = await sealing.seal(conn, app.record_key(enrollment_id), name)
        return domain.RecordPickupPerson(str(uuid.uuid4()), sealed, document_id)

    return await _upload(
        request, enrollment_id, principal, photo, "pickup_photo", command, images_only=True, field="photo"
    )


@router.delete(
    "/enrollments/{enrollment_id}/pickup-persons/{person_id}",
    summary="Withdraw a pick-up person; their photo is destroyed",
)
async def remove_pickup_person(
    request: Request, enrollment_id: str, person_id: str, principal: Principal = Depends(require_roles(*APPLICANT))
) -> dict:
    async def work(conn) -> None:
        await app.remove_pickup_person(conn, enrollment_id, principal, person_id)

    await retrying(engine(request), work)
    return await _detail(request, enrollment_id, principal)


@router.get("/enrollments/{enrollment_id}/registration.pdf", summary="Printable registration")
async def registration_pdf(
    request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*ANYONE_INVOLVED))
) -> Response:
    return await _pdf(request, enrollment_id, principal, "anmeldung")


@router.get("/enrollments/{enrollment_id}/offer.pdf", summary="Printable offer (from status Angebot)")
async def offer_pdf(
    request: Request, enrollment_id: str, principal: Principal = Depends(require_roles(*ANYONE_INVOLVED))
) -> Response:
    return await _pdf(request, enrollment_id, principal, "angebot")


async def _pdf(request: Request, enrollment_id: str, principal: Principal, kind: str) -> Response:
    async with engine(request).connect() as conn:
        state = await app.visible(conn, enrollment_id, principal)
        row = await queries.enrollment_row(conn, enrollment_id)
        registration = await app.unseal_json(conn, enrollment_id, row.registration)
    from contracts.documents import pdf  # fpdf costs ~40 MB: imported on the first PDF only

    if registration is None:
        raise NotFound("Die Angaben dieser Anmeldung sind gelöscht.")
    if kind == "angebot":
        if state.monthly_fee_cents is None:
            raise NotFound("Für diese Anmeldung gibt es noch kein Angebot.")
        content = pdf.offer_pdf(row, registration)
    else:
        content = pdf.registration_pdf(row, registration)
    return Response(
        content,
        media_type="application/pdf",
        headers=kit_documents.download_headers(f"{kind}-{row.contract_number}.pdf"),
    )


@router.get("/enrollments/{enrollment_id}/documents/{document_id}")
async def enrollment_document(
    request: Request,
    enrollment_id: str,
    document_id: str,
    principal: Principal = Depends(require_roles(*ANYONE_INVOLVED)),
) -> Response:
    async with engine(request).connect() as conn:
        await app.visible(conn, enrollment_id, principal)
        media_type, content = await documents.fetch(conn, app.record_key(enrollment_id), document_id)
    return Response(
        content,
        media_type=media_type,
        headers=kit_documents.download_headers(kit_documents.file_name(f"dokument-{document_id}", media_type)),
    )
