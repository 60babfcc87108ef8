"""Use cases on groups of clients (the centre's staff; deletion by the creator or an admin)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.clients import of_centre
from counseling.app.streams import GROUP, commit, load
from counseling.domain import groups as domain
from teilhabe_kit.auth import Principal
from teilhabe_kit.streams import Loaded


async def _group(conn: AsyncConnection, centre_id: str, group_id: str) -> tuple[domain.Group, Loaded]:
    loaded = await load(conn, GROUP, group_id)
    return domain.existing(loaded.state, centre_id), loaded


async def create(
    conn: AsyncConnection, principal: Principal, centre_id: str, name: str, description: str | None
) -> str:
    access.require_staff(principal, centre_id)
    group_id = str(uuid.uuid4())
    events = domain.create(centre_id, name, description, principal.account_id)
    await commit(conn, GROUP, group_id, Loaded(None, 0), events, actor_id=principal.account_id)
    return group_id


async def describe(
    conn: AsyncConnection, principal: Principal, centre_id: str, group_id: str, name: str, description: str | None
) -> None:
    access.require_staff(principal, centre_id)
    state, loaded = await _group(conn, centre_id, group_id)
    await commit(
        conn, GROUP, group_id, loaded, domain.describe(state, name, description), actor_id=principal.account_id
    )


async def add_member(
    conn: AsyncConnection, principal: Principal, centre_id: str, group_id: str, client_id: str
) -> None:
    access.require_staff(principal, centre_id)
    state, loaded = await _group(conn, centre_id, group_id)
    await of_centre(conn, centre_id, client_id)
    await commit(conn, GROUP, group_id, loaded, domain.add_member(state, client_id), actor_id=principal.account_id)


async def remove_member(
    conn: AsyncConnection, principal: Principal, centre_id: str, group_id: str, client_id: str
) -> None:
    access.require_staff(principal, centre_id)
    state, loaded = await _group(conn, centre_id, group_id)
    await commit(conn, GROUP, group_id, loaded, domain.remove_member(state, client_id), actor_id=principal.account_id)


async def delete(conn: AsyncConnection, principal: Principal, centre_id: str, group_id: str) -> None:
    access.require_staff(principal, centre_id)
    state, loaded = await _group(conn, centre_id, group_id)
    events = domain.delete(state, principal.account_id, admin=access.admin_of(principal, centre_id))
    await commit(conn, GROUP, group_id, loaded, events, actor_id=principal.account_id)
