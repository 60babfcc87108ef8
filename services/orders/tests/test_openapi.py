"""The API is published as OpenAPI with every route."""

from __future__ import annotations

from teilhabe_kit.testing import openapi_routes


async def test_openapi_lists_every_route(service):
    assert await openapi_routes(service.url, "orders") == {
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
