"""Issue 21, finding 1: a token must not outlive its account. On the real platform (identity,
orders, matching, messaging, contracts and the gateway as subprocesses on private databases), a
real seeker signs in; after a lock, a deletion request or an erasure, the old access token is
refused (401 problem+json, German) by the gateway and directly by every service within a second
of identity's answer, the refresh token is dead, and after an unlock or restore only a new sign-in
works again. Each service learns of the revocation from identity's events
(`teilhabe_kit.revocation`); identity checks its own table at once.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import date, timedelta

import httpx
import pytest
from identity_support import PASSWORD, seeker_body, unique_address
from platform_support import admin_token, running_platform, verify_and_activate
from sqlalchemy import text

from teilhabe_kit.db import create_engine
from teilhabe_kit.revocation import REVOKED_DETAIL
from teilhabe_kit.testing import database_url, ensure_database

SERVICES = ["identity", "orders", "matching", "messaging", "contracts"]
RUN = uuid.uuid4().hex[:8]
WITHIN_SECONDS = 1.0
ACCEPT_WITHIN_SECONDS = 5.0  # the unlock travels like the lock; the one second is for refusals
TEST_ENV = {
    "GATEWAY_RATE_BURST": "1000000",
    "GATEWAY_RATE_PER_MINUTE": "1000000",
    "GATEWAY_SENSITIVE_BURST": "1000000",
    "GATEWAY_SENSITIVE_PER_MINUTE": "1000000",
    "IDENTITY_DELETION_RETENTION_DAYS": "0",  # a deletion request is due at once: the erasure job takes it
    "MESSAGING_RUN_DELIVERY": "false",
}
# the tokens are under test, not the consumers: in the services' own consumer groups they would take
# events away from a locally running copy (the revocations are read without a consumer group)
TEST_ENV |= {f"{name.upper()}_RUN_CONSUMERS": "false" for name in SERVICES}


def _in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def order_body() -> dict:
    return {
        "schedule": {"kind": "one_time", "date": _in_days(10), "start": "09:00", "end": "11:30"},
        "activities": ["shopping"],
        "postcode": "37154",
        "max_distance_km": 15,
    }


def draft_terms() -> dict:
    return {
        "schedule": {"kind": "one_time", "date": _in_days(10), "start": "09:00", "end": "11:30"},
        "activities": ["shopping"],
        "postcode": "37154",
        "max_distance_km": 15,
    }


# (name, service that answers, method, path, body): each reads or writes as the signed-in seeker
CALLS = [
    ("identity: own account", "identity", "GET", "/api/v1/identity/me", None),
    ("orders: create", "orders", "POST", "/api/v1/orders/orders", order_body),
    ("orders: list", "orders", "GET", "/api/v1/orders/orders", None),
    ("matching: candidate count", "matching", "POST", "/api/v1/matching/candidate-count", draft_terms),
    ("messaging: conversations", "messaging", "GET", "/api/v1/messaging/conversations", None),
    ("contracts: assignments", "contracts", "GET", "/api/v1/contracts/assistance", None),
]


@pytest.fixture(scope="module")
async def platform(stack, tmp_path_factory):
    """The platform on databases of this run (dropped afterwards)."""
    names = [*SERVICES, "gateway"]
    saved = {name: os.environ.get(f"DATABASE_URL_{name.upper()}") for name in names}
    for name in names:
        os.environ[f"DATABASE_URL_{name.upper()}"] = await ensure_database(f"sectokens_{name}_{RUN}")
    files = {"MESSAGING_STORAGE_DIR": str(tmp_path_factory.mktemp("files"))}
    try:
        with running_platform(names, extra_env=TEST_ENV | files) as running:
            yield running
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(f"DATABASE_URL_{name.upper()}", None)
            else:
                os.environ[f"DATABASE_URL_{name.upper()}"] = value
        admin = create_engine(database_url("postgres")).execution_options(isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            for name in names:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "sectokens_{name}_{RUN}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=20) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def admin() -> dict[str, str]:
    return bearer(admin_token())


async def call(http: httpx.AsyncClient, base: str, method: str, path: str, body, token: str) -> httpx.Response:
    return await http.request(method, f"{base}{path}", json=body() if body else None, headers=bearer(token))


async def sign_in(http: httpx.AsyncClient, identity: str, login: str) -> httpx.Response:
    return await http.post(
        f"{identity}/api/v1/identity/auth/login",
        json={"login": login, "password": PASSWORD},
        headers=unique_address(),
    )


async def active_seeker(http: httpx.AsyncClient, platform) -> tuple[str, str, dict]:
    """A registered, verified, active seeker: (account id, login, tokens of a real sign-in)."""
    identity = platform.urls["identity"]
    body = seeker_body()
    signed_up = await http.post(f"{identity}/api/v1/identity/registrations/seekers", json=body)
    assert signed_up.status_code == 202, signed_up.text
    account_id = await verify_and_activate(identity, body["email"])
    tokens = await sign_in(http, identity, body["email"])
    assert tokens.status_code == 200, tokens.text
    return account_id, body["email"], tokens.json()


def targets(platform) -> list[tuple[str, str, str, str, object]]:
    """Every call directly at its service and through the gateway, plus a public path of the
    gateway (identity's JWKS needs no token: only the gateway itself can refuse it there)."""
    direct = [(f"{name} (direct)", platform.urls[service], m, p, b) for name, service, m, p, b in CALLS]
    gateway = [(f"{name} (gateway)", platform.gateway, m, p, b) for name, _, m, p, b in CALLS]
    jwks = ("gateway itself: public JWKS", platform.gateway, "GET", "/api/v1/identity/.well-known/jwks.json", None)
    return [*direct, *gateway, jwks]


async def all_accept(http, platform, token: str) -> None:
    for name, base, method, path, body in targets(platform):
        response = await call(http, base, method, path, body, token)
        assert response.status_code in (200, 201), f"{name}: {response.status_code} {response.text}"


async def all_refuse_within(http, platform, token: str, since: float, seconds: float = WITHIN_SECONDS) -> dict:
    """Polls every target until it refuses `token` with a German 401 problem; the seconds each took
    (counted from `since`). Fails when one still accepts after `seconds`."""

    async def refused(name: str, base: str, method: str, path: str, body) -> float:
        while True:
            response = await call(http, base, method, path, body, token)
            if response.status_code == 401:
                assert response.headers["content-type"].startswith("application/problem+json"), name
                assert response.json()["detail"] == REVOKED_DETAIL, f"{name}: {response.text}"
                return time.perf_counter() - since
            assert response.status_code in (200, 201), f"{name}: {response.status_code} {response.text}"
            assert time.perf_counter() - since < seconds, f"{name} still accepted the token after {seconds} s"
            await asyncio.sleep(0.02)

    took = await asyncio.gather(*(refused(*target) for target in targets(platform)))
    return dict(zip([t[0] for t in targets(platform)], took, strict=True))


async def all_accept_within(http, platform, token: str, since: float, seconds: float = ACCEPT_WITHIN_SECONDS) -> None:
    async def accepted(name: str, base: str, method: str, path: str, body) -> None:
        while (response := await call(http, base, method, path, body, token)).status_code not in (200, 201):
            assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
            assert time.perf_counter() - since < seconds, f"{name} still refused a new sign-in after {seconds} s"
            await asyncio.sleep(0.02)

    await asyncio.gather(*(accepted(*target) for target in targets(platform)))


async def orders_of(http, platform, token: str) -> int:
    response = await http.get(f"{platform.urls['orders']}/api/v1/orders/orders", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def refresh(http, platform, refresh_token: str) -> httpx.Response:
    return await http.post(
        f"{platform.urls['identity']}/api/v1/identity/auth/refresh", json={"refresh_token": refresh_token}
    )


async def test_a_locked_accounts_token_is_refused_everywhere_within_a_second_until_a_new_sign_in(http, platform):
    identity = platform.urls["identity"]
    account_id, login, tokens = await active_seeker(http, platform)
    old = tokens["access_token"]
    await all_accept(http, platform, old)

    locked = await http.post(
        f"{identity}/api/v1/identity/accounts/{account_id}/lock",
        json={"reason": "Missbrauch gemeldet"},
        headers=admin(),
    )
    assert locked.status_code == 200, locked.text
    since = time.perf_counter()
    assert (await http.get(f"{identity}/api/v1/identity/me", headers=bearer(old))).status_code == 401  # at once
    took = await all_refuse_within(http, platform, old, since)
    print(f"lock refused after (s): { {k: round(v, 3) for k, v in took.items()} }")
    assert (await refresh(http, platform, tokens["refresh_token"])).status_code == 401
    assert (await sign_in(http, identity, login)).status_code == 403  # locked: no new sign-in either

    unlocked = await http.post(f"{identity}/api/v1/identity/accounts/{account_id}/unlock", headers=admin())
    assert unlocked.status_code == 200, unlocked.text
    since = time.perf_counter()
    fresh = await sign_in(http, identity, login)
    assert fresh.status_code == 200, fresh.text
    new = fresh.json()["access_token"]
    await all_accept_within(http, platform, new, since)
    await all_refuse_within(http, platform, old, time.perf_counter(), seconds=0)  # the old one stays dead
    assert (await refresh(http, platform, tokens["refresh_token"])).status_code == 401
    orders_now = await orders_of(http, platform, new)
    refused = await call(http, platform.urls["orders"], "POST", "/api/v1/orders/orders", order_body, old)
    assert refused.status_code == 401 and await orders_of(http, platform, new) == orders_now  # nothing stored


async def test_a_deletion_request_ends_the_token_everywhere_and_a_restore_needs_a_new_sign_in(http, platform):
    identity = platform.urls["identity"]
    account_id, login, tokens = await active_seeker(http, platform)
    old = tokens["access_token"]
    await all_accept(http, platform, old)

    marked = await http.post(f"{identity}/api/v1/identity/accounts/{account_id}/deletion", headers=bearer(old))
    assert marked.status_code == 200, marked.text
    since = time.perf_counter()
    took = await all_refuse_within(http, platform, old, since)
    print(f"deletion request refused after (s): { {k: round(v, 3) for k, v in took.items()} }")
    assert (await refresh(http, platform, tokens["refresh_token"])).status_code == 401
    assert (await sign_in(http, identity, login)).status_code == 403  # marked for deletion: no new sign-in

    restored = await http.post(f"{identity}/api/v1/identity/accounts/{account_id}/restore", headers=admin())
    assert restored.status_code == 200, restored.text
    since = time.perf_counter()
    fresh = await sign_in(http, identity, login)
    assert fresh.status_code == 200, fresh.text
    await all_accept_within(http, platform, fresh.json()["access_token"], since)
    await all_refuse_within(http, platform, old, time.perf_counter(), seconds=0)


async def test_an_erased_persons_token_reads_and_writes_nothing(http, platform):
    identity = platform.urls["identity"]
    account_id, login, tokens = await active_seeker(http, platform)
    old = tokens["access_token"]
    await all_accept(http, platform, old)

    marked = await http.post(f"{identity}/api/v1/identity/accounts/{account_id}/deletion", headers=bearer(old))
    assert marked.status_code == 200, marked.text
    jobs = await http.post(f"{identity}/api/v1/identity/admin/jobs/run", headers=admin())
    assert jobs.status_code == 200 and account_id in jobs.json()["erased"], jobs.text
    since = time.perf_counter()
    took = await all_refuse_within(http, platform, old, since)
    print(f"erasure refused after (s): { {k: round(v, 3) for k, v in took.items()} }")
    assert (await refresh(http, platform, tokens["refresh_token"])).status_code == 401
    assert (await sign_in(http, identity, login)).status_code == 401
    restored = await http.post(f"{identity}/api/v1/identity/accounts/{account_id}/restore", headers=admin())
    assert restored.status_code == 409  # nothing brings an erased account back
    await all_refuse_within(http, platform, old, time.perf_counter(), seconds=0)
