"""Probes that already held when issue 21 was filed, kept so none regresses: forged token
algorithms, escaping in rendered pages, CSRF on web forms, open redirects after sign-in, and a
sample of the IDOR matrix (one person's things asked for by another)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import date, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from security_support import (
    API,
    Person,
    active_seeker,
    address,
    bearer,
    csrf_of,
    enrollment,
    signed_in_browser,
)


@pytest.fixture(scope="module")
async def seeker(security_platform) -> Person:
    return await active_seeker(security_platform.gateway)


XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forged(token: str, alg: str, key: bytes = b"") -> str:
    """`token`'s claims (made an admin's) signed with `alg` instead of identity's RS256 key."""
    claims = jwt.decode(token, options={"verify_signature": False}) | {"roles": ["admin"]}
    head = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." + _b64(json.dumps(claims).encode())
    if alg == "none":
        return head + "."
    return head + "." + _b64(hmac.new(key, head.encode(), hashlib.sha256).digest())


async def test_forged_token_algorithms_are_refused_by_gateway_and_services(security_platform, seeker):
    real = seeker.headers["Authorization"].removeprefix("Bearer ")
    urls = security_platform.urls
    async with httpx.AsyncClient(timeout=15) as client:
        jwks = (await client.get(f"{urls['identity']}{API}/identity/.well-known/jwks.json")).json()
        public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwks["keys"][0]))
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        forgeries = [_forged(real, "none"), _forged(real, "HS256", pem), _forged(real, "HS256", b"")]
        targets = [
            (urls["gateway"], f"{API}/orders/orders"),
            (urls["orders"], f"{API}/orders/orders"),
            (urls["identity"], f"{API}/identity/accounts/{seeker.account_id}"),
        ]
        for base, path in targets:
            assert (await client.get(base + path, headers=seeker.headers)).status_code == 200, base
            for forged in forgeries:
                refused = await client.get(base + path, headers={"Authorization": f"Bearer {forged}"} | address())
                assert refused.status_code == 401, (base, forged[:30], refused.text)


def _order(description: str) -> dict:
    return {
        "schedule": {
            "kind": "one_time",
            "date": (date.today() + timedelta(days=10)).isoformat(),
            "start": "09:00",
            "end": "11:30",
        },
        "activities": ["shopping"],
        "postcode": "30159",
        "max_distance_km": 15,
        "description": description,
    }


async def test_what_people_write_is_escaped_in_rendered_pages(security_platform, seeker):
    person = seeker
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=15) as client:
        created = await client.post(f"{API}/orders/orders", json=_order(XSS), headers=person.headers)
        assert created.status_code == 201, created.text
    async with signed_in_browser(security_platform.gateway, person.email) as browser:
        page = await browser.get(f"/auftraege/{created.json()['order_id']}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("token", [None, "", "falsch", "x" * 43])
async def test_web_forms_refuse_a_missing_or_foreign_csrf_token(security_platform, seeker, token):
    person = seeker
    async with signed_in_browser(security_platform.gateway, person.email) as browser:
        data = {"font": "large"} | ({"csrf_token": token} if token is not None else {})
        forged = await browser.post("/einstellungen", data=data, headers={"Origin": "https://evil.example"})
        logout = await browser.post("/abmelden", data={k: v for k, v in data.items() if k == "csrf_token"})
        still = await browser.get("/einstellungen")
    assert forged.status_code == 403 and logout.status_code == 403
    assert still.status_code == 200 and 'value="large" checked' not in still.text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
async def test_sign_in_never_redirects_off_site(security_platform, seeker, target):
    """``next=`` after sign-in stays on this site (``/\\evil.example`` is ``//evil.example`` to a browser;
    that one was open when issue 21's probes ran)."""
    person = seeker
    async with httpx.AsyncClient(base_url=security_platform.gateway, headers=address(), timeout=15) as browser:
        form = await browser.get("/anmelden", params={"next": target})
        assert "evil.example" not in form.text and "javascript:" not in form.text
        answer = await browser.post(
            "/anmelden",
            data={
                "csrf_token": csrf_of(form.text),
                "login": person.email,
                "password": "Blauer-Himmel-über-Northeim-7",
                "next": target,
            },
        )
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "evil" not in location


async def test_one_persons_things_are_refused_to_another(security_platform, seeker):
    """A sample of the IDOR matrix: the owner reads (200), another person of the same role does not."""
    gateway = security_platform.gateway
    owner, other = seeker, await active_seeker(gateway)
    enrollment_id, guardian, _ = await enrollment(gateway)
    stranger = bearer(str(uuid.uuid4()), "guardian", acting_for=[str(uuid.uuid4())]) | address()
    async with httpx.AsyncClient(base_url=gateway, timeout=15) as client:
        order = (await client.post(f"{API}/orders/orders", json=_order("Einkauf"), headers=owner.headers)).json()
        probes = [
            (f"{API}/orders/orders/{order['order_id']}", owner.headers, other.headers),
            (f"{API}/orders/orders?seeker_id={owner.account_id}", owner.headers, other.headers),
            (f"{API}/identity/accounts/{owner.account_id}", owner.headers, other.headers),
            (f"{API}/contracts/enrollments/{enrollment_id}", guardian, stranger),
            (f"{API}/contracts/enrollments/{enrollment_id}/registration.pdf", guardian, stranger),
        ]
        for path, own, foreign in probes:
            assert (await client.get(path, headers=own)).status_code == 200, path
            refused = await client.get(path, headers=foreign)
            assert refused.status_code in (403, 404), (path, refused.status_code)
            assert refused.headers["content-type"] == "application/problem+json", path
            assert (await client.get(path, headers=address())).status_code == 401, path
