"""Re-authentication before an in-app signature: the signer confirms with their current password.

Identity owns credentials, so contracts asks identity with the endpoints it has:
1. the signer's login (e-mail or phone) from ``GET /api/v1/identity/internal/accounts/{id}/contact``
   with contracts' service credential (``X-Service-Credential``),
2. ``POST /api/v1/identity/auth/login`` with that login and the password: it must sign in as the
   very account that signs (identity's throttling applies),
3. ``POST /api/v1/identity/auth/logout`` with the refresh token, so no session is left open.
The password is never stored or logged here. When identity is unreachable or contracts has no
valid credential the signature fails with 503; signing by uploaded scan still works.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

import httpx

from teilhabe_kit.problems import Problem, Unprocessable

WRONG_PASSWORD = "Das Passwort stimmt nicht."


class Reauthenticator(Protocol):
    async def confirm(self, account_id: str, password: str) -> None:
        """Return when `password` is the current one of `account_id`; raise a problem otherwise."""


def _unavailable() -> Problem:
    return Problem(
        "Das Passwort kann gerade nicht geprüft werden. Bitte später erneut versuchen "
        "oder einen unterschriebenen Scan hochladen.",
        status=503,
        title="Service unavailable",
    )


class IdentityReauthenticator:
    def __init__(self, identity_url: str, credential: str, timeout_seconds: float = 5.0) -> None:
        self._base = identity_url.rstrip("/") + "/api/v1/identity"
        self._credential = credential
        self._timeout = timeout_seconds

    async def confirm(self, account_id: str, password: str) -> None:
        if not self._credential:
            raise _unavailable()
        try:
            async with httpx.AsyncClient(base_url=self._base, timeout=self._timeout) as client:
                contact = await client.get(
                    f"/internal/accounts/{account_id}/contact", headers={"X-Service-Credential": self._credential}
                )
                if contact.status_code == 404:
                    raise Unprocessable(WRONG_PASSWORD, field="password")
                if not contact.is_success:
                    raise _unavailable()
                login = contact.json().get("email") or contact.json().get("phone")
                if not login:
                    raise Unprocessable(WRONG_PASSWORD, field="password")
                signed_in = await client.post("/auth/login", json={"login": login, "password": password})
                if signed_in.status_code == 429:
                    raise Problem(
                        signed_in.json().get("detail", "Zu viele Versuche."), status=429, title="Too many requests"
                    )
                if signed_in.status_code in (401, 403, 422):
                    raise Unprocessable(WRONG_PASSWORD, field="password")
                if not signed_in.is_success:
                    raise _unavailable()
                tokens = signed_in.json()
                with contextlib.suppress(httpx.HTTPError):  # the check is done; closing is courtesy
                    await client.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]})
        except httpx.HTTPError:
            raise _unavailable() from None
        if tokens.get("account_id") != account_id:
            raise Unprocessable(WRONG_PASSWORD, field="password")
