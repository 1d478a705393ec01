"""The control endpoint's ``POST /preview``: a camera's stream watched before the camera is saved.

Body: ``{"url": "rtsp://10.0.0.5:554/..." (no user info), "username": "...",
"sealed_password": "<box sealed to this gateway's key, base64>" | null, "transport": "auto" |
"tcp" | "udp"}``. The relay mounts the stream at ``/preview/<preview_id>`` like a camera's
(:meth:`gateway.relay.Relay.add_preview`: a GOP keeper, the camera's login through
:class:`~gateway.camera_login.CameraLogin`, so the password never leaves this process) and
answers ``{"preview_id", "expires_in_s"}``. Its viewers need a token for that preview
(:mod:`common.stream_tokens`), which the backend signs. A preview ends at its lifetime, when
its last viewer leaves after having played, or when its camera cannot be reached, whichever
comes first: it is a look before saving, not a way to watch a camera nobody registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from common.stream_tokens import PREVIEW_STREAM
from gateway.config import TRANSPORTS, Upstream
from gateway.probing import open_password

FIELDS = {"url", "username", "sealed_password", "transport"}
# Each preview holds a camera connection that no saved camera accounts for: a few at once is
# enough for administrators onboarding cameras, and bounds what a stolen admin session costs.
MAX_PREVIEWS = 4


class PreviewBadRequest(ValueError):
    """The body is not a preview request (the message names the field)."""


class PreviewsBusy(RuntimeError):
    """As many previews as the gateway allows are mounted."""


def parse_preview(body: Any, open_sealed: Callable[[bytes], bytes] | None) -> Upstream:
    """The stream to preview (its mount's id is the relay's to choose); a
    :class:`PreviewBadRequest` naming the first wrong field."""
    if not isinstance(body, dict):
        raise PreviewBadRequest("body: not an object")
    unknown = set(body) - FIELDS
    if unknown:
        raise PreviewBadRequest(f"{sorted(unknown)[0]}: unknown field")
    url = body.get("url")
    if not isinstance(url, str) or not url or len(url) > 2048:
        raise PreviewBadRequest("url: not a string")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        _port = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise PreviewBadRequest("url: not an rtsp:// URL") from exc
    if parts.scheme.lower() not in ("rtsp", "rtsps") or not hostname:
        raise PreviewBadRequest("url: not an rtsp:// URL")
    if parts.username is not None or parts.password is not None:
        raise PreviewBadRequest("url: user info in the URL (send the password sealed)")
    username = body.get("username") or ""
    if not isinstance(username, str) or len(username) > 128:
        raise PreviewBadRequest("username: not a string")
    transport = body.get("transport") or "auto"
    if transport not in TRANSPORTS:
        raise PreviewBadRequest(f"transport: not one of {', '.join(TRANSPORTS)}")
    password = open_password(body.get("sealed_password"), open_sealed, PreviewBadRequest)
    return Upstream(camera_id=0, stream=PREVIEW_STREAM, url=url, username=username,
                    password=password, transport=transport)
