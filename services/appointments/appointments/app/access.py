"""Who may do what in a centre's appointment book.

- The centre's admins (`centre_admin`, token `org` = centre id) set the centre's rules and
  counseling services and may manage every calendar of the centre.
- A counselor (`counselor`, same centre) manages their own calendar (profile, booking times,
  absences, group appointments) and sees the centre's calendar (colleagues' too, as in the seed's
  filter "own / other counselors / all").
- A client (`client`, a Ratsuchende:r with a pseudonym account of one centre: token `org` = the
  centre) books, cancels and moves their own appointments at that centre, joins its bookable
  group appointments and waitlists; another centre's clients are refused like strangers.
- Staff of another centre and every other role: the centre's internals are "not found".
- Everybody, signed in or not, sees a centre's offer (services for clients, counselors' display
  names, free slots): nothing personal.
"""

from __future__ import annotations

from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden, NotFound

NOT_FOUND = "Diese Beratungsstelle gibt es hier nicht."


def staff_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN, Role.COUNSELOR) and principal.organisation_id == centre_id


def admin_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN) and principal.organisation_id == centre_id


def is_client(principal: Principal) -> bool:
    return principal.has(Role.CLIENT)


def client_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CLIENT) and principal.organisation_id == centre_id


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


def require_client(principal: Principal, centre_id: str) -> None:
    """A client of this centre; the centre's staff get 403 (they book for a client by naming
    them), a client of another centre 404, other roles 403."""
    if client_of(principal, centre_id):
        return
    if is_client(principal):
        raise NotFound(NOT_FOUND, en="There is no such centre here.")
    raise Forbidden(
        "Termine buchen können nur Ratsuchende dieser Beratungsstelle.",
        en="Only this centre's clients can book here.",
    )
