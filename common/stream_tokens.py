"""Stream session tokens: what the backend signs and the media gateway checks offline.

A viewer (a wall tile, the recorder) opens a camera stream at the gateway with a token the backend
issued for one session: one user, one camera, one stream, a short lifetime. The gateway holds no
database and asks nobody: it checks the backend's Ed25519 signature with the public key it was
given at start. Expiry gates only the start of a session: a viewer already playing is cut by a
revocation, not by the clock.

Format: ``base64url(payload) "." base64url(signature)`` without padding (URL-safe: it travels as
the password of an RTSP URL). ``payload`` is the canonical JSON (``common.evidence``) of
``{"format", "session_id", "user_id", "username", "camera_id", "stream", "issued_at",
"expires_at"}`` (times in Unix seconds, integers); the signature is over exactly those payload
bytes, and a payload that is not in canonical form is malformed (a token has one spelling only).
``format`` keeps a token from being confused with anything else the same key might sign.

The signature primitive is the caller's, as in :func:`common.evidence.verify_clip` (this package
may not import a crypto library): :func:`encode` takes ``sign(message) -> signature`` and
:func:`decode_and_verify` ``verify_signature(message, signature) -> bool``. The checks run in
this order, and the first that fails names the exception: shape (:class:`MalformedToken`),
signature (:class:`BadSignature`), fields (:class:`MalformedToken`), expiry
(:class:`ExpiredToken`), camera and stream (:class:`WrongStream`). No message carries the token.

A preview (an administrator watching a camera's stream before the camera is saved: it has no
id yet) is served at ``/preview/<preview_id>``. Its token has the same format and fields:
``stream`` is ``"preview"``, ``camera_id`` is 0 and ``session_id`` is the preview's id. A
preview token thus opens no camera mount (no camera stream is called ``preview``), a camera
token opens no preview mount (its stream is ``main`` or ``sub``), and a preview token opens
that one preview only (the gateway checks the session id against the mount's); every token
signed before stays valid as it was.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from common.evidence import canonical_json
from common.vocabulary import CameraStream

TOKEN_FORMAT = "iocwall-stream-token/1"


STREAMS = tuple(stream.value for stream in CameraStream)
# The last part of a stream's live mount at the gateway: the same upstream as its viewers, no
# kept GOP, timestamps as the frames arrive (for recording).
LIVE_MOUNT = "live"
# The stream claim of a preview's token, and the first part of its mount's path.
PREVIEW_STREAM = "preview"
# The session id is the user name of the RTSP URL: no ':', '@', '/' or spaces.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_TOKEN_CHARS = 4096
FIELDS = ("format", "session_id", "user_id", "username", "camera_id", "stream", "issued_at",
          "expires_at")

Sign = Callable[[bytes], bytes]
"""``sign(message) -> signature`` (Ed25519: 64 bytes)."""
VerifySignature = Callable[[bytes, bytes], bool]
"""``verify_signature(message, signature) -> True`` when one trusted key verifies it."""


class TokenError(ValueError):
    """A token was refused; ``reason`` is a stable word for logs and audit lines."""

    reason = "refused"


class MalformedToken(TokenError):
    """Not a token: bad shape, not base64url, not canonical JSON, a field missing or wrong."""

    reason = "malformed"


class BadSignature(TokenError):
    """Well formed, but no trusted key signed it (altered, or signed by another key)."""

    reason = "bad_signature"


class RefusedClaims(TokenError):
    """Signed and well formed, but its claims refuse this use: ``token`` carries them (a refusal
    is logged with who it was for). Each token format names its own refusals."""

    def __init__(self, message: str, token: Any) -> None:
        super().__init__(message)
        self.token = token


class ExpiredToken(RefusedClaims):
    """Signed and valid, but past its ``expires_at``: it may no longer start a session."""

    reason = "expired"
    token: StreamToken


class WrongStream(RefusedClaims):
    """Signed and valid, but for another camera or stream than the one asked for."""

    reason = "wrong_stream"
    token: StreamToken


def claims_of(payload: Any, token_format: str, kind: str, fields: tuple[str, ...], *,
              strings: tuple[str, ...]) -> dict[str, Any]:
    """The claims of a decoded payload, ``format`` left out, once its keys are exactly
    ``fields``, its format is ``token_format``, the ``strings`` are strings and every other
    claim an integer, and it expires after it was issued; :class:`MalformedToken` naming the
    first that is wrong otherwise (``kind``: how the message names the token)."""
    if not isinstance(payload, dict):
        raise MalformedToken("payload is not a JSON object")
    if set(payload) != set(fields):
        missing = sorted(set(fields) - set(payload))
        extra = sorted(set(payload) - set(fields))
        raise MalformedToken(f"payload fields wrong (missing {missing}, unknown {extra})")
    if payload["format"] != token_format:
        raise MalformedToken(f"not a {kind} (format)")
    for name in fields:
        if name == "format" or name in strings:
            continue
        value = payload[name]
        if not isinstance(value, int) or isinstance(value, bool):
            raise MalformedToken(f"{name} is not an integer")
    for name in strings:
        if not isinstance(payload[name], str):
            raise MalformedToken(f"{name} is not a string")
    if payload["expires_at"] <= payload["issued_at"]:
        raise MalformedToken("expires_at is not after issued_at")
    return {name: payload[name] for name in fields if name != "format"}


@dataclass(frozen=True)
class StreamToken:
    """The signed claims of one viewing session."""

    session_id: str
    user_id: int
    username: str
    camera_id: int
    stream: str
    issued_at: int
    expires_at: int

    def payload(self) -> dict[str, Any]:
        return {"format": TOKEN_FORMAT, **asdict(self)}

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    @classmethod
    def from_payload(cls, payload: Any) -> StreamToken:
        """The claims of a decoded payload; :class:`MalformedToken` when one is wrong."""
        claims = claims_of(payload, TOKEN_FORMAT, "stream token", FIELDS,
                           strings=("session_id", "username", "stream"))
        if not SESSION_ID.fullmatch(claims["session_id"]):
            raise MalformedToken("session_id is not 8-64 characters of [A-Za-z0-9_-]")
        if claims["stream"] not in STREAMS and claims["stream"] != PREVIEW_STREAM:
            raise MalformedToken(f"stream is not one of {', '.join(STREAMS)}, {PREVIEW_STREAM}")
        if claims["stream"] == PREVIEW_STREAM and claims["camera_id"] != 0:
            raise MalformedToken("a preview token is for camera 0")
        return cls(**claims)

    @property
    def preview(self) -> bool:
        return self.stream == PREVIEW_STREAM


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise MalformedToken("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedToken("not base64url") from exc


def session_url(host: str, port: int, camera_id: int, stream: str, token: str, *,
                live: bool = False, secure: bool = False) -> str:
    """Where a viewer opens a session: ``rtsp://host:port/cam/<id>/<stream>?token=<token>``
    (``live``: the stream's live mount, ``.../<stream>/live?token=...``, for recording;
    ``secure``: ``rtsps://``, a gateway with a certificate from the site CA).

    The token rides in the query, not as the URL's password: FFmpeg (PyAV, ffprobe) cuts a
    URL's user info at 127 bytes, and a token is longer. Whatever logs or shows a session URL
    logs :func:`mask_token` of it."""
    mount = f"/cam/{camera_id}/{stream}" + (f"/{LIVE_MOUNT}" if live else "")
    return f"{_scheme(secure)}://{host}:{port}{mount}?token={token}"


def _scheme(secure: bool) -> str:
    return "rtsps" if secure else "rtsp"


def preview_path(preview_id: str) -> str:
    """A preview's mount at the gateway."""
    return f"/{PREVIEW_STREAM}/{preview_id}"


def preview_url(host: str, port: int, preview_id: str, token: str, *,
                secure: bool = False) -> str:
    """Where a viewer opens a preview: ``rtsp://host:port/preview/<id>?token=<token>``."""
    return f"{_scheme(secure)}://{host}:{port}{preview_path(preview_id)}?token={token}"


_TOKEN_IN_URL = re.compile(r"""(?P<name>[?&]token=)[^&#\s'"]*""")


def mask_token(text: str) -> str:
    """``text`` (a URL, an error message quoting one) with every ``token=`` value as ``***``."""
    return _TOKEN_IN_URL.sub(r"\g<name>***", text)


def sign_payload(payload: dict[str, Any], sign: Sign) -> str:
    """A signed token's text: the canonical payload and its signature, base64url, joined by a
    dot (every token format of this project: :mod:`common.ptz_tokens` too)."""
    message = canonical_json(payload).encode("utf-8")
    return f"{_b64encode(message)}.{_b64encode(sign(message))}"


def encode(token: StreamToken, sign: Sign) -> str:
    """The token text: the canonical payload and its signature, base64url, joined by a dot."""
    StreamToken.from_payload(token.payload())  # never sign what decode would refuse
    return sign_payload(token.payload(), sign)


def verified_payload(text: str, verify_signature: VerifySignature) -> Any:
    """The decoded payload of a token whose shape is right and whose signature holds (its
    fields are the caller's to check): :class:`MalformedToken` or :class:`BadSignature`."""
    if not isinstance(text, str) or not text or len(text) > MAX_TOKEN_CHARS:
        raise MalformedToken("empty or oversized token")
    parts = text.split(".")
    if len(parts) != 2 or not all(parts):
        raise MalformedToken("not two dot-separated parts")
    message, signature = _b64decode(parts[0]), _b64decode(parts[1])
    if _b64encode(message) != parts[0] or _b64encode(signature) != parts[1]:
        raise MalformedToken("not canonical base64url")
    try:
        document = json.loads(message.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedToken("payload is not UTF-8 JSON") from exc
    if canonical_json(document).encode("utf-8") != message:
        raise MalformedToken("payload is not canonical JSON")
    if not verify_signature(message, signature):
        raise BadSignature("signature does not verify with a trusted key")
    return document


def decode_and_verify(text: str, verify_signature: VerifySignature, now: float, *,
                      camera_id: int | None = None, stream: str | None = None,
                      preview_id: str | None = None) -> StreamToken:
    """The token's claims once its signature holds, it has not expired at ``now`` (Unix
    seconds) and, when given, it is for ``camera_id`` and ``stream``, and for the preview
    ``preview_id`` (its session id); a :class:`TokenError` subclass otherwise (see the
    module's docstring for the order)."""
    token = StreamToken.from_payload(verified_payload(text, verify_signature))
    if token.expired(now):
        raise ExpiredToken(f"expired {now - token.expires_at:.0f} s ago", token)
    if camera_id is not None and token.camera_id != camera_id:
        raise WrongStream(f"issued for camera {token.camera_id}, not {camera_id}", token)
    if stream is not None and token.stream != stream:
        raise WrongStream(f"issued for the {token.stream} stream, not {stream}", token)
    if preview_id is not None and token.session_id != preview_id:
        raise WrongStream("issued for another preview", token)
    return token


def trusted_keys_digest(keys: Iterable[tuple[bytes, float | None]]) -> str:
    """One word for a set of trusted token keys (raw Ed25519 public key, trusted until): the
    gateway says it in its health, the backend compares it with the set it wants trusted and
    sends the set again when they differ (a remote gateway restarted from its file)."""
    lines = sorted(f"{key.hex()}:{'' if until is None else int(until)}" for key, until in keys)
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()
