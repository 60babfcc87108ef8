"""Which public events (libs/events, topic identity.account.v1 / identity.organisation.v1) an
internal event becomes. Only ids and non-personal facts leave identity; a seeker's needs and
time windows stay inside (health-related), as do names, contacts, reasons and free text."""

from __future__ import annotations

from identity.domain import events as e
from identity.domain.account import Account
from teilhabe_events import DomainEvent
from teilhabe_events.contexts import identity as pub
from teilhabe_events.contexts.identity import AccountRole


def _profile(event: e.Registered) -> list[DomainEvent]:
    result: list[DomainEvent] = []
    if event.role == AccountRole.ASSISTANT:
        result += [
            pub.ActivitiesChanged(activities=list(event.activities)),
            pub.AvailabilityChanged(ranges=list(event.ranges)),
            pub.TraitsChanged(traits=list(event.traits)),
        ]
    if event.place is not None:
        result.append(pub.PlaceChanged(place=event.place, radius_km=event.radius_km))
    return result


def public_events(state: Account, event: e.Event) -> list[DomainEvent]:
    """The public events for `event`, given the account state after it."""
    assistant = state.role == AccountRole.ASSISTANT
    match event:
        case e.Registered():
            registered = pub.AccountRegistered(
                role=event.role, organisation_id=event.organisation_id, self_employed=event.self_employed
            )
            return [registered, *_profile(event)]
        case e.StepRecorded():
            return [pub.VerificationStepCompleted(step=event.step, recorded_by=event.recorded_by)]
        case e.Activated():
            assert state.role is not None, "an account has its role from registration"
            return [pub.AccountActivated(role=state.role, activated_by=event.activated_by)]
        case e.Refused():
            return [pub.AccountRefused(refused_by=event.refused_by)]
        case e.MembershipApproved():
            return [pub.MembershipApproved(organisation_id=event.organisation_id, role=event.role)]
        case e.MembershipEnded():
            return [pub.MembershipEnded(organisation_id=event.organisation_id)]
        case e.Locked():
            return [pub.AccountLocked(locked_by=event.locked_by)]
        case e.Unlocked():
            return [pub.AccountUnlocked(unlocked_by=event.unlocked_by)]
        case e.DeletionRequested():
            return [pub.AccountDeletionRequested(erase_after=event.erase_after)]
        case e.Restored():
            return [pub.AccountRestored()]
        case e.Erased():
            return [pub.AccountErased()]
        case e.ActivitiesChanged() if assistant:
            return [pub.ActivitiesChanged(activities=list(event.activities))]
        case e.RangesChanged() if assistant:
            return [pub.AvailabilityChanged(ranges=list(event.ranges))]
        case e.TraitsChanged() if assistant:
            return [pub.TraitsChanged(traits=list(event.traits))]
        case e.PlaceChanged():
            return [pub.PlaceChanged(place=event.place, radius_km=event.radius_km if assistant else None)]
        case e.GuardianAssigned():
            return [pub.GuardianAssigned(guardian_id=event.guardian_id, acts_until=event.acts_until)]
        case e.GuardianshipEnded():
            return [pub.GuardianshipEnded(guardian_id=event.guardian_id)]
        case e.PasswordResetRequested():
            if event.repeated_registration:
                return [pub.SignUpRepeated(request_id=event.request_id)]
            return [pub.PasswordResetRequested(request_id=event.request_id)]
        case e.StaffInvited():
            return [
                pub.StaffInvited(
                    centre_id=event.centre_id,
                    role=event.role,
                    invitation_id=event.invitation_id,
                    invited_by=event.invited_by,
                    expires_at=event.expires_at,
                )
            ]
        case e.StaffJoined():
            return [pub.StaffJoined(centre_id=event.centre_id, role=event.role)]
        case e.StaffRoleChanged():
            return [pub.StaffRoleChanged(centre_id=event.centre_id, role=event.role, changed_by=event.changed_by)]
        case e.StaffRemoved():
            return [pub.StaffRemoved(centre_id=event.centre_id, removed_by=event.removed_by)]
        case e.OrganisationCreated():
            return [
                pub.OrganisationCreated(
                    kind=event.organisation_kind,
                    name=event.name,
                    postcode=event.postcode,
                    created_by=event.created_by,
                )
            ]
    return []
