"""The API is published as OpenAPI with every route."""

from __future__ import annotations

from teilhabe_kit.testing import openapi_routes


async def test_openapi_lists_every_route(service):
    assert await openapi_routes(service.url, "centres") == {
        "/catalogue": ["get"],
        "/places": ["get"],
        "/finder": ["get"],
        "/directory/{centre_id}": ["get"],
        "/directory.json": ["get"],
        "/directory.csv": ["get"],
        "/centres": ["get", "post"],
        "/centres/{centre_id}": ["get"],
        "/centres/{centre_id}/agreement": ["put"],
        "/centres/{centre_id}/functions": ["put"],
        "/centres/{centre_id}/seats": ["put"],
        "/centres/{centre_id}/profile": ["put"],
        "/centres/{centre_id}/delist": ["post"],
        "/centres/{centre_id}/list": ["post"],
        "/centres/{centre_id}/history": ["get"],
        "/regions": ["get"],
        "/regions/{region}/fallback": ["put"],
    }
