"""Input as pure functions: drag, click, wheel, keyboard, joystick (recorded and SDL virtual)."""

from __future__ import annotations

import ctypes
import glob
import os

import pytest
from PySide6.QtCore import Qt

from app.ptz.base import Velocity
from app.ptz.input import (
    STOP,
    DragTracker,
    JoyEvent,
    JoyKind,
    JoystickDriver,
    JoystickMapping,
    KeyboardDriver,
    Kind,
    PtzCommand,
    RecordedJoystick,
    apply_dead_zone,
    click_offset,
    dispatch,
    drag_velocity,
    wheel_steps,
)

NO_MOD = Qt.KeyboardModifier.NoModifier


def test_drag_speed_grows_with_distance_and_saturates() -> None:
    slow = drag_velocity(20, 0, 640, 360)
    fast = drag_velocity(160, 0, 640, 360)
    assert 0 < slow.pan < fast.pan <= 1.0
    assert drag_velocity(10_000, -10_000, 640, 360) == Velocity(1.0, 1.0, 0.0)  # up = tilt +
    assert drag_velocity(0, 90, 640, 360).tilt == -0.5


def test_press_drag_release_is_move_then_stop_and_a_click_centres() -> None:
    t = DragTracker()
    assert t.press(100, 100, 640, 360) == []
    assert t.move(102, 101) == []  # under the drag threshold
    cmds = t.move(260, 100)
    assert cmds[0].kind is Kind.MOVE and cmds[0].velocity.pan == 0.5
    assert t.release(260, 100) == [STOP]
    t.press(480, 90, 640, 360)
    (click,) = t.release(480, 90)
    assert click.kind is Kind.CENTER and click.dx > 0 and click.dy > 0
    assert click_offset(320, 180, 640, 360) == (0.0, 0.0)
    t.press(0, 0, 640, 360)
    t.move(100, 0)
    assert t.cancel() == [STOP]  # focus lost mid-drag


def test_wheel_notches() -> None:
    assert [wheel_steps(d) for d in (120, -240, 30, -15, 0)] == [1, -2, 1, -1, 0]


def test_keyboard_arrows_combine_zoom_and_modifier_digits() -> None:
    k = KeyboardDriver(speed=1.0)
    assert k.press(Qt.Key.Key_A, NO_MOD) is None
    (c,) = k.press(Qt.Key.Key_Left, NO_MOD) or []
    assert c.velocity == Velocity(-1.0, 0.0, 0.0)
    (c,) = k.press(Qt.Key.Key_Up, NO_MOD) or []
    assert c.velocity == Velocity(-1.0, 1.0, 0.0)
    (c,) = k.release(Qt.Key.Key_Left) or []
    assert c.velocity == Velocity(0.0, 1.0, 0.0)
    assert k.release(Qt.Key.Key_Up) == [STOP]
    (c,) = k.press(Qt.Key.Key_Plus, NO_MOD) or []
    assert c.velocity.zoom == 1.0
    assert k.focus_lost() == [STOP]
    assert k.press(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier) == [
        PtzCommand(Kind.PRESET, preset=3)]
    assert k.press(Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier) == [
        PtzCommand(Kind.PRESET, preset=10)]
    assert k.press(Qt.Key.Key_3, NO_MOD) is None


def test_dead_zone() -> None:
    assert apply_dead_zone(0.1, 0.15) == 0.0
    assert apply_dead_zone(-0.15, 0.15) == 0.0
    assert apply_dead_zone(1.0, 0.15) == 1.0
    assert 0 < apply_dead_zone(0.5, 0.15) < 0.5


RECORDED = [
    JoyEvent(JoyKind.ADDED, 7, name="CCTV keyboard"),
    JoyEvent(JoyKind.AXIS, 7, 0, 0.05),  # noise inside the dead zone: nothing
    JoyEvent(JoyKind.AXIS, 7, 0, 1.0),  # full right
    JoyEvent(JoyKind.AXIS, 7, 1, -1.0),  # stick up = tilt up (inverted)
    JoyEvent(JoyKind.AXIS, 7, 0, 0.0),
    JoyEvent(JoyKind.AXIS, 7, 1, 0.02),  # back to the centre: STOP
    JoyEvent(JoyKind.BUTTON_DOWN, 7, 2),  # preset 3
    JoyEvent(JoyKind.BUTTON_UP, 7, 2),
    JoyEvent(JoyKind.AXIS, 7, 3, -1.0),  # zoom in
    JoyEvent(JoyKind.REMOVED, 7),  # unplugged while zooming: STOP
]


def test_joystick_driver_on_recorded_events() -> None:
    driver = JoystickDriver()
    source = RecordedJoystick(RECORDED)
    out = [c for e in source.poll() for c in driver.feed(e)]
    assert out == [
        PtzCommand(Kind.MOVE, Velocity(1.0, 0.0, 0.0)),
        PtzCommand(Kind.MOVE, Velocity(1.0, 1.0, 0.0)),
        PtzCommand(Kind.MOVE, Velocity(0.0, 1.0, 0.0)),
        STOP,
        PtzCommand(Kind.PRESET, preset=3),
        PtzCommand(Kind.MOVE, Velocity(0.0, 0.0, 1.0)),
        STOP,
    ]
    assert driver.devices == {}
    assert source.poll() == []


def test_joystick_mapping_is_configurable() -> None:
    mapping = JoystickMapping(pan_axis=2, tilt_axis=None, zoom_axis=None, dead_zone=0.5,
                              preset_buttons=((5, 9),), stop_button=0)
    driver = JoystickDriver(mapping)
    assert driver.feed(JoyEvent(JoyKind.AXIS, 1, 0, 1.0)) == []  # axis 0 is unused now
    assert driver.feed(JoyEvent(JoyKind.AXIS, 1, 2, 0.4)) == []  # inside the dead zone
    assert driver.feed(JoyEvent(JoyKind.AXIS, 1, 2, -1.0)) == [
        PtzCommand(Kind.MOVE, Velocity(-1.0, 0.0, 0.0))]
    assert driver.feed(JoyEvent(JoyKind.BUTTON_DOWN, 1, 0)) == [STOP]
    assert driver.feed(JoyEvent(JoyKind.BUTTON_DOWN, 1, 5)) == [PtzCommand(Kind.PRESET, preset=9)]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def move(self, velocity: Velocity) -> None:
        self.calls.append(("move", velocity))

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def zoom_step(self, direction: int) -> None:
        self.calls.append(("zoom", direction))

    def center_on(self, dx: float, dy: float) -> None:
        self.calls.append(("center", (dx, dy)))

    def goto_preset_number(self, number: int) -> None:
        self.calls.append(("preset", number))


def test_dispatch() -> None:
    r = Recorder()
    dispatch(r, [PtzCommand(Kind.MOVE, Velocity(pan=1.0)), STOP,
                 PtzCommand(Kind.ZOOM_STEP, Velocity(zoom=-1.0)),
                 PtzCommand(Kind.CENTER, dx=0.1, dy=-0.1), PtzCommand(Kind.PRESET, preset=2)])
    assert [c[0] for c in r.calls] == ["move", "stop", "zoom", "center", "preset"]
    assert r.calls[2] == ("zoom", -1)


class VirtualStick:
    """SDL's virtual joystick (SDL_JoystickAttachVirtual) through the SDL pygame-ce bundles."""

    def __init__(self) -> None:
        import pygame

        libs = glob.glob(os.path.join(os.path.dirname(pygame.__file__), "..", "pygame_ce.libs",
                                      "libSDL2-*"))
        if not libs:
            pytest.skip("pygame-ce's bundled SDL2 not found")
        self.sdl = ctypes.CDLL(libs[0])
        self.sdl.SDL_JoystickOpen.restype = ctypes.c_void_p
        self.sdl.SDL_JoystickSetVirtualAxis.argtypes = [ctypes.c_void_p, ctypes.c_int,
                                                        ctypes.c_int16]
        self.sdl.SDL_JoystickSetVirtualButton.argtypes = [ctypes.c_void_p, ctypes.c_int,
                                                          ctypes.c_uint8]
        self.index = self.sdl.SDL_JoystickAttachVirtual(1, 4, 8, 0)  # game controller type
        assert self.index >= 0
        self.handle = ctypes.c_void_p(self.sdl.SDL_JoystickOpen(self.index))

    def axis(self, axis: int, value: int) -> None:
        self.sdl.SDL_JoystickSetVirtualAxis(self.handle, axis, value)
        self.sdl.SDL_JoystickUpdate()

    def button(self, button: int, down: bool) -> None:
        self.sdl.SDL_JoystickSetVirtualButton(self.handle, button, 1 if down else 0)
        self.sdl.SDL_JoystickUpdate()

    def unplug(self) -> None:
        self.sdl.SDL_JoystickClose(self.handle)
        self.sdl.SDL_JoystickDetachVirtual(self.index)


def test_sdl_virtual_joystick_hot_plug_axes_and_buttons() -> None:
    from app.ptz.joystick_sdl import SdlJoystickSource

    source = SdlJoystickSource()
    try:
        stick = VirtualStick()
        driver = JoystickDriver()
        added = source.poll()
        assert [e.kind for e in added][:1] == [JoyKind.ADDED]
        for e in added:
            driver.feed(e)
        assert list(driver.devices.values()) == ["Virtual Controller"]
        stick.axis(0, 32767)
        stick.button(1, True)
        out = [c for e in source.poll() for c in driver.feed(e)]
        assert PtzCommand(Kind.MOVE, Velocity(1.0, 0.0, 0.0)) in out
        assert PtzCommand(Kind.PRESET, preset=2) in out
        stick.unplug()
        out = [c for e in source.poll() for c in driver.feed(e)]
        assert out == [STOP]
        assert driver.devices == {}
    finally:
        source.close()
