"""Contacts and reset links come from identity's HTTP API, never from Kafka.

`IdentityDirectory` calls identity's internal API with the service credential; `StaticDirectory`
serves contacts configured in ``MESSAGING_CONTACTS_JSON`` (service tests, demos without identity).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class OneTimeLink:
    """A link to set a password, and until when it works (None: the directory does not say)."""

    url: str
    valid_until: datetime | None = None


class DirectoryUnavailable(Exception):
    """Identity could not answer now: try again later."""


class Directory(Protocol):
    async def contact(self, person_id: str) -> Contact | None:
        """The person's e-mail and phone, or None when identity does not know them."""

    async def reset_link(self, request_id: str) -> OneTimeLink | None:
        """The one-time password-reset link of a request, or None when it is gone or expired."""

    async def close(self) -> None:
        """Release connections (called by the app that made the directory)."""


class IdentityDirectory:
    def __init__(self, base_url: str, credential: str, *, timeout: float = 5.0) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1/identity/internal",
            headers={"X-Service-Credential": credential},
            timeout=timeout,
        )

    async def _call(self, method: str, path: str) -> dict | None:
        try:
            response = await self._client.request(method, path)
        except httpx.HTTPError as error:
            raise DirectoryUnavailable(type(error).__name__) from error
        if response.status_code in (404, 409, 410):
            return None
        if response.status_code != 200:
            raise DirectoryUnavailable(f"identity answered {response.status_code}")
        return response.json()

    async def contact(self, person_id: str) -> Contact | None:
        body = await self._call("GET", f"/accounts/{person_id}/contact")
        return Contact(email=body.get("email"), phone=body.get("phone")) if body else None

    async def reset_link(self, request_id: str) -> OneTimeLink | None:
        body = await self._call("POST", f"/password-resets/{request_id}/delivery")
        if not body:
            return None
        until = body.get("expires_at")
        return OneTimeLink(body["link"], datetime.fromisoformat(until) if until else None)

    async def close(self) -> None:
        await self._client.aclose()


class StaticDirectory:
    """``{"contacts": {"<id>": {"email": .., "phone": ..}}, "reset_links": {"<request id>": "<url>"}}``."""

    def __init__(self, document: str | dict) -> None:
        data = json.loads(document) if isinstance(document, str) else document
        self._contacts = {k: Contact(v.get("email"), v.get("phone")) for k, v in data.get("contacts", {}).items()}
        self._links = dict(data.get("reset_links", {}))

    def add(self, person_id: str, *, email: str | None = None, phone: str | None = None) -> None:
        self._contacts[person_id] = Contact(email, phone)

    def add_reset_link(self, request_id: str, link: str) -> None:
        self._links[request_id] = link

    async def contact(self, person_id: str) -> Contact | None:
        return self._contacts.get(person_id)

    async def reset_link(self, request_id: str) -> OneTimeLink | None:
        url = self._links.get(request_id)
        return OneTimeLink(url) if url else None

    async def close(self) -> None:
        return None
