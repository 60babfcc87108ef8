"""The account aggregate: state, evolve(state, event) and the decisions on it.

Decisions are pure: they take the state and a command's data and return events, or raise a
problem (409 for a state that does not allow it, 422 for input that breaks a rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from identity.domain import events as e
from identity.domain.rules import (
    INTERESTED_PERSONS_CREATOR,
    PROVIDER_STEPS,
    guardian_access_ends,
    guardian_may_act,
    overlapping,
    required_steps,
)
from teilhabe_events.contexts.identity import AccountRole, CentreRole, VerificationStep
from teilhabe_kit.problems import Conflict, Unprocessable


class Status(StrEnum):
    PENDING = "pending_verification"
    ACTIVE = "active"
    REFUSED = "refused"
    ERASED = "erased"


@dataclass(frozen=True)
class Membership:
    """The account's place in one counseling centre's team: invited until `expires_at`, then joined."""

    role: CentreRole
    invitation_id: str
    expires_at: datetime
    joined: bool = False


@dataclass(frozen=True)
class Account:
    id: str
    version: int = 0
    role: AccountRole | None = None
    status: Status | None = None
    organisation_id: str | None = None
    self_employed: bool = False
    created_by: str | None = None
    steps: frozenset[VerificationStep] = frozenset()
    locked: bool = False
    erase_after: date | None = None
    guardians: dict[str, date] = field(default_factory=dict)
    centres: dict[str, Membership] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return self.version > 0

    def missing_steps(self) -> frozenset[VerificationStep]:
        assert self.role is not None
        return required_steps(self.role, self_employed=self.self_employed) - self.steps

    @property
    def enrollment_only(self) -> bool:
        """An interested person not yet verified: may sign in, but only to follow the enrollment."""
        return self.status == Status.PENDING and self.created_by == INTERESTED_PERSONS_CREATOR

    def may_log_in(self) -> bool:
        usable = self.status == Status.ACTIVE or self.enrollment_only
        return usable and not self.locked and self.erase_after is None


def evolve(state: Account, event: e.Event) -> Account:
    state = replace(state, version=state.version + 1)
    match event:
        case e.Registered():
            return replace(
                state,
                role=event.role,
                status=Status.PENDING,
                organisation_id=event.organisation_id,
                self_employed=event.self_employed,
                created_by=event.created_by,
            )
        case e.StepRecorded():
            return replace(state, steps=state.steps | {event.step})
        case e.Activated():
            return replace(state, status=Status.ACTIVE)
        case e.Refused():
            return replace(state, status=Status.REFUSED)
        case e.MembershipApproved():
            return replace(state, organisation_id=event.organisation_id)
        case e.MembershipEnded():
            return replace(state, organisation_id=None)
        case e.Locked():
            return replace(state, locked=True)
        case e.Unlocked():
            return replace(state, locked=False)
        case e.DeletionRequested():
            return replace(state, erase_after=event.erase_after)
        case e.Restored():
            return replace(state, erase_after=None)
        case e.Erased():
            return replace(state, status=Status.ERASED, guardians={}, centres={})
        case e.GuardianAssigned():
            return replace(state, guardians=state.guardians | {event.guardian_id: event.acts_until})
        case e.GuardianshipEnded():
            return replace(state, guardians={k: v for k, v in state.guardians.items() if k != event.guardian_id})
        case e.StaffInvited():
            member = Membership(event.role, event.invitation_id, event.expires_at)
            return replace(state, centres=state.centres | {event.centre_id: member})
        case e.StaffJoined():
            member = replace(state.centres[event.centre_id], role=event.role, joined=True)
            return replace(state, centres=state.centres | {event.centre_id: member})
        case e.StaffRoleChanged():
            member = replace(state.centres[event.centre_id], role=event.role)
            return replace(state, centres=state.centres | {event.centre_id: member})
        case e.StaffRemoved():
            return replace(state, centres={k: v for k, v in state.centres.items() if k != event.centre_id})
    return state


def replay(account_id: str, history: list[e.Event]) -> Account:
    state = Account(id=account_id)
    for event in history:
        state = evolve(state, event)
    return state


def _usable(state: Account) -> None:
    if not state.exists or state.status == Status.ERASED:
        raise Conflict("Dieses Konto gibt es nicht mehr.")
    if state.erase_after is not None:
        raise Conflict("Dieses Konto ist zum Löschen vorgemerkt.")


STAFF_WITH_LOGIN_NAME = (AccountRole.COUNSELOR, AccountRole.CENTRE_ADMIN)


def change_login_name(state: Account, login_name: str) -> list[e.Event]:
    """Counselors and centre admins choose their login name (unique across staff: the caller checks)."""
    _usable(state)
    if state.role not in STAFF_WITH_LOGIN_NAME and not state.centres:
        raise Conflict("Einen Login-Namen gibt es nur für das Team von Beratungsstellen.", field="login_name")
    return [e.LoginNameChanged(login_name=login_name)]


def check_ranges(ranges, field_name: str) -> None:
    pair = overlapping(ranges)
    if pair:
        a, b = pair
        raise Unprocessable(
            f"Zwei Zeiten am selben Wochentag überschneiden sich ({a.start:%H:%M}–{a.end:%H:%M} "
            f"und {b.start:%H:%M}–{b.end:%H:%M}).",
            field=field_name,
        )


def register(state: Account, event: e.Registered) -> list[e.Event]:
    """A new account; staff created by an admin and clients of a counseling centre are active at once
    and members of their organisation (an interested person whom contracts registered waits for
    verification like anyone else)."""
    if state.exists:
        raise Conflict("Dieses Konto gibt es schon.")
    check_ranges(event.ranges, "availability")
    check_ranges(event.time_windows or (), "time_windows")
    result: list[e.Event] = [event]
    if event.role == AccountRole.CLIENT:  # a centre's client: active at once, a member of the centre
        assert event.organisation_id, "a client belongs to one counseling centre"
        result.append(e.Activated(activated_by=event.created_by or state.id))
        result.append(e.MembershipApproved(organisation_id=event.organisation_id, role=event.role))
    elif event.created_by is not None and event.created_by != INTERESTED_PERSONS_CREATOR:
        result.append(e.Activated(activated_by=event.created_by))
        if event.organisation_id:
            result.append(e.MembershipApproved(organisation_id=event.organisation_id, role=event.role))
    return result


def record_step(state: Account, step: VerificationStep, reason: str, by: str) -> list[e.Event]:
    _usable(state)
    if state.status != Status.PENDING:
        raise Conflict("Die Prüfung dieses Kontos ist schon abgeschlossen.")
    assert state.role is not None
    if step not in required_steps(state.role, self_employed=state.self_employed):
        raise Unprocessable("Dieser Schritt gehört nicht zur Prüfung dieses Kontos.", field="step")
    if step in state.steps:
        raise Conflict("Dieser Schritt ist schon erfasst.")
    return [e.StepRecorded(step=step, reason=reason, recorded_by=by)]


def is_provider_step(step: VerificationStep) -> bool:
    return step in PROVIDER_STEPS


def activate(state: Account, by: str) -> list[e.Event]:
    """Only when every required step is complete; an assistant of a provider becomes its member."""
    _usable(state)
    if state.status != Status.PENDING:
        raise Conflict("Dieses Konto wartet nicht auf Freischaltung.")
    missing = state.missing_steps()
    if missing:
        raise Conflict("Es fehlen noch Prüfschritte: " + ", ".join(sorted(missing)))
    result: list[e.Event] = [e.Activated(activated_by=by)]
    if state.role == AccountRole.ASSISTANT and state.organisation_id and not state.self_employed:
        result.append(e.MembershipApproved(organisation_id=state.organisation_id, role=state.role))
    return result


def end_membership(state: Account, by: str) -> list[e.Event]:
    """The account leaves its organisation (an assistant then needs a new provider to be matched)."""
    _usable(state)
    if state.organisation_id is None or state.status != Status.ACTIVE:
        raise Conflict("Dieses Konto gehört zu keiner Organisation.")
    return [e.MembershipEnded(organisation_id=state.organisation_id, ended_by=by)]


def refuse(state: Account, reason: str, by: str) -> list[e.Event]:
    _usable(state)
    if state.status != Status.PENDING:
        raise Conflict("Dieses Konto wartet nicht auf Freischaltung.")
    return [e.Refused(reason=reason, refused_by=by)]


def lock(state: Account, reason: str, by: str) -> list[e.Event]:
    _usable(state)
    if state.locked:
        raise Conflict("Dieses Konto ist schon gesperrt.")
    return [e.Locked(reason=reason, locked_by=by)]


def unlock(state: Account, by: str) -> list[e.Event]:
    _usable(state)
    if not state.locked:
        raise Conflict("Dieses Konto ist nicht gesperrt.")
    return [e.Unlocked(unlocked_by=by)]


def request_deletion(state: Account, erase_after: date, by: str) -> list[e.Event]:
    _usable(state)
    return [e.DeletionRequested(erase_after=erase_after, requested_by=by)]


def restore(state: Account, by: str) -> list[e.Event]:
    if not state.exists or state.status == Status.ERASED:
        raise Conflict("Dieses Konto ist schon endgültig gelöscht.")
    if state.erase_after is None:
        raise Conflict("Dieses Konto ist nicht zum Löschen vorgemerkt.")
    return [e.Restored(restored_by=by)]


def erase(state: Account, today: date) -> list[e.Event]:
    """Erasure is due once the retention after the deletion request has passed."""
    if state.status == Status.ERASED or state.erase_after is None or state.erase_after > today:
        return []
    ended: list[e.Event] = [e.GuardianshipEnded(guardian_id=g) for g in sorted(state.guardians)]
    ended += [e.StaffRemoved(centre_id=c, removed_by="system") for c in sorted(state.centres)]
    return [*ended, e.Erased()]


def change_profile(state: Account, event: e.Event) -> list[e.Event]:
    """Owners change their profile at any time, as long as the account is in use.

    Assistants change activities, availability and traits; seekers their needs and time windows
    (sealed, never public); both their contact and place.
    """
    _usable(state)
    assistant_only = (e.ActivitiesChanged, e.RangesChanged, e.TraitsChanged)
    if isinstance(event, assistant_only) and state.role != AccountRole.ASSISTANT:
        raise Conflict("Das gibt es nur im Profil von Assistenz-Kräften.")
    if isinstance(event, (e.NeedsChanged, e.TimeWindowsChanged)) and state.role != AccountRole.SEEKER:
        raise Conflict("Das gibt es nur im Profil von Assistenz-Suchenden.")
    if isinstance(event, e.RangesChanged):
        check_ranges(event.ranges, "ranges")
    if isinstance(event, e.TimeWindowsChanged):
        check_ranges(event.time_windows or (), "ranges")
    if isinstance(event, e.PlaceChanged) and state.role not in (AccountRole.ASSISTANT, AccountRole.SEEKER):
        raise Conflict("Einen Wohnort für die Vermittlung haben nur Assistenz-Kräfte und Assistenz-Suchende.")
    if isinstance(event, e.PlaceChanged) and event.radius_km is not None and state.role != AccountRole.ASSISTANT:
        raise Unprocessable("Einen Umkreis geben nur Assistenz-Kräfte an.", field="radius_km")
    return [event]


def assign_guardian(state: Account, guardian_id: str, birth_date: date, today: date) -> list[e.Event]:
    """A guardian acts for a minor until 30 days after the 18th birthday."""
    _usable(state)
    if guardian_id == state.id:
        raise Unprocessable("Ein Konto kann nicht sein eigener Vormund sein.", field="guardian_id")
    acts_until = guardian_access_ends(birth_date)
    if not guardian_may_act(acts_until, today):
        raise Unprocessable("Diese Person ist volljährig; eine Vertretung ist nicht mehr möglich.", field="birth_date")
    if guardian_id in state.guardians:
        raise Conflict("Diese Person ist schon als Vormund eingetragen.")
    return [e.GuardianAssigned(guardian_id=guardian_id, birth_date=birth_date.isoformat(), acts_until=acts_until)]


def end_guardianship(state: Account, guardian_id: str) -> list[e.Event]:
    if guardian_id not in state.guardians:
        raise Conflict("Diese Person ist nicht als Vormund eingetragen.")
    return [e.GuardianshipEnded(guardian_id=guardian_id)]


def expired_guardianships(state: Account, today: date) -> list[e.Event]:
    """Guardianships whose hand-over date has come end (run by the daily job)."""
    return [
        e.GuardianshipEnded(guardian_id=g)
        for g, until in sorted(state.guardians.items())
        if not guardian_may_act(until, today)
    ]
