"""What every request passes before the application reads its body.

- **Size**: a body over the cap is refused with 413 before it is read (``Content-Length``) or
  as soon as it grows past the cap (chunked): a 100 MB JSON body costs the server nothing.
  JSON bodies get a few MB; the routes that take an uploaded letter or picture get their own,
  larger cap.
- **Login first**: on the authenticated API, a request with a body must carry a live token
  before its body is parsed, so an anonymous sender cannot make the server parse anything
  (deeply nested JSON, invalid UTF-8) and always gets the same 401.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import anyio
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.errors import ErrorBody
from server.deps import Runtime, authenticate

JSON_BODY_CAP = 2 * 1024 * 1024
UPLOAD_BODY_CAP = 11 * 1024 * 1024  # a 10 MB letter and its form fields
# POST routes that take a multipart upload (letters, incident pictures): their own cap.
UPLOAD_PATHS = frozenset({"/api/v1/clips", "/api/v1/access-requests", "/api/v1/incidents"})
# The authenticated API's routes that take a body without a token.
OPEN_PATHS = frozenset({"/api/v1/auth/login"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _error(status_code: int, code: str, message: str,
           headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status_code,
                        headers=headers)


class RequestGuard:
    """ASGI middleware: the body cap and the token check, in that order."""

    def __init__(self, app: ASGIApp, runtime: Runtime,
                 now: Callable[[], datetime] | None = None) -> None:
        self.app = app
        self.runtime = runtime
        self.now = now or runtime.clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        cap = UPLOAD_BODY_CAP if path in UPLOAD_PATHS else JSON_BODY_CAP
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await self._too_large(cap)(scope, receive, send)
            return
        if path.startswith("/api/v1/") and path not in OPEN_PATHS:
            if not await self._authenticated(headers.get("authorization", "")):
                response = _error(401, "unauthenticated", "Not authenticated: log in again",
                                  {"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        # Read the body here, up to the cap (the app would swallow an error raised while it
        # reads), then hand it on as one message.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > cap:
                await self._too_large(cap)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _too_large(cap: int) -> JSONResponse:
        return _error(413, "too_large", f"Request body larger than {cap // (1024 * 1024)} MB")

    async def _authenticated(self, authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False

        def check() -> bool:
            with self.runtime.sessions() as session:
                return authenticate(session, token.strip(), self.now()) is not None

        return await anyio.to_thread.run_sync(check)
