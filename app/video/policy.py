"""Reconnect pacing and the global cap on connection attempts.

A command room restarts switches and NVRs; 64 tiles retrying in lock-step would hammer a camera
that just came back (and each RTSP DESCRIBE costs the camera CPU). So retries back off
exponentially with jitter, and at most a fixed number of connection attempts are in flight at once
across the whole process (8 by default).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable


class Backoff:
    """Exponential backoff with "equal jitter": each delay is in [d/2, d], d doubling to a cap."""

    def __init__(
        self,
        initial: float = 0.5,
        maximum: float = 15.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._initial = initial
        self._maximum = maximum
        self._rng = rng
        self._attempt = 0

    @property
    def attempts(self) -> int:
        """How many delays were handed out since the last reset."""
        return self._attempt

    def next_delay(self) -> float:
        """The wait before the next retry; each call doubles the ceiling up to the cap."""
        ceiling = min(self._maximum, self._initial * (2**self._attempt))
        self._attempt += 1
        return ceiling / 2 + self._rng() * ceiling / 2

    def reset(self) -> None:
        """Back to the first, short delay (call it once a stream has proven healthy)."""
        self._attempt = 0


class ConnectionLimiter:
    """At most ``limit`` connection attempts (RTSP open/DESCRIBE/SETUP) in flight per process.

    An ingest holds a slot only while it opens the camera, not while it streams. Waiting is
    cancellable so that stopping a tile never waits behind other tiles' attempts.
    """

    def __init__(self, limit: int = 8) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._high_water = 0

    @property
    def high_water(self) -> int:
        """The most attempts that were ever in flight at once (tests and the bench read it)."""
        with self._lock:
            return self._high_water

    def reset_high_water(self) -> None:
        """Start a new high-water measurement from the attempts in flight now."""
        with self._lock:
            self._high_water = self._in_flight

    @property
    def in_flight(self) -> int:
        """Attempts holding a slot right now."""
        with self._lock:
            return self._in_flight

    def acquire(self, cancelled: threading.Event, poll: float = 0.1) -> bool:
        """Block until a slot is free (True) or ``cancelled`` is set (False)."""
        while not cancelled.is_set():
            if self._slots.acquire(timeout=poll):
                with self._lock:
                    self._in_flight += 1
                    self._high_water = max(self._high_water, self._in_flight)
                return True
        return False

    def release(self) -> None:
        """Give the slot back (exactly once per successful :meth:`acquire`)."""
        with self._lock:
            self._in_flight -= 1
        self._slots.release()
