"""Contracts' API for an interested person's name and e-mail (never carried over Kafka).

Identity calls ``GET /api/v1/contracts/interested-persons/{id}/contact`` with its service
credential (``IDENTITY_CONTRACTS_CREDENTIAL``, one of contracts' ``CONTRACTS_SERVICE_CREDENTIALS``).
"""

from __future__ import annotations

import httpx

from identity.app.interested import InterestedPerson


class ContractsUnavailable(ConnectionError):
    """Contracts could not answer now (unreachable, 5xx, credential refused). A ConnectionError:
    the consumer runner does not acknowledge the event, it comes again and is never dead-lettered."""


class ContractsContacts:
    def __init__(self, base_url: str, credential: str, *, timeout: float = 5.0) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1/contracts/interested-persons",
            headers={"X-Service-Credential": credential},
            timeout=timeout,
        )

    async def person(self, person_id: str) -> InterestedPerson | None:
        """Name and e-mail, or None when contracts no longer knows the person (erased)."""
        try:
            response = await self._client.get(f"/{person_id}/contact")
        except httpx.HTTPError as error:
            raise ContractsUnavailable(f"contracts unreachable: {type(error).__name__}") from error
        except RuntimeError as error:  # closed while the service stops: the event comes again
            if not self._client.is_closed:
                raise
            raise ContractsUnavailable("identity is stopping") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ContractsUnavailable(f"contracts answered {response.status_code}")
        body = response.json()
        return InterestedPerson(first_name=body["first_name"], last_name=body["last_name"], email=body["email"])

    async def close(self) -> None:
        await self._client.aclose()
