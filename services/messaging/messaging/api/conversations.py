"""Conversations, messages, documents, export, video rooms, abuse reports (participants only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.api.deps import Config, Coordinator, Party, Store
from messaging.api.schemas import CreateRoom, MarkRead, OpenConversation, OpenGroup, PostMessage, Reason
from messaging.app import abuse, appointment_rooms, conversations, documents, messages, rooms
from teilhabe_kit import idempotency
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.documents import download_headers
from teilhabe_kit.problems import Unprocessable

router = APIRouter(prefix="/api/v1/messaging", tags=["conversations"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)]


@router.post(
    "/conversations", summary="Open the conversation of an offer („Chat öffnen“; seeker/guardian or who offered)"
)
async def open_conversation(body: OpenConversation, engine: Engine, principal: Party) -> JSONResponse:
    async with engine.begin() as conn:
        conversation_id, created = await conversations.open_for_offer(conn, principal, body.order_id, body.offer_id)
    return JSONResponse({"id": conversation_id, "created": created}, status_code=201 if created else 200)


@router.post(
    "/groups", status_code=201, summary="Open a group conversation with assistants of the own provider (coordinator)"
)
async def open_group(
    body: OpenGroup, engine: Engine, principal: Coordinator, idempotency_key: idempotency.IdempotencyKey = None
):
    async def create(conn: AsyncConnection) -> dict:
        return {"id": await conversations.open_group(conn, principal, body.member_ids, body.title)}

    scope = f"messaging:groups:{principal.account_id}"
    return await idempotency.once(engine, scope, idempotency_key, body, create)


@router.get("/conversations", summary="The caller's conversations with unread counts")
async def list_conversations(
    engine: Engine,
    principal: Party,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    async with engine.connect() as conn:
        items = await conversations.summaries(conn, principal, limit=limit, offset=offset)
    return {"items": items, "next_offset": offset + limit if len(items) == limit else None}


@router.get("/conversations/{conversation_id}/messages", summary="Messages with read receipts (participants)")
async def list_messages(
    conversation_id: str,
    engine: Engine,
    principal: Party,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict:
    async with engine.connect() as conn:
        return await messages.listing(conn, principal, conversation_id, after, limit)


@router.post("/conversations/{conversation_id}/messages", status_code=201, summary="Post a message (participants)")
async def post_message(
    conversation_id: str, body: PostMessage, engine: Engine, principal: Party, idempotency_key: IdempotencyKey = None
) -> dict:
    async with engine.begin() as conn:
        return await messages.post(conn, principal, conversation_id, body.text, idempotency_key=idempotency_key)


@router.post("/conversations/{conversation_id}/read", summary="Read receipt: read up to message number (participants)")
async def mark_read(conversation_id: str, body: MarkRead, engine: Engine, principal: Party) -> dict:
    async with engine.begin() as conn:
        mark = await messages.mark_read(conn, principal, conversation_id, body.up_to_seq, datetime.now(UTC))
    return {"read_seq": mark}


@router.post(
    "/conversations/{conversation_id}/documents",
    status_code=201,
    summary="Send a document: PDF, PNG or JPEG up to the size limit (participants)",
)
async def upload_document(
    conversation_id: str,
    engine: Engine,
    store: Store,
    config: Config,
    principal: Party,
    file: Annotated[UploadFile, File()],
    text: Annotated[str | None, Form(max_length=5000)] = None,
    idempotency_key: IdempotencyKey = None,
) -> dict:
    content = await file.read(config.max_document_bytes + 1)
    if len(content) > config.max_document_bytes:
        raise Unprocessable(
            f"Die Datei ist zu groß. Erlaubt sind höchstens {config.max_document_bytes // (1024 * 1024)} MB.",
            field="file",
        )
    async with engine.begin() as conn:
        return await documents.upload(
            conn,
            store,
            principal,
            conversation_id,
            file.filename or "",
            file.content_type,
            content,
            text,
            config.max_document_bytes,
            idempotency_key,
        )


@router.get("/conversations/{conversation_id}/documents", summary="The conversation's documents (participants)")
async def list_documents(conversation_id: str, engine: Engine, principal: Party) -> dict:
    async with engine.connect() as conn:
        return {"items": await documents.listing(conn, principal, conversation_id)}


@router.get("/conversations/{conversation_id}/documents/{document_id}", summary="Download a document (participants)")
async def download_document(
    conversation_id: str, document_id: str, engine: Engine, store: Store, principal: Party
) -> Response:
    async with engine.connect() as conn:
        found = await documents.download(conn, store, principal, conversation_id, document_id)
    return Response(
        found.content,
        media_type=found.media_type,
        headers=download_headers(found.filename),
    )


@router.delete(
    "/conversations/{conversation_id}/documents/{document_id}",
    status_code=204,
    summary="Delete an own document (its uploader)",
)
async def delete_document(
    conversation_id: str, document_id: str, engine: Engine, store: Store, principal: Party
) -> Response:
    async with engine.begin() as conn:
        await documents.delete(conn, store, principal, conversation_id, document_id)
    return Response(status_code=204)


@router.get("/conversations/{conversation_id}/export.csv", summary="Export the conversation as CSV (participants)")
async def export(conversation_id: str, engine: Engine, principal: Party) -> Response:
    async with engine.connect() as conn:
        text = await messages.export_csv(conn, principal, conversation_id)
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="gespraech-{conversation_id}.csv"',
        },
    )


@router.post(
    "/conversations/{conversation_id}/video-room",
    status_code=201,
    summary="Create a video room: moderator, guest and seminar links, or an external link (participants)",
)
async def create_room(conversation_id: str, body: CreateRoom, engine: Engine, config: Config, principal: Party) -> dict:
    async with engine.begin() as conn:
        return await rooms.create(
            conn, principal, conversation_id, str(body.external_url) if body.external_url else None, config
        )


@router.get(
    "/conversations/{conversation_id}/video-room",
    summary="The latest video room (participants; moderator links for its moderator)",
)
async def get_room(conversation_id: str, engine: Engine, config: Config, principal: Party) -> dict:
    async with engine.connect() as conn:
        return await rooms.latest(conn, principal, conversation_id, config)


@router.post(
    "/meetings/{contract_id}/video-room",
    status_code=201,
    summary="Create a video room for a scheduled meeting (seeker/guardian, assistant, provider coordinator)",
)
async def create_meeting_room(
    contract_id: str, body: CreateRoom, engine: Engine, config: Config, principal: Party
) -> dict:
    async with engine.begin() as conn:
        external = str(body.external_url) if body.external_url else None
        return await rooms.create_for_meeting(conn, principal, contract_id, external, config)


@router.get(
    "/meetings/{contract_id}/video-room", summary="The latest video room of a scheduled meeting (its participants)"
)
async def get_meeting_room(contract_id: str, engine: Engine, config: Config, principal: Party) -> dict:
    async with engine.connect() as conn:
        return await rooms.latest_for_meeting(conn, principal, contract_id, config)


@router.post("/conversations/{conversation_id}/abuse-reports", status_code=201, summary="Report abuse (participants)")
async def report_abuse(
    conversation_id: str,
    body: Reason,
    engine: Engine,
    principal: Party,
    idempotency_key: idempotency.IdempotencyKey = None,
):
    async def create(conn: AsyncConnection) -> dict:
        return {"id": await abuse.report(conn, principal, conversation_id, body.reason)}

    scope = f"messaging:abuse-reports:{principal.account_id}:{conversation_id}"
    return await idempotency.once(engine, scope, idempotency_key, body, create)


@router.get(
    "/appointments/{booking_id}/video-room",
    summary="The video room of a counseling appointment with channel video, made when first opened; the "
    "counselor moderates (its client, the centre's counselors and admins)",
)
async def get_appointment_room(booking_id: str, engine: Engine, config: Config, principal: Caller) -> dict:
    async with engine.begin() as conn:
        return await appointment_rooms.room(conn, principal, booking_id, config)
