"""Decisions about the teams of counseling centres (pure).

A person may belong to several centres, each with one role (`centre_admin` or `counselor`): the
memberships live in the account's stream. A membership starts as an invitation that expires; the
person joins by accepting it. Seats (licences) are counted per centre: joined members plus
invitations that have not expired.
"""

from __future__ import annotations

from datetime import datetime

from identity.domain import events as e
from identity.domain.account import Account, Status
from teilhabe_events.contexts.identity import AccountRole, CentreRole
from teilhabe_kit.problems import Conflict, Unprocessable

CENTRE_ROLES = frozenset({AccountRole.CENTRE_ADMIN, AccountRole.COUNSELOR})


def _usable(state: Account) -> None:
    if not state.exists or state.status == Status.ERASED or state.erase_after is not None:
        raise Conflict("Dieses Konto kann nicht eingeladen werden (gelöscht oder zum Löschen vorgemerkt).")
    if state.role not in CENTRE_ROLES:
        raise Conflict(
            "Diese E-Mail-Adresse gehört zu einem Konto, das nicht für Beratungsstellen ist. "
            "Bitte nehmen Sie eine andere E-Mail-Adresse.",
            field="email",
        )


def invite(
    state: Account,
    centre_id: str,
    role: CentreRole,
    invitation_id: str,
    expires_at: datetime,
    by: str,
    now: datetime,
) -> list[e.Event]:
    """Invite into the team; an expired invitation may be renewed, a member is not invited twice."""
    _usable(state)
    member = state.centres.get(centre_id)
    if member is not None and member.joined:
        raise Conflict("Diese Person gehört schon zum Team.", field="email")
    if member is not None and member.expires_at > now:
        raise Conflict("Diese Person ist schon eingeladen. Die Einladung gilt noch.", field="email")
    return [
        e.StaffInvited(
            centre_id=centre_id, role=role, invitation_id=invitation_id, invited_by=by, expires_at=expires_at
        )
    ]


def join(state: Account, invitation_id: str, now: datetime) -> list[e.Event]:
    """Accept the invitation `invitation_id` (only while it is valid)."""
    for centre_id, member in state.centres.items():
        if member.invitation_id == invitation_id and not member.joined:
            if member.expires_at <= now:
                break
            return [e.StaffJoined(centre_id=centre_id, role=member.role, invitation_id=invitation_id)]
    raise Unprocessable("Diese Einladung gilt nicht mehr. Bitte lassen Sie sich neu einladen.", field="token")


def change_role(state: Account, centre_id: str, role: CentreRole, by: str) -> list[e.Event]:
    member = state.centres.get(centre_id)
    if member is None:
        raise Conflict("Diese Person gehört nicht zum Team.")
    if member.role == role:
        raise Conflict("Diese Person hat diese Rolle schon.", field="role")
    return [e.StaffRoleChanged(centre_id=centre_id, role=role, changed_by=by)]


def remove(state: Account, centre_id: str, by: str) -> list[e.Event]:
    if centre_id not in state.centres:
        raise Conflict("Diese Person gehört nicht zum Team.")
    return [e.StaffRemoved(centre_id=centre_id, removed_by=by)]


def keeps_an_admin(admins: int, member_role: CentreRole, new_role: CentreRole | None) -> bool:
    """Whether the team still has a joined admin after the member's role becomes `new_role` (None: removed)."""
    return not (member_role == CentreRole.CENTRE_ADMIN and new_role != CentreRole.CENTRE_ADMIN and admins <= 1)


def seat_free(seats: int | None, taken: int) -> None:
    """Refuse an invitation beyond the centre's seats."""
    if seats is None:
        raise Conflict(
            "Für diese Beratungsstelle sind noch keine Lizenzen eingetragen. Bitte wenden Sie sich an die "
            "Plattform-Verwaltung.",
            field="seats",
        )
    if taken >= seats:
        raise Conflict(
            f"Alle {seats} Lizenzen sind vergeben. Sie können weitere Lizenzen anfragen oder zuerst "
            "jemanden aus dem Team entfernen.",
            field="seats",
        )
