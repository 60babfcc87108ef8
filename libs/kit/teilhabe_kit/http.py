"""HTTP middleware: request ids and a server span per request, continuing the caller's trace."""

from __future__ import annotations

import re
import uuid

from opentelemetry import trace
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from teilhabe_kit.telemetry import context_from_headers

REQUEST_ID_HEADER = "X-Request-ID"
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_tracer = trace.get_tracer(__name__)


def request_id_of(request: Request) -> str:
    """The caller's request id when it is well formed (letters, digits, ``._:-``, at most 64),
    else a new one: a client's id never carries markup, spaces or huge values into logs."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if WELL_FORMED_ID.fullmatch(given) else str(uuid.uuid4())


class RequestContextMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        request_id = request_id_of(request)
        request.state.request_id = request_id
        with _tracer.start_as_current_span(
            f"{request.method} {request.url.path}",
            context=context_from_headers(dict(request.headers)),
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": request.method, "http.request_id": request_id},
        ) as span:
            response = await call_next(request)
            span.set_attribute("http.response.status_code", response.status_code)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
