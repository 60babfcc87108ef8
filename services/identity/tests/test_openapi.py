"""The published OpenAPI document: every route under /api/v1/identity (besides health), documented."""

from identity_support import API


async def test_openapi_lists_every_route_under_the_service_prefix(client):
    document = (await client.get(f"{API}/openapi.json")).json()
    assert len(document["paths"]) >= 30
    for path, operations in document["paths"].items():
        if path.startswith("/health/"):
            continue  # the kit's probes
        assert path.startswith(API + "/"), path
        for operation in operations.values():
            assert operation.get("summary"), path
    registration = document["paths"][f"{API}/registrations/seekers"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in registration["parameters"]]
