"""Interested persons from contracts' enrollment: identity consumes `InterestedPersonRegistered` on a
private topic, reads name and e-mail from a stand-in of contracts' contact endpoint (same path,
credential check and codes; tests/integration runs the real contracts) and opens the account with
its invitation. Real PostgreSQL (identity_test) and Kafka."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from types import SimpleNamespace

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from identity_support import API, admin, published, register, seeker_body
from sqlalchemy import func, select

from identity.app import store
from identity.app.contracts_client import ContractsContacts, ContractsUnavailable
from identity.main import create_app
from teilhabe_events import dlq_topic, encode, registry
from teilhabe_events.contexts.contracts import InterestedPersonRegistered
from teilhabe_kit import eventstore
from teilhabe_kit.consumer import is_infrastructure_failure
from teilhabe_kit.tables import processed_events
from teilhabe_kit.testing import create_topics, publish_raw, serve, unique_topic

CREDENTIAL = "identity-to-contracts-test"


def contracts_stand_in(people: dict[str, dict], down: set[str], refused: Counter[str]) -> FastAPI:
    """Contracts' contact endpoint: 401 for a wrong credential, 404 for unknown (erased) persons,
    503 for the persons in `down` (contracts unavailable; counted in `refused`)."""
    stand_in = FastAPI()

    @stand_in.get("/api/v1/contracts/interested-persons/{person_id}/contact")
    async def contact(person_id: str, request: Request):
        if request.headers.get("X-Service-Credential") != CREDENTIAL:
            return Response(status_code=401)
        if person_id in down:
            refused[person_id] += 1
            return Response(status_code=503)
        return people.get(person_id) or Response(status_code=404)

    return stand_in


@pytest.fixture(scope="module")
async def world(identity_app, identity_settings, kafka_bootstrap):
    """The consumer in a second identity app on the same database (the session's app relays)."""
    topic = unique_topic("contracts-persons")
    await create_topics(kafka_bootstrap, topic, dlq_topic(topic))
    people: dict[str, dict] = {}
    down: set[str] = set()
    refused: Counter[str] = Counter()
    async with serve(contracts_stand_in(people, down, refused)) as contracts_url:
        settings = identity_settings.model_copy(
            update={
                "run_consumers": True,
                "run_relay": False,
                "contracts_topic": topic,
                "contracts_url": contracts_url,
                "contracts_credential": CREDENTIAL,
                "consumer_group_prefix": unique_topic("identity-test"),
            }
        )
        consumer = create_app(settings)
        async with serve(consumer):
            yield SimpleNamespace(
                topic=topic,
                people=people,
                down=down,
                refused=refused,
                engine=identity_app[0].state.engine,
                group=f"{settings.consumer_group_prefix}.interested-persons",
                url=contracts_url,
            )


def registration(person_id: str):
    event = InterestedPersonRegistered(person_id=person_id, offer_id=f"offer-{uuid.uuid4()}", facility_id="facility-1")
    return registry.envelope(event, stream_id=person_id, stream_version=1)


async def processed(world, event_id, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            async with world.engine.connect() as conn:
                if await conn.scalar(
                    select(func.count()).where(
                        processed_events.c.consumer == world.group, processed_events.c.event_id == event_id
                    )
                ):
                    return
            await asyncio.sleep(0.1)


async def stream(world, account_id: str) -> list[str]:
    async with world.engine.connect() as conn:
        return [e.event_type for e in await eventstore.read_stream(conn, store.ACCOUNT, account_id)]


def person(**overrides) -> dict:
    return {
        "first_name": "Paula",
        "last_name": "Pröbe",
        "email": f"paula-{uuid.uuid4().hex[:10]}@Example.org",
    } | overrides


@pytest.fixture
def send(world, kafka_bootstrap):
    async def send(envelope) -> None:
        await publish_raw(kafka_bootstrap, world.topic, encode(envelope), key=envelope.stream_id.encode())

    return send


async def test_a_registration_opens_a_seeker_account_waiting_for_verification_and_sends_the_invitation(
    world, send, client, identity_issuer, kafka_bootstrap
):
    person_id = str(uuid.uuid4())
    world.people[person_id] = person(email=f"paula-{person_id[:8]}@Example.org")
    envelope = registration(person_id)
    await send(envelope)
    await processed(world, envelope.event_id)

    account = (await client.get(f"{API}/accounts/{person_id}", headers=admin(identity_issuer))).json()
    assert (account["role"], account["status"], account["name"]) == ("seeker", "pending_verification", "Paula Pröbe")
    assert account["contact"]["email"] == f"paula-{person_id[:8]}@example.org"
    events = await published(kafka_bootstrap, person_id, until={"PasswordResetRequested"})
    assert "AccountActivated" not in {e.event_type for e in events}  # no check ran: no "freigeschaltet"
    [invitation] = [e for e in events if e.event_type == "PasswordResetRequested"]
    assert invitation.actor_id == "contracts"  # not the person: messaging mails the invitation
    assert "Paula" not in str([e.payload for e in events])


async def test_a_duplicate_or_replayed_registration_makes_one_account_and_one_link(world, send):
    person_id = str(uuid.uuid4())
    world.people[person_id] = person()
    envelope = registration(person_id)
    replayed = envelope.model_copy(update={"event_id": uuid.uuid4()})
    for copy in (envelope, envelope, replayed):  # one key, one partition: in this order
        await send(copy)
    await processed(world, replayed.event_id)
    assert await stream(world, person_id) == ["Registered", "PasswordResetRequested"]


async def test_a_known_address_gets_a_new_link_for_its_account_not_a_second_account(
    world, send, client, identity_issuer
):
    body = seeker_body()
    existing = await register(client, "seekers", body, identity_issuer)
    person_id = str(uuid.uuid4())
    world.people[person_id] = person(email=body["email"].upper())
    envelope = registration(person_id)
    await send(envelope)
    await processed(world, envelope.event_id)
    assert await stream(world, person_id) == []
    assert await stream(world, existing) == ["Registered", "PasswordResetRequested"]


async def test_a_person_erased_in_contracts_meanwhile_gets_nothing(world, send):
    person_id = str(uuid.uuid4())  # contracts answers 404: unknown or erased
    envelope = registration(person_id)
    await send(envelope)
    await processed(world, envelope.event_id)
    assert await stream(world, person_id) == []


async def test_while_contracts_is_unavailable_the_registration_waits_and_is_not_lost(world, send):
    person_id = str(uuid.uuid4())
    world.people[person_id] = person()
    world.down.add(person_id)
    envelope = registration(person_id)
    await send(envelope)
    async with asyncio.timeout(20):
        while world.refused[person_id] < 2:  # asked, refused, and asked again
            await asyncio.sleep(0.05)
    assert await stream(world, person_id) == []
    world.down.discard(person_id)
    await processed(world, envelope.event_id)
    assert await stream(world, person_id) == ["Registered", "PasswordResetRequested"]


async def test_an_unreachable_contracts_or_a_refused_credential_is_the_infrastructures_fault(world):
    for contacts in (
        ContractsContacts("http://127.0.0.1:9", CREDENTIAL),  # nothing listens there
        ContractsContacts(world.url, "wrong-" + CREDENTIAL),
    ):
        with pytest.raises(ContractsUnavailable) as raised:
            await contacts.person(str(uuid.uuid4()))
        assert is_infrastructure_failure(raised.value)  # redelivered, never dead-lettered
