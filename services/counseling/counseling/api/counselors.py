"""Counselors' profiles: the own profile (internal contact data for colleagues and admins, external
data for clients), the photo (PNG or JPEG, checked by the kit), colleagues' profiles."""

from __future__ import annotations

from fastapi import APIRouter, Response, UploadFile

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import counselors as cases
from counseling.domain.events import CounselorProfileChanged
from counseling.readmodels import queries
from teilhabe_kit import documents
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/counselors", tags=["Berater:innen"])
MAX_PHOTO_BYTES = 2 * 1024 * 1024


def photo_url(centre_id: str, row) -> str | None:
    return f"{PREFIX}/centres/{centre_id}/counselors/{row.id}/photo?v={row.photo_id}" if row.photo_id else None


def public(centre_id: str, row) -> models.CounselorPublic:
    return models.CounselorPublic(
        counselor_id=row.id,
        display_name=row.display_name,
        description=row.description,
        languages=list(row.languages),
        photo_url=photo_url(centre_id, row),
    )


def internal(centre_id: str, row) -> models.CounselorOut:
    return models.CounselorOut(**public(centre_id, row).model_dump(), internal=row.internal)


@router.get("", response_model=list[models.CounselorOut], summary="Profile der Kolleg:innen (Beratende, Admins)")
async def colleagues(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        return [internal(centre_id, r) for r in await queries.counselors_of(conn, centre_id)]


@router.get("/me", response_model=models.CounselorOut, summary="Das eigene Profil (Beratende, Admins)")
async def me(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        row = await queries.counselor(conn, caller.account_id)
    if row is None:
        raise NotFound("Sie haben noch kein Profil angelegt.")
    return internal(centre_id, row)


@router.put("/me", status_code=204, summary="Das eigene Profil speichern: Kontaktdaten intern und extern")
async def change(centre_id: str, body: models.CounselorProfileIn, caller: Caller, engine: Engine):
    event = CounselorProfileChanged(
        centre_id=centre_id,
        internal=body.internal.model_dump(mode="json", exclude_none=True),
        display_name=body.display_name,
        description=body.description,
        languages=[str(lang) for lang in body.languages],
    )
    async with engine.begin() as conn:
        await cases.change_profile(conn, caller, centre_id, event)
    return Response(status_code=204)


@router.put("/me/photo", summary="Profilbild hochladen (PNG oder JPEG, höchstens 2 MB)")
async def upload(centre_id: str, file: UploadFile, caller: Caller, engine: Engine) -> dict:
    access.require_staff(caller, centre_id)
    content = await file.read(MAX_PHOTO_BYTES + 1)
    accepted = documents.check(
        content,
        max_bytes=MAX_PHOTO_BYTES,
        field="file",
        filename=file.filename,
        declared_type=file.content_type,
        allowed=documents.IMAGES,
    )
    async with engine.begin() as conn:
        photo_id = await cases.set_photo(conn, caller, centre_id, accepted.media_type, content)
    return {"photo_id": photo_id}


@router.delete("/me/photo", status_code=204, summary="Profilbild löschen")
async def delete_photo(centre_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.delete_photo(conn, caller, centre_id)
    return Response(status_code=204)


@router.get(
    "/{counselor_id}/photo",
    summary="Profilbild (das Team und die Ratsuchenden der Stelle)",
    response_class=Response,
)
async def photo(centre_id: str, counselor_id: str, caller: Caller, engine: Engine):
    if not (access.staff_of(caller, centre_id) or caller.organisation_id == centre_id):
        raise NotFound("Dieses Bild gibt es nicht.")
    async with engine.connect() as conn:
        profile = await queries.counselor(conn, counselor_id)
        row = await queries.photo(conn, counselor_id)
    if row is None or profile is None or profile.centre_id != centre_id:
        raise NotFound("Dieses Bild gibt es nicht.")
    headers = documents.download_headers(documents.file_name(f"profilbild-{counselor_id}", row.media_type))
    headers["Content-Disposition"] = headers["Content-Disposition"].replace("attachment", "inline")
    return Response(row.content, media_type=row.media_type, headers=headers)
