"""Admins read a conversation only to review an abuse report, and every review is audit-logged."""

from __future__ import annotations

from fastapi import APIRouter

from messaging.api.deps import Admin
from messaging.api.schemas import Reason
from messaging.app import abuse
from teilhabe_kit.api import Engine

router = APIRouter(prefix="/api/v1/messaging/admin", tags=["admin"])


@router.get("/abuse-reports", summary="Abuse reports (admin)")
async def reports(engine: Engine, principal: Admin) -> dict:
    async with engine.connect() as conn:
        return {"items": await abuse.open_reports(conn)}


@router.post(
    "/abuse-reports/{report_id}/review", summary="Read the reported conversation; the reason is audit-logged (admin)"
)
async def review(report_id: str, body: Reason, engine: Engine, principal: Admin) -> dict:
    async with engine.begin() as conn:
        return await abuse.review(conn, principal, report_id, body.reason)
