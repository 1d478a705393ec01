"""Every answer says which server gave it and when; a client too old for this server is
refused before any route runs (see :mod:`common.versions`).

The refusal is bilingual: a client older than the exchange cannot translate a code it does not
know, and shows the server's sentence as it is. ``/health`` and ``/version`` stay open to every
client, so a refused one can still say which version it needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common import versions
from server.api.errors import ErrorBody
from server.clocks import ClockWatch

OPEN_TO_ANY_CLIENT = frozenset({"/api/v1/health", "/api/v1/version"})


def too_old_message() -> str:
    return (f"Máy trạm này quá cũ cho máy chủ iocwall {versions.PRODUCT_VERSION}: hãy cập nhật "
            "phần mềm; video trực tiếp đang xem vẫn tiếp tục. / This workstation is too old for "
            f"iocwall server {versions.PRODUCT_VERSION}: update it; live video keeps playing.")


class VersionGuard:
    """ASGI middleware: the version and time headers on every answer of the API, and 426 for a
    client whose API level is below the server's minimum."""

    def __init__(self, app: ASGIApp, now: Callable[[], datetime],
                 clocks: ClockWatch | None = None) -> None:
        self.app = app
        self.now = now
        self.clocks = clocks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[versions.SERVER_VERSION_HEADER] = versions.PRODUCT_VERSION
                headers[versions.API_LEVEL_HEADER] = str(versions.API_LEVEL)
                headers[versions.MIN_CLIENT_HEADER] = str(versions.MIN_CLIENT_API_LEVEL)
                headers[versions.SERVER_TIME_HEADER] = f"{self.now().timestamp():.3f}"
            await send(message)

        request = Headers(scope=scope)
        said = request.get(versions.CLOCK_OFFSET_HEADER.lower())
        if said is not None and self.clocks is not None:
            await self._note_offset(scope, said)
        level = versions.client_api_level(request.get("user-agent", ""),
                                           request.get(versions.API_LEVEL_HEADER.lower()))
        if (level is not None and level < versions.MIN_CLIENT_API_LEVEL
                and scope["path"] not in OPEN_TO_ANY_CLIENT):
            body = ErrorBody(code=versions.CLIENT_TOO_OLD, message=too_old_message(),
                             context={"server_version": versions.PRODUCT_VERSION,
                                      "min_client_api_level": versions.MIN_CLIENT_API_LEVEL,
                                      "client_api_level": level})
            response = JSONResponse(body.model_dump(exclude_none=True), status_code=426)
            await response(scope, receive, stamped)
            return
        await self.app(scope, receive, stamped)

    async def _note_offset(self, scope: Scope, said: str) -> None:
        """The workstation's clock offset, by its address (the user is not known before the
        route runs). An offset past the tolerance is audited and filed as an incident, and one
        back within it clears that: off the event loop."""
        try:
            offset = float(said)
        except ValueError:
            return
        if not math.isfinite(offset):
            return
        client = scope.get("client")
        subject = f"workstation {client[0] if client else '?'}"
        clocks = self.clocks
        assert clocks is not None
        if clocks.calls_back(subject, offset):
            await anyio.to_thread.run_sync(clocks.note, subject, offset)
        else:
            clocks.note(subject, offset)
