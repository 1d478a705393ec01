"""Stream session tokens: the backend signs, the media gateway checks offline.

A viewer asks ``POST /cameras/{id}/streams/{main|sub}/session`` and gets a session URL at the
camera's gateway with a token bound to the user, the camera and the stream
(:mod:`common.stream_tokens`). The gateway verifies it with the public half of the key here and
asks nobody, so a backend outage does not black out reconnects within a token's life; the life
is short (``stream_token_lifetime_s``, 60 s) because expiry gates only the start of a session.
What ends a session early is a revocation (:mod:`server.gateways`).

The key is its own file (``<data>/stream-token.key``, 0600), not the evidence key: a token key
may be replaced (every gateway told the new public key) without touching signed evidence.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common import stream_tokens
from common.records import StreamSession
from common.stream_tokens import CameraStream, StreamToken
from server.key_ring import retired_keys
from server.models import Gateway, User
from server.signing import load_or_create_signing_key


def load_or_create_token_key(path: Path) -> Ed25519PrivateKey:
    """The token-signing key, created owner-only on first use."""
    return load_or_create_signing_key(path)


def public_key_base64(key: Ed25519PrivateKey) -> str:
    """The raw public key, base64: what a gateway's ``token_keys`` takes."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def gateway_token_keys(key_file: Path, now: datetime) -> list[str | dict[str, Any]]:
    """What a gateway's ``token_keys`` holds: the current key, and each retired one until the
    last token it signed has expired (``{"key", "until"}``: the gateway stops trusting it by
    itself then, so a rotation logs nobody out and cuts nobody)."""
    entries: list[str | dict[str, Any]] = [public_key_base64(load_or_create_token_key(key_file))]
    for retired in retired_keys(key_file):
        if retired.valid_until is not None and retired.valid_until > now:
            raw = retired.public_key.public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
            entries.append({"key": base64.b64encode(raw).decode("ascii"),
                            "until": int(retired.valid_until.timestamp()) + 1})
    return entries


def token_key_pairs(entries: list[str | dict[str, Any]]) -> list[tuple[bytes, float | None]]:
    """:func:`gateway_token_keys`' entries as (raw key, until): what a gateway's digest of its
    trusted keys is computed over."""
    pairs: list[tuple[bytes, float | None]] = []
    for entry in entries:
        if isinstance(entry, str):
            pairs.append((base64.b64decode(entry), None))
        else:
            pairs.append((base64.b64decode(entry["key"]), float(entry["until"])))
    return pairs


@dataclass(frozen=True)
class IssuedSession:
    token: StreamToken
    session: StreamSession


def issue(key: Ed25519PrivateKey, gateway: Gateway, user: User, camera_id: int,
          stream: CameraStream, now: datetime, lifetime_s: int) -> IssuedSession:
    """A signed token for one session of ``user`` on the camera's stream at ``gateway``."""
    return issue_for(key, gateway, user.id, user.username, camera_id, stream, now, lifetime_s)


def issue_for(key: Ed25519PrivateKey, gateway: Gateway, user_id: int, username: str,
              camera_id: int, stream: CameraStream, now: datetime, lifetime_s: int, *,
              live: bool = False) -> IssuedSession:
    """A signed token for one session of a principal (a user, or the recorder: not a row of
    ``users``); ``live``: the URL of the stream's live mount (recording)."""
    issued_at = int(now.timestamp())
    token = StreamToken(session_id="s-" + secrets.token_urlsafe(12), user_id=user_id,
                        username=username, camera_id=camera_id, stream=stream.value,
                        issued_at=issued_at, expires_at=issued_at + lifetime_s)
    text = stream_tokens.encode(token, key.sign)
    url = stream_tokens.session_url(gateway.rtsp_host, gateway.rtsp_port, camera_id,
                                    stream.value, text, live=live, secure=gateway_secure(gateway))
    expires = datetime.fromtimestamp(token.expires_at, UTC)
    return IssuedSession(token, StreamSession(url=url, expires_at=expires))


def gateway_secure(gateway: Gateway) -> bool:
    """A gateway with a certificate from the site CA: its one ``"tls"`` setting makes its
    control endpoint HTTPS, its viewers' RTSP RTSPS and its PTZ broker HTTPS, so the control
    URL's scheme tells all three (no column of its own)."""
    return gateway.control_url.startswith("https://")


def gateway_ready(gateway: Gateway | None) -> bool:
    """A gateway a session URL may point at: switched on and heard from at least once (its
    address and key are known)."""
    return (gateway is not None and gateway.is_active and gateway.last_seen_at is not None
            and gateway.rtsp_port > 0)

