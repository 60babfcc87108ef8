"""The organisation aggregate (pure): a counseling centre's agreement, seats and seat requests.

Counseling centres are created from the centres service's `CentreInterestRecorded` with the centre id
as organisation id; the agreement and the seats follow its events as well.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from identity.domain import events as e
from teilhabe_events.contexts.identity import OrganisationKind
from teilhabe_kit.problems import Conflict, Unprocessable

MAX_SEATS = 10_000


@dataclass(frozen=True)
class Organisation:
    id: str
    version: int = 0
    kind: OrganisationKind | None = None
    agreement_signed: bool = False
    seats: int | None = None
    client_retention_days: int | None = None

    @property
    def exists(self) -> bool:
        return self.version > 0


def evolve(state: Organisation, event: e.Event) -> Organisation:
    state = replace(state, version=state.version + 1)
    match event:
        case e.OrganisationCreated():
            return replace(state, kind=event.organisation_kind)
        case e.AgreementSigned():
            return replace(state, agreement_signed=True)
        case e.SeatsChanged():
            return replace(state, seats=event.seats)
        case e.ClientRetentionChanged():
            return replace(state, client_retention_days=event.days)
    return state


def replay(organisation_id: str, history: list[e.Event]) -> Organisation:
    state = Organisation(id=organisation_id)
    for event in history:
        state = evolve(state, event)
    return state


def sign_agreement(state: Organisation) -> list[e.Event]:
    """Idempotent: a second signature (a new version of the agreement) changes nothing here."""
    return [] if state.agreement_signed else [e.AgreementSigned()]


def change_client_retention(state: Organisation, days: int) -> list[e.Event]:
    """The centre's deletion routine (from counseling's settings): days from a client's deletion to erasure."""
    return [] if state.client_retention_days == days else [e.ClientRetentionChanged(days=days)]


def change_seats(state: Organisation, seats: int) -> list[e.Event]:
    return [] if state.seats == seats else [e.SeatsChanged(seats=seats)]


def may_invite(state: Organisation) -> None:
    """Invitations only into a counseling centre whose agreement is signed."""
    if not state.exists or state.kind != OrganisationKind.COUNSELING_CENTRE:
        raise Unprocessable("Diese Beratungsstelle gibt es nicht.", field="centre_id")
    if not state.agreement_signed:
        raise Conflict(
            "Die Vereinbarung zur Auftragsverarbeitung ist noch nicht unterschrieben. Erst danach gibt es Zugänge.",
            field="centre_id",
        )


def request_seats(state: Organisation, request_id: str, seats: int, note: str | None, by: str) -> list[e.Event]:
    may_invite(state)
    if state.seats is not None and seats <= state.seats:
        raise Unprocessable(
            f"Sie haben schon {state.seats} Lizenzen. Bitte geben Sie an, wie viele Sie insgesamt brauchen.",
            field="seats",
        )
    return [e.SeatsRequested(request_id=request_id, seats=seats, note=note, requested_by=by)]
