"""Workflow rules that need no state: required verification steps, the guardian hand-over date,
overlapping weekly ranges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from teilhabe_events.contexts.common import WeeklyRange
from teilhabe_events.contexts.identity import AccountRole, VerificationStep

S = VerificationStep
GUARDIAN_GRACE = timedelta(days=30)
SELF_REGISTERING = frozenset({AccountRole.SEEKER, AccountRole.ASSISTANT})
ORGANISATION_ROLES = frozenset(
    {AccountRole.COORDINATOR, AccountRole.COUNSELOR, AccountRole.FACILITY_STAFF, AccountRole.CLIENT}
)
PROVIDER_STEPS = frozenset({S.PROVIDER_INTERVIEW, S.PROVIDER_ACCEPTANCE})
INTERESTED_PERSONS_CREATOR = "contracts"
"""`created_by` of an interested person's account (registered for a facility's offer in contracts):
verified by customer service like anyone who signs up, and until then limited to the enrollment —
they may sign in, and their token carries the role ``applicant`` instead of ``seeker``."""


def required_steps(role: AccountRole, *, self_employed: bool = False) -> frozenset[VerificationStep]:
    """The steps customer service must record before an account of `role` may be activated.

    Seekers: intro call and ID document ("Sie sind ein echter Mensch"). Assistants additionally:
    extended police certificate, measles protection, and either the provider's interview and
    acceptance or a proof of self-employment. Accounts created by an admin need none.
    """
    if role == AccountRole.SEEKER:
        return frozenset({S.INTRO_CALL, S.ID_DOCUMENT})
    if role == AccountRole.ASSISTANT:
        base = {S.INTRO_CALL, S.ID_DOCUMENT, S.POLICE_CERTIFICATE, S.MEASLES_PROTECTION}
        extra = {S.SELF_EMPLOYMENT_PROOF} if self_employed else set(PROVIDER_STEPS)
        return frozenset(base | extra)
    return frozenset()


def majority_date(birth_date: date) -> date:
    """The 18th birthday (born on 29 February: 1 March in a common year, §§ 187 f. BGB)."""
    try:
        return birth_date.replace(year=birth_date.year + 18)
    except ValueError:
        return date(birth_date.year + 18, 3, 1)


def guardian_access_ends(birth_date: date) -> date:
    """The day a guardian's access ends: 30 days after the ward's 18th birthday.

    The guardian may act for the ward on every day before this date, not on it.
    """
    return majority_date(birth_date) + GUARDIAN_GRACE


def guardian_may_act(acts_until: date, today: date) -> bool:
    return today < acts_until


def overlapping(ranges: Iterable[WeeklyRange]) -> tuple[WeeklyRange, WeeklyRange] | None:
    """The first pair of ranges on the same weekday that overlap (touching is fine), or None."""
    ordered = sorted(ranges, key=lambda r: (r.weekday, r.start))
    for before, after in zip(ordered, ordered[1:]):
        if before.weekday == after.weekday and after.start < before.end:
            return before, after
    return None
