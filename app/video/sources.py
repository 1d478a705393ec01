"""Where a tile's stream comes from: a fixed URL, or a session that the backend issues for each
connection attempt.

Behind a media gateway a viewer never holds a camera's address or password: it asks the backend
for a session (``POST /cameras/{id}/streams/{stream}/session``) and plays the gateway URL it
answers, whose token is short-lived — its expiry only gates the start of a session, so each
reconnect asks for a fresh one. Asking is a blocking backend call: :func:`resolve` runs on the
ingest thread, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import BackendError, Forbidden, NotFound
from app.video.status import OfflineReason
from common.records import CAMERA_LOGIN_FAILED, GATEWAY_UNAVAILABLE
from common.stream_tokens import mask_token
from common.urls import mask_url


class SourceUnavailable(Exception):
    """No URL to play now; ``reason`` is an :class:`OfflineReason`, ``detail`` for the log."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SessionSource:
    """A camera stream reached through the gateway. Two sources of the same camera and stream
    are equal (a camera with one stream serves both sizes from it)."""

    camera_id: int
    stream: str
    issue: Callable[[], str] = field(compare=False, repr=False)
    # the last URL granted: the gateway's address for the "is it back?" probe (its token may
    # have expired by then; the gateway answering at all is what the probe asks)
    issued: list[str] = field(default_factory=list, compare=False, repr=False)

    def open(self) -> str:
        """A fresh session URL (blocking); :class:`SourceUnavailable` when none is granted."""
        try:
            url = self.issue()
            self.issued[:] = [url]
            return url
        except (NotFound, Forbidden) as exc:
            # the camera left the user's scope, or a grant ended
            raise SourceUnavailable(OfflineReason.FORBIDDEN, str(exc)) from exc
        except BackendError as exc:  # the backend is down, the login expired, …
            if exc.code == GATEWAY_UNAVAILABLE:  # the backend is up, the camera's gateway not
                raise SourceUnavailable(OfflineReason.GATEWAY, str(exc)) from exc
            if exc.code == CAMERA_LOGIN_FAILED:  # the camera refuses its gateway's password
                raise SourceUnavailable(OfflineReason.AUTH_FAILED, str(exc)) from exc
            raise SourceUnavailable(OfflineReason.NO_SESSION, str(exc)) from exc


StreamSource = str | SessionSource


def resolve(source: StreamSource) -> str:
    """The URL to open now (a new session for a :class:`SessionSource`)."""
    return source.open() if isinstance(source, SessionSource) else source


def gateway_answers(source: SessionSource, timeout: float = 1.0,
                    ca_file: str | None = None) -> bool:
    """True when the gateway behind ``source`` answers RTSP again (200, or 401 for the expired
    token of the last session): worth asking for a new session now. ``ca_file``: the site CA an
    ``rtsps://`` gateway must prove itself against."""
    from app.video.probe import rtsp_status

    return bool(source.issued) and rtsp_status(source.issued[0], timeout, ca_file) in (200, 401)


def scrub_url(url: str) -> str:
    """A URL as it may be logged: no password in its user info, no token in its query."""
    return mask_token(mask_url(url))


def describe(source: StreamSource) -> str:
    """A source as it may be logged."""
    if isinstance(source, SessionSource):
        return f"gateway session camera {source.camera_id}/{source.stream}"
    return scrub_url(source)
