"""The centres service's events → identity's counseling-centre organisations.

The centre id is the stream id of the centres' events.

- `CentreInterestRecorded {name, postcode}`: the organisation (kind counseling_centre) with the
  centre id as its id, so a token's `org` is the centre id. A redelivery finds it and does nothing.
- `ProcessingAgreementSigned`: invitations into the team become possible.
- `CentreSeatsChanged {seats}`: the number of team members (joined or invited).
Other event types on the topic are ignored. Effects are events in the organisation streams, so there
is nothing to reset before a replay.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import staff, store
from identity.domain import events as e
from identity.domain import organisation as domain
from identity.settings import Settings
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.centres import CentreInterestRecorded, CentreSeatsChanged, ProcessingAgreementSigned
from teilhabe_events.contexts.identity import OrganisationKind

ACTOR = "centres"


class CentreEvents:
    def __init__(self, settings: Settings) -> None:
        self.name = f"{settings.consumer_group_prefix}.centres"
        self.topics = (settings.centres_topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        centre_id = envelope.stream_id
        match event:
            case CentreInterestRecorded():
                history = await store.history(conn, store.ORGANISATION, centre_id)
                if domain.replay(centre_id, history).exists:
                    return
                created = e.OrganisationCreated(
                    organisation_kind=OrganisationKind.COUNSELING_CENTRE,
                    name=event.name,
                    postcode=event.postcode,
                    created_by=ACTOR,
                )
                await store.commit(conn, store.ORGANISATION, centre_id, 0, [created], actor_id=ACTOR)
            case ProcessingAgreementSigned():
                centre = await staff.load_centre(conn, centre_id)
                await staff.commit_centre(conn, centre, domain.sign_agreement(centre), ACTOR)
            case CentreSeatsChanged():
                centre = await staff.load_centre(conn, centre_id)
                await staff.commit_centre(conn, centre, domain.change_seats(centre, event.seats), ACTOR)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty."""
