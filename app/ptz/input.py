"""PTZ input as pure functions and small state machines: no widgets, no devices.

The tile and the pad turn Qt events into plain numbers and call these; the joystick backend
(:mod:`app.ptz.joystick_sdl`) turns SDL events into :class:`JoyEvent`; everything here is tested
with recorded events. The results are :class:`PtzCommand` values the caller hands to a
``PtzSession`` with :func:`dispatch`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import Qt

from app.ptz.base import Velocity

DRAG_THRESHOLD_PX = 6  # below this a press-release is a click
FULL_SPEED_FRACTION = 0.5  # dragging half the tile's size away = full speed


class Kind(enum.StrEnum):
    MOVE = "move"  # continuous, velocity
    STOP = "stop"
    ZOOM_STEP = "zoom_step"  # direction in velocity.zoom (+1 in, -1 out)
    CENTER = "center"  # relative move to (dx, dy)
    PRESET = "preset"  # the n-th preset (1-based)


@dataclass(frozen=True)
class PtzCommand:
    kind: Kind
    velocity: Velocity = Velocity()
    dx: float = 0.0
    dy: float = 0.0
    preset: int = 0


STOP = PtzCommand(Kind.STOP)


# -- on-tile mouse ---------------------------------------------------------------------------------
def drag_velocity(dx_px: float, dy_px: float, width: int, height: int) -> Velocity:
    """Press-and-drag: speed ∝ distance from the press point; screen y grows down, tilt up."""
    if width <= 0 or height <= 0:
        return Velocity()
    full_x = width * FULL_SPEED_FRACTION
    full_y = height * FULL_SPEED_FRACTION
    pan = max(-1.0, min(1.0, dx_px / full_x))
    tilt = max(-1.0, min(1.0, -dy_px / full_y))
    return Velocity(round(pan, 3), round(tilt, 3), 0.0)


def click_offset(x: float, y: float, width: int, height: int) -> tuple[float, float]:
    """Click: the offset of the point from the picture centre, -1..1 (tilt up positive).

    A relative move of (dx, dy) in generic translation space turns the head by that fraction
    of its range; the lab's camera maps ±1 to its full sweep, so the factor here is 0.5 of the
    field of view (the picture spans a quarter of the pan range at zoom 0).
    """
    if width <= 0 or height <= 0:
        return 0.0, 0.0
    dx = (x - width / 2) / (width / 2)
    dy = -(y - height / 2) / (height / 2)
    return round(max(-1.0, min(1.0, dx)) * 0.25, 4), round(max(-1.0, min(1.0, dy)) * 0.25, 4)


def wheel_steps(angle_delta_y: int) -> int:
    """Qt's angleDelta().y(): 120 per notch; positive = away from the user = zoom in."""
    return int(angle_delta_y / 120) if abs(angle_delta_y) >= 120 else (
        1 if angle_delta_y > 0 else -1 if angle_delta_y < 0 else 0)


@dataclass
class DragTracker:
    """Press → (drag → MOVE…)* → release → STOP, or press → release → CENTER (a click)."""

    width: int = 1
    height: int = 1
    pressed_at: tuple[float, float] | None = None
    dragging: bool = False

    def press(self, x: float, y: float, width: int, height: int) -> list[PtzCommand]:
        self.width, self.height = width, height
        self.pressed_at = (x, y)
        self.dragging = False
        return []

    def move(self, x: float, y: float) -> list[PtzCommand]:
        if self.pressed_at is None:
            return []
        dx, dy = x - self.pressed_at[0], y - self.pressed_at[1]
        if not self.dragging and math.hypot(dx, dy) < DRAG_THRESHOLD_PX:
            return []
        self.dragging = True
        return [PtzCommand(Kind.MOVE, drag_velocity(dx, dy, self.width, self.height))]

    def release(self, x: float, y: float) -> list[PtzCommand]:
        if self.pressed_at is None:
            return []
        was_drag, self.pressed_at, self.dragging = self.dragging, None, False
        if was_drag:
            return [STOP]
        dx, dy = click_offset(x, y, self.width, self.height)
        return [PtzCommand(Kind.CENTER, dx=dx, dy=dy)]

    def cancel(self) -> list[PtzCommand]:
        """Focus lost / grab broken mid-drag."""
        was_drag, self.pressed_at, self.dragging = self.dragging, None, False
        return [STOP] if was_drag else []


# -- keyboard ----------------------------------------------------------------------------------
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1),
}
_ZOOM_KEYS = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
PRESET_MODIFIERS = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier)


@dataclass
class KeyboardDriver:
    """Held arrows combine (up+left = diagonal); +/- zoom while held; Ctrl/Alt+digit = preset
    (0 = the tenth). Auto-repeat presses are ignored by the caller (``event.isAutoRepeat()``)."""

    speed: float = 0.5
    held: set[Qt.Key] = field(default_factory=set)

    def _velocity(self) -> Velocity:
        pan = sum(_ARROWS[k][0] for k in self.held if k in _ARROWS)
        tilt = sum(_ARROWS[k][1] for k in self.held if k in _ARROWS)
        zoom = sum(_ZOOM_KEYS[k] for k in self.held if k in _ZOOM_KEYS)
        return Velocity(float(max(-1, min(1, pan))), float(max(-1, min(1, tilt))),
                        float(max(-1, min(1, zoom)))).scaled(self.speed)

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> list[PtzCommand] | None:
        """Commands for the key, or None when the key is not ours (let it propagate)."""
        if key in _DIGITS and any(modifiers & m for m in PRESET_MODIFIERS):
            number = _DIGITS[key] or 10
            return [PtzCommand(Kind.PRESET, preset=number)]
        if key in _ARROWS or key in _ZOOM_KEYS:
            self.held.add(key)
            return [PtzCommand(Kind.MOVE, self._velocity())]
        return None

    def release(self, key: Qt.Key) -> list[PtzCommand] | None:
        if key not in self.held:
            return None
        self.held.discard(key)
        velocity = self._velocity()
        return [STOP] if velocity.is_zero else [PtzCommand(Kind.MOVE, velocity)]

    def focus_lost(self) -> list[PtzCommand]:
        was_held, self.held = bool(self.held), set()
        return [STOP] if was_held else []


# -- joystick ----------------------------------------------------------------------------------
class JoyKind(enum.StrEnum):
    AXIS = "axis"
    BUTTON_DOWN = "button_down"
    BUTTON_UP = "button_up"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class JoyEvent:
    """One input event of one device, as any backend reports it (SDL, recorded, ...)."""

    kind: JoyKind
    device: int = 0  # instance id (stable while plugged in)
    index: int = 0  # axis or button number
    value: float = 0.0  # axis position -1..1
    name: str = ""  # device name (ADDED)


@dataclass(frozen=True)
class JoystickMapping:
    """Which axis drives what (None: unused), inversions, dead zone, buttons → presets."""

    pan_axis: int | None = 0
    tilt_axis: int | None = 1
    zoom_axis: int | None = 3
    invert_tilt: bool = True  # sticks report "up" as negative
    invert_zoom: bool = True
    dead_zone: float = 0.15
    preset_buttons: tuple[tuple[int, int], ...] = ((0, 1), (1, 2), (2, 3), (3, 4))
    stop_button: int | None = None


def apply_dead_zone(value: float, dead_zone: float) -> float:
    """0 inside the dead zone, then rescaled so the output still reaches ±1 at the stop."""
    if abs(value) <= dead_zone:
        return 0.0
    scaled = (abs(value) - dead_zone) / (1.0 - dead_zone)
    return round(math.copysign(min(1.0, scaled), value), 3)


@dataclass
class JoystickDriver:
    """Turns joystick events into PTZ commands: a MOVE whenever the (dead-zoned) stick changes,
    a STOP when it returns to the centre or the device goes away, presets on buttons."""

    mapping: JoystickMapping = field(default_factory=JoystickMapping)
    axes: dict[tuple[int, int], float] = field(default_factory=dict)
    devices: dict[int, str] = field(default_factory=dict)
    last: Velocity = Velocity()

    def _velocity(self, device: int) -> Velocity:
        m = self.mapping

        def axis(index: int | None, invert: bool) -> float:
            if index is None:
                return 0.0
            value = apply_dead_zone(self.axes.get((device, index), 0.0), m.dead_zone)
            return -value if invert else value

        return Velocity(axis(m.pan_axis, False), axis(m.tilt_axis, m.invert_tilt),
                        axis(m.zoom_axis, m.invert_zoom))

    def feed(self, event: JoyEvent) -> list[PtzCommand]:
        if event.kind is JoyKind.ADDED:
            self.devices[event.device] = event.name
            return []
        if event.kind is JoyKind.REMOVED:
            self.devices.pop(event.device, None)
            for key in [k for k in self.axes if k[0] == event.device]:
                del self.axes[key]
            if not self.last.is_zero:
                self.last = Velocity()
                return [STOP]
            return []
        if event.kind is JoyKind.BUTTON_DOWN:
            if event.index == self.mapping.stop_button:
                self.last = Velocity()
                return [STOP]
            preset = dict(self.mapping.preset_buttons).get(event.index)
            return [PtzCommand(Kind.PRESET, preset=preset)] if preset else []
        if event.kind is JoyKind.AXIS:
            self.axes[(event.device, event.index)] = event.value
            velocity = self._velocity(event.device)
            if velocity == self.last:
                return []
            self.last = velocity
            return [STOP] if velocity.is_zero else [PtzCommand(Kind.MOVE, velocity)]
        return []


class JoystickSource(Protocol):
    """A backend of joystick events (SDL2 via pygame-ce; a list in tests)."""

    def poll(self) -> list[JoyEvent]: ...

    def close(self) -> None: ...


class RecordedJoystick:
    """Replays recorded events (tests; also a 'demo' device)."""

    def __init__(self, events: Iterable[JoyEvent]) -> None:
        self._events = list(events)

    def poll(self) -> list[JoyEvent]:
        events, self._events = self._events, []
        return events

    def close(self) -> None:
        self._events = []


class SessionLike(Protocol):
    def move(self, velocity: Velocity) -> None: ...
    def stop(self) -> None: ...
    def zoom_step(self, direction: int) -> None: ...
    def center_on(self, dx: float, dy: float) -> None: ...
    def goto_preset_number(self, number: int) -> None: ...


def dispatch(session: SessionLike, commands: Iterable[PtzCommand]) -> None:
    """Hand commands to a PtzSession (or anything with the same methods)."""
    handlers: dict[Kind, Callable[[PtzCommand], None]] = {
        Kind.MOVE: lambda c: session.move(c.velocity),
        Kind.STOP: lambda c: session.stop(),
        Kind.ZOOM_STEP: lambda c: session.zoom_step(1 if c.velocity.zoom > 0 else -1),
        Kind.CENTER: lambda c: session.center_on(c.dx, c.dy),
        Kind.PRESET: lambda c: session.goto_preset_number(c.preset),
    }
    for command in commands:
        handlers[command.kind](command)
