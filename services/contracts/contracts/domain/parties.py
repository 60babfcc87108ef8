"""Who may act on a record: role AND relation, never one of them alone."""

from __future__ import annotations

from teilhabe_kit.auth import Principal, Role


def acts_for(principal: Principal, person_id: str, own_role: str) -> bool:
    """The person themself (with `own_role`) or a guardian acting for them."""
    if principal.account_id == person_id:
        return principal.has(own_role)
    return person_id in principal.acting_for and principal.has(Role.GUARDIAN)


def staff_of(principal: Principal, organisation_id: str | None, role: str) -> bool:
    """A member of `organisation_id` with `role` (coordinator of a provider, facility staff)."""
    return organisation_id is not None and principal.organisation_id == organisation_id and principal.has(role)
