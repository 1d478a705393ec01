"""What the wall knows about one tile's stream.

The wall shows these states to the duty operator, so they are few and named after what the
operator sees: a picture that moves (LIVE), a picture that stopped moving (STALLED), no picture with
a reason to give the duty desk (OFFLINE), or nothing asked for (STOPPED).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class StreamState(enum.Enum):
    """Life of one tile's stream, as the operator sees it."""

    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    OFFLINE = "offline"
    STOPPED = "stopped"
    REPLAY = "replay"  # the tile shows its instant-replay buffer, not live


class OfflineReason:
    """The reasons an OFFLINE tile gives (short, stable strings; widgets translate them)."""

    REFUSED = "refused"
    AUTH_FAILED = "auth failed"
    TIMEOUT = "timeout"
    NOT_FOUND = "not found"
    FORBIDDEN = "forbidden"
    DISCONNECTED = "disconnected"
    NO_VIDEO = "no video"
    RENDERER = "renderer failed"
    GATEWAY = "gateway"  # the media gateway does not answer (its session URL is refused)
    # the gateway answers but cannot reach the camera now (it retries with backoff, or waits
    # for an administrator to enter the camera's right password)
    CAMERA = "camera unreachable"
    NO_SESSION = "no session"  # the backend granted no session to watch through the gateway
    # an rtsps:// gateway whose certificate is not from the site CA pinned for the server
    UNTRUSTED = "untrusted certificate"
    # not offline: CONNECTING's reason while a long-GOP camera's first key frame is awaited
    KEYFRAME = "keyframe"
    ERROR = "error"


@dataclass(frozen=True)
class TileStatus:
    """A snapshot of one tile's health.

    ``last_frame_age`` is the time since libvlc last showed a new picture (decoded, not dropped
    as late; never a redisplay of the last one; None before the first one); ``fps`` is the rate
    of those new pictures, never more than the camera sent, counted over at least a second and
    ten of the stream's frames; ``bitrate_kbps`` the compressed rate received from the camera.
    STALLED comes after six of the stream's frame intervals (at least 1.5 s) without a new
    picture; the last picture stays on screen under the badge. ``retry_in`` (OFFLINE) is the time
    until the next full connection attempt; ``width``/``height`` what the ingest receives (0
    before it connected); ``replay_offset`` (REPLAY) how far behind live the replay started.
    Statuses are sent on changes only: a widget counts ages up and ``retry_in`` down itself.
    """

    state: StreamState
    last_frame_age: float | None = None
    reason: str | None = None
    fps: float = 0.0
    bitrate_kbps: float = 0.0
    retry_in: float | None = None
    width: int = 0
    height: int = 0
    muted: bool = True
    replay_offset: float | None = None
    transport: str = "tcp"
    # CONNECTING with reason KEYFRAME: seconds the stream has waited for the camera's key frame
    waiting_s: float | None = None


STOPPED_STATUS = TileStatus(StreamState.STOPPED)
