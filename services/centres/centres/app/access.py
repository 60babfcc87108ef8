"""Who may do what with a centre.

- Platform admins (`admin`) run onboarding (interest, agreement, functions, seats, listing) and
  may do everything a centre admin may.
- A centre's admins (`centre_admin`) and counselors (`counselor`) belong to one centre: the
  token's `org` is the centre id. Admins edit their centre's profile, take it out of the finder
  and put it back, and read its history; counselors read their centre but change nothing.
- Staff of another centre, and every other role, learn nothing: the centre is "not found".
"""

from __future__ import annotations

from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden, NotFound


def platform_admin(principal: Principal) -> bool:
    return principal.has(Role.ADMIN)


def staff_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN, Role.COUNSELOR) and principal.organisation_id == centre_id


def admin_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN) and principal.organisation_id == centre_id


def require_platform_admin(principal: Principal) -> None:
    if not platform_admin(principal):
        raise Forbidden("Das dürfen nur die Verantwortlichen der Plattform.")


def require_reader(principal: Principal, centre_id: str) -> None:
    """The platform admin or the centre's staff; 404 for everybody else (existence not revealed)."""
    if not (platform_admin(principal) or staff_of(principal, centre_id)):
        raise NotFound("Diese Beratungsstelle gibt es nicht.")


def require_manager(principal: Principal, centre_id: str) -> None:
    """The platform admin or the centre's admins; the centre's counselors get 403, the rest 404."""
    require_reader(principal, centre_id)
    if not (platform_admin(principal) or admin_of(principal, centre_id)):
        raise Forbidden("Das dürfen nur die Admins der Beratungsstelle.")


def require_onboarding(principal: Principal, centre_id: str) -> None:
    """Onboarding steps: the platform admin; the centre's own staff get 403, the rest 404."""
    require_reader(principal, centre_id)
    require_platform_admin(principal)
