"""The personal data a client gave with a mail request, copied only by a counselor's explicit action
(seed 003): "in Profil übernehmen" sets those master data fields of the client's profile (the others
stay), "in Monitoring übernehmen" adds a case record of the thread (channel mail, source the thread)
carrying them in the centre's record fields of the same key."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app import records as cases
from counseling.app.clients import change_master_data
from counseling.app.streams import settings_of
from counseling.app.thread_streams import history
from counseling.app.threads import readable
from counseling.domain import thread_events as t
from counseling.domain import threads
from counseling.domain.records import Source
from counseling.readmodels import queries
from teilhabe_events.centre_catalogue import Topic
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound


async def given_with(conn: AsyncConnection, thread_id: str) -> dict[str, Any] | None:
    """The personal data of the thread's request (None when none was given or it is erased)."""
    for _, event in await history(conn, thread_id):
        if isinstance(event, t.RequestWritten):
            return event.personal_data
    return None


async def into_profile(conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str) -> None:
    access.require_staff(principal, centre_id)
    state = await readable(conn, principal, centre_id, thread_id)
    given = threads.personal_data_given(await given_with(conn, thread_id))
    row = await queries.client(conn, centre_id, state.client_id)
    if row is None:
        raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
    merged = dict(row.master_data or {}) | given
    await change_master_data(conn, principal, centre_id, state.client_id, merged, list(row.filters))


async def into_record(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    thread_id: str,
    *,
    occurred_on: date,
    minutes: int,
    subject: Topic,
    fields: dict[str, Any],
) -> str:
    access.require_staff(principal, centre_id)
    state = await readable(conn, principal, centre_id, thread_id)
    given = threads.personal_data_given(await given_with(conn, thread_id))
    defined = {spec.key for spec in (await settings_of(conn, centre_id)).fields()}
    copied = {key: value for key, value in given.items() if key in defined}
    return await cases.add(
        conn,
        principal,
        centre_id,
        state.client_id,
        occurred_on=occurred_on,
        minutes=minutes,
        subject=subject,
        channel="mail",
        fields=copied | fields,
        source=Source("mail_thread", thread_id),
    )
