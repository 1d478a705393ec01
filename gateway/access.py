"""Who may start a session: the token check and the revocation list (no GStreamer here).

A session starts when a viewer presents, as RTSP Basic credentials, its session id and the
token the backend signed for it (:mod:`common.stream_tokens`). :meth:`Gate.admit` decides; the
relay only applies the answer. Revocations (by session, user, camera, or user on a camera) are kept until every
token they can match has expired: a session id until its token's ``expires_at``, a user or a
camera for ``max_token_lifetime_s`` (tokens living longer are refused), and they match tokens
issued at or before the revocation's second (the backend gives a user whose rights came back a
token issued afterwards).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from common.stream_tokens import (
    MalformedToken,
    StreamToken,
    TokenError,
    VerifySignature,
    decode_and_verify,
)


class Revoked(TokenError):
    """Signed and valid, but its session, user or camera was revoked."""

    reason = "revoked"

    def __init__(self, message: str, token: StreamToken) -> None:
        super().__init__(message)
        self.token = token


class NotThisSession(TokenError):
    """The Basic user name is not the session id the token was issued for."""

    reason = "session_mismatch"

    def __init__(self, message: str, token: StreamToken) -> None:
        super().__init__(message)
        self.token = token


@dataclass(frozen=True)
class Revocation:
    """What ``POST /revoke`` names: session ids, a user, a camera, or a user on one camera
    (both ids: the camera left that user's scope; the user's other cameras play on)."""

    session_ids: tuple[str, ...] = ()
    user_id: int | None = None
    camera_id: int | None = None

    def matches(self, token: StreamToken) -> bool:
        if token.session_id in self.session_ids:
            return True
        if self.user_id is not None and self.camera_id is not None:
            return token.user_id == self.user_id and token.camera_id == self.camera_id
        return ((self.user_id is not None and token.user_id == self.user_id)
                or (self.camera_id is not None and token.camera_id == self.camera_id))


class Gate:
    """Token checks against the trusted keys, and the revocation list (thread-safe)."""

    def __init__(self, verify_signature: VerifySignature, max_token_lifetime_s: int,
                 clock: Callable[[], float]) -> None:
        self._verify = verify_signature
        self._max_lifetime = max_token_lifetime_s
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, float] = {}  # session id → keep until
        self._users: dict[int, float] = {}  # user id → revoked at (Unix seconds)
        self._cameras: dict[int, float] = {}
        self._user_cameras: dict[tuple[int, int], float] = {}

    def admit(self, token_text: str, camera_id: int, stream: str, *,
              session_id: str | None = None, preview_id: str | None = None) -> StreamToken:
        """The token's claims when it may start a session on this camera stream now; a
        :class:`TokenError` (its ``reason`` a stable word) otherwise. ``session_id``: the one
        the viewer named besides (Basic user name), which must be the token's. A preview's
        mount asks camera 0, stream ``preview`` and its ``preview_id`` (the token's session
        id: see :mod:`common.stream_tokens`)."""
        now = self._clock()
        token = decode_and_verify(token_text, self._verify, now, camera_id=camera_id,
                                  stream=stream, preview_id=preview_id)
        if token.expires_at - token.issued_at > self._max_lifetime:
            raise MalformedToken(f"lifetime over {self._max_lifetime} s")
        if session_id is not None and token.session_id != session_id:
            raise NotThisSession("user name is not the token's session id", token)
        self.check_revoked(token)
        return token

    def check_revoked(self, token: StreamToken) -> None:
        with self._lock:
            self._prune(self._clock())
            if token.session_id in self._sessions:
                raise Revoked(f"session {token.session_id} revoked", token)
            at = self._users.get(token.user_id)
            if at is not None and token.issued_at <= at:
                raise Revoked(f"user {token.user_id} revoked", token)
            at = self._cameras.get(token.camera_id)
            if at is not None and token.issued_at <= at:
                raise Revoked(f"camera {token.camera_id} revoked", token)
            at = self._user_cameras.get((token.user_id, token.camera_id))
            if at is not None and token.issued_at <= at:
                raise Revoked(f"user {token.user_id} on camera {token.camera_id} revoked", token)

    def revoked_claims(self, user_id: int, camera_id: int, issued_at: int) -> bool:
        """Whether a user, camera or user-on-camera revocation covers a token with these
        claims issued then (a PTZ token: it has no session to revoke)."""
        with self._lock:
            self._prune(self._clock())
            for at in (self._users.get(user_id), self._cameras.get(camera_id),
                       self._user_cameras.get((user_id, camera_id))):
                if at is not None and issued_at <= at:
                    return True
        return False

    def revoke(self, revocation: Revocation, known: list[StreamToken]) -> None:
        """Refuse the matching tokens from now on; ``known`` are the live sessions' tokens
        (a revoked session id is kept until its token expires, or for the longest lifetime)."""
        now = self._clock()
        expiries = {t.session_id: t.expires_at for t in known}
        with self._lock:
            for session_id in revocation.session_ids:
                until = expiries.get(session_id, now + self._max_lifetime)
                self._sessions[session_id] = max(until, self._sessions.get(session_id, 0))
            if revocation.user_id is not None and revocation.camera_id is not None:
                self._user_cameras[(revocation.user_id, revocation.camera_id)] = now
            elif revocation.user_id is not None:
                self._users[revocation.user_id] = now
            elif revocation.camera_id is not None:
                self._cameras[revocation.camera_id] = now

    def revoked_count(self) -> int:
        with self._lock:
            self._prune(self._clock())
            return (len(self._sessions) + len(self._users) + len(self._cameras)
                    + len(self._user_cameras))

    def _prune(self, now: float) -> None:
        self._sessions = {s: until for s, until in self._sessions.items() if until > now}
        horizon = now - self._max_lifetime
        self._users = {u: at for u, at in self._users.items() if at > horizon}
        self._cameras = {c: at for c, at in self._cameras.items() if at > horizon}
        self._user_cameras = {k: at for k, at in self._user_cameras.items() if at > horizon}
