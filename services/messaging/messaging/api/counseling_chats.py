"""Counseling chats (`/api/v1/messaging/counseling-chats`, `/centres/{c}/…`): queue, accept, messages,
end, export, video call, anonymous walk-in chats and their claim into an account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.api.chat_deps import Guest, Member, SignedIn
from messaging.api.deps import Config
from messaging.api.schemas import CreateRoom, MarkRead, OpenClientChat, OpenGroupChat, PostMessage
from messaging.app import chat_messages, counseling_chats, rate_windows, rooms, walk_in
from messaging.app.chat_access import enter
from teilhabe_kit import idempotency
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.api import Engine, problems
from teilhabe_kit.problems import problem_response

router = APIRouter(prefix="/api/v1/messaging", tags=["counseling chats"], responses=problems())
CHAT = "/counseling-chats/{chat_id}"


@router.post("/counseling-chats", summary="A client asks the own centre for a chat (queue); 201 new, 200 open one")
async def request_chat(engine: Engine, party: SignedIn) -> JSONResponse:
    async with engine.begin() as conn:
        chat_id, created = await counseling_chats.request(conn, party)
    return JSONResponse({"id": chat_id, "created": created}, status_code=201 if created else 200)


@router.get("/counseling-chats", summary="The caller's counseling chats (client or counselor), open ones first")
async def my_chats(engine: Engine, party: SignedIn) -> dict:
    async with engine.connect() as conn:
        return {"items": await counseling_chats.mine(conn, party)}


@router.post(
    "/centres/{centre_id}/counseling-chats",
    summary="A counselor opens a chat with a client of the own centre (201 new, 200 the client's open one)",
)
async def open_client_chat(centre_id: str, body: OpenClientChat, engine: Engine, party: SignedIn) -> JSONResponse:
    async with engine.begin() as conn:
        chat_id, created = await counseling_chats.open_with_client(conn, party, centre_id, body.client_id)
    return JSONResponse({"id": chat_id, "created": created}, status_code=201 if created else 200)


@router.post(
    "/centres/{centre_id}/group-chats",
    status_code=201,
    summary="A counselor opens a group chat with clients and colleagues of the own centre (Idempotency-Key)",
)
async def open_group_chat(
    centre_id: str,
    body: OpenGroupChat,
    engine: Engine,
    party: SignedIn,
    idempotency_key: idempotency.IdempotencyKey = None,
):
    async def create(conn: AsyncConnection) -> dict:
        chat_id = await counseling_chats.open_group(
            conn, party, centre_id, body.title, body.client_ids, body.counselor_ids
        )
        return {"id": chat_id}

    scope = f"messaging:group-chats:{party.person_id}"
    return await idempotency.once(engine, scope, idempotency_key, body, create)


@router.get("/centres/{centre_id}/chat-queue", summary="The centre's waiting chats, first come first (counselors)")
async def chat_queue(centre_id: str, engine: Engine, party: SignedIn) -> dict:
    async with engine.connect() as conn:
        return {"items": await counseling_chats.queue(conn, party, centre_id)}


@router.post(
    "/centres/{centre_id}/walk-in-chats",
    status_code=201,
    summary="Anonymous walk-in chat: enter the centre's queue without an account (public, rate-limited); "
    "the answer's `token` is the chat's credential (header X-Walk-In-Token), shown once",
)
async def start_walk_in(centre_id: str, request: Request, engine: Engine, config: Config):
    forwarded = request.headers.get("X-Forwarded-For", "")
    address = forwarded.split(",")[-1].strip() or (request.client.host if request.client else "unknown")
    try:
        async with engine.begin() as conn:
            return await walk_in.start(conn, centre_id, address, config)
    except rate_windows.TooMany as error:
        lang = texts.language(request)
        return problem_response(
            429, detail=error.detail, en=error.en, lang=lang, headers={"Retry-After": str(error.retry_after)}
        )


@router.get(CHAT, summary="A chat: state, place in the queue, waiting time, members (members, walk-in guest)")
async def get_chat(chat_id: str, engine: Engine, party: Member) -> dict:
    async with engine.connect() as conn:
        entry = await enter(conn, party, chat_id)
        return await counseling_chats.view(conn, entry, party)


@router.post(CHAT + "/accept", summary="Accept a waiting chat of the own centre (counselors; one wins, others 409)")
async def accept(chat_id: str, engine: Engine, party: SignedIn) -> dict:
    async with engine.begin() as conn:
        return await counseling_chats.accept(conn, party, chat_id)


@router.post(CHAT + "/end", summary="End the chat (either side)")
async def end(chat_id: str, engine: Engine, party: Member) -> dict:
    async with engine.begin() as conn:
        return await counseling_chats.end(conn, party, chat_id)


@router.get(CHAT + "/messages", summary="Messages after number `after` (members, walk-in guest)")
async def list_messages(
    chat_id: str,
    engine: Engine,
    party: Member,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> dict:
    async with engine.connect() as conn:
        return await chat_messages.listing(conn, party, chat_id, after, limit)


@router.post(CHAT + "/messages", status_code=201, summary="Write in the chat (members, walk-in guest; Idempotency-Key)")
async def post_message(
    chat_id: str, body: PostMessage, engine: Engine, party: Member, idempotency_key: idempotency.IdempotencyKey = None
) -> dict:
    async with engine.begin() as conn:
        return await chat_messages.post(conn, party, chat_id, body.text, idempotency_key)


@router.post(CHAT + "/read", summary="Read up to message number (members, walk-in guest)")
async def mark_read(chat_id: str, body: MarkRead, engine: Engine, party: Member) -> dict:
    async with engine.begin() as conn:
        return {"read_seq": await chat_messages.mark_read(conn, party, chat_id, body.up_to_seq, datetime.now(UTC))}


@router.get(CHAT + "/export.csv", summary="Export the stream as CSV (members)")
async def export(chat_id: str, engine: Engine, party: SignedIn) -> Response:
    async with engine.connect() as conn:
        text = await chat_messages.export_csv(conn, party, chat_id)
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="chat-{chat_id}.csv"'},
    )


@router.post(
    CHAT + "/claim",
    summary="Take a walk-in chat into the own client account (bearer token of the client and the chat's X-Walk-In-Token)",
)
async def claim(chat_id: str, engine: Engine, party: SignedIn, guest: Guest) -> dict:
    async with engine.begin() as conn:
        return await walk_in.claim(conn, guest, party, chat_id)


@router.post(
    CHAT + "/video-call",
    status_code=201,
    summary="Start a video call from the chat: moderator, guest and seminar links, or an external link (members)",
)
async def start_video(chat_id: str, body: CreateRoom, engine: Engine, config: Config, party: Member) -> dict:
    async with engine.begin() as conn:
        external = str(body.external_url) if body.external_url else None
        return await rooms.create_for_chat(conn, party, chat_id, external, config)


@router.get(CHAT + "/video-call", summary="The chat's latest video call (members, walk-in guest: the guest link)")
async def get_video(chat_id: str, engine: Engine, config: Config, party: Member) -> dict:
    async with engine.connect() as conn:
        return await rooms.latest_for_chat(conn, party, chat_id, config)
