"""The control endpoint: a small HTTP server on loopback for the gateway's parent.

Every request carries ``Authorization: Bearer <control secret>`` (from the configuration);
anything else gets 401. Routes:
- ``GET /health`` → ``{"ok": true}``
- ``GET /stats`` → ``{"streams": [{"path", "camera_id", "stream", "upstream_connected",
  "upstream_failures", "viewers", "bytes"}], "revocations": n}``
- ``POST /revoke`` with exactly one of ``{"session_ids": ["..."]}``, ``{"user_id": N}``,
  ``{"camera_id": N}``, ``{"user_id": N, "camera_id": M}`` (that user on that camera only)
  → ``{"cut": connections}``: the matching live viewers are cut at once and the matching
  tokens refused until they expire.
- ``PUT /cameras`` with ``{"cameras": [...], "ptz_cameras": [...], "version": "..."}``
  (entries as in the start configuration, passwords sealed; no ``"ptz_cameras"``: none) →
  ``{"streams", "mounted", "unmounted", "cut", "ptz_cameras", "ptz_removed"}``: the camera
  table and the PTZ broker's ONVIF targets are replaced live, both or (a mistake in either)
  neither; streams gone or changed lose their viewers, unchanged ones play on; a PTZ camera
  gone loses its holder (stopped first if it was left moving) and is refused from then on.
  ``version`` is the backend's name for that table, answered by ``GET /health`` (``{"ok": true,
  "cameras_version": "...", "public_key": "<X25519, base64>" | null}``) so that the backend can
  tell a gateway that restarted with an old table, and learn the key to seal passwords to.
- ``POST /reseal`` with ``{"sealed": "<box sealed to this gateway>", "to": "<X25519 public
  key, base64>"}`` → ``{"sealed": "<the same secret sealed to that key>"}``: a camera moves to
  another gateway without its password ever being readable by the backend.
- ``PUT /token-keys`` with ``{"token_keys": [...]}`` (entries as in the configuration: a key,
  or ``{"key", "until"}`` for a retired one) → ``{"ok": true}``: the keys whose tokens open
  sessions from now on, replaced live (the backend rotated its token key: sessions playing
  and tokens of the old key within its ``until`` go on).
- ``POST /ptz/holder`` with ``{"camera_id", "user_id", "username", "full_name", "until"}``
  (``until``: Unix seconds, the lease's end) → ``{"ok": true}``: that user holds the camera's
  PTZ lease, and the PTZ broker forwards commands for that user only; ``{"camera_id"}`` alone:
  nobody holds it. The backend sends it at every grant, renewal and release, and again for
  every live lease when the gateway has restarted.
- ``POST /probe`` with ``{"host", "port", "username", "sealed_password", "rtsp_url"}`` → the
  ONVIF onboarding probe's answer (:mod:`gateway.probing`): 200 with ``{"ok": true, ...}`` or
  ``{"ok": false, "failure", "step", "detail"}``, 400 naming the field, 503 while busy. It runs
  on its request's own thread under a deadline, never on the main loop a revocation needs.
- ``POST /preview`` with ``{"url", "username", "sealed_password", "transport"}`` → ``{"preview_id",
  "expires_in_s"}``: the stream mounted at ``/preview/<preview_id>`` for viewers with a token
  for that preview (:mod:`gateway.previews`); 400 naming the field, 503 when as many previews
  as allowed are open.
The handlers run on the server's threads and reach GStreamer through ``on_main_loop``.
"""

from __future__ import annotations

import hmac
import json
import logging
import ssl
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from gateway.access import Revocation
from gateway.previews import PreviewsBusy
from gateway.probing import ProbeBadRequest, ProbeBusy, Prober
from gateway.ptz import Holder
from gateway.served import ServedHttp

log = logging.getLogger("iocwall.gateway.control")

MAX_BODY = 64 * 1024
MAX_TABLE_BODY = 16 * 1024 * 1024  # a camera table: a few hundred bytes per stream


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


class ControlServer(ServedHttp):
    """Serves the routes above on a thread; ``port`` is the bound one."""

    def __init__(self, address: str, port: int, secret: str,
                 stats: Callable[[], dict[str, Any]],
                 revoke: Callable[[Revocation], int],
                 set_holder: Callable[[int, Holder | None], None],
                 replace_cameras: Callable[[Any, Any, str], dict[str, int]] | None = None,
                 reseal: Callable[[str, str], str] | None = None,
                 cameras_version: Callable[[], str] = lambda: "",
                 public_key: str | None = None, prober: Prober | None = None,
                 preview: Callable[[Any], dict[str, Any]] | None = None,
                 replace_token_keys: Callable[[Any], None] | None = None,
                 token_keys_digest: Callable[[], str] = lambda: "",
                 tls: ssl.SSLContext | None = None) -> None:
        """``replace_cameras(entries, ptz_entries, version)``, ``reseal(sealed, to_key)`` and
        ``preview(body)`` raise :class:`BadRequest` (or ``ValueError``) naming what is wrong
        with their input; ``preview`` raises :class:`~gateway.previews.PreviewsBusy` too."""
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
                    # "time": the backend compares it with its own clock at every contact
                    self._answer(HTTPStatus.OK, {"ok": True,
                                                 "cameras_version": cameras_version(),
                                                 "public_key": public_key,
                                                 "token_keys_digest": token_keys_digest(),
                                                 "time": time.time()})
                elif self.path == "/stats":
                    self._answer(HTTPStatus.OK, stats())
                else:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})

            def _body(self, limit: int = MAX_BODY) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                if not 0 < length <= limit:
                    raise BadRequest("body missing or too large")
                return json.loads(self.rfile.read(length))

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorized():
                    return
                try:
                    if self.path == "/revoke":
                        revocation = parse_revocation(self._body())
                        self._answer(HTTPStatus.OK, {"cut": revoke(revocation)})
                    elif self.path == "/ptz/holder":
                        camera_id, holder = parse_holder(self._body())
                        set_holder(camera_id, holder)
                        self._answer(HTTPStatus.OK, {"ok": True})
                    elif self.path == "/probe" and prober is not None:
                        try:
                            answer = prober.run(self._body())
                        except ProbeBusy as err:
                            self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(err)})
                            return
                        except ProbeBadRequest as err:
                            self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})
                            return
                        self._answer(HTTPStatus.OK, answer)
                    elif self.path == "/preview" and preview is not None:
                        try:
                            answer = preview(self._body())
                        except PreviewsBusy as err:
                            self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(err)})
                            return
                        self._answer(HTTPStatus.OK, answer)
                    elif self.path == "/reseal" and reseal is not None:
                        body = self._body()
                        if not isinstance(body, dict) or set(body) != {"sealed", "to"}:
                            raise BadRequest("give sealed and to")
                        self._answer(HTTPStatus.OK,
                                     {"sealed": reseal(str(body["sealed"]), str(body["to"]))})
                    else:
                        self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})
                except (BadRequest, ValueError) as err:
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})

            def do_PUT(self) -> None:  # noqa: N802
                if not self._authorized():
                    return
                if self.path == "/token-keys" and replace_token_keys is not None:
                    try:
                        body = self._body()
                        if not isinstance(body, dict) or set(body) != {"token_keys"}:
                            raise BadRequest("give token_keys")
                        replace_token_keys(body["token_keys"])  # ConfigError names the entry
                    except (BadRequest, ValueError) as err:
                        self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})
                        return
                    self._answer(HTTPStatus.OK, {"ok": True})
                    return
                if self.path != "/cameras" or replace_cameras is None:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})
                    return
                try:
                    body = self._body(MAX_TABLE_BODY)
                    if not isinstance(body, dict) or not isinstance(body.get("version"), str):
                        raise BadRequest("give cameras and version")
                    result = replace_cameras(body.get("cameras"), body.get("ptz_cameras"),
                                             body["version"])
                except (BadRequest, ValueError) as err:
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})
                    return
                self._answer(HTTPStatus.OK, result)

        super().__init__(address, port, Handler, "control", tls)
