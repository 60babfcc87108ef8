"""The state of one centre, folded from its events, and the onboarding status it is in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from centres.domain.events import Event, SignatoryRecorded
from teilhabe_events.centre_catalogue import CentreFunction
from teilhabe_events.contexts.centres import (
    CentreDelisted,
    CentreFunctionsChanged,
    CentreInterestRecorded,
    CentreListed,
    CentreProfile,
    CentreProfileChanged,
    CentreSeatsChanged,
    ProcessingAgreementSigned,
)


class OnboardingStatus(StrEnum):
    INTERESTED = "interested"
    """Interest recorded; the data-processing agreement is not signed yet."""
    AGREEMENT_SIGNED = "agreement_signed"
    """Agreement signed; the profile is not complete yet (or the centre is delisted)."""
    LISTED = "listed"
    """Shown in the public finder."""
    DELISTED = "delisted"
    """Taken out of the finder by the centre or the platform."""


@dataclass(frozen=True)
class Agreement:
    version: str
    signed_on: date
    signatory_key: str | None = None
    signatory: str | None = None
    """sealed"""


@dataclass(frozen=True)
class Centre:
    centre_id: str
    name: str
    postcode: str
    recorded_by: str
    agreement: Agreement | None = None
    functions: tuple[CentreFunction, ...] = (CentreFunction.DIRECTORY,)
    seats: int = 0
    profile: CentreProfile | None = None
    revision: int = 0
    listed: bool = False
    delisted_by: str | None = None
    """'platform' or 'centre' after a delisting (no automatic listing until listed again)."""

    @property
    def status(self) -> OnboardingStatus:
        if self.listed:
            return OnboardingStatus.LISTED
        if self.delisted_by:
            return OnboardingStatus.DELISTED
        if self.agreement:
            return OnboardingStatus.AGREEMENT_SIGNED
        return OnboardingStatus.INTERESTED


def evolve(state: Centre | None, event: Event, centre_id: str) -> Centre:
    """The state after `event` (pure)."""
    if isinstance(event, CentreInterestRecorded):
        return Centre(centre_id=centre_id, name=event.name, postcode=event.postcode, recorded_by=event.recorded_by)
    assert state is not None, f"{type(event).__name__} before CentreInterestRecorded"
    if isinstance(event, ProcessingAgreementSigned):
        return replace(state, agreement=Agreement(version=event.version, signed_on=event.signed_on))
    if isinstance(event, SignatoryRecorded):
        assert state.agreement is not None
        agreement = replace(state.agreement, signatory_key=event.signatory_key, signatory=event.signatory)
        return replace(state, agreement=agreement)
    if isinstance(event, CentreFunctionsChanged):
        return replace(state, functions=tuple(event.functions))
    if isinstance(event, CentreSeatsChanged):
        return replace(state, seats=event.seats)
    if isinstance(event, CentreProfileChanged):
        return replace(state, profile=event.profile, revision=event.revision, name=event.profile.name)
    if isinstance(event, CentreListed):
        return replace(state, listed=True, delisted_by=None)
    if isinstance(event, CentreDelisted):
        return replace(state, listed=False, delisted_by=event.by)
    return state
