"""A service app built by the kit, served on loopback with its lifespan on the real stack."""

from typing import Annotated, Literal

import httpx
import pytest
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import text

from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.consent import ConsentForm, consent
from teilhabe_kit.eventstore import ConcurrencyConflict
from teilhabe_kit.problems import NotFound
from teilhabe_kit.service import create_service_app
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.testing import bearer, serve

router = APIRouter(prefix="/api/v1/kit-test")


class Signup(BaseModel):
    email: EmailStr
    introduction: str = Field(max_length=20)


@router.post("/signups")
async def signup(body: Signup) -> dict:
    return {"ok": True}


class Agreement(ConsentForm):
    privacy: Annotated[bool, consent("der Datenschutzerklärung", "the privacy policy")]
    terms: Annotated[bool, consent("den Nutzungsbedingungen", "the terms of use")]


class Joining(BaseModel):
    name: str = Field(min_length=2)
    adult: Literal[True]
    consents: Agreement


@router.post("/joinings")
async def join(body: Joining) -> dict:
    return {"ok": True}


@router.get("/things/{thing_id}")
async def thing(thing_id: str) -> dict:
    if thing_id == "conflict":
        raise ConcurrencyConflict("thing", thing_id, 1, 2)
    raise NotFound(f"There is no thing {thing_id}.")


@router.get("/admin-only")
async def admin_only(principal: Principal = Depends(require_roles(Role.ADMIN))) -> dict:
    return {"account": principal.account_id}


@router.get("/echo")
async def echo(request: Request, q: str = "", offset: int = 0) -> dict:
    async with request.app.state.engine.connect() as conn:
        await conn.execute(text("SELECT CAST(:q AS text) OFFSET CAST(:offset AS bigint)"), {"q": q, "offset": offset})
    return {"q": q}


@router.get("/boom")
async def boom() -> dict:
    raise RuntimeError("secret internals")


@pytest.fixture(scope="module")
async def client(kit_database_url, token_issuer):
    settings = ServiceSettings(
        service_name="kit_test",
        database_url=kit_database_url,
        run_relay=False,
        run_consumers=False,
    )
    app = create_service_app(settings, title="kit test", routers=[router])
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def test_health_live_and_ready(client):
    assert (await client.get("/health/live")).json() == {"status": "live"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "up", "kafka": "up", "revocations": "up"}
    assert ready.headers["X-Request-ID"]


async def test_invalid_input_is_a_422_problem_naming_the_fields(client):
    response = await client.post("/api/v1/kit-test/signups", json={"email": "no-mail", "introduction": "x" * 21})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["title"]
    assert {e["field"] for e in body["errors"]} == {"email", "introduction"}


async def test_domain_problems_and_conflicts_map_to_status_codes(client):
    missing = await client.get("/api/v1/kit-test/things/42")
    assert missing.status_code == 404 and missing.json()["detail"] == "There is no thing 42."
    assert (await client.get("/api/v1/kit-test/things/conflict")).status_code == 409
    unknown = await client.get("/api/v1/kit-test/nowhere")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"offset": 10**23}])
async def test_values_the_database_cannot_store_are_a_422_problem(client, params):
    """Regression (fuzzing): a NUL character or a too large number reached PostgreSQL and was a 500."""
    response = await client.get("/api/v1/kit-test/echo", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_unexpected_errors_do_not_leak_internals(client):
    response = await client.get("/api/v1/kit-test/boom")
    assert response.status_code == 500 and "secret" not in response.text


async def test_roles_are_checked(client, token_issuer):
    url = "/api/v1/kit-test/admin-only"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers={"Authorization": "Bearer forged.token.value"})).status_code == 401
    seeker = bearer(token_issuer, "acc-1", Role.SEEKER)
    assert (await client.get(url, headers=seeker)).status_code == 403
    admin = bearer(token_issuer, "acc-2", Role.ADMIN)
    assert (await client.get(url, headers=admin)).json() == {"account": "acc-2"}


async def test_expired_tokens_are_refused(client, token_issuer):
    expired = token_issuer.issue(Principal("acc-3", frozenset({"admin"})), now=1_000_000)
    response = await client.get("/api/v1/kit-test/admin-only", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "abgelaufen" in response.json()["detail"]
    english = await client.get(
        "/api/v1/kit-test/admin-only", headers={"Authorization": f"Bearer {expired}", "Accept-Language": "en"}
    )
    assert "expired" in english.json()["detail"]


async def test_every_problem_is_german_and_english_on_request(client, token_issuer):
    """Regression: framework and kit texts came out in English ("Field required", "Input should be
    True", "Please sign in.", "You may not do this with your role.") beside German domain texts."""
    url = "/api/v1/kit-test/joinings"
    body = {"adult": False, "consents": {"privacy": True}}
    german = (await client.post(url, json=body)).json()
    english = (await client.post(url, json=body, headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})).json()
    assert german["title"] == "Ungültige Eingabe" and english["title"] == "Invalid input"
    messages = {e["field"]: e["message"] for e in german["errors"]}
    assert messages == {
        "name": "Diese Angabe fehlt.",
        "adult": "Bitte wählen Sie: True.",
        "consents.terms": "Bitte stimmen Sie den Nutzungsbedingungen zu.",
    }
    assert german["detail"].startswith("Bitte prüfen Sie: name: Diese Angabe fehlt.")
    assert {e["field"]: e["message"] for e in english["errors"]}[
        "consents.terms"
    ] == "Please agree to the terms of use."
    short = (await client.post(url, json={"name": "x", "adult": True, "consents": {}})).json()
    assert {e["field"]: e["message"] for e in short["errors"]} == {
        "name": "Bitte geben Sie mindestens 2 Zeichen ein.",
        "consents.privacy": "Bitte stimmen Sie der Datenschutzerklärung zu.",
        "consents.terms": "Bitte stimmen Sie den Nutzungsbedingungen zu.",
    }

    anonymous = (await client.get("/api/v1/kit-test/admin-only")).json()
    assert anonymous["title"] == "Anmeldung nötig" and anonymous["detail"] == "Bitte melden Sie sich an."
    seeker = bearer(token_issuer, "acc-4", Role.SEEKER)
    refused = (await client.get("/api/v1/kit-test/admin-only", headers=seeker)).json()
    assert refused["title"] == "Nicht erlaubt" and refused["detail"] == "Das dürfen Sie mit Ihrer Rolle nicht."
    refused_en = (await client.get("/api/v1/kit-test/admin-only", headers=seeker | {"Accept-Language": "en"})).json()
    assert refused_en["title"] == "Forbidden" and refused_en["detail"] == "You may not do this with your role."
    nowhere = (await client.get("/api/v1/kit-test/nowhere")).json()
    assert nowhere["title"] == "Nicht gefunden" and nowhere["detail"] == "Diese Adresse gibt es nicht."
    crash = (await client.get("/api/v1/kit-test/boom")).json()
    assert crash["title"] == "Interner Fehler" and crash["detail"] == "Bei uns ist etwas schiefgegangen."


async def test_metrics_on_their_own_port_are_not_on_the_api_port(kit_database_url):
    """Issue 21 (2): /metrics beside the API was reachable wherever the API was (through the gateway)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = ServiceSettings(
        service_name="kit_test",
        database_url=kit_database_url,
        run_relay=False,
        run_consumers=False,
        metrics_port=port,
        metrics_host="127.0.0.1",
    )
    async with serve(create_service_app(settings, title="kit test", routers=[router])) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            await http.get(f"{url}/api/v1/kit-test/things/x")
            on_api = await http.get(f"{url}/metrics")
            on_own = await http.get(f"http://127.0.0.1:{port}/metrics")
            elsewhere = await http.get(f"http://127.0.0.1:{port}/health/ready")
    assert on_api.status_code == 404
    assert on_own.status_code == 200 and 'route="/api/v1/kit-test/things/{thing_id}"' in on_own.text
    assert elsewhere.status_code == 404
    with pytest.raises(httpx.ConnectError):  # closed with the app
        async with httpx.AsyncClient(timeout=2) as http:
            await http.get(f"http://127.0.0.1:{port}/metrics")
