"""Turning rows into response models (contact only for those allowed to see it)."""

from __future__ import annotations

from identity.api import schemas
from identity.api.deps import is_admin, sees_contact
from teilhabe_kit.auth import Principal


def account_out(row, principal: Principal) -> schemas.AccountOut:
    personal = sees_contact(principal, row.id)
    admin = is_admin(principal)
    contact = schemas.Contact(email=row.email, phone=row.phone) if personal else None
    return schemas.AccountOut(
        id=row.id,
        role=row.role,
        status=row.status,
        locked=row.locked,
        erase_after=row.erase_after,
        organisation_id=row.organisation_id,
        self_employed=row.self_employed,
        name=row.name,
        introduction=row.introduction,
        postcode=row.postcode,
        radius_km=row.radius_km,
        activities=row.activities,
        ranges=row.ranges,
        traits=row.traits,
        contact=contact,
        consents=row.consents if personal else None,
        refusal_reason=row.refusal_reason if admin else None,
        lock_reason=row.lock_reason if admin else None,
        created_at=row.created_at,
    )
