"""The narrow interfaces widgets and controllers are given (structural types, no imports).

Widgets must not import ``app.backend`` (requests), ``app.credentials`` (keyring) or ``app.video``
(vlc/av) — not even for type hints, since import-linter follows those too. They are handed objects
that fit these protocols instead.
"""

from __future__ import annotations

from typing import Any, Protocol

from app.domain import Camera, Session
from app.errors import FirstContact
from app.video.sources import StreamSource


class LoginService(Protocol):
    def login(self, server_url: str, username: str, password: str, remember: bool) -> Session:
        """Blocking: log in; raises ``app.errors.BackendError`` subclasses, among them
        ``ServerNotTrusted`` for a server met for the first time (nothing sent to it yet)."""
        ...

    def trust(self, contact: FirstContact) -> None:
        """Blocking (a file): pin the CA the operator compared and accepted."""
        ...


class CameraSource(Protocol):
    def cameras(self) -> list[Camera]:
        """Blocking: the cameras in the user's scope."""
        ...


class AuditSink(Protocol):
    def audit_event(self, event: str, camera_id: int, detail: str | None = None) -> None:
        """Blocking: record a view_start / view_stop."""
        ...


class VideoPort(Protocol):
    """What the wall needs of ``app.video.VideoService`` (docs/contracts.md)."""

    tile_status_changed: Any  # Signal(str, TileStatus)

    def play(self, tile_key: str, url: StreamSource, window_id: int, label: str,
             *, spare_window: int | None = None) -> None: ...

    def stop(self, tile_key: str) -> None: ...

    def status(self, tile_key: str) -> Any: ...
