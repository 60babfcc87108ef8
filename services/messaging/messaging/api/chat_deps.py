"""Who calls a counseling chat endpoint: a client or counselor (bearer token), or a walk-in guest
(header `X-Walk-In-Token`, bound to one chat)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from messaging.app.chat_access import Party, guest_of, party_of
from teilhabe_kit.auth import Unauthenticated, current_principal

WalkInToken = Annotated[str | None, Header(alias="X-Walk-In-Token", max_length=100)]


async def signed_in(request: Request) -> Party:
    return party_of(await current_principal(request))


async def guest(request: Request, token: str) -> Party:
    async with request.app.state.engine.connect() as conn:
        return await guest_of(conn, token)


async def member(request: Request, walk_in_token: WalkInToken = None) -> Party:
    """The guest when a walk-in credential is sent, else the signed-in client or counselor."""
    if walk_in_token:
        return await guest(request, walk_in_token)
    return await signed_in(request)


async def walk_in_guest(request: Request, walk_in_token: WalkInToken = None) -> Party:
    if not walk_in_token:
        raise Unauthenticated("Dafür braucht es den Zugang des anonymen Chats.")
    return await guest(request, walk_in_token)


Member = Annotated[Party, Depends(member)]
SignedIn = Annotated[Party, Depends(signed_in)]
Guest = Annotated[Party, Depends(walk_in_guest)]
