"""Identity's API as counseling uses it: opening a client's account with the caller's own token
(identity checks the caller again), and the pseudonym or contact of a client with counseling's
service credential (``COUNSELING_IDENTITY_CREDENTIAL``, one of ``IDENTITY_SERVICE_CREDENTIALS``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from teilhabe_kit.problems import Problem


class IdentityUnavailable(ConnectionError):
    """Identity could not answer now: the consumer retries the event, an API call answers 503."""


def refused(status: int, body: dict[str, Any]) -> Problem:
    """Identity's refusal passed on to the caller (its status, German detail and field)."""
    errors = body.get("errors") or []
    return Problem(
        body.get("detail") or "Die Anfrage wurde abgelehnt.",
        field=errors[0]["field"] if errors else None,
        status=status,
        title=body.get("title"),
    )


@dataclass(frozen=True)
class Account:
    id: str
    role: str
    organisation_id: str | None
    name: str | None
    email: str | None
    phone: str | None


class IdentityClient:
    def __init__(self, base_url: str, credential: str, *, timeout: float = 10.0) -> None:
        self._client = httpx.AsyncClient(base_url=base_url.rstrip("/") + "/api/v1/identity", timeout=timeout)
        self._credential = credential

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise IdentityUnavailable(f"identity unreachable: {type(error).__name__}") from error

    async def open_client(self, authorization: str, centre_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Identity opens the account (as the calling counselor); account id and the initial password."""
        response = await self._send(
            "POST", f"/centres/{centre_id}/clients", json=body, headers={"Authorization": authorization}
        )
        if response.status_code >= 500:
            raise IdentityUnavailable(f"identity answered {response.status_code}")
        if response.status_code != 201:
            raise refused(response.status_code, response.json())
        return response.json()

    async def account(self, account_id: str) -> Account | None:
        """Role, centre, pseudonym and contact of an account (None when identity does not know it)."""
        response = await self._send(
            "GET", f"/internal/accounts/{account_id}", headers={"X-Service-Credential": self._credential}
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise IdentityUnavailable(f"identity answered {response.status_code}")
        body = response.json()
        return Account(
            id=body["id"],
            role=body["role"],
            organisation_id=body.get("organisation_id"),
            name=body.get("name"),
            email=body.get("email"),
            phone=body.get("phone"),
        )

    async def close(self) -> None:
        await self._client.aclose()
