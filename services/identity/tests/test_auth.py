"""Sign-in on the real stack: refresh rotation and reuse, logout, throttling, password reset."""

import uuid
from types import SimpleNamespace

import jwt
from identity_support import (
    API,
    PASSWORD,
    SERVICE_SECRET,
    active_seeker,
    admin,
    create_provider,
    login,
    published,
    unique_address,
)
from sqlalchemy import func, select

from identity.api.deps import client_address
from identity.readmodels.tables import password_resets
from identity.settings import Settings


def bearer_of(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_refresh_rotates_and_reusing_a_rotated_token_revokes_the_family(client, identity_issuer):
    _, body, _ = await active_seeker(client, identity_issuer)
    first = (await login(client, body["email"])).json()
    second = await client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json()["refresh_token"] != first["refresh_token"]
    third = await client.post(f"{API}/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert third.status_code == 200
    reused = await client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    # the thief's replay ended the whole family: the newest token is dead as well
    newest = await client.post(f"{API}/auth/refresh", json={"refresh_token": third.json()["refresh_token"]})
    assert newest.status_code == 401
    forged = await client.post(f"{API}/auth/refresh", json={"refresh_token": third.json()["refresh_token"][:-2] + "xx"})
    assert forged.status_code == 401


async def test_logout_ends_the_refresh_token(client, identity_issuer):
    _, body, _ = await active_seeker(client, identity_issuer)
    tokens = (await login(client, body["email"])).json()
    assert (await client.post(f"{API}/auth/logout", json={"refresh_token": tokens["refresh_token"]})).status_code == 204
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401


async def test_wrong_passwords_are_throttled_per_account(client, identity_issuer):
    _, body, _ = await active_seeker(client, identity_issuer)
    for _ in range(5):
        wrong = await login(client, body["email"], "falsches-Passwort-123")
        assert wrong.status_code == 401 and wrong.json()["detail"].startswith("E-Mail-Adresse")
    throttled = await login(client, body["email"])  # even the right password waits now
    assert throttled.status_code == 429 and "warten" in throttled.json()["detail"]


async def test_wrong_passwords_are_throttled_per_address(client):
    address = unique_address()
    for _ in range(20):
        response = await client.post(
            f"{API}/auth/login", json={"login": f"{uuid.uuid4().hex}@beispiel.de", "password": "x"}, headers=address
        )
        assert response.status_code == 401
    blocked = await client.post(
        f"{API}/auth/login", json={"login": "someone@beispiel.de", "password": "x"}, headers=address
    )
    assert blocked.status_code == 429


async def test_locked_and_deleted_accounts_cannot_sign_in_or_refresh(client, identity_issuer):
    account_id, body, _ = await active_seeker(client, identity_issuer)
    tokens = (await login(client, body["email"])).json()
    headers = admin(identity_issuer)
    assert (
        await client.post(f"{API}/accounts/{account_id}/lock", json={"reason": "Missbrauch gemeldet"}, headers=headers)
    ).status_code == 200
    locked = await login(client, body["email"])
    assert locked.status_code == 403 and "gesperrt" in locked.json()["detail"]
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401
    assert (await client.post(f"{API}/accounts/{account_id}/unlock", headers=headers)).status_code == 200
    assert (await login(client, body["email"])).status_code == 200
    assert (await client.post(f"{API}/accounts/{account_id}/deletion", headers=headers)).status_code == 200
    assert (await login(client, body["email"])).status_code == 403  # says why: marked for deletion
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401


async def test_password_reset_by_one_time_link_fetched_by_messaging(client, identity_issuer, engine, kafka_bootstrap):
    account_id, body, _ = await active_seeker(client, identity_issuer)
    unknown = await client.post(f"{API}/auth/password-reset", json={"login": "niemand@beispiel.de"})
    asked = await client.post(f"{API}/auth/password-reset", json={"login": body["email"]})
    assert unknown.status_code == asked.status_code == 202 and unknown.json() == asked.json()

    events = await published(kafka_bootstrap, account_id, until={"PasswordResetRequested"})
    [requested] = [e for e in events if e.event_type == "PasswordResetRequested"]
    request_id = requested.payload["request_id"]
    assert requested.payload == {"request_id": request_id}  # no token, no contact in the event

    url = f"{API}/internal/password-resets/{request_id}/delivery"
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers={"X-Service-Credential": "wrong"})).status_code == 401
    delivery = await client.post(url, headers={"X-Service-Credential": SERVICE_SECRET})
    assert delivery.status_code == 200, delivery.text
    link = delivery.json()
    assert link["email"] == body["email"] and link["link"].endswith(link["token"])
    assert (await client.post(url, headers={"X-Service-Credential": SERVICE_SECRET})).status_code == 409  # once only
    async with engine.connect() as conn:
        stored = (
            await conn.execute(select(password_resets.c.token_hash).where(password_resets.c.request_id == request_id))
        ).scalar()
    assert stored and link["token"].split(".")[1] not in stored  # only the hash is kept

    weak = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": link["token"], "password": "passwort123"}
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "password"
    new_password = "Sonnenblumen-im-Garten-42"
    assert (
        await client.post(f"{API}/auth/password-reset/confirm", json={"token": link["token"], "password": new_password})
    ).status_code == 204
    again = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": link["token"], "password": new_password + "x"}
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "token"
    assert (await login(client, body["email"])).status_code == 401
    assert (await login(client, body["email"], new_password)).status_code == 200


async def test_change_own_password(client, identity_issuer):
    _, body, headers = await active_seeker(client, identity_issuer)
    wrong = await client.post(
        f"{API}/auth/password",
        json={"current_password": "nope", "new_password": "Noch-ein-gutes-Passwort-9"},
        headers=headers,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    ok = await client.post(
        f"{API}/auth/password",
        json={"current_password": PASSWORD, "new_password": "Noch-ein-gutes-Passwort-9"},
        headers=headers,
    )
    assert ok.status_code == 204
    assert (await login(client, body["email"], "Noch-ein-gutes-Passwort-9")).status_code == 200


async def test_staff_are_invited_and_coordinators_carry_their_organisation_in_the_token(
    client, identity_issuer, kafka_bootstrap
):
    provider = await create_provider(client, identity_issuer)
    email = f"koordination-{uuid.uuid4().hex[:8]}@beispiel.de"
    created = await client.post(
        f"{API}/staff",
        json={"role": "coordinator", "name": "Kora Koordinatorin", "email": email, "organisation_id": provider},
        headers=admin(identity_issuer),
    )
    assert created.status_code == 201, created.text
    account_id = created.json()["account_id"]
    events = await published(kafka_bootstrap, account_id, until={"PasswordResetRequested", "MembershipApproved"})
    request_id = next(e.payload["request_id"] for e in events if e.event_type == "PasswordResetRequested")
    link = (
        await client.post(f"{API}/internal/password-resets/{request_id}/delivery", headers=admin(identity_issuer))
    ).json()
    await client.post(f"{API}/auth/password-reset/confirm", json={"token": link["token"], "password": PASSWORD})
    tokens = (await login(client, email)).json()
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["coordinator"] and claims["org"] == provider and claims["sub"] == account_id


def test_only_trusted_proxies_may_name_the_client_address():
    config = Settings(trusted_proxies="127.0.0.1,10.0.0.0/8")

    def request(host: str):
        return SimpleNamespace(
            client=SimpleNamespace(host=host), headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
        )

    assert client_address(request("10.1.2.3"), config) == "198.51.100.7"
    assert client_address(request("127.0.0.1"), config) == "198.51.100.7"
    assert client_address(request("192.0.2.1"), config) == "192.0.2.1"


async def test_reset_requests_are_limited_so_nobody_floods_an_inbox(client, identity_issuer, engine):
    account_id, body, _ = await active_seeker(client, identity_issuer)
    for _ in range(5):
        assert (await client.post(f"{API}/auth/password-reset", json={"login": body["email"]})).status_code == 202
    async with engine.connect() as conn:
        count = await conn.scalar(
            select(func.count()).select_from(password_resets).where(password_resets.c.account_id == account_id)
        )
    assert count == 3


async def test_null_characters_are_a_422_problem_not_a_500(client, identity_issuer):
    """Regression (API fuzzing): a NUL character in a token, login or search reached PostgreSQL as a 500."""
    answers = [
        await client.post(f"{API}/auth/refresh", json={"refresh_token": "a\u0000b"}),
        await client.post(f"{API}/auth/logout", json={"refresh_token": "a\u0000b"}),
        await client.post(f"{API}/auth/password-reset", json={"login": "a\u0000b@example.org"}),
        await client.get(f"{API}/accounts", params={"q": "a\u0000b"}, headers=admin(identity_issuer)),
    ]
    assert [a.status_code for a in answers] == [422] * 4, [a.text for a in answers]
    assert {a.headers["content-type"] for a in answers} == {"application/problem+json"}


async def test_unknown_and_known_logins_are_locked_out_alike(client, identity_issuer):
    """Issue 21 (3): only known accounts were locked after five failures, so the lockout told
    which addresses have an account."""
    _, body, _ = await active_seeker(client, identity_issuer)
    answers = {}
    for name in (body["email"], f"niemand-{uuid.uuid4().hex[:8]}@beispiel.de"):
        address = unique_address()
        tries = [
            await client.post(f"{API}/auth/login", json={"login": name, "password": "falsch-1234567"}, headers=address)
            for _ in range(6)
        ]
        answers[name] = [(r.status_code, r.json()["detail"]) for r in tries]
    known, unknown = answers.values()
    assert known == unknown
    assert [status for status, _ in known] == [401] * 5 + [429]
