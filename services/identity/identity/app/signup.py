"""Public sign-up that gives nothing away: a new contact registers an account, a known one gets a
message instead ("you already have an account", with a link to set a new password). Both callers
see the same answer, after the same work (a password hash is computed either way)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.app import accounts, auth
from identity.domain import events as e
from identity.settings import Settings
from teilhabe_kit.eventstore import ConcurrencyConflict


async def sign_up(
    conn: AsyncConnection, event: e.Registered, password: str, settings: Settings, now: datetime
) -> str | None:
    """The new account's id, or None when the contact is known (its owner was told instead)."""
    owner = await accounts.owner_of_contact(conn, event.email, event.phone)
    if owner is None:
        return await accounts.register(conn, event, password=password, actor_id=None)
    await asyncio.to_thread(passwords.hash_password, password)  # the same time as a real sign-up
    if await auth.may_send_reset(conn, owner, now):
        try:
            async with conn.begin_nested():
                await auth.request_reset(conn, owner, settings, now, actor_id=None, repeated_registration=True)
        except ConcurrencyConflict:  # a sign-up at the same moment already told the owner
            pass
    return None
