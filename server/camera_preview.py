"""Onboarding a camera: its chosen stream watched live before the camera is saved.

The camera has no id yet, so no camera session can be issued for it. The gateway that will
serve it mounts the stream as a short-lived preview (``POST /preview``, :mod:`gateway.previews`)
with the password the administrator typed, sealed here to that gateway's key and forgotten; the
backend then signs a token for that preview only (:mod:`common.stream_tokens`: stream
``preview``, camera 0, the preview's id as session id) and answers a session URL like a camera's,
so the client plays it the way it plays any camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import Field

from common import stream_tokens
from common.records import StreamSession
from common.stream_tokens import PREVIEW_STREAM, StreamToken
from common.vocabulary import CameraTransport
from server.camera_probe import RTSP_URL_PATTERN
from server.gateway_fleet import (
    GatewayBusy,
    GatewayRefused,
    GatewayUnreachable,
    control_request,
)
from server.gateways import seal
from server.models import Gateway, User
from server.schemas import DbInt, StrictInput
from server.security import SecretBox
from server.stream_sessions import gateway_secure

PREVIEW_TIMEOUT_S = 10.0  # the gateway mounts it at once: it dials the camera at the first viewer
_PREVIEW_ID = stream_tokens.SESSION_ID


class CameraPreviewCreate(StrictInput):
    """A stream to watch before saving its camera: the probed profile's ``stream_uri`` (no
    user info in it) with the camera's login, through the gateway that will serve it."""

    gateway_id: DbInt
    rtsp_url: str = Field(max_length=2048, pattern=RTSP_URL_PATTERN)
    username: str = Field(default="", max_length=128)
    password: str = Field(default="", max_length=256, json_schema_extra={"writeOnly": True})
    transport: CameraTransport = CameraTransport.AUTO


@dataclass(frozen=True)
class OpenedPreview:
    token: StreamToken
    session: StreamSession


def open_preview(gateway: Gateway, box: SecretBox, key: Ed25519PrivateKey, user: User,
                 body: CameraPreviewCreate, now: datetime, lifetime_s: int) -> OpenedPreview:
    """The gateway's preview of the stream and a token for it. Raises :class:`GatewayBusy`
    (as many previews as it allows are open), :class:`GatewayUnreachable`,
    :class:`GatewayRefused` (it refused the request: its message names the field)."""
    assert gateway.public_key is not None
    request = {"url": body.rtsp_url, "username": body.username,
               "sealed_password": seal(gateway.public_key, body.password) if body.password
               else None, "transport": str(body.transport)}
    answer = control_request(gateway, box, "POST", "/preview", request,
                             timeout=PREVIEW_TIMEOUT_S)
    preview_id = answer.get("preview_id") if isinstance(answer, dict) else None
    if not isinstance(preview_id, str) or not _PREVIEW_ID.fullmatch(preview_id):
        raise GatewayUnreachable(f"gateway {gateway.name}: not a preview answer")
    issued_at = int(now.timestamp())
    token = StreamToken(session_id=preview_id, user_id=user.id, username=user.username,
                        camera_id=0, stream=PREVIEW_STREAM, issued_at=issued_at,
                        expires_at=issued_at + lifetime_s)
    text = stream_tokens.encode(token, key.sign)
    url = stream_tokens.preview_url(gateway.rtsp_host, gateway.rtsp_port, preview_id, text,
                                    secure=gateway_secure(gateway))
    return OpenedPreview(token, StreamSession(
        url=url, expires_at=datetime.fromtimestamp(token.expires_at, UTC)))


__all__ = ["CameraPreviewCreate", "GatewayBusy", "GatewayRefused", "GatewayUnreachable",
           "OpenedPreview", "open_preview"]
