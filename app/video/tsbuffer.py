"""The bounded byte pipe between one tile's ingest thread and libvlc's input thread.

libvlc pulls bytes through its read callback at its own pace; the ingest pushes whenever the
camera sends. When the renderer stalls (a busy machine, a hidden window) the buffer must not grow
without bound: it drops the oldest whole 188-byte MPEG-TS packets, so the demuxer resyncs at the
next packet boundary instead of choking on a torn one. Reads wait in short slices and return 0
(end of stream) as soon as the buffer is closed, because a read callback that never returns makes
``libvlc_media_player_stop`` hang the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

TS_PACKET_SIZE = 188


class TsByteBuffer:
    """Thread-safe FIFO of MPEG-TS bytes with a byte cap (oldest whole TS packets dropped)."""

    def __init__(
        self,
        capacity: int = 2 * 1024 * 1024,
        max_delay: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 4 * TS_PACKET_SIZE:
            raise ValueError("capacity too small for MPEG-TS")
        self.capacity = capacity
        # The live buffer: unread bytes older than this (seconds) are skipped up to the newest
        # keyframe (see mark_keyframe), so a renderer that fell behind joins live again with a
        # whole picture instead of playing catch-up. None = bounded by bytes only.
        self.max_delay = max_delay
        self._clock = clock
        self._data = bytearray()
        self._cond = threading.Condition()
        self._closed = False
        self._finished = False
        self._read_offset = 0  # bytes of the stream consumed so far (TS alignment reference)
        self._writes: deque[tuple[int, float]] = deque()  # (stream offset, time) of each write
        self._keyframes: deque[int] = deque()  # stream offsets where a keyframe's bytes start
        self.written_bytes = 0
        self.dropped_bytes = 0
        self.skips = 0  # times the live buffer skipped ahead to a keyframe

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called; reads then drain nothing and return 0."""
        return self._closed

    def __len__(self) -> int:
        with self._cond:
            return len(self._data)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Append bytes (from the ingest thread); drop the oldest whole TS packets past the cap."""
        with self._cond:
            if self._closed or self._finished:
                return
            if self.max_delay is not None:
                self._writes.append((self.written_bytes, self._clock()))
            self._data += data
            self.written_bytes += len(data)
            excess = len(self._data) - self.capacity
            if excess > 0:
                self._drop_oldest(excess)
            if self.max_delay is not None:
                self._enforce_delay()
            self._cond.notify_all()

    def mark_keyframe(self) -> None:
        """The next bytes written start a keyframe (a place the reader can jump to)."""
        with self._cond:
            if self.max_delay is not None:
                self._keyframes.append(self.written_bytes)

    def finish(self) -> None:
        """No more writes: readers drain what is left, then get b"" (end of stream)."""
        with self._cond:
            self._finished = True
            self._cond.notify_all()

    def delay(self) -> float:
        """Age in seconds of the oldest unread byte (0 when empty or not tracked)."""
        with self._cond:
            return self._delay_locked()

    def _delay_locked(self) -> float:
        if not self._data:
            return 0.0
        oldest = None
        for offset, at in self._writes:
            if offset > self._read_offset:
                break
            oldest = at
        return 0.0 if oldest is None else self._clock() - oldest

    def _enforce_delay(self) -> None:
        assert self.max_delay is not None
        while self._keyframes and self._keyframes[0] <= self._read_offset:
            self._keyframes.popleft()
        if self._delay_locked() > self.max_delay and self._keyframes:
            target = self._keyframes[-1]
            self._keyframes.clear()
            partial = (-self._read_offset) % TS_PACKET_SIZE
            skip = target - self._read_offset - partial
            if skip > 0:
                del self._data[partial : partial + skip]
                self._read_offset += skip
                self.dropped_bytes += skip
                self.skips += 1
        while len(self._writes) > 1 and self._writes[1][0] <= self._read_offset:
            self._writes.popleft()

    def _drop_oldest(self, excess: int) -> None:
        # Keep the rest of the TS packet the reader is in the middle of, then cut whole packets.
        partial = (-self._read_offset) % TS_PACKET_SIZE
        drop = -(-excess // TS_PACKET_SIZE) * TS_PACKET_SIZE
        drop = min(drop, (len(self._data) - partial) // TS_PACKET_SIZE * TS_PACKET_SIZE)
        if drop <= 0:
            return
        del self._data[partial : partial + drop]
        self._read_offset += drop
        self.dropped_bytes += drop
        while self._keyframes and self._keyframes[0] < self._read_offset:
            self._keyframes.popleft()

    def read(self, size: int, timeout: float | None = None, slice_s: float = 0.2) -> bytes:
        """Up to ``size`` bytes; waits for data in short slices.

        Returns b"" when the buffer is closed, or when ``timeout`` (seconds, None = until closed)
        runs out with no data.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._data and not self._closed and not self._finished:
                wait = slice_s
                if deadline is not None:
                    wait = min(wait, deadline - time.monotonic())
                    if wait <= 0:
                        return b""
                self._cond.wait(wait)
            if self._closed or not self._data:
                return b""
            chunk = bytes(self._data[:size])
            del self._data[:size]
            self._read_offset += len(chunk)
            return chunk

    def close(self) -> None:
        """Wake every reader; from now on reads return b"" (end of stream) and writes are ignored."""
        with self._cond:
            self._closed = True
            self._data.clear()
            self._cond.notify_all()
