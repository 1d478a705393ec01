"""The control endpoint: a small HTTP server on loopback for the gateway's parent.

Every request carries ``Authorization: Bearer <control secret>`` (the secret came on stdin);
anything else gets 401. Routes:
- ``GET /health`` → ``{"ok": true}``
- ``GET /stats`` → ``{"streams": [{"path", "camera_id", "stream", "upstream_connected",
  "upstream_failures", "viewers", "bytes"}], "revocations": n}``
- ``POST /revoke`` with exactly one of ``{"session_ids": ["..."]}``, ``{"user_id": N}``,
  ``{"camera_id": N}``, ``{"user_id": N, "camera_id": M}`` (that user on that camera only)
  → ``{"cut": connections}``: the matching live viewers are cut at once and the matching
  tokens refused until they expire.
- ``POST /ptz/holder`` with ``{"camera_id", "user_id", "username", "full_name", "until"}``
  (``until``: Unix seconds, the lease's end) → ``{"ok": true}``: that user holds the camera's
  PTZ lease, and the PTZ broker forwards commands for that user only; ``{"camera_id"}`` alone:
  nobody holds it. The backend sends it at every grant, renewal and release, and again for
  every live lease when the gateway has restarted.
The handlers run on the server's threads and reach GStreamer through ``on_main_loop``.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gateway.access import Revocation
from gateway.ptz import Holder

log = logging.getLogger("iocwall.gateway.control")

MAX_BODY = 64 * 1024


class BadRequest(ValueError):
    """The body is not a revocation (the message says why)."""


def _id(body: dict[str, Any], name: str) -> int:
    value = body[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"{name}: not an integer")
    return value


def parse_revocation(body: Any) -> Revocation:
    if isinstance(body, dict) and set(body) == {"user_id", "camera_id"}:
        return Revocation(user_id=_id(body, "user_id"), camera_id=_id(body, "camera_id"))
    if not isinstance(body, dict) or len(body) != 1:
        raise BadRequest("give exactly one of session_ids, user_id, camera_id, or both ids")
    ((name, value),) = body.items()
    if name == "session_ids":
        if (not isinstance(value, list) or not value
                or not all(isinstance(s, str) and s for s in value)):
            raise BadRequest("session_ids: not a non-empty list of strings")
        return Revocation(session_ids=tuple(value))
    if name in ("user_id", "camera_id"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadRequest(f"{name}: not an integer")
        return Revocation(user_id=value) if name == "user_id" else Revocation(camera_id=value)
    raise BadRequest(f"unknown field {name}")


def parse_holder(body: Any) -> tuple[int, Holder | None]:
    """(camera id, its holder or None) of a ``POST /ptz/holder`` body."""
    if not isinstance(body, dict) or "camera_id" not in body:
        raise BadRequest("give camera_id, and the holder's user_id, username, full_name, until")
    camera_id = _id(body, "camera_id")
    if set(body) == {"camera_id"}:
        return camera_id, None
    if set(body) != {"camera_id", "user_id", "username", "full_name", "until"}:
        raise BadRequest("give camera_id, and the holder's user_id, username, full_name, until")
    until = body["until"]
    if not isinstance(until, (int, float)) or isinstance(until, bool):
        raise BadRequest("until: not a number")
    if not isinstance(body["username"], str) or not isinstance(body["full_name"], str):
        raise BadRequest("username, full_name: not strings")
    return camera_id, Holder(_id(body, "user_id"), body["username"], body["full_name"],
                             float(until))


class ControlServer:
    """Serves the routes above on a thread; ``port`` is the bound one."""

    def __init__(self, address: str, port: int, secret: str,
                 stats: Callable[[], dict[str, Any]],
                 revoke: Callable[[Revocation], int],
                 set_holder: Callable[[int, Holder | None], None]) -> None:
        expected = f"Bearer {secret}".encode()

        class Handler(BaseHTTPRequestHandler):
            server_version = "iocwall-gateway"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                log.debug("control: " + format, *args)

            def _authorized(self) -> bool:
                given = (self.headers.get("Authorization") or "").encode()
                if hmac.compare_digest(given, expected):
                    return True
                self._answer(HTTPStatus.UNAUTHORIZED, {"error": "unauthorized"})
                return False

            def _answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if not self._authorized():
                    return
                if self.path == "/health":
                    self._answer(HTTPStatus.OK, {"ok": True})
                elif self.path == "/stats":
                    self._answer(HTTPStatus.OK, stats())
                else:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorized():
                    return
                if self.path not in ("/revoke", "/ptz/holder"):
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})
                    return
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    if not 0 < length <= MAX_BODY:
                        raise BadRequest("body missing or too large")
                    body = json.loads(self.rfile.read(length))
                    if self.path == "/ptz/holder":
                        camera_id, holder = parse_holder(body)
                    else:
                        revocation = parse_revocation(body)
                except (BadRequest, ValueError) as err:
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})
                    return
                if self.path == "/ptz/holder":
                    set_holder(camera_id, holder)
                    self._answer(HTTPStatus.OK, {"ok": True})
                else:
                    self._answer(HTTPStatus.OK, {"cut": revoke(revocation)})

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="control",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
