"""The gateway refuses a revoked account: its bearer token (401 before any service) and its browser
session (signed out: the next call goes on anonymously), within a second of identity's event."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_events import new_envelope
from teilhabe_kit.auth import Principal
from teilhabe_kit.revocation import REVOKED_DETAIL
from teilhabe_kit.testing import create_topics, ensure_database, migrate, publish_raw, serve, unique_topic

PASSWORD = "richtig-geheim"


def _upstream(issuer) -> FastAPI:
    """Identity's sign-in (a token for the login name as account id) and an echo for every service."""
    app = FastAPI()

    @app.post("/api/v1/identity/auth/login")
    async def login(request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("password") != PASSWORD:
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401)
        principal = Principal(account_id=body["login"], roles=frozenset({"seeker"}))
        return JSONResponse({"access_token": issuer.issue(principal, now=time.time() - 5), "refresh_token": "r1"})

    @app.get("/api/v1/{service}/echo")
    async def echo(service: str, request: Request) -> JSONResponse:
        return JSONResponse({"authorization": request.headers.get("authorization")})

    return app


@pytest.fixture(scope="module")
async def gateway(stack, token_issuer, kafka_bootstrap):
    database = await ensure_database(f"gateway_test_revocations_{hashlib.sha1(__file__.encode()).hexdigest()[:8]}")
    await migrate("gateway", database)
    topic = unique_topic("identity-accounts")
    await create_topics(kafka_bootstrap, topic)
    async with serve(_upstream(token_issuer)) as upstream:
        urls = {f"{name}_url": upstream for name in ("identity", "orders", "matching", "messaging", "contracts")}
        settings = Settings(
            **urls, database_url=database, cookie_secure=False, trust_forwarded_for=True, revocations_topic=topic
        )
        async with serve(create_gateway_app(settings)) as url:
            yield url, topic


def _client(base: str) -> httpx.AsyncClient:
    headers = {"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.2"}
    return httpx.AsyncClient(base_url=base, headers=headers, timeout=10)


async def _csrf(client: httpx.AsyncClient) -> str:
    page = (await client.get("/anmelden")).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


async def _lock(bootstrap: str, topic: str, account_id: str) -> None:
    event = new_envelope(
        event_type="AccountLocked",
        schema_version=1,
        stream_type="account",
        stream_id=account_id,
        stream_version=3,
        payload={"locked_by": "admin-1"},
        occurred_at=datetime.now(UTC),
    )
    await publish_raw(bootstrap, topic, event.model_dump_json().encode(), key=account_id.encode())


async def _within_a_second(check) -> None:
    deadline = time.perf_counter() + 1.0
    while not await check():
        assert time.perf_counter() < deadline, "still accepted a second after the lock"
        await asyncio.sleep(0.02)


async def test_ready_only_once_the_revocations_are_read(gateway):
    url, _ = gateway
    async with _client(url) as client:
        ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["revocations"] == "up"


async def test_a_locked_accounts_bearer_token_is_refused_at_the_door(gateway, token_issuer, kafka_bootstrap):
    url, topic = gateway
    account = str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token_issuer.issue(Principal(account, frozenset({'seeker'})))}"}
    async with _client(url) as client:
        assert (await client.get("/api/v1/orders/echo", headers=headers)).status_code == 200
        await _lock(kafka_bootstrap, topic, account)

        async def refused() -> bool:
            return (await client.get("/api/v1/orders/echo", headers=headers)).status_code == 401

        await _within_a_second(refused)
        response = await client.get("/api/v1/identity/echo", headers=headers)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == REVOKED_DETAIL


async def test_a_locked_accounts_browser_session_is_signed_out(gateway, kafka_bootstrap):
    url, topic = gateway
    account = str(uuid.uuid4())
    async with _client(url) as client:
        signed_in = await client.post(
            "/anmelden", data={"csrf_token": await _csrf(client), "login": account, "password": PASSWORD}
        )
        assert signed_in.status_code == 303, signed_in.text
        assert (await client.get("/api/v1/orders/echo")).json()["authorization"]
        await _lock(kafka_bootstrap, topic, account)

        async def anonymous() -> bool:
            return (await client.get("/api/v1/orders/echo")).json()["authorization"] is None

        await _within_a_second(anonymous)
        assert (await client.get("/events")).status_code == 401
