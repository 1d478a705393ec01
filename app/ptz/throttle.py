"""Velocity updates coalesced to at most 10 per second per camera, latest wins.

A drag or a joystick produces a velocity every few milliseconds; a camera handles a few
ContinuousMove per second. The throttle sends the first update at once, then at most one every
``min_interval_s``, always the newest. ``stop()`` drops any pending update and is sent after the
command in flight (one lock, FIFO), so a Stop can never be overtaken by an older move.

The clock and the sleep are injectable: tests drive them by hand (no timed assertions).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from app.ptz.base import PtzController, PtzError, Velocity

log = logging.getLogger("iocwall.ptz")

MAX_RATE_HZ = 10.0


class ThrottledMover:
    """Wraps one controller's ContinuousMove/Stop; other commands go to the controller itself."""

    def __init__(self, controller: PtzController, *, min_interval_s: float = 1.0 / MAX_RATE_HZ,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.controller = controller
        self.min_interval_s = min_interval_s
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._pending: Velocity | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._last_sent_at: float | None = None
        self.last_sent: Velocity | None = None
        self.sent_count = 0
        self.moving = False
        self.on_error: Callable[[PtzError], None] | None = None

    def set_velocity(self, velocity: Velocity) -> None:
        """Ask for ``velocity`` (a zero velocity is a Stop: use :meth:`stop` to await it)."""
        if velocity.is_zero:
            asyncio.get_event_loop().create_task(self._stop_quietly())
            return
        self._pending = velocity
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_event_loop().create_task(self._flush())

    async def _flush(self) -> None:
        while self._pending is not None:
            if self._last_sent_at is not None:
                wait = self._last_sent_at + self.min_interval_s - self._clock()
                if wait > 0:
                    await self._sleep(wait)
                    continue
            async with self._lock:
                velocity, self._pending = self._pending, None
                if velocity is None:  # a stop() took it while we waited for the lock
                    return
                self._last_sent_at = self._clock()
                self.moving = True
                try:
                    await self.controller.continuous_move(velocity)
                    self.last_sent = velocity
                    self.sent_count += 1
                except PtzError as err:
                    if self.on_error is None:
                        raise
                    self.on_error(err)

    async def stop(self) -> None:
        """Drop what is pending and send Stop after the command in flight. Raises PtzError."""
        self._pending = None
        async with self._lock:
            self.moving = False
            await self.controller.stop()
            self.last_sent = Velocity()
            self._last_sent_at = self._clock()

    async def _stop_quietly(self) -> None:
        try:
            await self.stop()
        except PtzError as err:
            if self.on_error is None:
                raise
            self.on_error(err)

    async def drain(self) -> None:
        """Wait until the pending update (if any) has been sent (tests, bench)."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.wait({self._flusher})
