"""Use cases on the teams of counseling centres: invite (within the seats), accept, change a role,
remove, request more seats. Each runs in the caller's transaction; permission checks are the
caller's (`identity.api.centres`), except the rule that a centre keeps an admin.

Concurrent invitations into one centre are serialised by locking its `organisations` row, so two
invitations can never take the last seat together.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import accounts as cases
from identity.app import store
from identity.domain import events as e
from identity.domain import organisation as org_domain
from identity.domain import staff as domain
from identity.domain.organisation import Organisation
from identity.readmodels.tables import accounts, centre_staff, organisations, password_resets
from identity.settings import Settings
from teilhabe_events.contexts.identity import AccountRole, CentreRole
from teilhabe_kit.problems import Conflict, NotFound

INVITATION = "invitation"


async def load_centre(conn: AsyncConnection, centre_id: str, *, lock: bool = False) -> Organisation:
    """The centre's organisation state (404 if there is none); `lock` serialises seat decisions."""
    if lock:
        await conn.execute(select(organisations.c.id).where(organisations.c.id == centre_id).with_for_update())
    state = org_domain.replay(centre_id, await store.history(conn, store.ORGANISATION, centre_id))
    if not state.exists:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")
    return state


async def commit_centre(conn: AsyncConnection, state: Organisation, events: list[e.Event], actor_id: str) -> None:
    await store.commit(conn, store.ORGANISATION, state.id, state.version, events, actor_id=actor_id)


async def seats_taken(conn: AsyncConnection, centre_id: str, now: datetime) -> int:
    """Joined members plus invitations that still hold a seat (not expired)."""
    taken = await conn.execute(
        select(func.count())
        .select_from(centre_staff)
        .where(
            centre_staff.c.centre_id == centre_id,
            or_(centre_staff.c.joined, centre_staff.c.expires_at > now),
        )
    )
    return taken.scalar_one()


async def joined_admins(conn: AsyncConnection, centre_id: str) -> int:
    admins = await conn.execute(
        select(func.count())
        .select_from(centre_staff)
        .where(
            centre_staff.c.centre_id == centre_id,
            centre_staff.c.joined,
            centre_staff.c.role == CentreRole.CENTRE_ADMIN,
        )
    )
    return admins.scalar_one()


async def invite(
    conn: AsyncConnection,
    settings: Settings,
    centre_id: str,
    *,
    name: str,
    email: str,
    role: CentreRole,
    by: str,
    now: datetime,
) -> dict:
    """Invite a person by e-mail: an existing centre account is invited as it is, otherwise an account
    (active, no password yet) is created. The link goes out through messaging (`StaffInvited`)."""
    centre = await load_centre(conn, centre_id, lock=True)
    org_domain.may_invite(centre)
    taken = await seats_taken(conn, centre_id, now)
    invitation_id = uuid.uuid4().hex
    expires_at = now + timedelta(days=settings.invitation_days)
    account_id = await cases.find_by_login(conn, email)
    if account_id is None:
        domain.seat_free(centre.seats, taken)
        registered = e.Registered(role=AccountRole(role), created_by=by, name=name, email=email)
        account_id = await cases.register(conn, registered, password=None, actor_id=by)
    state = await store.load(conn, account_id)
    events = domain.invite(state, centre_id, role, invitation_id, expires_at, by, now)
    domain.seat_free(centre.seats, taken)
    await store.commit(conn, store.ACCOUNT, account_id, state.version, events, actor_id=by, state=state)
    await conn.execute(
        password_resets.insert().values(
            request_id=invitation_id, account_id=account_id, requested_at=now, expires_at=expires_at, purpose=INVITATION
        )
    )
    return {"account_id": account_id, "invitation_id": invitation_id, "expires_at": expires_at}


async def member(conn: AsyncConnection, centre_id: str, account_id: str):
    row = (
        await conn.execute(
            select(centre_staff).where(centre_staff.c.centre_id == centre_id, centre_staff.c.account_id == account_id)
        )
    ).first()
    if row is None:
        raise NotFound("Diese Person gehört nicht zum Team.")
    return row


async def _keep_an_admin(conn: AsyncConnection, centre_id: str, row, new_role: CentreRole | None) -> None:
    if row.joined and not domain.keeps_an_admin(await joined_admins(conn, centre_id), row.role, new_role):
        raise Conflict(
            "Die Beratungsstelle braucht mindestens eine Person mit der Rolle Admin. Bitte geben Sie zuerst "
            "einer anderen Person diese Rolle.",
            field="role",
        )


async def change_role(
    conn: AsyncConnection, centre_id: str, account_id: str, role: CentreRole, by: str, *, platform_admin: bool
) -> None:
    await load_centre(conn, centre_id, lock=True)
    row = await member(conn, centre_id, account_id)
    if not platform_admin:
        await _keep_an_admin(conn, centre_id, row, role)
    await store.decide_and_commit(conn, account_id, lambda s: domain.change_role(s, centre_id, role, by), actor_id=by)


async def remove(conn: AsyncConnection, centre_id: str, account_id: str, by: str, *, platform_admin: bool) -> None:
    """Remove a member or withdraw an invitation; the seat is free at once."""
    await load_centre(conn, centre_id, lock=True)
    row = await member(conn, centre_id, account_id)
    if not platform_admin:
        await _keep_an_admin(conn, centre_id, row, None)
    await store.decide_and_commit(conn, account_id, lambda s: domain.remove(s, centre_id, by), actor_id=by)


async def accept(conn: AsyncConnection, invitation_id: str, account_id: str, now: datetime) -> str:
    """The person joins; returns the centre id."""
    state = await store.decide_and_commit(
        conn, account_id, lambda s: domain.join(s, invitation_id, now), actor_id=account_id
    )
    return next(c for c, m in state.centres.items() if m.invitation_id == invitation_id)


async def request_seats(conn: AsyncConnection, centre_id: str, seats: int, note: str | None, by: str) -> str:
    centre = await load_centre(conn, centre_id)
    request_id = uuid.uuid4().hex
    await commit_centre(conn, centre, org_domain.request_seats(centre, request_id, seats, note, by), by)
    return request_id


async def team(conn: AsyncConnection, centre_id: str, now: datetime) -> dict:
    """The centre's members and open invitations (name, e-mail, role, state) and its seats."""
    row = (await conn.execute(select(organisations).where(organisations.c.id == centre_id))).first()
    if row is None:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")
    members = await conn.execute(
        select(centre_staff, accounts.c.name, accounts.c.email)
        .join(accounts, accounts.c.id == centre_staff.c.account_id)
        .where(centre_staff.c.centre_id == centre_id)
        .order_by(centre_staff.c.joined.desc(), accounts.c.name, centre_staff.c.account_id)
    )
    items = [
        {
            "account_id": m.account_id,
            "name": m.name,
            "email": m.email,
            "role": m.role,
            "state": "joined" if m.joined else ("invited" if m.expires_at > now else "expired"),
            "expires_at": None if m.joined else m.expires_at,
            "joined_at": m.joined_at,
        }
        for m in members
    ]
    return {
        "centre_id": centre_id,
        "name": row.name,
        "agreement_signed": row.agreement_signed,
        "seats": row.seats,
        "seats_taken": await seats_taken(conn, centre_id, now),
        "members": items,
    }


async def joined_centres(conn: AsyncConnection, account_id: str) -> list:
    """The centres the account works for (centre id, name, role), the longest membership first."""
    rows = await conn.execute(
        select(centre_staff.c.centre_id, centre_staff.c.role, organisations.c.name)
        .join(organisations, organisations.c.id == centre_staff.c.centre_id)
        .where(and_(centre_staff.c.account_id == account_id, centre_staff.c.joined))
        .order_by(centre_staff.c.joined_at, centre_staff.c.centre_id)
    )
    return list(rows)
