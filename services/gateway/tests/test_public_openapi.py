"""One OpenAPI document of the public API through the gateway, with Swagger UI served from the
gateway itself (no CDN).

Regression: the gateway's OpenAPI listed only its health endpoints and `/events` was in no
document. The upstream here serves the real services' documents (each service's app builds its
own); one service does not answer and is named as missing.
"""

from __future__ import annotations

import re

import httpx
import pytest
import schemathesis
from fastapi import FastAPI, HTTPException

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_kit.testing import database_url, migrate, serve

REAL = ("identity", "orders", "matching", "messaging", "contracts")


def _upstream() -> FastAPI:
    from contracts.main import app as contracts
    from identity.main import app as identity
    from matching.main import app as matching
    from messaging.main import app as messaging
    from orders.main import app as orders

    documents = dict(zip(REAL, (identity, orders, matching, messaging, contracts)))
    app = FastAPI()

    @app.get("/api/v1/{service}/openapi.json")
    async def document(service: str) -> dict:
        if service not in documents:
            raise HTTPException(404)
        return documents[service].openapi()

    return app


@pytest.fixture(scope="module")
async def gateway(stack):
    await migrate("gateway", database_url("gateway"))
    async with serve(_upstream()) as url:
        urls = {f"{name}_url": url for name in REAL}
        settings = Settings(
            **urls,
            counseling_url="http://127.0.0.1:9",
            centres_url="http://127.0.0.1:9",
            appointments_url="http://127.0.0.1:9",
        )
        async with serve(create_gateway_app(settings)) as gateway_url:
            yield gateway_url


async def test_one_document_lists_every_services_public_api_and_the_event_stream(gateway):
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    paths = doc["paths"]
    assert "/events" in paths and "text/event-stream" in paths["/events"]["get"]["responses"]["200"]["content"]
    assert "/health/ready" in paths
    for service in REAL:
        assert any(p.startswith(f"/api/v1/{service}/") for p in paths), service
    assert "/api/v1/identity/auth/login" in paths and "/api/v1/orders/orders" in paths
    assert "/api/v1/messaging/notifications/stream" in paths
    assert not [p for p in paths if "/internal/" in p]  # the gateway refuses the internal API
    assert "counseling" in doc["info"]["description"] and "centres" in doc["info"]["description"]

    schemas = doc["components"]["schemas"]
    assert "identity.AccountOut" in schemas
    bare = [name.split(".", 1)[1] for name in schemas if "." in name]
    assert len(bare) > len(set(bare))  # equal names in two services stay apart
    refs = set(re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', response.text))
    assert refs and refs <= set(schemas)  # every reference resolves in the merged document
    operation_ids = [op["operationId"] for ops in paths.values() for op in ops.values() if "operationId" in op]
    assert len(operation_ids) == len(set(operation_ids))

    loaded = schemathesis.openapi.from_dict(doc)
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) > 100


async def test_swagger_ui_is_served_by_the_gateway_without_a_cdn(gateway):
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        page = await client.get("/api/v1/docs")
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        fetched = {asset: await client.get(asset) for asset in assets}
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="de"' in page.text and 'data-url="/api/v1/openapi.json"' in page.text
    assert assets and all(a.startswith("/static/") for a in assets)  # nothing from another host
    assert all(r.status_code == 200 for r in fetched.values())
    assert "SwaggerUIBundle" in fetched["/static/vendor/swagger-ui/swagger-ui-bundle.js"].text
    assert "<script>" not in page.text  # no inline script: a strict CSP stays possible
