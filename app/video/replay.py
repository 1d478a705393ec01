"""Instant replay: the last minute of a tile's stream, kept in memory as MPEG-TS chunks.

The remuxer already turns the camera's packets into MPEG-TS for libvlc; the ring keeps a copy of
those bytes cut into chunks that each start at a video keyframe (the muxer repeats PAT/PMT and
SPS/PPS there), so any chunk is a valid place for a player to start. Nothing is decoded and no
second muxer runs. Bounded twice: by age (60 s by default) and by bytes (a 1080p main stream at
8 Mbit/s is 60 MB a minute; the default cap keeps the worst tile at 48 MB).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Chunk:
    started: float  # clock time of its keyframe
    data: bytearray = field(default_factory=bytearray)


class ReplayRing:
    """Thread-safe ring of keyframe-aligned TS chunks (written by the ingest thread)."""

    def __init__(
        self,
        seconds: float = 60.0,
        max_bytes: int = 48 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._clock = clock
        self._chunks: deque[_Chunk] = deque()
        self._bytes = 0
        self._lock = threading.Lock()

    def start_chunk(self) -> None:
        """A keyframe's bytes come next: open a new chunk and drop what fell out of the window."""
        now = self._clock()
        with self._lock:
            self._chunks.append(_Chunk(now))
            self._trim(now)

    def write(self, data: bytes) -> None:
        """Append TS bytes to the newest chunk (bytes before the first keyframe are dropped)."""
        with self._lock:
            if not self._chunks:
                return
            self._chunks[-1].data += data
            self._bytes += len(data)
            if self._bytes > self.max_bytes:
                self._trim(self._clock())

    def _trim(self, now: float) -> None:
        # keep at least the newest chunk; drop by age (a chunk is needed while its successor
        # starts inside the window) and by bytes
        while len(self._chunks) > 1 and (
            self._chunks[1].started <= now - self.seconds or self._bytes > self.max_bytes
        ):
            self._bytes -= len(self._chunks.popleft().data)

    def clear(self) -> None:
        with self._lock:
            self._chunks.clear()
            self._bytes = 0

    @property
    def nbytes(self) -> int:
        with self._lock:
            return self._bytes

    def span(self) -> float:
        """Seconds of stream held (from the oldest chunk's keyframe to now)."""
        with self._lock:
            if not self._chunks:
                return 0.0
            return max(0.0, self._clock() - self._chunks[0].started)

    def snapshot(self, seconds_back: float) -> tuple[bytes, float]:
        """The bytes from the newest keyframe at least ``seconds_back`` ago (or the oldest one)
        up to now, and how far back that keyframe is (seconds)."""
        now = self._clock()
        with self._lock:
            if not self._chunks:
                return b"", 0.0
            start = 0
            for i, chunk in enumerate(self._chunks):
                if now - chunk.started >= seconds_back:
                    start = i
                else:
                    break
            chunks = list(self._chunks)[start:]
            return b"".join(bytes(c.data) for c in chunks), now - chunks[0].started
