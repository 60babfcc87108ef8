"""Who may do what in a centre's appointment book.

- The centre's admins (`centre_admin`, token `org` = centre id) set the centre's rules and
  counseling services and may manage every calendar of the centre.
- A counselor (`counselor`, same centre) manages their own calendar (profile, booking times,
  absences, group appointments) and sees the centre's calendar (colleagues' too, as in the seed's
  filter "own / other counselors / all").
- A client (`client`, a Ratsuchende:r, often with a pseudonym account) books, cancels and moves
  their own appointments, joins bookable group appointments and the waitlist.
- Staff of another centre and every other role: the centre's internals are "not found".
- Everybody, signed in or not, sees a centre's offer (services for clients, counselors' display
  names, free slots): nothing personal.
"""

from __future__ import annotations

from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden, NotFound

CLIENT = getattr(Role, "CLIENT", "client")
"""The client role (Ratsuchende:r) of identity."""

NOT_FOUND = "Diese Beratungsstelle gibt es hier nicht."


def staff_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN, Role.COUNSELOR) and principal.organisation_id == centre_id


def admin_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN) and principal.organisation_id == centre_id


def is_client(principal: Principal) -> bool:
    return principal.has(CLIENT)


def require_staff(principal: Principal, centre_id: str) -> None:
    """The centre's admins and counselors; 404 for everybody else (existence not revealed)."""
    if not staff_of(principal, centre_id):
        raise NotFound(NOT_FOUND, en="There is no such centre here.")


def require_admin(principal: Principal, centre_id: str) -> None:
    """The centre's admins; its counselors get 403, the rest 404."""
    require_staff(principal, centre_id)
    if not admin_of(principal, centre_id):
        raise Forbidden("Das dürfen nur die Admins der Beratungsstelle.", en="Only the centre's admins may do this.")


def require_calendar_owner(principal: Principal, centre_id: str, counselor_id: str) -> None:
    """The counselor themselves or the centre's admins; colleagues get 403, the rest 404."""
    require_staff(principal, centre_id)
    if not (admin_of(principal, centre_id) or principal.account_id == counselor_id):
        raise Forbidden(
            "Das dürfen nur die Beraterin oder der Berater selbst und die Admins.",
            en="Only the counselor themselves and the admins may do this.",
        )


def require_client(principal: Principal) -> None:
    if not is_client(principal):
        raise Forbidden(
            "Termine buchen können nur Ratsuchende mit einem Konto.", en="Only clients with an account can book."
        )
