"""The bounded byte pipe between one tile's ingest thread and libvlc's input thread.

Two ways out, one per player:

- **OS pipe** (:meth:`TsByteBuffer.open_pipe`, the default on POSIX): the writing thread pushes
  bytes on into a non-blocking pipe at once, and libvlc reads the pipe's other end in C
  (``stream:///dev/fd/N``): no Python, no GIL, no condition variable on libvlc's side. What the pipe
  cannot take now (a key frame larger than the pipe, a renderer that stalls) stays in the buffer,
  under the same caps, and one shared pump thread moves it on when the pipe has room.
- **read callback** (:meth:`TsByteBuffer.read`): libvlc pulls bytes through its memory-input
  callback, re-entering Python for each read. Kept for platforms without the pipe.

The ingest pushes whenever the camera sends. When the renderer stalls (a busy machine, a hidden
window) the buffer must not grow without bound: it drops the oldest whole 188-byte MPEG-TS
packets, so the demuxer resyncs at the next packet boundary instead of choking on a torn one.
Reads wait in short slices and return 0 (end of stream) as soon as the buffer is closed, because a
read callback that never returns makes ``libvlc_media_player_stop`` hang the GUI thread; the
pipe's write end is closed at once on close (the reader sees end of stream).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("iocwall.video")

TS_PACKET_SIZE = 188

# Room in the OS pipe to libvlc. Bytes in the pipe are out of reach of the live-buffer caps (a
# reader that stalls finds them first), so the pipe holds about one 360p key frame, not seconds:
# 64 KiB ≈ 0.5 s of a 1 Mbit/s sub stream, 0.13 s at 4 Mbit/s. Larger frames go in pieces.
PIPE_BYTES = 64 * 1024
_F_SETPIPE_SZ = 1031  # Linux's fcntl; Python ≥ 3.10 names it fcntl.F_SETPIPE_SZ


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
        self._pipe: int | None = None  # write end of the pipe to the reader (open_pipe)
        self._pump_waits = False  # the shared pump thread flushes the rest when the pipe has room
        self.written_bytes = 0
        self.dropped_bytes = 0
        self.skips = 0  # times the live buffer skipped ahead to a keyframe
        self.pipe_writes = 0  # write() calls on the pipe (pump and writer together)

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
            if self._pipe is None:
                self._cond.notify_all()
            elif not self._pump_waits:  # else the pump moves everything on when there is room
                self._flush_locked()

    def mark_keyframe(self) -> None:
        """The next bytes written start a keyframe (a place the reader can jump to)."""
        with self._cond:
            if self.max_delay is not None:
                self._keyframes.append(self.written_bytes)

    def finish(self) -> None:
        """No more writes: readers drain what is left, then get b"" (end of stream)."""
        with self._cond:
            self._finished = True
            if self._pipe is not None and not self._data:
                self._close_pipe_locked()
            self._cond.notify_all()

    # -- OS pipe output ----------------------------------------------------------------------

    def open_pipe(self, pipe_bytes: int = PIPE_BYTES) -> int:
        """Deliver the bytes into a new OS pipe from now on (instead of :meth:`read`).

        Returns the pipe's read end; the caller hands it to the reader and closes it once the
        reader is gone. Bytes already buffered (a replay) go on at once, as far as the pipe takes
        them. The write end closes at :meth:`close`, or once a finished buffer is drained: the
        reader then sees end of stream.
        """
        import fcntl  # POSIX only, as the pipe feed (app.video.player.DEFAULT_FEED)

        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        with contextlib.suppress(OSError):  # Linux; elsewhere the system's own pipe size
            fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", _F_SETPIPE_SZ), pipe_bytes)
        with self._cond:
            if self._pipe is not None:
                os.close(read_end)
                os.close(write_end)
                raise RuntimeError("the buffer already feeds a pipe")
            self._pipe = write_end
            if self._closed:
                self._close_pipe_locked()
            elif self._data:
                self._flush_locked()
            elif self._finished:
                self._close_pipe_locked()
            self._cond.notify_all()  # a reader blocked in read() leaves: the pipe has the bytes
        return read_end

    @property
    def feeds_pipe(self) -> bool:
        """True while the buffer's bytes go on into an OS pipe (its write end is open)."""
        return self._pipe is not None

    def _flush_locked(self) -> None:
        """Move buffered bytes into the pipe without blocking; the pump takes the rest."""
        pipe = self._pipe
        assert pipe is not None
        while self._data:
            try:
                count = os.write(pipe, self._data)
            except BlockingIOError:
                self._set_pump_waits(True)
                return
            except OSError as error:  # the reader closed its end: nobody will read again
                log.debug("TS pipe closed by its reader: %s", error)
                self._data.clear()
                self._close_pipe_locked()
                return
            self.pipe_writes += 1
            del self._data[:count]
            self._read_offset += count
        self._set_pump_waits(False)
        if self._finished:
            self._close_pipe_locked()

    def _set_pump_waits(self, waits: bool) -> None:
        # with the lock held: the pump's list changes together with the flag, so a write that
        # fills the pipe again can never be forgotten between the pump's flush and its bookkeeping
        if waits != self._pump_waits:
            self._pump_waits = waits
            if waits:
                _PUMP.want(self)
            else:
                _PUMP.forget(self)

    def _close_pipe_locked(self) -> None:
        pipe, self._pipe = self._pipe, None
        self._set_pump_waits(False)
        if pipe is not None:
            os.close(pipe)

    def _pump_fd(self) -> int | None:
        """For the pump: the write end to wait on, or None when nothing waits any more."""
        with self._cond:
            return self._pipe if self._pump_waits else None

    def _pump(self, fd: int) -> None:
        """For the pump: the pipe ``fd`` has room."""
        with self._cond:
            if self._pipe == fd and self._pump_waits:
                self._flush_locked()

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
        """Wake every reader; from now on reads return b"" (end of stream) and writes are ignored.

        The pipe's write end (if any) closes now: its reader drains what the pipe holds, then
        sees end of stream.
        """
        with self._cond:
            self._closed = True
            self._data.clear()
            self._close_pipe_locked()
            self._cond.notify_all()


class _PipePump:
    """One thread for every buffer whose pipe was full: waits until a pipe has room, flushes.

    Idle (no thread wake-ups at all) while every pipe keeps up, which is the usual case: the
    writing thread's own non-blocking write takes the bytes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: set[TsByteBuffer] = set()
        self._thread: threading.Thread | None = None
        self._wake_r = self._wake_w = -1  # created with the thread (POSIX only, as the feed)

    def want(self, buffer: TsByteBuffer) -> None:
        """``buffer`` has bytes its pipe could not take (called with the buffer's lock held)."""
        with self._lock:
            self._waiting.add(buffer)
            if self._thread is None:
                self._wake_r, self._wake_w = os.pipe()
                os.set_blocking(self._wake_r, False)
                os.set_blocking(self._wake_w, False)
                self._thread = threading.Thread(target=self._run, name="ts-pipe-pump", daemon=True)
                self._thread.start()
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_w, b"\0")

    def forget(self, buffer: TsByteBuffer) -> None:
        """``buffer`` waits no more (called with the buffer's lock held)."""
        with self._lock:
            self._waiting.discard(buffer)

    def waiting(self) -> int:
        """Buffers waiting for room in their pipe (tests)."""
        with self._lock:
            return len(self._waiting)

    def _run(self) -> None:
        while True:
            with self._lock:
                buffers = list(self._waiting)
            poller = select.poll()
            poller.register(self._wake_r, select.POLLIN)
            by_fd: dict[int, TsByteBuffer] = {}
            for buffer in buffers:
                fd = buffer._pump_fd()
                if fd is not None:
                    by_fd[fd] = buffer
                    poller.register(fd, select.POLLOUT)
            for fd, _events in poller.poll():
                if fd == self._wake_r:
                    with contextlib.suppress(BlockingIOError):
                        while os.read(self._wake_r, 4096):
                            pass
                elif fd in by_fd:
                    by_fd[fd]._pump(fd)


_PUMP = _PipePump()
