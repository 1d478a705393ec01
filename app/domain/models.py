"""The client's vocabulary as plain dataclasses (no Qt, no network).

Everything the backend returns is turned into these types at the edge (`app.backend`), so the rest
of the client never passes loose dicts around. The words (camera systems, actions…) are
``common.vocabulary``'s, the server's own. Stream URLs carry camera credentials: they are kept
out of ``repr`` so that a camera printed in a log or a crash report never leaks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from common.vocabulary import Action, CameraSystem


@dataclass(frozen=True)
class Ward:
    id: int
    name: str


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str
    ward: Ward | None = None


@dataclass(frozen=True)
class Scope:
    """Where a user may look: the whole city or some wards, and which systems."""

    city_wide: bool
    ward_ids: tuple[int, ...] = ()
    systems: tuple[CameraSystem, ...] = ()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    role: str
    unit: Unit
    scope: Scope
    # set by an administrator (a new account, a reset password): the user chooses their own
    # password before anything else (the server refuses every other route until then)
    must_change_password: bool = False


@dataclass(frozen=True)
class Session:
    """A logged-in session: the bearer token is a secret, so it is left out of ``repr``."""

    server_url: str
    user: User
    expires_at: datetime | None
    access_token: str = field(repr=False)


@dataclass(frozen=True)
class Camera:
    id: int
    name: str
    ward: str
    ward_id: int
    system: CameraSystem
    ptz: bool = False
    public: bool = False
    location: str = ""
    actions: frozenset[Action] = frozenset()
    # Credentialed RTSP URLs (for example rtsp://user:pass@host/path): never in repr, logs or UI.
    main_stream_url: str | None = field(default=None, repr=False)
    sub_stream_url: str | None = field(default=None, repr=False)
    # the streams served through the media gateway ("main", "sub"): played through sessions the
    # backend issues, never with the camera's address or password
    streams: tuple[str, ...] = ()

    def can(self, action: Action) -> bool:
        return action in self.actions

    @property
    def playable(self) -> bool:
        """It has a stream this client can open (a direct URL or a gateway stream)."""
        return bool(self.sub_stream_url or self.main_stream_url or self.streams)
