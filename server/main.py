"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from server.api.main import api_router
from server.api.public import public_router
from server.clip_requests import ClipWorker
from server.clips import load_or_create_signing_key
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.deps import Clock, Runtime
from server.recorder import Recorder
from server.security import Passwords, SecretBox

log = logging.getLogger("iocwall.api")

API_PREFIX = "/api/v1"
PUBLIC_PREFIX = "/public/v1"


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, clock: Clock = utc_now) -> FastAPI:
    """Build the app on ``settings``' database (already migrated: see ``server.db.migrate``).

    ``clock`` is injectable so tests can move time (lockout, token expiry, grants).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        passwords=Passwords(settings),
        secrets=SecretBox.from_settings(settings),
        clock=clock,
        signer=load_or_create_signing_key(settings.signing_key_file),
    )
    if settings.clip_worker:
        runtime.clip_worker = ClipWorker(runtime.sessions, settings, runtime.signer)
    if settings.record:
        runtime.recorder = Recorder(runtime.sessions, settings, runtime.secrets)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Background work runs only while the app serves (uvicorn, or ``with TestClient``)."""
        if runtime.clip_worker is not None:
            runtime.clip_worker.start()
        if runtime.recorder is not None:
            runtime.recorder.start()
        try:
            yield
        finally:
            if runtime.recorder is not None:
                runtime.recorder.stop()
            if runtime.clip_worker is not None:
                runtime.clip_worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="iocwall backend",
        summary="Camera access under Decision 790/QĐ-UBND of Đồng Hới",
        version="0.1.0",
        openapi_url="/openapi.json",
    )
    app.state.runtime = runtime
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(public_router, prefix=PUBLIC_PREFIX)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with a sentence that names the field; the submitted values are never echoed back
    (they may hold a password)."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    sentences = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "")
            message = f"malformed JSON ({reason})" if reason else "malformed JSON"
            where = "body"
        else:
            message = str(error.get("msg", "invalid"))
            where = _location(loc) or "body"
        sentences.append(f"{where}: {message}")
        errors.append({"field": where, "loc": list(loc), "type": error.get("type"),
                       "msg": message})
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content=jsonable_encoder({"detail": "; ".join(sentences), "errors": errors}),
    )
