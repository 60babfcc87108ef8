"""Issue 21, finding 3: neither sign-up nor sign-in tells whether an address has an account."""

from __future__ import annotations

import uuid

import httpx
from security_support import API, address, csrf_of, seeker_body


def _shape(response: httpx.Response) -> tuple:
    return response.status_code, response.text, sorted(set(response.headers) - {"date", "x-request-id"})


async def test_sign_up_answers_alike_for_a_new_and_a_known_address(security_platform):
    """Was: a known address answered 409 "Diese E-Mail-Adresse ist schon für ein Konto eingetragen"."""
    body = seeker_body()
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=30) as client:
        new = await client.post(f"{API}/identity/registrations/seekers", json=body, headers=address())
        known = await client.post(
            f"{API}/identity/registrations/seekers", json=seeker_body(email=body["email"]), headers=address()
        )
    assert new.status_code == 202
    assert _shape(new) == _shape(known)
    assert "Nachricht" in new.json()["detail"]


async def test_the_web_sign_up_ends_alike_for_a_new_and_a_known_address(security_platform):
    """The gateway's sign-up pages end on the same page (was: an error "schon eingetragen")."""
    from gateway.web.registration import SEEKER_STEPS

    email = f"web-{uuid.uuid4().hex[:8]}@beispiel.de"
    data = {
        "name": "Erika Mustermann",
        "email": email,
        "postcode": "37154",
        "introduction": "Ich suche Begleitung.",
        "needs": "accompany_appointments",
        "times_from_0": "09:00",
        "times_to_0": "12:00",
        "password": "Blauer-Himmel-über-Northeim-7",
        "password_repeat": "Blauer-Himmel-über-Northeim-7",
        **{f"consent_{c}": "on" for c in ("privacy", "withdrawal", "terms", "data_processing")},
    }
    endings = []
    for _ in range(2):
        async with httpx.AsyncClient(base_url=security_platform.gateway, headers=address(), timeout=30) as browser:
            first = await browser.get(f"/registrieren/{SEEKER_STEPS[0].slug}")
            answers = []
            for step in SEEKER_STEPS:
                response = await browser.post(
                    f"/registrieren/{step.slug}", data=data | {"csrf_token": csrf_of(first.text)}
                )
                answers.append((response.status_code, response.headers.get("location")))
            endings.append(answers)
    assert endings[0] == endings[1]
    assert endings[0][-1] == (303, "/registrieren/fertig")


async def test_the_sign_in_lockout_comes_alike_for_known_and_unknown_addresses(security_platform):
    """Was: only known accounts were locked (429) after five failures."""
    known = seeker_body()
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=30) as client:
        signed_up = await client.post(f"{API}/identity/registrations/seekers", json=known, headers=address())
        assert signed_up.status_code == 202
        outcomes = []
        for login in (known["email"], f"niemand-{uuid.uuid4().hex[:8]}@beispiel.de"):
            here = address()
            tries = [
                await client.post(
                    f"{API}/identity/auth/login", json={"login": login, "password": "falsch"}, headers=here
                )
                for _ in range(6)
            ]
            outcomes.append([(r.status_code, r.json()["detail"]) for r in tries])
    assert outcomes[0] == outcomes[1]
    assert [status for status, _ in outcomes[0]] == [401] * 5 + [429]
