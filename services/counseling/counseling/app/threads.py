"""Use cases of mail counseling: a client's request is assigned by the centre's rules (serialised per
centre, so free resources are never overbooked), answered, drafted, released and taken over.
Permission checks first, then load, decide, commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.clients import first_contact, is_staff_member, of_centre
from counseling.app.thread_streams import MAIL_SETTINGS, THREAD, commit, load, settings_of
from counseling.domain import mail_settings, threads
from counseling.domain import thread_events as t
from counseling.readmodels import thread_queries
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden, NotFound, Unprocessable
from teilhabe_kit.streams import Loaded


def client_of(principal: Principal, centre_id: str) -> str:
    """The signed-in client of this centre; the centre's team: 403; everyone else: 404."""
    if principal.has(Role.CLIENT) and principal.organisation_id == centre_id:
        return principal.account_id
    if access.staff_of(principal, centre_id):
        raise Forbidden("Mailanfragen schreiben nur Ratsuchende.")
    raise NotFound("Diese Beratungsstelle gibt es hier nicht.")


async def send_request(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    subject: str,
    body: str,
    personal_data: dict[str, Any] | None = None,
) -> str:
    client_id = client_of(principal, centre_id)
    client, _ = await of_centre(conn, centre_id, client_id)
    await conn.execute(sql("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"mail-assignment:{centre_id}"})
    assignee = mail_settings.choose_assignee(
        await settings_of(conn, centre_id),
        previous=await thread_queries.previous_assignee(conn, client_id),
        primary=client.primary_counselor_id,
        open_threads=await thread_queries.open_threads(conn, centre_id),
    )
    thread_id = str(uuid.uuid4())
    events = threads.request(centre_id, client_id, subject, body, assignee, personal_data)
    await commit(conn, THREAD, thread_id, Loaded(None, 0), events, actor_id=client_id)
    if assignee is not None:
        await first_contact(conn, centre_id, client_id, assignee[0])
    return thread_id


async def thread_of(conn: AsyncConnection, centre_id: str, thread_id: str) -> Loaded[threads.Thread]:
    loaded = await load(conn, THREAD, thread_id)
    threads.of_centre(loaded.state, centre_id)
    return loaded


async def readable(conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str) -> threads.Thread:
    """The thread, if the caller may read it: its client, the assignee, admins, who may take it over."""
    if principal.has(Role.CLIENT):
        client_id = client_of(principal, centre_id)
        state = threads.of_centre((await load(conn, THREAD, thread_id)).state, centre_id)
        if state.client_id != client_id:
            raise NotFound(threads.MISSING)
        return state
    access.require_staff(principal, centre_id)
    state = threads.of_centre((await load(conn, THREAD, thread_id)).state, centre_id)
    settings = await settings_of(conn, centre_id)
    if not threads.may_read(
        state, principal.account_id, settings.openness, admin=access.admin_of(principal, centre_id)
    ):
        raise Forbidden("Diese Anfrage bearbeitet jemand anderes und ist nicht freigegeben.")
    return state


async def write(conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str, body: str) -> None:
    """The client's follow-up or the assignee's reply."""
    state = await readable(conn, principal, centre_id, thread_id)
    loaded = await load(conn, THREAD, thread_id)
    if principal.has(Role.CLIENT):
        events = threads.follow_up(state, principal.account_id, body)
    else:
        events = threads.reply(state, principal.account_id, body)
    await commit(conn, THREAD, thread_id, loaded, events, actor_id=principal.account_id)


async def change_subject(conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str) -> None:
    state = await readable(conn, principal, centre_id, thread_id)
    threads.change_subject(state)


async def save_draft(
    conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str, body: str, *, release: bool
) -> None:
    access.require_staff(principal, centre_id)
    state = await readable(conn, principal, centre_id, thread_id)
    events = threads.save_draft(state, principal.account_id, body, release=release)
    await commit(conn, THREAD, thread_id, await load(conn, THREAD, thread_id), events, actor_id=principal.account_id)


async def take_over(conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str) -> None:
    access.require_staff(principal, centre_id)
    loaded = await thread_of(conn, centre_id, thread_id)
    assert loaded.state is not None
    settings = await settings_of(conn, centre_id)
    admin = access.admin_of(principal, centre_id)
    events = threads.take_over(loaded.state, principal.account_id, settings.openness, admin=admin)
    await commit(conn, THREAD, thread_id, loaded, events, actor_id=principal.account_id)


async def change_settings(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    availability: dict[str, mail_settings.Availability],
    fallback_counselor_id: str | None,
    openness: mail_settings.Openness,
) -> None:
    access.require_admin(principal, centre_id)
    for counselor_id in sorted(availability):
        if not await is_staff_member(conn, centre_id, counselor_id):
            raise Unprocessable(
                "Diese Person gehört nicht zum Team Ihrer Beratungsstelle.", field=f"availability.{counselor_id}"
            )
    if fallback_counselor_id is not None and not await is_staff_member(conn, centre_id, fallback_counselor_id):
        raise Unprocessable("Diese Person gehört nicht zum Team Ihrer Beratungsstelle.", field="fallback_counselor_id")
    event = t.MailSettingsChanged(
        availability={k: v.model_dump() for k, v in availability.items()},
        fallback_counselor_id=fallback_counselor_id,
        openness=openness,
    )
    loaded = await load(conn, MAIL_SETTINGS, centre_id)
    await commit(conn, MAIL_SETTINGS, centre_id, loaded, [event], actor_id=principal.account_id)
