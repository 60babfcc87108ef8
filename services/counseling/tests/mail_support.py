"""Helpers of the mail counseling tests: a centre whose counselors have profiles, client tokens."""

from __future__ import annotations

import httpx
from counseling_support import Centre, open_client

from teilhabe_kit.auth import TokenIssuer
from teilhabe_kit.testing import bearer


async def with_profiles(api: httpx.AsyncClient, centre: Centre, *headers: dict[str, str]) -> None:
    """Counselors with a profile belong to the centre's team (availability and fallback need that)."""
    for h in headers or (centre.counselor, centre.colleague):
        profile = {"display_name": "Beratung", "internal": {"first_name": "Anna", "last_name": "Beispiel"}}
        response = await api.put(f"/centres/{centre.id}/counselors/me", json=profile, headers=h)
        assert response.status_code == 204, response.text


async def new_client(api: httpx.AsyncClient, centre: Centre, issuer: TokenIssuer) -> tuple[str, dict[str, str]]:
    """A client of the centre and their token."""
    client_id = (await open_client(api, centre, headers=centre.admin))["client_id"]
    return client_id, bearer(issuer, client_id, "client", organisation_id=centre.id)


async def mail_settings(api: httpx.AsyncClient, centre: Centre, **settings) -> None:
    response = await api.put(f"/centres/{centre.id}/mail-settings", json=settings, headers=centre.admin)
    assert response.status_code == 204, response.text


async def send(api: httpx.AsyncClient, centre: Centre, client: dict[str, str], subject: str, text: str) -> str:
    response = await api.post(
        f"/centres/{centre.id}/mail-threads", json={"subject": subject, "text": text}, headers=client
    )
    assert response.status_code == 201, response.text
    return response.json()["thread_id"]
