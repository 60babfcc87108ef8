"""The demo counseling centre's team: one centre admin and two counselors (`identity.demo` runs it).

The centre is the centres service's demo centre (`centres.demo.DEMO_CENTRE_ID`, the same id here).
Identity's demo runs before the centres service's, so it records the organisation itself, with the
agreement and the seats; the centres service's events for it later find it and change nothing but
the seats it decides. The team members join directly (no invitation link in a demo).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.app import accounts as cases
from identity.app import staff, store
from identity.domain import events as e
from identity.domain import organisation
from identity.readmodels.tables import accounts, centre_staff
from teilhabe_events.contexts.identity import AccountRole, CentreRole, OrganisationKind

DEMO_CENTRE_ID = "5e1c0000-de00-4000-8000-000000000001"
"""As `centres.demo.DEMO_CENTRE_ID`."""
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"
DEMO_CENTRE_POSTCODE = "37073"
DEMO_SEATS = 5


async def ensure_centre(engine: AsyncEngine, actor: str) -> None:
    async with engine.begin() as conn:
        history = await store.history(conn, store.ORGANISATION, DEMO_CENTRE_ID)
        state = organisation.replay(DEMO_CENTRE_ID, history)
        events: list[e.Event] = []
        if not state.exists:
            events.append(
                e.OrganisationCreated(
                    organisation_kind=OrganisationKind.COUNSELING_CENTRE,
                    name=DEMO_CENTRE_NAME,
                    postcode=DEMO_CENTRE_POSTCODE,
                    created_by=actor,
                )
            )
        events += organisation.sign_agreement(state)
        if state.seats is None:
            events.append(e.SeatsChanged(seats=DEMO_SEATS))
        await store.commit(conn, store.ORGANISATION, DEMO_CENTRE_ID, state.version, events, actor_id=actor)


async def ensure_member(engine: AsyncEngine, account, role: CentreRole, actor: str) -> str:
    """The account (with its password) as a joined member of the demo centre; returns its id."""
    async with engine.begin() as conn:
        account_id = await conn.scalar(select(accounts.c.id).where(accounts.c.email == account.email))
        if account_id is None:
            registered = e.Registered(role=AccountRole(role), name=account.name, email=account.email, created_by=actor)
            account_id = await cases.register(conn, registered, password=account.password, actor_id=actor)
        joined = await conn.scalar(
            select(centre_staff.c.joined).where(
                centre_staff.c.account_id == account_id, centre_staff.c.centre_id == DEMO_CENTRE_ID
            )
        )
        if joined:
            return account_id
        now, invitation_id = cases.now(), uuid.uuid4().hex
        state = await store.load(conn, account_id)
        invited = staff.domain.invite(state, DEMO_CENTRE_ID, role, invitation_id, now + timedelta(days=1), actor, now)
        state = await store.commit(conn, store.ACCOUNT, account_id, state.version, invited, actor_id=actor, state=state)
        await store.commit(
            conn,
            store.ACCOUNT,
            account_id,
            state.version,
            staff.domain.join(state, invitation_id, now),
            actor_id=account_id,
            state=state,
        )
        return account_id
