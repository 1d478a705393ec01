"""One shape for every error answer of the API, documented in the OpenAPI of every route.

    {"code": "not_found", "message": "Camera not found", "field": null, "errors": []}

``code`` is stable and machine-readable (the client's typed errors switch on it and on the
status); ``message`` is one English sentence for logs and as a fallback; ``field`` names the
request field at fault where there is one (``start``, ``camera_ids.2``), and ``errors`` lists
every field error of a 422. Submitted values are never echoed back: they may hold a password.
Extra machine-readable facts of a refusal (who holds a PTZ lease, when a lock ends) go in
``context``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("iocwall.api")

CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    423: "locked",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="dotted path of the field, e.g. `camera_ids.2`; `body` for "
                                   "the body as a whole")
    message: str
    type: str = Field(description="pydantic's error type, e.g. `missing`, `less_than_equal`")


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer of ``/api/v1`` and ``/public/v1``."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="stable machine-readable reason: " + ", ".join(
        sorted(set(CODES.values()) | {"ptz_taken", "rate_limited", "changed_meanwhile",
                                     "password_change_required", "credentials_needed",
                                     "client_too_old", "database_unreachable"})))
    message: str
    field: str | None = None
    errors: list[FieldError] = Field(default_factory=list)
    context: dict[str, Any] | None = None


class ApiError(StarletteHTTPException):
    """An HTTP error with its own ``code``, ``field`` or ``context``; plain ``HTTPException``
    gets the code of its status."""

    def __init__(self, status_code: int, message: str, *, code: str | None = None,
                 field: str | None = None, context: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code or CODES.get(status_code, "error")
        self.field = field
        self.context = context


def _response(status_code: int, body: ErrorBody,
              headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status_code, headers=headers,
                        content=jsonable_encoder(body.model_dump(exclude_none=True)))


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
    if isinstance(exc, ApiError):
        body = ErrorBody(code=exc.code, message=message, field=exc.field, context=exc.context)
    else:
        # FastAPI and Starlette answer 400 only for a body they could not parse at all
        field = "body" if exc.status_code == 400 else None
        body = ErrorBody(code=CODES.get(exc.status_code, "error"), message=message, field=field)
    return _response(exc.status_code, body, exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 with a sentence that names each field."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        kind = str(error.get("type", "invalid"))
        if kind == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "")
            message = f"malformed JSON ({reason})" if reason else "malformed JSON"
            where = "body"
        else:
            message = str(error.get("msg", "invalid"))
            where = _location(tuple(error.get("loc", ())))
        errors.append(FieldError(field=where, message=message, type=kind))
    body = ErrorBody(code="validation_error",
                     message="; ".join(f"{e.field}: {e.message}" for e in errors) or "invalid",
                     field=errors[0].field if errors else None, errors=errors)
    return _response(status.HTTP_422_UNPROCESSABLE_CONTENT, body)


async def _changed_meanwhile(request: Request, exc: Exception) -> JSONResponse:
    """Two people acted on the same record at once (its version moved between the read and the
    write): the later one changed nothing and reads it again."""
    log.info("%s %s: the record changed meanwhile (%s)", request.method, request.url.path, exc)
    return _response(409, ErrorBody(
        code="changed_meanwhile",
        message="someone else changed this record meanwhile; nothing was saved — read it again"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: logged with its traceback, answered without one."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _response(500, ErrorBody(code="server_error", message="internal server error"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StaleDataError, _changed_meanwhile)
    app.add_exception_handler(Exception, _unexpected)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: these statuses answer with :class:`ErrorBody`."""
    return {code: {"model": ErrorBody, "description": CODES.get(code, "error").replace("_", " ")}
            for code in statuses}


def file_answer(*media_types: str, description: str = "the file") -> dict[int | str, Any]:
    """``responses=`` for a route whose 200 is a file, not JSON."""
    return {200: {"description": description,
                  "content": {media: {"schema": {"type": "string", "format": "binary"}}
                              for media in media_types}}}
