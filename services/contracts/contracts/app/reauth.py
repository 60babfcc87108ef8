"""Re-authentication before an in-app signature: the signer confirms with their current password.

Identity owns credentials, so contracts asks identity: ``POST <reauth_url>`` with the signer's own
bearer token and ``{"password": ...}``; a 2xx answer confirms, 401/403/422 refuse. The password
is never stored or logged here. If identity is unreachable the signature fails with 503 and the
signer can upload a signed scan instead.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from teilhabe_kit.problems import Problem, Unprocessable


class Reauthenticator(Protocol):
    async def confirm(self, authorization: str, password: str) -> None:
        """Return when the password is the caller's current one; raise a problem otherwise."""


class IdentityReauthenticator:
    def __init__(self, url: str, timeout_seconds: float = 5.0) -> None:
        self._url = url
        self._timeout = timeout_seconds

    async def confirm(self, authorization: str, password: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(
                    self._url, json={"password": password}, headers={"Authorization": authorization}
                )
        except httpx.HTTPError:
            raise Problem("Die Anmeldung kann gerade nicht geprüft werden. Bitte später erneut versuchen "
                          "oder einen unterschriebenen Scan hochladen.", status=503, title="Service unavailable") from None
        if response.status_code in (401, 403, 422):
            raise Unprocessable("Das Passwort stimmt nicht.", field="password")
        if not response.is_success:
            raise Problem("Die Anmeldung kann gerade nicht geprüft werden.", status=503, title="Service unavailable")
