"""A centre's counseling settings: contact and billing address, automatic primary counselor, overdue
period of mail counseling, deletion routine, filter criteria and case-record fields (admins change,
counselors read)."""

from __future__ import annotations

from fastapi import APIRouter

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import centre as cases
from counseling.app.streams import settings_of
from counseling.domain.events import SettingsDetailsChanged
from teilhabe_events.contexts.counseling import CounselingSettingsChanged
from teilhabe_kit.if_match import IfMatch

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}", tags=["Einstellungen"])


@router.get("/settings", response_model=models.SettingsOut, summary="Einstellungen der Stelle (Beratende, Admins)")
async def read(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        s = await settings_of(conn, centre_id)
    return models.SettingsOut.model_validate(
        {
            "version": s.version,
            "contact_address": s.contact_address,
            "billing_address": s.billing_address,
            "automatic_primary_counselor": s.automatic_primary_counselor,
            "mail_overdue_days": s.mail_overdue_days,
            "deletion_days": s.deletion_days,
            "filter_criteria": s.filter_criteria,
            "record_fields": s.record_fields,
        }
    )


@router.put("/settings", summary="Einstellungen ändern (Admins); If-Match: Version")
async def change(centre_id: str, body: models.SettingsIn, caller: Caller, engine: Engine, version: IfMatch) -> dict:
    public = CounselingSettingsChanged(
        automatic_primary_counselor=body.automatic_primary_counselor,
        mail_overdue_days=body.mail_overdue_days,
        deletion_days=body.deletion_days,
    )
    dumped = body.model_dump(mode="json")
    details = SettingsDetailsChanged(
        contact_address=dumped["contact_address"],
        billing_address=dumped["billing_address"],
        filter_criteria=dumped["filter_criteria"],
        record_fields=dumped["record_fields"],
    )
    async with engine.begin() as conn:
        new_version = await cases.change(conn, caller, centre_id, version, public, details)
    return {"version": new_version}
