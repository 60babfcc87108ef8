"""Team decisions of counseling centres (pure): invitations expire and may be renewed, joining needs a
valid invitation, the last admin stays, seats are counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from identity.domain import events as e
from identity.domain import staff
from identity.domain.account import replay
from teilhabe_events.contexts.identity import AccountRole, CentreRole
from teilhabe_kit.problems import Conflict, Unprocessable

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CENTRE = "centre-1"


def counselor(*events: e.Event):
    registered = e.Registered(role=AccountRole.COUNSELOR, created_by="admin-1", name=None)
    return replay("acc-1", [registered, e.Activated(activated_by="admin-1"), *events])


def invited(invitation_id: str = "inv-1", expires_at: datetime = NOW + timedelta(days=7)) -> e.StaffInvited:
    return e.StaffInvited(
        centre_id=CENTRE,
        role=CentreRole.COUNSELOR,
        invitation_id=invitation_id,
        invited_by="admin-1",
        expires_at=expires_at,
    )


def test_an_invitation_is_valid_until_it_expires_and_may_then_be_renewed():
    state = counselor(invited())
    with pytest.raises(Conflict):
        staff.invite(state, CENTRE, CentreRole.COUNSELOR, "inv-2", NOW + timedelta(days=7), "admin-1", NOW)
    later = NOW + timedelta(days=8)
    [renewed] = staff.invite(state, CENTRE, CentreRole.COUNSELOR, "inv-2", later + timedelta(days=7), "admin-1", later)
    assert renewed.invitation_id == "inv-2"
    with pytest.raises(Unprocessable):
        staff.join(state, "inv-1", later)  # expired
    [joined] = staff.join(state, "inv-1", NOW)
    assert (joined.centre_id, joined.role) == (CENTRE, CentreRole.COUNSELOR)


def test_members_are_not_invited_again_and_other_roles_not_at_all():
    state = counselor(invited(), e.StaffJoined(centre_id=CENTRE, role=CentreRole.COUNSELOR, invitation_id="inv-1"))
    with pytest.raises(Conflict):
        staff.invite(state, CENTRE, CentreRole.CENTRE_ADMIN, "inv-3", NOW, "admin-1", NOW + timedelta(days=30))
    assert staff.invite(state, "centre-2", CentreRole.CENTRE_ADMIN, "inv-3", NOW + timedelta(days=7), "a", NOW)
    seeker = replay("acc-2", [e.Registered(role=AccountRole.SEEKER, name=None)])
    with pytest.raises(Conflict):
        staff.invite(seeker, CENTRE, CentreRole.COUNSELOR, "inv-4", NOW + timedelta(days=7), "a", NOW)


@pytest.mark.parametrize(
    ("admins", "role", "new_role", "keeps"),
    [
        (1, CentreRole.CENTRE_ADMIN, CentreRole.COUNSELOR, False),
        (1, CentreRole.CENTRE_ADMIN, None, False),
        (2, CentreRole.CENTRE_ADMIN, None, True),
        (1, CentreRole.COUNSELOR, None, True),
        (1, CentreRole.CENTRE_ADMIN, CentreRole.CENTRE_ADMIN, True),
    ],
)
def test_the_last_admin_stays(admins, role, new_role, keeps):
    assert staff.keeps_an_admin(admins, role, new_role) is keeps


def test_seats_are_counted():
    staff.seat_free(3, 2)
    for seats, taken in ((3, 3), (None, 0)):
        with pytest.raises(Conflict) as refused:
            staff.seat_free(seats, taken)
        assert refused.value.field == "seats"


def test_erasure_leaves_every_team():
    from identity.domain.account import erase

    state = counselor(invited(), e.DeletionRequested(erase_after=NOW.date(), requested_by="acc-1"))
    events = erase(state, NOW.date())
    assert [type(x).__name__ for x in events] == ["StaffRemoved", "Erased"]
