"""RFC 9457 problem+json responses and the exception handlers that produce them.

Every answer is German, or English for ``Accept-Language: en`` (texts in `problem_texts`)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from teilhabe_kit import problem_texts as texts
from teilhabe_kit.eventstore import ConcurrencyConflict

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error the client can act on; raise it from domain or use-case code with a German
    `detail` (and its English twin `en` where the caller may read English). The title follows
    the status."""

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
        en: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.en = en
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
    title: str | None = None,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    lang: str = "de",
    en: str | None = None,
) -> JSONResponse:
    """A problem+json answer in `lang`: with type ``about:blank`` the title is the status phrase
    (RFC 9457), `title` only names a problem of a type of its own; `detail` is German, `en` its
    English twin (else the kit's catalogue, else German)."""
    body: dict[str, Any] = {
        "type": type_,
        "title": texts.title(status, lang) if type_ == "about:blank" or not title else title,
        "status": status,
    }
    if detail:
        body["detail"] = texts.detail(detail, lang, en)
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
        lang = texts.language(request)
        errors = [
            {"field": _field_name(e["loc"]), "message": texts.validation_message(e, lang), "type": e["type"]}
            for e in error.errors()
        ]
        detail = texts.validation_detail([(e["field"], e["message"]) for e in errors], lang)
        return problem_response(422, detail=detail, instance=request.url.path, errors=errors, lang=lang)

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        lang = texts.language(request)
        message = texts.detail(error.detail, lang, error.en)
        errors = [{"field": error.field, "message": message}] if error.field else None
        return problem_response(
            error.status,
            error.title,
            error.detail,
            type_=error.type,
            instance=request.url.path,
            errors=errors,
            lang=lang,
            en=error.en,
        )

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, error: ConcurrencyConflict) -> JSONResponse:
        return problem_response(
            409, detail=texts.CHANGED_MEANWHILE, instance=request.url.path, lang=texts.language(request)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        lang = texts.language(request)
        return problem_response(
            error.status_code,
            detail=texts.framework_detail(str(error.detail), lang),
            instance=request.url.path,
            headers=getattr(error, "headers", None),
            lang=lang,
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, error: DBAPIError) -> JSONResponse:
        lang = texts.language(request)
        if isinstance(error, (OperationalError, InterfaceError)) or error.connection_invalidated:
            log.warning("database unavailable: %s", type(error.orig).__name__)
            return problem_response(
                503, detail=texts.TRY_AGAIN, instance=request.url.path, headers={"Retry-After": "5"}, lang=lang
            )
        if str(getattr(error.orig, "sqlstate", "")).startswith("22"):  # data exception: the value
            # itself cannot be stored (a NUL character, a number too large)
            return problem_response(422, detail=texts.UNSTORABLE, instance=request.url.path, lang=lang)
        return await _unexpected(request, error)

    @app.exception_handler(OSError)
    async def _connection(request: Request, error: OSError) -> JSONResponse:
        log.warning("dependency unreachable: %s", type(error).__name__)
        return problem_response(
            503,
            detail=texts.TRY_AGAIN,
            instance=request.url.path,
            headers={"Retry-After": "5"},
            lang=texts.language(request),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(500, detail=texts.SOMETHING_WRONG, lang=texts.language(request))
