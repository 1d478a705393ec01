"""PTZ tokens: what the backend signs for a user who may drive a camera, and the gateway checks
offline before it speaks ONVIF to that camera for the user.

The client speaks ONVIF to the gateway's PTZ endpoint as if it were the camera, and presents
the token as both the user name and the password of its WS-Security UsernameToken (the digest
proves nothing more than the user name does: the token is the credential, as a stream token
is in a session URL). The camera's own ONVIF password never leaves the gateway.

A PTZ token says who the user is and for which camera, for a short while: the backend signs one
for anybody holding ``ptz`` on the camera (to read its profiles, presets, position) and one with
every lease grant or renewal (its life ends with the lease's). Whether a command moves the
camera is not in the token: the gateway forwards commands only for the user the backend told it
holds the camera's lease (``POST /ptz/holder`` on its control endpoint).

Format: the stream tokens' (``base64url(canonical JSON payload) "." base64url(Ed25519
signature)``, :func:`common.stream_tokens.sign_payload`), with its own ``format`` word so that a
stream token, handed to every viewer, is never taken for a PTZ token and the other way round.
Payload: ``{"format", "user_id", "username", "camera_id", "issued_at", "expires_at"}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from common.stream_tokens import (
    RefusedClaims,
    Sign,
    VerifySignature,
    claims_of,
    sign_payload,
    verified_payload,
)

TOKEN_FORMAT = "iocwall-ptz-token/1"
FIELDS = ("format", "user_id", "username", "camera_id", "issued_at", "expires_at")


class ExpiredPtzToken(RefusedClaims):
    """Signed and valid, but past its ``expires_at``."""

    reason = "expired"
    token: PtzToken


class WrongCamera(RefusedClaims):
    """Signed and valid, but for another camera."""

    reason = "wrong_camera"
    token: PtzToken


@dataclass(frozen=True)
class PtzToken:
    """The signed claims: this user may speak ONVIF to this camera's broker until then."""

    user_id: int
    username: str
    camera_id: int
    issued_at: int
    expires_at: int

    def payload(self) -> dict[str, Any]:
        return {"format": TOKEN_FORMAT, **asdict(self)}

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    @classmethod
    def from_payload(cls, payload: Any) -> PtzToken:
        return cls(**claims_of(payload, TOKEN_FORMAT, "PTZ token", FIELDS, strings=("username",)))


def encode(token: PtzToken, sign: Sign) -> str:
    PtzToken.from_payload(token.payload())  # never sign what decode would refuse
    return sign_payload(token.payload(), sign)


def decode_and_verify(text: str, verify_signature: VerifySignature, now: float, *,
                      camera_id: int | None = None) -> PtzToken:
    """The claims once the shape, signature and fields hold, it has not expired at ``now`` and,
    when given, it is for ``camera_id``; a :class:`TokenError` subclass otherwise, in that
    order (an expired token's claims ride on :class:`ExpiredPtzToken`: the gateway still lets
    its holder stop the camera a little while)."""
    token = PtzToken.from_payload(verified_payload(text, verify_signature))
    if token.expired(now):
        raise ExpiredPtzToken(f"expired {now - token.expires_at:.0f} s ago", token)
    if camera_id is not None and token.camera_id != camera_id:
        raise WrongCamera(f"issued for camera {token.camera_id}, not {camera_id}", token)
    return token
