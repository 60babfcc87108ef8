"""RFC 9457 problem+json responses and the exception handlers that produce them."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from teilhabe_kit.eventstore import ConcurrencyConflict

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error the client can act on; raise it from domain or use-case code."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        status: int | None = None,
        title: str | None = None,
        type_: str = "about:blank",
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.type = type_
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title


class NotFound(Problem):
    status = 404
    title = "Not found"


class Forbidden(Problem):
    status = 403
    title = "Forbidden"


class Conflict(Problem):
    status = 409
    title = "Conflict"


class Unprocessable(Problem):
    """Input that is well-formed but breaks a rule; names the field (422)."""

    status = 422
    title = "Invalid input"


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of `app` an RFC 9457 response; never leak internals in a 500."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_name(e["loc"]), "message": e["msg"], "type": e["type"]} for e in error.errors()]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem_response(
            422, "Invalid input", f"Please check: {fields}", instance=request.url.path, errors=errors
        )

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        errors = [{"field": error.field, "message": error.detail}] if error.field else None
        return problem_response(
            error.status,
            error.title,
            error.detail,
            type_=error.type,
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, error: ConcurrencyConflict) -> JSONResponse:
        return problem_response(
            409,
            "Conflict",
            "The record was changed meanwhile. Please reload and try again.",
            instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed"}
        return problem_response(
            error.status_code,
            title.get(error.status_code, "Error"),
            str(error.detail),
            instance=request.url.path,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, error: DBAPIError) -> JSONResponse:
        if isinstance(error, (OperationalError, InterfaceError)) or error.connection_invalidated:
            log.warning("database unavailable: %s", type(error.orig).__name__)
            return problem_response(
                503,
                "Service unavailable",
                "Please try again in a moment.",
                instance=request.url.path,
                headers={"Retry-After": "5"},
            )
        if str(getattr(error.orig, "sqlstate", "")).startswith("22"):  # data exception: the value
            return problem_response(  # itself cannot be stored (a NUL character, a number too large)
                422,
                "Invalid input",
                "Ein Wert kann nicht verarbeitet werden (zum Beispiel ein Nullzeichen oder eine zu große Zahl).",
                instance=request.url.path,
            )
        return await _unexpected(request, error)

    @app.exception_handler(OSError)
    async def _connection(request: Request, error: OSError) -> JSONResponse:
        log.warning("dependency unreachable: %s", type(error).__name__)
        return problem_response(
            503,
            "Service unavailable",
            "Please try again in a moment.",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(500, "Internal error", "Something went wrong on our side.")
