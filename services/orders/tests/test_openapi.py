"""The API is published as OpenAPI with every route."""

from __future__ import annotations

import httpx


async def test_openapi_lists_every_route(service):
    async with httpx.AsyncClient(base_url=service.url) as client:
        document = (await client.get("/api/v1/orders/openapi.json")).json()
    base = "/api/v1/orders"
    assert {
        path.removeprefix(base): sorted(ops) for path, ops in document["paths"].items() if path.startswith(base)
    } == {
        "/orders": ["get", "post"],
        "/orders/{order_id}": ["delete", "get", "put"],
        "/orders/{order_id}/publish": ["post"],
        "/orders/{order_id}/withdraw": ["post"],
        "/orders/{order_id}/offers": ["post"],
        "/orders/{order_id}/offers/{offer_id}/accept": ["post"],
        "/orders/{order_id}/offers/{offer_id}/provider-request": ["post"],
        "/orders/{order_id}/offers/{offer_id}/decline": ["post"],
        "/orders/{order_id}/offers/{offer_id}/proposal": ["post"],
        "/orders/{order_id}/offers/{offer_id}/withdraw": ["post"],
        "/offers/mine": ["get"],
        "/organisations/{organisation_id}/offers": ["get"],
    }
