"""Gateway on the real database: routing, token checks, CSRF, rate limits, SSE relay, 503s.

The upstream is a small real HTTP service standing in for any backend (it echoes what arrives),
so the tests see exactly what the gateway forwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from raw_http_support import raw_request

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_kit.auth import Principal
from teilhabe_kit.testing import database_url, migrate, serve


def _upstream(issuer) -> FastAPI:
    app = FastAPI()
    app.state.calls = []

    @app.api_route("/api/v1/{service}/echo/{rest:path}", methods=["GET", "POST", "DELETE"])
    async def echo(service: str, rest: str, request: Request) -> JSONResponse:
        body = (await request.body()).decode()
        app.state.calls.append(request.url.path)
        return JSONResponse(
            {
                "service": service,
                "path": rest,
                "raw_path": request.scope["raw_path"].decode(),
                "method": request.method,
                "query": str(request.url.query),
                "body": body,
                "headers": {k.lower(): v for k, v in request.headers.items()},
            },
            status_code=201 if request.method == "POST" else 200,
            headers={"X-Upstream": service},
        )

    @app.post("/api/v1/identity/auth/login")
    async def login(request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("password") != "richtig-geheim":
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401)
        principal = Principal(account_id=body["login"], roles=frozenset({"seeker"}))
        return JSONResponse(
            {
                "access_token": issuer.issue(principal, now=app.state.issued_at or None),
                "refresh_token": "r1",
                "token_type": "bearer",
            }
        )

    @app.post("/api/v1/identity/auth/refresh")
    async def refresh(request: Request) -> JSONResponse:
        body = await request.json()
        app.state.calls.append(f"refresh:{body['refresh_token']}")
        if body["refresh_token"] == "abgelaufen":
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401)
        principal = Principal(account_id="refreshed", roles=frozenset({"seeker"}))
        return JSONResponse({"access_token": issuer.issue(principal), "refresh_token": "r2"})

    @app.get("/api/v1/messaging/notifications/stream")
    async def stream(request: Request) -> StreamingResponse:
        last = int(request.headers.get("Last-Event-ID", "0"))
        auth = request.headers.get("Authorization", "")

        async def events():
            for n in range(last + 1, last + 3):
                yield f"id: {n}\nevent: notification\ndata: {json.dumps({'n': n, 'auth': bool(auth)})}\n\n"
                await asyncio.sleep(0.3)

        return StreamingResponse(events(), media_type="text/event-stream")

    app.state.issued_at = None
    return app


@pytest.fixture(scope="module")
async def upstream(stack, token_issuer):
    app = _upstream(token_issuer)
    async with serve(app) as url:
        yield app, url


@pytest.fixture(scope="module")
async def gateway(upstream, token_issuer):
    await migrate("gateway", database_url("gateway"))
    _, url = upstream
    settings = Settings(
        identity_url=url,
        orders_url=url,
        messaging_url=url,
        matching_url=url,
        contracts_url=url,
        counseling_url="http://127.0.0.1:9",  # nothing listens there
        cookie_secure=False,
        trust_forwarded_for=True,
        rate_per_minute=6000,
        rate_burst=6000,
        sensitive_per_minute=3,
        sensitive_burst=3,
    )
    async with serve(create_gateway_app(settings)) as gateway_url:
        yield gateway_url


def _client(base: str, ip: str | None = None) -> httpx.AsyncClient:
    headers = {"X-Forwarded-For": ip or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1"}
    return httpx.AsyncClient(base_url=base, headers=headers, timeout=10)


async def _csrf(client: httpx.AsyncClient) -> str:
    page = (await client.get("/anmelden")).text
    marker = 'name="csrf_token" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


@contextlib.asynccontextmanager
async def _signed_in(gateway: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with _client(gateway) as client:
        token = await _csrf(client)
        response = await client.post(
            "/anmelden",
            data={"csrf_token": token, "login": "a@example.org", "password": "richtig-geheim", "next": "/suchende"},
        )
        assert response.status_code == 303, response.text
        yield client, await _csrf(client)


async def test_routes_to_the_service_with_request_id_and_trace_context(gateway, token_issuer):
    from teilhabe_kit.testing import bearer

    async with _client(gateway) as client:
        headers = bearer(token_issuer, "acc-1", "seeker") | {
            "X-Request-ID": "req-42",
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        }
        response = await client.post("/api/v1/orders/echo/a/b?x=1&x=2", headers=headers, json={"k": "v"})
    assert response.status_code == 201
    assert response.headers["X-Upstream"] == "orders"
    assert response.headers["X-Request-ID"] == "req-42"
    seen = response.json()
    assert (seen["path"], seen["method"], seen["query"]) == ("a/b", "POST", "x=1&x=2")
    assert json.loads(seen["body"]) == {"k": "v"}
    assert seen["headers"]["authorization"] == headers["Authorization"]
    assert seen["headers"]["x-request-id"] == "req-42"
    assert seen["headers"]["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")


async def test_path_is_forwarded_as_encoded_even_with_control_characters(gateway, token_issuer):
    """Regression (fuzzing): a control character in a path segment was a 500."""
    from teilhabe_kit.testing import bearer

    async with _client(gateway) as client:
        response = await client.get(
            "/api/v1/orders/echo/a%20b%05%0C?x=%00", headers=bearer(token_issuer, "acc-1", "seeker")
        )
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["raw_path"] == "/api/v1/orders/echo/a%20b%05%0C"
    assert seen["path"] == "a b\x05\x0c"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orders/echo/../../../../metrics",
        "/api/v1/orders/echo/%2e%2e/%2E%2E/%2e%2e/%2e%2e/health/ready",
        "/api/v1/orders/echo/%252e%252e/x",
        "/api/v1/orders/echo/./x",
        "/api/v1/orders/echo/a%2Fb",  # an encoded separator: some server on the way decodes it
        "/api/v1/orders/echo/..%5C..%5Cmetrics",
        "/api/v1/orders/echo/..\\..\\metrics",
    ],
)
async def test_dot_segments_and_encoded_separators_are_refused_at_the_door(gateway, upstream, path):
    """Issue 21 (2): the proxy forwarded ``..`` and the HTTP client resolved it (identity's /metrics)."""
    app, _ = upstream
    before = len(app.state.calls)
    response = await raw_request(gateway, path, {"X-Forwarded-For": "10.9.9.9"})
    assert response.status == 400, (path, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert "Adresse" in response.json()["detail"]
    assert len(app.state.calls) == before


async def test_the_internal_api_of_a_service_is_not_served_through_the_door(gateway, upstream):
    app, _ = upstream
    before = len(app.state.calls)
    async with _client(gateway) as client:
        response = await client.get("/api/v1/orders/internal/echo/x")
    assert response.status_code == 404
    assert len(app.state.calls) == before


async def test_headers_only_the_gateway_sets_are_replaced_not_passed_on(gateway, token_issuer):
    """Issue 21 (5): a client's X-Forwarded-For, X-Service-Credential and a malformed request id
    reached the services as if the gateway had set them."""
    from teilhabe_kit.testing import bearer

    async with _client(gateway, ip="10.1.2.3") as client:
        headers = bearer(token_issuer, "acc-1", "seeker") | {
            "X-Forwarded-For": "203.0.113.66, 10.1.2.3",  # the client's own hop first, the ingress's last
            "X-Service-Credential": "stolen-or-guessed",
            "X-Real-IP": "203.0.113.66",
            "Forwarded": "for=203.0.113.66",
            "X-Request-ID": "<script>alert(1)</script>",
        }
        response = await client.get("/api/v1/orders/echo/x", headers=headers)
        kept = await client.get(
            "/api/v1/orders/echo/x", headers=bearer(token_issuer, "acc-1", "seeker") | {"X-Request-ID": "app-7f3a.1"}
        )
    seen = response.json()["headers"]
    assert seen["x-forwarded-for"] == "10.1.2.3"  # one value: the address the ingress saw
    assert "x-service-credential" not in seen and "x-real-ip" not in seen and "forwarded" not in seen
    assert seen["x-request-id"] != headers["X-Request-ID"] and len(seen["x-request-id"]) == 36
    assert response.headers["X-Request-ID"] == seen["x-request-id"]
    assert kept.json()["headers"]["x-request-id"] == "app-7f3a.1"


async def test_api_answers_are_never_sniffed_or_cached(gateway, token_issuer):
    """Issue 21 (4): personal JSON without Cache-Control and nosniff."""
    from teilhabe_kit.testing import bearer

    async with _client(gateway) as client:
        response = await client.get("/api/v1/orders/echo/x", headers=bearer(token_issuer, "acc-1", "seeker"))
        problem = await client.get("/api/v1/nothing/here")
    for answer in (response, problem):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Cache-Control"] == "no-store"


async def test_unknown_service_is_404_problem(gateway):
    async with _client(gateway) as client:
        response = await client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_invalid_or_foreign_token_is_refused_before_the_service(gateway, upstream):
    app, _ = upstream
    before = len(app.state.calls)
    async with _client(gateway) as client:
        forged = await client.get("/api/v1/orders/echo/x", headers={"Authorization": "Bearer abc.def.ghi"})
        basic = await client.get("/api/v1/orders/echo/x", headers={"Authorization": "Basic eDp5"})
    assert forged.status_code == basic.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"
    assert len(app.state.calls) == before


async def test_anonymous_calls_pass_and_the_service_decides(gateway):
    async with _client(gateway) as client:
        response = await client.get("/api/v1/orders/echo/public")
    assert response.status_code == 200
    assert "authorization" not in response.json()["headers"]


async def test_service_down_is_a_clear_503_problem(gateway):
    async with _client(gateway) as client:
        response = await client.get("/api/v1/counseling/centres")
        page = await client.get("/health/services")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["Retry-After"]
    assert "nicht erreichbar" in response.json()["detail"]
    assert page.json()["counseling"] == "down"


async def test_session_cookie_is_httponly_lax_and_holds_no_token(gateway):
    async with _signed_in(gateway) as (client, _):
        cookie = next(c for c in client.cookies.jar if c.name == "teilhabe_session")
        assert cookie.has_nonstandard_attr("HttpOnly")
        assert len(cookie.value) < 64 and "." not in cookie.value  # an id, not a JWT
        response = await client.get("/api/v1/orders/echo/mine")
    assert response.json()["headers"]["authorization"].startswith("Bearer ")


async def test_secure_flag_when_configured(stack, token_issuer):
    await migrate("gateway", database_url("gateway"))
    async with serve(create_gateway_app(Settings(cookie_secure=True))) as url:
        async with _client(url) as client:
            response = await client.get("/anmelden")
    header = response.headers["set-cookie"].lower()
    assert "secure" in header and "httponly" in header and "samesite=lax" in header


async def test_forms_and_session_api_calls_need_the_csrf_token(gateway):
    async with _signed_in(gateway) as (client, csrf):
        no_token_form = await client.post("/sprache", data={"lang": "en", "next": "/"})
        wrong_token_form = await client.post("/sprache", data={"lang": "en", "csrf_token": "x" * 43})
        good_form = await client.post("/sprache", data={"lang": "en", "csrf_token": csrf})
        no_token_api = await client.post("/api/v1/orders/echo/x", json={})
        good_api = await client.post("/api/v1/orders/echo/x", json={}, headers={"X-CSRF-Token": csrf})
    assert no_token_form.status_code == wrong_token_form.status_code == 403
    assert good_form.status_code == 303
    assert no_token_api.status_code == 403
    assert good_api.status_code == 201


async def test_login_form_without_csrf_is_refused(gateway):
    async with _client(gateway) as client:
        await client.get("/anmelden")
        response = await client.post("/anmelden", data={"login": "a@example.org", "password": "richtig-geheim"})
    assert response.status_code == 403


async def test_login_rotates_the_session_id(gateway):
    async with _client(gateway) as client:
        csrf = await _csrf(client)
        before = client.cookies["teilhabe_session"]
        await client.post(
            "/anmelden", data={"csrf_token": csrf, "login": "a@example.org", "password": "richtig-geheim"}
        )
        assert client.cookies["teilhabe_session"] != before


async def test_sensitive_routes_are_limited_stricter_with_retry_after(gateway):
    ip = f"192.0.2.{uuid.uuid4().int % 250}"
    async with _client(gateway, ip) as client:
        codes = [
            (await client.post("/api/v1/identity/auth/login", json={"email": "x", "password": "y"})).status_code
            for _ in range(4)
        ]
        limited = await client.post("/api/v1/identity/auth/login", json={"email": "x", "password": "y"})
        other = await client.get("/api/v1/orders/echo/still-fine")
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert other.status_code == 200


async def test_a_limited_browser_gets_a_page_saying_how_long_to_wait(gateway):
    """Sign-in by form beyond the limit: a page in plain German (lang, title), not problem+json."""
    async with _client(gateway, f"198.51.100.{uuid.uuid4().int % 250}") as client:
        csrf = await _csrf(client)
        form = {"csrf_token": csrf, "login": "a@example.org", "password": "falsch"}
        codes = [(await client.post("/anmelden", data=form)).status_code for _ in range(3)]
        limited = await client.post("/anmelden", data=form)
    assert 429 not in codes
    assert limited.status_code == 429 and limited.headers["content-type"].startswith("text/html")
    assert '<html lang="de"' in limited.text and "<title>Zu viele Versuche" in limited.text
    seconds = int(limited.headers["Retry-After"])
    assert 1 <= seconds <= 60 and f"warten Sie {seconds} Sekunden" in limited.text
    assert limited.headers["X-Frame-Options"] == "DENY"


async def test_general_rate_limit(stack, token_issuer, upstream):
    await migrate("gateway", database_url("gateway"))
    _, url = upstream
    settings = Settings(orders_url=url, cookie_secure=False, trust_forwarded_for=True, rate_per_minute=60, rate_burst=5)
    async with serve(create_gateway_app(settings)) as gateway_url:
        async with _client(gateway_url) as client:
            codes = [(await client.get("/api/v1/orders/echo/x")).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


async def test_sse_relay_streams_events_and_passes_last_event_id(gateway):
    async with _signed_in(gateway) as (client, _):
        started = time.monotonic()
        async with client.stream("GET", "/events", headers={"Last-Event-ID": "41"}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.aiter_lines()
            first = [await anext(lines) for _ in range(3)]
            first_after = time.monotonic() - started
    assert first[0] == "id: 42"
    assert json.loads(first[2].removeprefix("data: ")) == {"n": 42, "auth": True}
    assert first_after < 0.3  # relayed as it comes, not buffered until the stream ends


async def test_sse_needs_a_session(gateway):
    async with _client(gateway) as client:
        response = await client.get("/events")
    assert response.status_code == 401


async def test_expiring_access_token_is_refreshed(gateway, upstream):
    app, _ = upstream
    app.state.issued_at = time.time() - 890  # the token expires in ten seconds
    try:
        async with _signed_in(gateway) as (client, _):
            app.state.issued_at = None
            response = await client.get("/api/v1/orders/echo/after-refresh")
    finally:
        app.state.issued_at = None
    assert "refresh:r1" in app.state.calls
    assert response.status_code == 200


async def test_health(gateway):
    async with _client(gateway) as client:
        assert (await client.get("/health/live")).json() == {"status": "live"}
        assert (await client.get("/health/ready")).status_code == 200


async def test_pages_carry_security_headers(gateway):
    async with _client(gateway) as client:
        page = await client.get("/")
        api = await client.get("/api/v1/orders/echo/x")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in api.headers


async def test_the_sensitive_limit_counts_per_login_name_not_per_address(gateway):
    """Regression: many people behind one address (a care home) shared one bucket of sign-ins."""
    async with _client(gateway, f"192.0.2.{uuid.uuid4().int % 250}") as client:
        others = [
            (await client.post("/api/v1/identity/auth/login", json={"login": f"p{n}@example.org", "password": "y"}))
            for n in range(6)
        ]
        same = [
            (await client.post("/api/v1/identity/auth/login", json={"login": "P0@Example.org ", "password": "y"}))
            for _ in range(3)
        ]
    assert [r.status_code for r in others] == [401] * 6
    assert [r.status_code for r in same][-1] == 429  # p0 had one try; the limit is 3


async def test_set_password_confirmations_count_per_token(gateway):
    async with _client(gateway, f"192.0.2.{uuid.uuid4().int % 250}") as client:
        codes = [
            (
                await client.post(
                    "/api/v1/identity/echo/auth/password-reset/confirm",
                    json={"token": uuid.uuid4().hex, "password": "ein-langes-passwort"},
                )
            ).status_code
            for _ in range(6)
        ]
    assert codes == [201] * 6


async def test_refreshes_of_valid_tokens_are_not_limited_refused_ones_are(gateway, upstream):
    app, _ = upstream
    async with _client(gateway, f"192.0.2.{uuid.uuid4().int % 250}") as client:
        valid = [
            (await client.post("/api/v1/identity/auth/refresh", json={"refresh_token": "gültig"})).status_code
            for _ in range(6)
        ]
        refused = [
            (await client.post("/api/v1/identity/auth/refresh", json={"refresh_token": "abgelaufen"})).status_code
            for _ in range(5)
        ]
    assert valid == [200] * 6
    assert refused[:3] == [401] * 3 and refused[3:] == [429, 429]


async def test_the_gateways_own_problems_are_german_or_english_on_request(gateway):
    async with _client(gateway) as client:
        german = await client.get("/events")
        english = await client.get("/events", headers={"Accept-Language": "en"})
        limited_service = await client.get("/api/v1/nowhere/x")
    assert german.status_code == 401 and german.json()["title"] == "Anmeldung nötig"
    assert german.json()["detail"] == "Bitte melden Sie sich an."
    assert english.json()["title"] == "Sign-in required" and english.json()["detail"] == "Please sign in."
    assert limited_service.status_code == 404 and limited_service.json()["title"] == "Nicht gefunden"
