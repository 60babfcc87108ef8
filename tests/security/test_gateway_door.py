"""Issue 21, findings 2 and 5: nothing but ``/api/v1/<service>/…`` of that service is reachable
through the gateway, and what only the gateway may say (client address, request id, service
credential) cannot be said by a client. Probes with raw paths (no client-side normalisation)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from raw_http_support import raw_request
from security_support import CREDENTIAL, SERVICES, active_seeker, address

ESCAPES = [
    "../../../{target}",
    "%2e%2e/%2e%2e/%2e%2e/{target}",
    "%2E%2E%2F%2E%2E%2F%2E%2E%2F{target}",
    ".%2e/.%2e/.%2e/{target}",
    "%252e%252e/%252e%252e/%252e%252e/{target}",
    "..%5C..%5C..%5C{target}",
    "..\\..\\..\\{target}",
    "x/./../../../../{target}",
]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("target", ["metrics", "health/ready", "api/v1/identity/internal/accounts/x"])
@pytest.mark.parametrize("escape", ESCAPES)
async def test_dot_segments_never_leave_the_service_api(security_platform, service, target, escape):
    """Was: ``GET /api/v1/identity/../../../metrics`` answered identity's Prometheus text."""
    path = f"/api/v1/{service}/" + escape.format(target=target)
    response = await raw_request(security_platform.gateway, path, address())
    assert response.status == 400, (path, response.status, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    assert "teilhabe_" not in response.text and "kafka" not in response.text


async def test_the_internal_api_is_not_served_through_the_gateway(security_platform):
    """Was: with a service credential a client read any account's contact through the gateway."""
    person = await active_seeker(security_platform.gateway)
    path = f"/api/v1/identity/internal/accounts/{person.account_id}/contact"
    credential = {"X-Service-Credential": CREDENTIAL}
    async with httpx.AsyncClient(timeout=15) as client:
        inside = await client.get(security_platform.urls["identity"] + path, headers=credential)
        outside = await client.get(security_platform.gateway + path, headers=credential | address())
        as_person = await client.get(security_platform.gateway + path, headers=person.headers)
    assert inside.status_code == 200  # another service may
    assert outside.status_code == as_person.status_code == 404
    assert person.email not in outside.text


async def test_metrics_live_on_their_own_port_never_on_a_public_one(security_platform):
    """Each service (and the gateway) answers /metrics on its metrics port only."""
    async with httpx.AsyncClient(timeout=15) as client:
        for name, url in security_platform.urls.items():
            assert (await client.get(f"{url}/metrics")).status_code == 404, name
            scraped = await client.get(f"http://127.0.0.1:{security_platform.metrics_ports[name]}/metrics")
            assert scraped.status_code == 200, name
            assert f'service="{name}"' in scraped.text, name
        public = await client.get(f"{security_platform.gateway}/metrics", headers=address())
    assert public.status_code == 404 and "teilhabe_" not in public.text


async def test_service_health_details_are_not_public(security_platform):
    """The gateway's own readiness says up or not; the services' details (topics, groups) stay inside."""
    async with httpx.AsyncClient(base_url=security_platform.gateway, headers=address(), timeout=15) as client:
        for service in SERVICES:
            response = await client.get(f"/api/v1/{service}/health/ready")
            assert response.status_code == 404, service
        own = await client.get("/health/ready")
    assert own.status_code == 200 and "kafka" not in own.text


async def test_a_client_cannot_send_the_service_credential_through_the_gateway(security_platform):
    """Was: a client's X-Service-Credential reached the service, which took it as another service's call."""
    path = f"/api/v1/contracts/interested-persons/{uuid.uuid4()}/contact"
    headers = {"X-Service-Credential": CREDENTIAL}
    async with httpx.AsyncClient(timeout=15) as client:
        direct = await client.get(security_platform.urls["contracts"] + path, headers=headers)
        through = await client.get(security_platform.gateway + path, headers=headers | address())
    assert direct.status_code == 404  # the credential works inside the platform: the person is unknown
    assert through.status_code == 401  # at the door it is dropped: an anonymous call


async def test_a_client_request_id_is_kept_only_when_well_formed(security_platform):
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=15) as client:
        kept = await client.get("/api/v1/identity/catalogue", headers=address() | {"X-Request-ID": "app-42.7"})
        evil = "<script>alert(1)</script> " + "x" * 300
        replaced = await client.get("/api/v1/identity/catalogue", headers=address() | {"X-Request-ID": evil})
    assert kept.headers["X-Request-ID"] == "app-42.7"
    assert replaced.headers["X-Request-ID"] != evil and len(replaced.headers["X-Request-ID"]) == 36
