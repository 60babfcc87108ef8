"""Case records ("Monitoring"): counselors record their contacts and see their own, admins see every
record of the centre, export them as CSV (UTF-8 with BOM, semicolon) and see statistics."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import records as cases
from counseling.app.export import csv_rows, period
from counseling.readmodels import queries
from counseling.readmodels.statistics import statistics
from teilhabe_kit.if_match import IfMatch
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}", tags=["Monitoring"])


def _out(row) -> models.RecordOut:
    return models.RecordOut(
        record_id=row.id,
        client_id=row.client_id,
        counselor_id=row.counselor_id,
        occurred_on=row.occurred_on,
        minutes=row.minutes,
        subject=row.subject,
        channel=row.channel,
        fields=row.fields,
        source=models.SourceRef(type=row.source_type, id=row.source_id) if row.source_type else None,
        created_at=row.created_at,
    )


@router.post(
    "/clients/{client_id}/records",
    status_code=201,
    summary="Monitoring anlegen: Datum, Dauer in Minuten (> 0), Thema und Kanal Pflicht, dazu die Felder der Stelle "
    "(Beratende, Admins)",
)
async def add(centre_id: str, client_id: str, body: models.RecordIn, caller: Caller, engine: Engine) -> dict:
    async with engine.begin() as conn:
        record_id = await cases.add(
            conn, caller, centre_id, client_id, **body.model_dump(exclude={"source"}), source=body.source_of()
        )
    return {"record_id": record_id}


@router.get(
    "/clients/{client_id}/records",
    response_model=list[models.RecordOut],
    summary="Monitorings einer Person, neueste zuerst: Beratende sehen ihre eigenen, Admins alle",
)
async def of_client(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    own = None if access.admin_of(caller, centre_id) else caller.account_id
    async with engine.connect() as conn:
        if await queries.client(conn, centre_id, client_id) is None:
            raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
        rows = await queries.records(conn, centre_id, client_id=client_id, counselor_id=own)
    return [_out(r) for r in rows]


@router.get(
    "/records",
    response_model=list[models.RecordOut],
    summary="Die eigenen Monitorings, neueste zuerst (Admins: alle der Stelle)",
)
async def mine(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    own = None if access.admin_of(caller, centre_id) else caller.account_id
    async with engine.connect() as conn:
        return [_out(r) for r in await queries.records(conn, centre_id, counselor_id=own)]


@router.put(
    "/records/{record_id}",
    summary="Monitoring ändern (wer es anlegte, Admins); If-Match: Version",
)
async def change(
    centre_id: str, record_id: str, body: models.RecordIn, caller: Caller, engine: Engine, version: IfMatch
) -> dict:
    async with engine.begin() as conn:
        new_version = await cases.change(
            conn, caller, centre_id, record_id, version, **body.model_dump(exclude={"source"}), source=body.source_of()
        )
    return {"record_id": record_id, "version": new_version}


@router.delete("/records/{record_id}", status_code=204, summary="Monitoring löschen (wer es anlegte, Admins)")
async def delete(centre_id: str, record_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.delete(conn, caller, centre_id, record_id)
    return Response(status_code=204)


@router.get(
    "/records.csv",
    summary="Monitorings der Stelle für einen Zeitraum als CSV (Excel: UTF-8 mit BOM, Semikolon) (Admins)",
    response_class=StreamingResponse,
)
async def export(
    centre_id: str,
    caller: Caller,
    engine: Engine,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
):
    access.require_admin(caller, centre_id)
    first, last = period(start, end)
    async with engine.connect() as conn:
        settings = await queries.settings(conn, centre_id)
    fields = list(settings.record_fields) if settings else []
    name = f"monitoring-{first:%Y%m%d}-{last:%Y%m%d}.csv"
    return StreamingResponse(
        csv_rows(engine, centre_id, first, last, fields),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
    )


@router.get(
    "/statistics",
    response_model=models.Statistics,
    summary="Statistik für einen Zeitraum (Standard: Jahresanfang bis heute): Anzahl und Minuten je Thema, Kanal, "
    "Berater:in und Monat (Admins)",
)
async def stats(
    centre_id: str,
    caller: Caller,
    engine: Engine,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
):
    access.require_admin(caller, centre_id)
    first, last = period(start, end)
    async with engine.connect() as conn:
        figures = await statistics(conn, centre_id, first, last)
    return models.Statistics(start=first, end=last, **figures)
