"""Decisions on one centre: each takes the current state and returns the events it causes.

Pure (no I/O): who may do what is checked by the use cases. Onboarding: interest recorded →
agreement signed → profile completed → listed (automatically, once both hold); a centre taken
out of the finder comes back only when listed again by hand. A decision that changes nothing
returns no events.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from centres.domain.completeness import missing
from centres.domain.events import Event, SignatoryRecorded
from centres.domain.state import Agreement, Centre
from teilhabe_events.centre_catalogue import CATALOGUE_VERSION, CentreFunction
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
from teilhabe_kit.problems import Conflict, Unprocessable


def listable(state: Centre) -> bool:
    return state.agreement is not None and not missing(state.profile)


def _auto_listing(state: Centre) -> list[Event]:
    """`CentreListed` when the centre may now be listed and was never taken out by hand."""
    if not state.listed and state.delisted_by is None and listable(state):
        return [CentreListed()]
    return []


def record_interest(state: Centre | None, *, name: str, postcode: str, recorded_by: str) -> list[Event]:
    if state is not None:
        raise Conflict("Diese Beratungsstelle gibt es schon.")
    return [CentreInterestRecorded(name=name, postcode=postcode, recorded_by=recorded_by)]


def sign_agreement(
    state: Centre, *, version: str, signed_on: date, signatory_key: str, signatory: str, today: date
) -> list[Event]:
    """Record the signed data-processing agreement (a newer version replaces the old one)."""
    if signed_on > today:
        raise Unprocessable("Das Datum der Unterschrift darf nicht in der Zukunft liegen.", field="signed_on")
    current = state.agreement
    if current is not None and (current.version, current.signed_on) == (version, signed_on):
        return []
    events: list[Event] = [
        ProcessingAgreementSigned(version=version, signed_on=signed_on),
        SignatoryRecorded(signatory_key=signatory_key, signatory=signatory),
    ]
    agreement = Agreement(version=version, signed_on=signed_on)
    return events + _auto_listing(replace(state, agreement=agreement))


def set_functions(state: Centre, functions: list[CentreFunction]) -> list[Event]:
    chosen = tuple(f for f in CentreFunction if f in set(functions) | {CentreFunction.DIRECTORY})
    if chosen == state.functions:
        return []
    return [CentreFunctionsChanged(functions=list(chosen))]


def set_seats(state: Centre, seats: int) -> list[Event]:
    return [] if seats == state.seats else [CentreSeatsChanged(seats=seats)]


def change_profile(state: Centre, profile: CentreProfile) -> list[Event]:
    """The new profile; lists the centre when this completes its onboarding."""
    if profile == state.profile:
        return []
    revision = state.revision + 1
    changed = CentreProfileChanged(revision=revision, catalogue_version=CATALOGUE_VERSION, profile=profile)
    return [changed, *_auto_listing(replace(state, profile=profile, revision=revision))]


def list_again(state: Centre) -> list[Event]:
    """Show the centre in the finder again after a delisting (or at once when it may be listed)."""
    if state.listed:
        return []
    if state.agreement is None:
        raise Conflict("Erst muss die Vereinbarung zur Auftragsverarbeitung unterschrieben sein.")
    gaps = missing(state.profile)
    if gaps:
        raise Conflict(f"Das Profil ist noch nicht vollständig: {', '.join(gaps)}.")
    return [CentreListed()]


def delist(state: Centre, by: Literal["platform", "centre"]) -> list[Event]:
    if not state.listed and state.delisted_by is not None:
        return []
    return [CentreDelisted(by=by)]
