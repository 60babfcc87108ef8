"""Who may do what in a centre's counseling workspace.

- Counselors (`counselor`) and admins (`centre_admin`) of the centre in their token (`org`) work
  with its clients, groups and their own case records; admins also see every record, the clients'
  e-mail and phone, statistics and the export, write direct messages and change the settings.
- A client (`client`) of the centre gets 403 on the staff's pages and sees only their own things.
- Staff of another centre, every other role: 404 (the centre's data is not revealed).
"""

from __future__ import annotations

from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden, NotFound


def staff_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN, Role.COUNSELOR) and principal.organisation_id == centre_id


def admin_of(principal: Principal, centre_id: str) -> bool:
    return principal.has(Role.CENTRE_ADMIN) and principal.organisation_id == centre_id


def require_staff(principal: Principal, centre_id: str) -> None:
    if staff_of(principal, centre_id):
        return
    if principal.organisation_id == centre_id and principal.has(Role.CLIENT):
        raise Forbidden("Diese Seite ist nur für das Team der Beratungsstelle.")
    raise NotFound("Diese Beratungsstelle gibt es hier nicht.")


def require_admin(principal: Principal, centre_id: str) -> None:
    require_staff(principal, centre_id)
    if not admin_of(principal, centre_id):
        raise Forbidden("Das dürfen nur die Admins der Beratungsstelle.")


def require_client(principal: Principal) -> str:
    """A signed-in client: their centre's id."""
    if not principal.has(Role.CLIENT) or principal.organisation_id is None:
        raise Forbidden("Diese Seite ist für Ratsuchende.")
    return principal.organisation_id
