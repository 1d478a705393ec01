"""USB joysticks (CCTV keyboards, gamepads) through SDL2 with pygame-ce, and the poll pump.

SDL runs headless (``SDL_VIDEODRIVER=dummy``): only the joystick subsystem and the event queue
are used, no window and no audio. Hot-plug arrives as device added/removed events; an added
device is opened at once so its axes report. ``JoystickPump`` polls a source from a QTimer on the
GUI thread (SDL's queue is cheap to drain) and hands the commands to whichever PTZ session is
current — the tile with focus.

Signals (JoystickPump):
    devices_changed(list[str]): names of the connected devices after a hot-plug.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.ptz.input import JoyEvent, JoyKind, JoystickDriver, JoystickSource, SessionLike, dispatch

log = logging.getLogger("iocwall.ptz")

POLL_INTERVAL_MS = 20


class SdlJoystickSource:
    """Joystick events from SDL2 (pygame-ce). Import cost ≈ 0.1 s: create it at start-up."""

    def __init__(self) -> None:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        self._pg: Any = pygame
        pygame.display.init()  # the event queue needs the (dummy) video subsystem
        pygame.joystick.init()
        self._open: dict[int, Any] = {}
        self._types = {
            pygame.JOYAXISMOTION: JoyKind.AXIS,
            pygame.JOYBUTTONDOWN: JoyKind.BUTTON_DOWN,
            pygame.JOYBUTTONUP: JoyKind.BUTTON_UP,
            pygame.JOYDEVICEADDED: JoyKind.ADDED,
            pygame.JOYDEVICEREMOVED: JoyKind.REMOVED,
        }

    def poll(self) -> list[JoyEvent]:
        pg = self._pg
        out: list[JoyEvent] = []
        # All events, in order (a type-filtered get returns them grouped by type, which would
        # put a new device's axes before its "added"); SDL here serves nothing but joysticks.
        for event in pg.event.get():
            kind = self._types.get(event.type)
            if kind is None:
                continue
            if kind is JoyKind.ADDED:
                stick = pg.joystick.Joystick(event.device_index)
                self._open[stick.get_instance_id()] = stick
                log.info("joystick connected: %s", stick.get_name())
                out.append(JoyEvent(kind, stick.get_instance_id(), name=stick.get_name()))
            elif kind is JoyKind.REMOVED:
                stick = self._open.pop(event.instance_id, None)
                log.info("joystick disconnected: %s", stick.get_name() if stick else "?")
                out.append(JoyEvent(kind, event.instance_id))
            elif kind is JoyKind.AXIS:
                out.append(JoyEvent(kind, event.instance_id, event.axis, float(event.value)))
            else:
                out.append(JoyEvent(kind, event.instance_id, event.button))
        return out

    def close(self) -> None:
        self._open.clear()
        self._pg.joystick.quit()


class JoystickPump(QObject):
    devices_changed = Signal(object)

    def __init__(self, source: JoystickSource, driver: JoystickDriver | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.driver = driver or JoystickDriver()
        self.session: SessionLike | None = None  # the focused tile's session; None = ignore
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def set_session(self, session: SessionLike | None) -> None:
        """Point the stick at another camera; the old one gets a Stop if it was being driven."""
        if self.session is not None and session is not self.session and \
                not self.driver.last.is_zero:
            self.session.stop()
            self.driver.last = self.driver.last.__class__()
        self.session = session

    def poll(self) -> None:
        events = self.source.poll()
        plugged = False
        for event in events:
            plugged |= event.kind in (JoyKind.ADDED, JoyKind.REMOVED)
            commands = self.driver.feed(event)
            if self.session is not None and commands:
                dispatch(self.session, commands)
        if plugged:
            self.devices_changed.emit(sorted(self.driver.devices.values()))

    def stop(self) -> None:
        self._timer.stop()
        self.source.close()
