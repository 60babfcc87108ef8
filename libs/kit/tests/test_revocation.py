"""Revoked accounts: the list's rules (pure), its feed on the real broker (two replicas), and a kit
service app that refuses a revoked account's token within a second of identity's event."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends

from teilhabe_events import encode, new_envelope
from teilhabe_kit.auth import Principal, Unauthenticated, current_principal, service_or_roles
from teilhabe_kit.revocation import REVOKED_DETAIL, RevocationFeed, RevocationList, RevocationsNotCurrent, followed
from teilhabe_kit.service import create_service_app
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.testing import bearer, create_topics, serve, unique_topic

CREDENTIAL = "kit-revocation-test-credential"
PAYLOADS = {
    "AccountLocked": {"locked_by": "admin-1"},
    "AccountUnlocked": {"unlocked_by": "admin-1"},
    "AccountDeletionRequested": {"erase_after": "2030-01-31"},
    "AccountRestored": {},
    "AccountErased": {},
    "AvailabilityChanged": {"ranges": []},
}


def account_event(account_id: str, event_type: str, version: int, at: float | None = None):
    return new_envelope(
        event_type=event_type,
        schema_version=1,
        stream_type="account",
        stream_id=account_id,
        stream_version=version,
        payload=PAYLOADS[event_type],
        occurred_at=datetime.fromtimestamp(at or time.time(), UTC),
    )


def new_account() -> str:
    return str(uuid.uuid4())


def caught_up_list() -> RevocationList:
    revocations = RevocationList(catch_up_seconds=0.1)
    revocations.caught_up.set()
    return revocations


# --- the rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize("blocking", ["AccountLocked", "AccountDeletionRequested", "AccountErased"])
def test_a_blocking_event_refuses_every_token_of_the_account(blocking):
    revocations, account, now = caught_up_list(), new_account(), time.time()
    revocations.apply(account_event(account, blocking, 5, at=now))
    assert revocations.revoked(account, int(now) - 60) and revocations.revoked(account, int(now) + 60)
    assert not revocations.revoked(new_account(), int(now) - 60)


@pytest.mark.parametrize(
    ("blocking", "releasing"), [("AccountLocked", "AccountUnlocked"), ("AccountDeletionRequested", "AccountRestored")]
)
def test_after_an_unlock_or_restore_old_tokens_stay_refused_and_new_ones_count(blocking, releasing):
    revocations, account, lock_at = caught_up_list(), new_account(), time.time() - 100
    revocations.apply(account_event(account, blocking, 3, at=lock_at))
    revocations.apply(account_event(account, releasing, 4, at=lock_at + 50))
    assert revocations.revoked(account, int(lock_at) - 1)  # issued before the lock
    assert revocations.revoked(account, int(lock_at))  # in the lock's second: cannot tell, refused
    assert not revocations.revoked(account, int(lock_at) + 51)  # a sign-in after the unlock


def test_an_older_or_repeated_event_changes_nothing():
    revocations, account, now = caught_up_list(), new_account(), time.time()
    locked = account_event(account, "AccountLocked", 3, at=now - 100)
    revocations.apply(locked)
    revocations.apply(account_event(account, "AccountUnlocked", 4, at=now - 50))
    revocations.apply(locked)  # the relay published it again after a crash
    assert not revocations.blocked(account)
    revocations.apply(account_event(account, "AvailabilityChanged", 5))
    assert not revocations.blocked(account) and len(revocations) == 1


def test_an_unlock_of_an_account_never_locked_keeps_the_list_empty():
    revocations = caught_up_list()
    revocations.apply(account_event(new_account(), "AccountUnlocked", 2))
    assert len(revocations) == 0


async def test_admit_refuses_with_a_german_401_and_drops_revoked_wards():
    revocations, guardian, ward, other_ward = caught_up_list(), new_account(), new_account(), new_account()
    revocations.apply(account_event(ward, "AccountErased", 9))
    principal = Principal(guardian, frozenset({"guardian"}), acting_for=frozenset({ward, other_ward}))
    admitted = await revocations.admit(principal, int(time.time()))
    assert admitted.acting_for == frozenset({other_ward}) and admitted.account_id == guardian
    with pytest.raises(Unauthenticated) as refused:
        await revocations.admit(Principal(ward, frozenset({"seeker"})), int(time.time()))
    assert refused.value.status == 401 and refused.value.detail == REVOKED_DETAIL


async def test_before_catching_up_a_token_is_refused_with_503_not_let_through():
    revocations = RevocationList(catch_up_seconds=0.05)
    with pytest.raises(RevocationsNotCurrent) as refused:
        await revocations.admit(Principal(new_account(), frozenset({"seeker"})), int(time.time()))
    assert refused.value.status == 503


def test_the_check_per_request_is_a_dict_lookup_of_about_a_microsecond():
    revocations, now = caught_up_list(), time.time()
    accounts = [new_account() for _ in range(10_000)]
    for account in accounts:
        revocations.apply(account_event(account, "AccountLocked", 2, at=now))
    callers = [new_account() for _ in range(1_000)] + accounts[:1_000]
    started = time.perf_counter()
    for _ in range(50):
        for caller in callers:
            revocations.revoked(caller, int(now))
    per_call = (time.perf_counter() - started) / (50 * len(callers))
    print(f"revocation check: {per_call * 1e9:.0f} ns per request with {len(revocations)} revoked accounts")
    assert per_call < 5e-6


# --- the feed on the real broker -------------------------------------------------------------------


@pytest.fixture
async def producer(kafka_bootstrap):
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    yield producer
    await producer.stop()


async def publish(producer: AIOKafkaProducer, topic: str, envelope) -> None:
    await producer.send_and_wait(topic, encode(envelope), key=envelope.stream_id.encode())


async def eventually(check, timeout: float = 1.0) -> float:
    """Seconds until `check()` holds; fails after `timeout`."""
    started = time.perf_counter()
    while not check():
        assert time.perf_counter() - started < timeout, "not within the time allowed"
        await asyncio.sleep(0.005)
    return time.perf_counter() - started


async def test_two_replicas_read_the_history_then_learn_a_lock_within_a_second(kafka_bootstrap, producer):
    topic = unique_topic("identity-accounts")
    await create_topics(kafka_bootstrap, topic)
    locked_before, restored, noise = new_account(), new_account(), new_account()
    await publish(producer, topic, account_event(locked_before, "AccountLocked", 2))
    await publish(producer, topic, account_event(restored, "AccountDeletionRequested", 2))
    await publish(producer, topic, account_event(restored, "AccountRestored", 3))
    for version in range(2, 50):
        await publish(producer, topic, account_event(noise, "AvailabilityChanged", version))
    replicas = [RevocationList() for _ in range(2)]
    async with followed(RevocationFeed(kafka_bootstrap, replicas[0], topic=topic)):
        async with followed(RevocationFeed(kafka_bootstrap, replicas[1], topic=topic)):
            for replica in replicas:
                await asyncio.wait_for(replica.caught_up.wait(), 20)
                assert replica.blocked(locked_before) and not replica.blocked(restored)
                assert not replica.revoked(noise, int(time.time()))
            now_locked = new_account()
            await publish(producer, topic, account_event(now_locked, "AccountLocked", 7))
            for replica in replicas:
                took = await eventually(lambda r=replica: r.blocked(now_locked))
                print(f"lock reached a replica after {took * 1000:.1f} ms")


async def test_an_empty_or_missing_topic_counts_as_caught_up(kafka_bootstrap):
    revocations = RevocationList()
    async with followed(RevocationFeed(kafka_bootstrap, revocations, topic=unique_topic("never-written"))):
        await asyncio.wait_for(revocations.caught_up.wait(), 20)
    assert len(revocations) == 0


# --- a service app built by the kit ----------------------------------------------------------------

router = APIRouter(prefix="/api/v1/kit-revocation")


@router.get("/me")
async def me(principal: Principal = Depends(current_principal)) -> dict:
    return {"account_id": principal.account_id, "acting_for": sorted(principal.acting_for)}


@router.post("/internal/ping")
async def internal(caller: str = Depends(service_or_roles(lambda request: CREDENTIAL, "admin"))) -> dict:
    return {"caller": caller}


@pytest.fixture
async def service(kit_database_url, kafka_bootstrap, token_issuer):
    topic = unique_topic("identity-accounts")
    await create_topics(kafka_bootstrap, topic)
    settings = ServiceSettings(
        service_name="kit_revocation_test",
        database_url=kit_database_url,
        run_relay=False,
        run_consumers=False,
        revocations_topic=topic,
    )
    app = create_service_app(settings, title="kit revocation test", routers=[router])
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield client, topic


async def refused_within(client: httpx.AsyncClient, headers: dict, seconds: float = 1.0) -> httpx.Response:
    """Polls `/me` with `headers` until it answers 401 (fails after `seconds`)."""
    deadline = time.perf_counter() + seconds
    while True:
        response = await client.get("/api/v1/kit-revocation/me", headers=headers)
        if response.status_code == 401:
            return response
        assert response.status_code == 200, response.text
        assert time.perf_counter() < deadline, "the token was still accepted after a second"
        await asyncio.sleep(0.01)


async def test_a_service_refuses_a_locked_accounts_token_and_accepts_a_new_one_after_the_unlock(
    service, producer, token_issuer
):
    client, topic = service
    ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["revocations"] == "up"
    account, now = new_account(), time.time()
    old = {"Authorization": f"Bearer {token_issuer.issue(Principal(account, frozenset({'seeker'})), now=now - 10)}"}
    assert (await client.get("/api/v1/kit-revocation/me", headers=old)).status_code == 200

    await publish(producer, topic, account_event(account, "AccountLocked", 4, at=now - 2))
    refused = await refused_within(client, old)
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == REVOKED_DETAIL
    fresh = bearer(token_issuer, account, "seeker")
    assert (await client.get("/api/v1/kit-revocation/me", headers=fresh)).status_code == 401  # still locked

    await publish(producer, topic, account_event(account, "AccountUnlocked", 5, at=now - 1))
    deadline = time.perf_counter() + 1
    while (await client.get("/api/v1/kit-revocation/me", headers=fresh)).status_code != 200:
        assert time.perf_counter() < deadline, "a token issued after the unlock was not accepted"
        await asyncio.sleep(0.01)
    assert (await client.get("/api/v1/kit-revocation/me", headers=old)).status_code == 401


async def test_a_guardian_loses_an_erased_ward_and_service_calls_are_unaffected(service, producer, token_issuer):
    client, topic = service
    guardian, ward = new_account(), new_account()
    headers = bearer(token_issuer, guardian, "guardian", acting_for=[ward])
    assert (await client.get("/api/v1/kit-revocation/me", headers=headers)).json()["acting_for"] == [ward]
    await publish(producer, topic, account_event(ward, "AccountErased", 12))
    deadline = time.perf_counter() + 1
    while (await client.get("/api/v1/kit-revocation/me", headers=headers)).json()["acting_for"]:
        assert time.perf_counter() < deadline, "the erased ward was still in acting_for after a second"
        await asyncio.sleep(0.01)
    answer = await client.post("/api/v1/kit-revocation/internal/ping", headers={"X-Service-Credential": CREDENTIAL})
    assert answer.status_code == 200 and answer.json() == {"caller": "service"}
