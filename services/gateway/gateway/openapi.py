"""One OpenAPI document of the public API: every service's, as the gateway serves it, plus the
gateway's own paths (``/events``, health), and Swagger UI for it (vendored, nothing from a CDN).

``GET /api/v1/openapi.json`` merges the services' documents on request (kept for a minute). Each
service's schemas get its name as prefix (``orders.OrderOut``) so equal names cannot collide;
operations are tagged with the service; the internal API (which the gateway refuses) is left out.
A service that does not answer is named in the description instead of failing the whole document.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.settings import SERVICE_PORTS
from gateway.upstream import Upstreams

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

DOCUMENT = "/api/v1/openapi.json"
CACHE_SECONDS = 60.0
INCOMPLETE_CACHE_SECONDS = 10.0  # a service missing: try it again soon
REF_PREFIX = "#/components/schemas/"
INTERNAL = "/internal/"  # /api/v1/<service>/internal/...: service to service only
DESCRIPTION = (
    "Die öffentliche Schnittstelle der Plattform: alle Dienste über das Gateway. Anmeldung mit "
    "`POST /api/v1/identity/auth/login`, dann `Authorization: Bearer <access_token>`. Fehler sind "
    "`application/problem+json` (RFC 9457), deutsch oder mit `Accept-Language: en` englisch.\n\n"
    "The platform's public API: every service through the gateway."
)
DOCS_PAGE = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Teilhabe – API</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui" data-url="/api/v1/openapi.json"></main>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


def _renamed(node: Any, service: str) -> Any:
    """A copy of `node` whose schema references point at the service's prefixed names."""
    if isinstance(node, dict):
        return {
            key: (
                REF_PREFIX + f"{service}.{value.removeprefix(REF_PREFIX)}"
                if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX)
                else _renamed(value, service)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(item, service) for item in node]
    return node


def merge(own: dict[str, Any], services: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The public document from the gateway's own and each service's (None: did not answer)."""
    doc: dict[str, Any] = {
        "openapi": own.get("openapi", "3.1.0"),
        "info": {"title": "Teilhabe API", "version": "1", "description": DESCRIPTION},
        "paths": copy.deepcopy(own.get("paths", {})),
        "components": {
            "schemas": copy.deepcopy(own.get("components", {}).get("schemas", {})),
            "securitySchemes": {},
        },
        "tags": [{"name": "gateway", "description": "Benachrichtigungen (SSE) und Zustand des Gateways"}],
    }
    for operations in doc["paths"].values():
        for operation in operations.values():
            operation["tags"] = ["gateway"]
    missing = []
    for service, document in services.items():
        if document is None:
            missing.append(service)
            continue
        renamed = _renamed(document, service)
        doc["tags"].append({"name": service, "description": renamed.get("info", {}).get("title", service)})
        components = renamed.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            doc["components"]["schemas"][f"{service}.{name}"] = schema
        doc["components"]["securitySchemes"] |= components.get("securitySchemes", {})
        for path, operations in renamed.get("paths", {}).items():
            if not path.startswith(f"/api/v1/{service}/") or INTERNAL in path:
                continue
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["tags"] = [service]
                    operation["operationId"] = f"{service}.{operation.get('operationId', path)}"
            doc["paths"][path] = operations
    if missing:
        doc["info"]["description"] += f"\n\nGerade nicht erreichbar (fehlt hier): {', '.join(missing)}."
    if not doc["components"]["securitySchemes"]:
        del doc["components"]["securitySchemes"]
    return doc


async def _service_document(upstreams: Upstreams, service: str) -> dict[str, Any] | None:
    url = f"{upstreams.base(service)}/api/v1/{service}/openapi.json"
    try:
        response = await upstreams.client.get(url, timeout=5)
        if response.status_code == 200:
            return response.json()
        log.warning("openapi of %s answered %s", service, response.status_code)
    except Exception as error:  # a service down leaves a gap, not a broken document
        log.warning("openapi of %s unreachable: %s", service, type(error).__name__)
    return None


async def public_document(app: FastAPI) -> dict[str, Any]:
    cached = getattr(app.state, "public_openapi", None)
    if cached is not None and time.monotonic() < cached[0]:
        return cached[1]
    upstreams: Upstreams = app.state.upstreams
    names = list(SERVICE_PORTS)
    documents = await asyncio.gather(*(_service_document(upstreams, name) for name in names))
    doc = merge(app.openapi(), dict(zip(names, documents)))
    keep = CACHE_SECONDS if all(d is not None for d in documents) else INCOMPLETE_CACHE_SECONDS
    app.state.public_openapi = (time.monotonic() + keep, doc)
    return doc


@router.get(DOCUMENT)
async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(await public_document(request.app))


@router.get("/api/v1/docs")
async def docs() -> HTMLResponse:
    return HTMLResponse(DOCS_PAGE)
