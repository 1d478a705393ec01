"""``PtzSession``: one camera's PTZ for the UI — lease + controller + throttle, and the Stop
guarantee.

Every way a drive can end leads to a Stop: releasing the button/drag/key (``stop``), the tile or
window losing focus (``focus_lost``), the window deactivating (``window_deactivated``), the lease
being taken or expiring (the lease's ``lost`` signal), the session closing. No command is sent
without a granted lease — except Stop, which is always allowed (a camera must never be left
moving).

The public methods are synchronous and schedule their work through :mod:`app.ops` on the qasync
loop, so widgets call them straight from their slots; the ``async`` twins (``a_*``) are what the
ops run, and what tests and the bench await.

Signals:
    error(PtzError): a command failed (the tile/pad shows ``kind`` and the text).
    lease_changed(LeaseState): granted / queued / taken / none (holder label).
    lease_lost(str): "PTZ taken by <name, unit>" or why the lease ended; the camera is being
        stopped already.
    capabilities_changed(PtzCapabilities): after connecting.
    presets_changed(list[Preset]): after listing, saving, renaming or removing.
    patrol_changed(bool): a patrol started (True) or ended (False).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.ops import Ops
from app.ptz.base import (
    LeaseState,
    Patrol,
    Preset,
    PtzCapabilities,
    PtzController,
    PtzError,
    PtzErrorKind,
    Velocity,
)
from app.ptz.lease import PtzLease
from app.ptz.throttle import ThrottledMover

log = logging.getLogger("iocwall.ptz")

ZOOM_STEP_S = 0.3  # one wheel notch = zoom at full speed for this long


class PtzSession(QObject):
    error = Signal(object)
    lease_changed = Signal(object)
    lease_lost = Signal(str)
    capabilities_changed = Signal(object)
    presets_changed = Signal(object)
    patrol_changed = Signal(bool)

    def __init__(self, controller: PtzController, lease: PtzLease, ops: Ops, *,
                 label: str = "", mover: ThrottledMover | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.lease = lease
        self.ops = ops
        self.label = label or controller.label
        self.mover = mover or ThrottledMover(controller)
        self.mover.on_error = self._report
        self._sleep = sleep
        self.speed = 0.5  # the pad's slider, 0..1
        self.presets: list[Preset] = []
        self._patrol: asyncio.Task[None] | None = None
        self._closed = False
        lease.state_changed.connect(self.lease_changed)
        lease.lost.connect(self._on_lease_lost)

    @property
    def capabilities(self) -> PtzCapabilities:
        return self.controller.capabilities

    @property
    def patrolling(self) -> bool:
        return self._patrol is not None and not self._patrol.done()

    # -- plumbing -------------------------------------------------------------------------------
    def _report(self, error: PtzError) -> None:
        log.info("%s: PTZ %s: %s", self.label, error.kind, error)
        self.error.emit(error)

    def _run(self, work: Coroutine[Any, Any, Any], label: str) -> None:
        def failed(err: BaseException) -> None:
            if isinstance(err, PtzError):
                self._report(err)
            else:
                log.error("%s: %s failed", self.label, label, exc_info=err)
                self.ops.messages.error(f"{self.label}: {label}: {type(err).__name__}")

        self.ops.run(work, label=f"PTZ {label}", owner=self).failure(failed)

    async def _granted(self, *, manual: bool = True) -> None:
        """Manual input ends a patrol; then make sure we hold the lease."""
        if manual:
            self._end_patrol()
        await self.lease.ensure()

    # -- connect --------------------------------------------------------------------------------
    async def a_connect(self) -> PtzCapabilities:
        caps = await self.controller.connect()
        self.capabilities_changed.emit(caps)
        if caps.presets:
            try:
                await self.a_refresh_presets()
            except PtzError as err:
                self._report(err)
        return caps

    def connect_camera(self) -> None:
        self._run(self.a_connect(), "connect")

    # -- motion ---------------------------------------------------------------------------------
    async def a_move(self, velocity: Velocity) -> None:
        """Continuous move (coalesced to ≤ 10/s); a zero velocity stops."""
        if velocity.is_zero:
            await self.a_stop()
            return
        await self._granted()
        self.lease.keep_alive = True
        self.mover.set_velocity(velocity)

    def move(self, velocity: Velocity) -> None:
        self._run(self.a_move(velocity), "move")

    def move_direction(self, pan: int, tilt: int, zoom: int = 0) -> None:
        """Pad/keyboard: a direction (-1, 0, 1 per axis) at the slider's speed."""
        self.move(Velocity(float(pan), float(tilt), float(zoom)).scaled(self.speed))

    async def a_stop(self) -> None:
        """Stop now (never waits for the lease: Stop is always allowed)."""
        self.lease.keep_alive = self.patrolling
        await self.mover.stop()

    def stop(self) -> None:
        self._run(self.a_stop(), "stop")

    def focus_lost(self) -> None:
        """The tile/pad lost keyboard focus or the mouse grab: a held drive ends."""
        if self.mover.moving:
            self.stop()

    def window_deactivated(self) -> None:
        """Another window came to the front: same as losing focus."""
        self.focus_lost()

    def _on_lease_lost(self, reason: str) -> None:
        self._end_patrol()
        self.lease_lost.emit(reason)
        self._run(self._stop_after_loss(), "stop")

    async def _stop_after_loss(self) -> None:
        """Stop what we drove. When the lease went to someone else the media gateway has
        stopped the camera already and refuses our Stop (the camera is theirs now): no error
        to show for that."""
        self.lease.keep_alive = False
        try:
            await self.mover.stop()
        except PtzError as err:
            if err.kind is not PtzErrorKind.NO_LEASE:
                raise
            log.info("%s: Stop after losing the lease refused: %s", self.label, err)

    async def a_zoom_step(self, direction: int) -> None:
        """One wheel notch: zoom for ``ZOOM_STEP_S`` then Stop."""
        await self._granted()
        await self.controller.continuous_move(Velocity(0.0, 0.0, 1.0 if direction > 0 else -1.0))
        try:
            await self._sleep(ZOOM_STEP_S)
        finally:
            await self.mover.stop()

    def zoom_step(self, direction: int) -> None:
        self._run(self.a_zoom_step(direction), "zoom")

    async def a_center_on(self, dx: float, dy: float) -> None:
        """Click on the picture: relative move by the offset from the centre (-1..1 each)."""
        if not self.capabilities.relative:
            return
        await self._granted()
        await self.controller.relative_move(dx, dy)

    def center_on(self, dx: float, dy: float) -> None:
        self._run(self.a_center_on(dx, dy), "center")

    # -- presets and home -----------------------------------------------------------------------
    async def a_refresh_presets(self) -> list[Preset]:
        self.presets = await self.controller.presets()
        self.presets_changed.emit(list(self.presets))
        return self.presets

    def refresh_presets(self) -> None:
        self._run(self.a_refresh_presets(), "presets")

    async def a_goto_preset(self, token: str, *, manual: bool = True) -> None:
        await self._granted(manual=manual)
        await self.controller.goto_preset(token)

    def goto_preset(self, token: str) -> None:
        self._run(self.a_goto_preset(token), "go to preset")

    def goto_preset_number(self, number: int) -> None:
        """Keyboard/joystick: the n-th preset (1-based) of the list."""
        if 1 <= number <= len(self.presets):
            self.goto_preset(self.presets[number - 1].token)

    async def a_save_preset(self, name: str, token: str | None = None) -> str:
        await self._granted()
        token = await self.controller.save_preset(name, token)
        await self.a_refresh_presets()
        return token

    def save_preset(self, name: str) -> None:
        self._run(self.a_save_preset(name), "save preset")

    def rename_preset(self, token: str, name: str) -> None:
        """ONVIF has no rename: SetPreset with the token (stores the current position too)."""
        self._run(self.a_save_preset(name, token), "rename preset")

    async def a_remove_preset(self, token: str) -> None:
        await self._granted()
        await self.controller.remove_preset(token)
        await self.a_refresh_presets()

    def remove_preset(self, token: str) -> None:
        self._run(self.a_remove_preset(token), "remove preset")

    async def a_goto_home(self) -> None:
        await self._granted()
        await self.controller.goto_home()

    def goto_home(self) -> None:
        self._run(self.a_goto_home(), "home")

    async def a_set_home(self) -> None:
        await self._granted()
        await self.controller.set_home()

    def set_home(self) -> None:
        self._run(self.a_set_home(), "set home")

    # -- patrols --------------------------------------------------------------------------------
    def start_patrol(self, patrol: Patrol) -> None:
        """Run ``patrol`` until stopped, any manual input, or the lease ends."""
        self._end_patrol()
        if not patrol.stops:
            return
        self._patrol = asyncio.get_event_loop().create_task(self._run_patrol(patrol))
        self.patrol_changed.emit(True)

    async def _run_patrol(self, patrol: Patrol) -> None:
        log.info("%s: patrol %s started (%d stops)", self.label, patrol.name, len(patrol.stops))
        self.lease.keep_alive = True
        try:
            while True:
                for stop in patrol.stops:
                    await self.a_goto_preset(stop.preset_token, manual=False)
                    await self._sleep(stop.dwell_s)
        except PtzError as err:
            self._report(err)
        finally:
            self.lease.keep_alive = False
            if self._patrol is asyncio.current_task():
                self._patrol = None
            self.patrol_changed.emit(False)
            log.info("%s: patrol %s ended", self.label, patrol.name)

    def _end_patrol(self) -> None:
        task, self._patrol = self._patrol, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()

    def stop_patrol(self) -> None:
        self._end_patrol()

    # -- end ------------------------------------------------------------------------------------
    async def a_close(self) -> None:
        """Stop the camera (if we drove it), release the lease, close the controller."""
        if self._closed:
            return
        self._closed = True
        self._end_patrol()
        try:
            if self.mover.moving:
                await self.mover.stop()
        except PtzError as err:
            self._report(err)
        finally:
            await self.lease.release()
            await self.controller.close()

    def lease_state(self) -> LeaseState:
        return self.lease.state
