"""Use cases on case records ("Monitoring"): counselors add, change and delete their own; admins
every record of the centre. The first record makes its counselor primary counselor where the centre
assigns automatically."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.clients import first_contact, of_centre
from counseling.app.streams import CASE_RECORD, commit, load, settings_of
from counseling.domain import records as domain
from counseling.readmodels.thread_tables import mail_threads
from teilhabe_events.centre_catalogue import Topic
from teilhabe_kit.auth import Principal
from teilhabe_kit.if_match import expect
from teilhabe_kit.problems import Unprocessable


async def add(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    client_id: str,
    *,
    occurred_on: date,
    minutes: int,
    subject: Topic,
    channel: str,
    fields: dict[str, Any],
    source: domain.Source | None = None,
) -> str:
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    await check_source(conn, centre_id, client_id, source)
    record_id = str(uuid.uuid4())
    events = domain.add(
        record_id,
        centre_id=centre_id,
        client_id=client_id,
        counselor_id=principal.account_id,
        occurred_on=occurred_on,
        minutes=minutes,
        subject=subject,
        channel=channel,
        fields=fields,
        settings=await settings_of(conn, centre_id),
        source=source,
    )
    await commit(
        conn, CASE_RECORD, record_id, await load(conn, CASE_RECORD, record_id), events, actor_id=principal.account_id
    )
    await first_contact(conn, centre_id, client_id, principal.account_id)
    return record_id


async def change(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    record_id: str,
    if_match: int | None,
    *,
    occurred_on: date,
    minutes: int,
    subject: Topic,
    channel: str,
    fields: dict[str, Any],
    source: domain.Source | None = None,
) -> int:
    access.require_staff(principal, centre_id)
    loaded = await load(conn, CASE_RECORD, record_id)
    state = domain.visible(loaded.state, centre_id, principal.account_id, admin=access.admin_of(principal, centre_id))
    await of_centre(conn, centre_id, state.client_id)  # an erased client's records keep their figures, no text
    expect(loaded.version, if_match, "Das Monitoring wurde inzwischen geändert. Bitte laden Sie die Seite neu.")
    await check_source(conn, centre_id, state.client_id, source)
    events = domain.change(
        state,
        occurred_on=occurred_on,
        minutes=minutes,
        subject=subject,
        channel=channel,
        fields=fields,
        settings=await settings_of(conn, centre_id),
        source=source,
    )
    committed = await commit(conn, CASE_RECORD, record_id, loaded, events, actor_id=principal.account_id)
    return committed.version


async def check_source(conn: AsyncConnection, centre_id: str, client_id: str, source: domain.Source | None) -> None:
    """A mail thread must be one of this client's in this centre (422 naming `source.id`). Chats and
    appointments live in other services (messaging, appointments): their ids are taken as given."""
    if source is None or source.type != "mail_thread":
        return
    found = await conn.scalar(
        select(mail_threads.c.id).where(
            mail_threads.c.id == source.id, mail_threads.c.client_id == client_id, mail_threads.c.centre_id == centre_id
        )
    )
    if found is None:
        raise Unprocessable("Diese Mail-Anfrage gibt es bei dieser Person nicht.", field="source.id")


async def delete(conn: AsyncConnection, principal: Principal, centre_id: str, record_id: str) -> None:
    access.require_staff(principal, centre_id)
    loaded = await load(conn, CASE_RECORD, record_id)
    state = domain.visible(loaded.state, centre_id, principal.account_id, admin=access.admin_of(principal, centre_id))
    await commit(
        conn, CASE_RECORD, record_id, loaded, domain.delete(state, principal.account_id), actor_id=principal.account_id
    )
