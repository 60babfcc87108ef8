"""Use cases on clients: open (through identity), learn a self-registered client, master data and
filter criteria, primary counselor, notes, direct messages, bookmarks, and identity's decisions
(locked, marked for deletion, restored, erased). Permission checks first, then load, decide, commit
— each in the caller's transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.streams import CLIENT, COUNSELOR, commit, load, settings_of
from counseling.app.thread_erasure import erase_threads_of
from counseling.domain import client as domain
from counseling.domain import counselor as counselor_domain
from counseling.domain.events import ClientStatusChanged
from counseling.readmodels.tables import centre_staff, counselors
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Unprocessable
from teilhabe_kit.streams import Loaded


async def of_centre(conn: AsyncConnection, centre_id: str, client_id: str) -> tuple[domain.Client, int]:
    state, version = await load(conn, CLIENT, client_id)
    return domain.existing(state, centre_id), version


async def record_opened(
    conn: AsyncConnection, centre_id: str, client_id: str, pseudonym: str, opened_by: str | None
) -> bool:
    """Counseling learns the client (from the opening counselor's request or identity's event); False
    when it knew the client already. The opening counselor becomes primary counselor where the centre
    assigns them automatically."""
    state, version = await load(conn, CLIENT, client_id)
    if state is not None:
        return False
    events = domain.open_client(state, centre_id, pseudonym, opened_by)
    if opened_by is not None:
        opened = domain.Client(id=client_id, centre_id=centre_id)
        events += domain.first_contact(opened, await settings_of(conn, centre_id), opened_by)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=opened_by)
    return True


async def change_master_data(
    conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, master_data: dict, filters: list[str]
) -> None:
    access.require_staff(principal, centre_id)
    state, version = await of_centre(conn, centre_id, client_id)
    events = domain.change_master_data(state, await settings_of(conn, centre_id), master_data, filters)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=principal.account_id)


async def is_staff_member(conn: AsyncConnection, centre_id: str, account_id: str) -> bool:
    """A member of the centre's team (learned from identity) or a counselor with a profile there."""
    member = await conn.scalar(
        select(centre_staff.c.account_id).where(
            centre_staff.c.centre_id == centre_id, centre_staff.c.account_id == account_id
        )
    )
    profile = await conn.scalar(
        select(counselors.c.id).where(counselors.c.centre_id == centre_id, counselors.c.id == account_id)
    )
    return member is not None or profile is not None


async def assign_primary(
    conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, counselor_id: str | None
) -> None:
    access.require_staff(principal, centre_id)
    state, version = await of_centre(conn, centre_id, client_id)
    if counselor_id is not None and not await is_staff_member(conn, centre_id, counselor_id):
        raise Unprocessable("Diese Person gehört nicht zum Team Ihrer Beratungsstelle.", field="counselor_id")
    events = domain.assign_primary(state, counselor_id, principal.account_id)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=principal.account_id)


async def first_contact(conn: AsyncConnection, centre_id: str, client_id: str, counselor_id: str) -> None:
    """A counselor's first contact with the client (a case record, a note; later a request)."""
    state, version = await of_centre(conn, centre_id, client_id)
    events = domain.first_contact(state, await settings_of(conn, centre_id), counselor_id)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=counselor_id)


async def add_note(conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, text: str) -> str:
    access.require_staff(principal, centre_id)
    await first_contact(conn, centre_id, client_id, principal.account_id)
    state, version = await of_centre(conn, centre_id, client_id)
    committed = await commit(
        conn,
        CLIENT,
        client_id,
        Loaded(state, version),
        domain.add_note(state, text, principal.account_id),
        actor_id=principal.account_id,
    )
    return committed.events[0].note_id  # type: ignore[union-attr]


async def delete_note(
    conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, note_id: str
) -> None:
    access.require_staff(principal, centre_id)
    state, version = await of_centre(conn, centre_id, client_id)
    events = domain.delete_note(state, note_id, principal.account_id, admin=access.admin_of(principal, centre_id))
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=principal.account_id)


async def write_message(
    conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, subject: str, body: str
) -> str:
    access.require_admin(principal, centre_id)
    state, version = await of_centre(conn, centre_id, client_id)
    events = domain.write_message(state, subject, body, principal.account_id)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=principal.account_id)
    return events[0].message_id  # type: ignore[union-attr]


async def bookmark(conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, *, on: bool) -> None:
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    loaded = await load(conn, COUNSELOR, principal.account_id)
    state = loaded.state or counselor_domain.Counselor(id=principal.account_id)
    events = (
        counselor_domain.bookmark(state, centre_id, client_id) if on else counselor_domain.unbookmark(state, client_id)
    )
    await commit(conn, COUNSELOR, principal.account_id, loaded, events, actor_id=principal.account_id)


async def status_changed(conn: AsyncConnection, client_id: str, status: str, erase_after: date | None = None) -> None:
    """Identity locked, unlocked, marked for deletion or restored the client's account."""
    state, version = await load(conn, CLIENT, client_id)
    if state is None or state.erased:
        return
    event = ClientStatusChanged(status=status, erase_after=erase_after.isoformat() if erase_after else None)
    await commit(conn, CLIENT, client_id, Loaded(state, version), [event], actor_id=None)


async def erase(conn: AsyncConnection, client_id: str) -> bool:
    """Identity erased the account: the client's key is destroyed (every sealed field in counseling's
    store reads as erased), the read models lose everything personal, `ClientErased` goes public."""
    state, version = await load(conn, CLIENT, client_id)
    events = domain.erase(state)
    if not events:
        return False
    await sealing.erase(conn, client_id)
    await erase_threads_of(conn, client_id)
    await commit(conn, CLIENT, client_id, Loaded(state, version), events, actor_id=None)
    return True
