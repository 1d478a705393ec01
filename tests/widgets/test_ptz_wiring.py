"""PTZ as main.py wires it (``Client.open_main_window``) against the lab's ONVIF cameras and a real
backend: selecting a PTZ tile binds the PTZ dock's pad to that camera; a pad arrow held moves the
lab camera and its release stops it; arrow keys on the wall drive it too; the tile shows that we
hold PTZ; selecting a tile without PTZ disables the pad and unbinds on-tile input. On the selected
PTZ tile's picture: press-and-drag drives and release stops, the wheel zooms, a click off-centre
recentres, a double-click maximises without moving; Alt+digit goes to a preset. SIGTERM stops and
releases PTZ before the application quits."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import Runtime
from app.credentials import TokenStore
from app.domain import Action, Camera
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.base import LeaseStatus
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from lab import Lab
from lab.testing import start_test_lab
from main import parse_args
from shell.client import Client
from shell.run import install_signal_handlers as _install_signal_handlers

pytestmark = pytest.mark.lab

PTZ_INDEX = 0  # lab cameras 0 and 3 are PTZ
PLAIN_INDEX = 1


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("ptz-wiring-lab"), cameras=4) as running:
        yield running


@pytest.fixture(scope="module")
def server(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from server.testing import start_test_server, stop_test_server

    url, process = start_test_server(tmp_path_factory.mktemp("ptz-wiring-backend") / "data",
                                     Path(lab.manifest_path))
    try:
        yield url
    finally:
        stop_test_server(process)


@pytest.fixture
def client(qapp: QApplication, qtbot: QtBot, tmp_path: Path, server: str, ops: Ops,
           messages: MessageBridge) -> Iterator[tuple[Client, _App]]:
    settings = SettingsStore(tmp_path)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), server)
    running.open_main_window(auth.login(server, "ioc.operator", "demo", False))
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(window.wall_controller.camera_list()), timeout=20_000)
    try:
        yield running, app
    finally:
        if running.wall is not None:
            running.wall.clear_all()
        quits = app.quit_calls  # a test may have quit already (SIGTERM)
        window.close()  # closes the PTZ sessions (Stop, release), then quits
        qtbot.waitUntil(lambda: app.quit_calls == quits + 1, timeout=10_000)
        video.shutdown()
        auth.logout()


def camera_of(running: Client, lab: Lab, index: int) -> Camera:
    assert running.window is not None
    name = lab.cameras[index].name
    return next(c for c in running.window.wall_controller.camera_list() if c.name == name)


def settled(lab: Lab, index: int, qtbot: QtBot, quiet_s: float = 0.6) -> tuple[float, ...]:
    """The position once it stopped changing for ``quiet_s`` (fails if it keeps moving)."""
    deadline = time.monotonic() + 10
    last = lab.ptz_position(index)
    while True:
        qtbot.wait(int(quiet_s * 1000))
        now = lab.ptz_position(index)
        if now == last:
            return now
        assert time.monotonic() < deadline, f"the camera kept moving: {last} → {now}"
        last = now


def test_selecting_a_ptz_tile_binds_the_pad_and_the_pad_moves_the_lab_camera(
        client: tuple[Client, _App], lab: Lab, qtbot: QtBot) -> None:
    running, _app = client
    window = running.window
    assert window is not None
    ptz_camera = camera_of(running, lab, PTZ_INDEX)
    plain = camera_of(running, lab, PLAIN_INDEX)
    assert ptz_camera.can(Action.PTZ) and not plain.can(Action.PTZ)
    assert window.wall.show_camera(0, ptz_camera.id)
    assert window.wall.show_camera(1, plain.id)
    window.wall.select(1)
    window.wall.select(0)
    pad = window.ptz_pad
    qtbot.waitUntil(lambda: pad.session is not None, timeout=30_000)
    assert pad.isEnabled() and window.ptz_dock.isVisible()
    assert pad.session is window.ptz_session is window.wall.ptz_session
    assert pad.session.lease.camera_id == ptz_camera.id
    assert ptz_camera.name in window.ptz_dock.windowTitle()

    before = settled(lab, PTZ_INDEX, qtbot)
    right = pad.arrows[(1, 0)]
    qtbot.mousePress(right, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[0] > before[0] + 0.02, timeout=10_000)
    qtbot.mouseRelease(right, Qt.MouseButton.LeftButton)
    after = settled(lab, PTZ_INDEX, qtbot)
    assert after[0] > before[0]
    assert window.wall.tiles[0].ptz_text() == "PTZ: you"

    # arrow keys on the wall drive the selected tile's camera as well (held: left)
    qtbot.keyPress(window.wall, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[0] < after[0] - 0.02, timeout=10_000)
    qtbot.keyRelease(window.wall, Qt.Key.Key_Left)
    settled(lab, PTZ_INDEX, qtbot)

    # a tile without PTZ: the pad is disabled and the wall sends nothing
    window.wall.select(1)
    assert window.ptz_session is None and pad.session is None and not pad.isEnabled()
    assert window.wall.ptz_session is None
    still = settled(lab, PTZ_INDEX, qtbot)
    qtbot.keyPress(window.wall, Qt.Key.Key_Right)
    qtbot.wait(800)
    qtbot.keyRelease(window.wall, Qt.Key.Key_Right)
    assert lab.ptz_position(PTZ_INDEX) == still


def test_window_deactivation_stops_a_drive(client: tuple[Client, _App], lab: Lab,
                                           qtbot: QtBot) -> None:
    running, _app = client
    window = running.window
    assert window is not None
    ptz_camera = camera_of(running, lab, PTZ_INDEX)
    assert window.wall.show_camera(0, ptz_camera.id)
    window.wall.select(0)
    qtbot.waitUntil(lambda: window.ptz_session is not None, timeout=30_000)
    session = window.ptz_session
    before = settled(lab, PTZ_INDEX, qtbot)
    qtbot.keyPress(window.wall, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[1] != before[1], timeout=10_000)
    # no key release: only the window's deactivation may stop it (Xvfb has no window manager:
    # the window is not the active one, so an ActivationChange means "deactivated")
    assert not window.isActiveWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    qtbot.waitUntil(lambda: not session.mover.moving, timeout=5000)
    settled(lab, PTZ_INDEX, qtbot)


def bound_ptz_tile(running: Client, lab: Lab, qtbot: QtBot) -> QWidget:
    """Tile 0 shows the PTZ camera, selected, with its session bound; returns its picture."""
    window = running.window
    assert window is not None
    assert window.wall.show_camera(0, camera_of(running, lab, PTZ_INDEX).id)
    window.wall.select(0)
    qtbot.waitUntil(lambda: window.wall.ptz_session is not None, timeout=30_000)
    return window.wall.tiles[0].surface()


def send_mouse(widget: QWidget, kind: QEvent.Type, x: float, y: float,
               held: bool = True) -> None:
    """A left-button mouse event on ``widget`` (unhandled by the picture, it propagates to the
    tile, whose event filter the wall is, as a real X event on the native surface does)."""
    pos = QPointF(x, y)
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove \
        else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, pos, QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_drag_on_the_picture_drives_and_release_stops(client: tuple[Client, _App], lab: Lab,
                                                      qtbot: QtBot) -> None:
    running, _app = client
    picture = bound_ptz_tile(running, lab, qtbot)
    w, h = picture.width(), picture.height()
    before = settled(lab, PTZ_INDEX, qtbot)
    # press in the middle, drag right and up (screen y down = tilt up): pan and tilt grow
    send_mouse(picture, QEvent.Type.MouseButtonPress, w / 2, h / 2)
    for step in (1, 2, 3):
        send_mouse(picture, QEvent.Type.MouseMove, w / 2 + step * w / 12, h / 2 - step * h / 12)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[0] > before[0] + 0.02
                    and lab.ptz_position(PTZ_INDEX)[1] > before[1] + 0.02, timeout=10_000)
    send_mouse(picture, QEvent.Type.MouseButtonRelease, w / 2 + w / 4, h / 2 - h / 4, held=False)
    after = settled(lab, PTZ_INDEX, qtbot)  # the release stopped it
    assert after[0] > before[0] and after[1] > before[1] and after[2] == before[2]
    assert running.window is not None and not running.window.wall.ptz_session.mover.moving  # type: ignore[union-attr]


def test_wheel_on_the_picture_zooms(client: tuple[Client, _App], lab: Lab,
                                    qtbot: QtBot) -> None:
    running, _app = client
    bound_ptz_tile(running, lab, qtbot)
    before = settled(lab, PTZ_INDEX, qtbot)
    assert before[2] < 0.9  # room to zoom in
    # to the tile itself: Qt propagates only spontaneous wheel events from the picture up
    assert running.window is not None
    tile = running.window.wall.tiles[0]
    pos = QPointF(tile.video_area().center())
    wheel = QWheelEvent(pos, QPointF(tile.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(tile, wheel)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[2] > before[2] + 0.02, timeout=10_000)
    after = settled(lab, PTZ_INDEX, qtbot)  # one notch: a zoom step, then Stop
    assert after[2] > before[2] and after[:2] == before[:2]


def test_click_recentres_and_double_click_maximises_without_moving(
        client: tuple[Client, _App], lab: Lab, qtbot: QtBot) -> None:
    running, _app = client
    window = running.window
    assert window is not None
    picture = bound_ptz_tile(running, lab, qtbot)
    w, h = picture.width(), picture.height()
    before = settled(lab, PTZ_INDEX, qtbot)
    # a single click up and to the right of the centre: a relative move towards it
    send_mouse(picture, QEvent.Type.MouseButtonPress, w * 0.75, h * 0.25)
    send_mouse(picture, QEvent.Type.MouseButtonRelease, w * 0.75, h * 0.25, held=False)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX) != before, timeout=10_000)
    centred = settled(lab, PTZ_INDEX, qtbot)
    assert centred[0] > before[0] and centred[1] > before[1] and centred[2] == before[2]

    # a double-click maximises the tile and leaves the camera where it is
    assert window.wall_controller.maximised is None
    qtbot.mouseDClick(picture, Qt.MouseButton.LeftButton, pos=QPoint(int(w * 0.2), int(h * 0.8)))
    qtbot.waitUntil(lambda: window.wall_controller.maximised == 0, timeout=5000)
    qtbot.wait(QApplication.doubleClickInterval() + 500)  # past the click's pending centre
    assert settled(lab, PTZ_INDEX, qtbot) == centred


def test_alt_digit_goes_to_that_preset(client: tuple[Client, _App], lab: Lab,
                                       qtbot: QtBot) -> None:
    running, _app = client
    window = running.window
    assert window is not None
    bound_ptz_tile(running, lab, qtbot)
    session = window.ptz_session
    assert session is not None and session.capabilities.presets
    for preset in list(session.presets):  # a clean list: ours are the first and the second
        session.remove_preset(preset.token)
    qtbot.waitUntil(lambda: not session.presets, timeout=10_000)

    def drive_then_save(key: Qt.Key, name: str, count: int) -> tuple[float, ...]:
        start = settled(lab, PTZ_INDEX, qtbot)
        qtbot.keyPress(window.wall, key)
        qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX) != start, timeout=10_000)
        qtbot.keyRelease(window.wall, key)
        here = settled(lab, PTZ_INDEX, qtbot)
        session.save_preset(name)
        qtbot.waitUntil(lambda: len(session.presets) == count, timeout=10_000)
        return here

    first = drive_then_save(Qt.Key.Key_Left, "first", 1)
    second = drive_then_save(Qt.Key.Key_Down, "second", 2)
    assert [p.name for p in session.presets] == ["first", "second"] and first != second
    drive_then_save(Qt.Key.Key_Right, "away", 3)  # and move away from both
    session.remove_preset(session.presets[2].token)
    qtbot.waitUntil(lambda: len(session.presets) == 2, timeout=10_000)
    away = settled(lab, PTZ_INDEX, qtbot)
    assert away != second

    qtbot.keyPress(window.wall, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.keyRelease(window.wall, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX) != away, timeout=10_000)
    assert settled(lab, PTZ_INDEX, qtbot) == pytest.approx(second, abs=1e-3)
    # Alt+1: the first one
    qtbot.keyPress(window.wall, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX) != second, timeout=10_000)
    assert settled(lab, PTZ_INDEX, qtbot) == pytest.approx(first, abs=1e-3)


def test_sigterm_stops_the_camera_and_releases_the_lease_before_quitting(
        client: tuple[Client, _App], lab: Lab, qtbot: QtBot) -> None:
    running, app = client
    window = running.window
    assert window is not None and running.ptz is not None
    bound_ptz_tile(running, lab, qtbot)
    session = window.ptz_session
    camera_id = session.lease.camera_id
    before = settled(lab, PTZ_INDEX, qtbot)
    qtbot.keyPress(window.wall, Qt.Key.Key_Right)  # held: no release before the signal
    qtbot.waitUntil(lambda: lab.ptz_position(PTZ_INDEX)[0] > before[0] + 0.01, timeout=10_000)
    assert session.mover.moving

    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    wake = _install_signal_handlers(app, [True], running.quit)  # type: ignore[arg-type]
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
    finally:
        wake.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    # the quit came after the Stop and the release
    assert not session.mover.moving
    settled(lab, PTZ_INDEX, qtbot)
    assert running.ptz is not None and running.ptz.closing and not running.ptz.opened
    assert session.lease.state.status is LeaseStatus.NONE
    assert session.lease.camera_id == camera_id
    qtbot.keyRelease(window.wall, Qt.Key.Key_Right)


def _centre_grab(picture: QWidget) -> bytes:
    """The middle half of the tile's picture as grey bytes, from the screen (what the operator
    sees; the burned-in clock and timecode sit in the corners, outside it)."""
    from PySide6.QtGui import QGuiApplication, QImage

    w, h = picture.width(), picture.height()
    origin = picture.mapToGlobal(QPoint(w // 4, h // 4))
    shot = QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), w // 2, h // 2)
    image = shot.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    return bytes(image.constBits())[: image.sizeInBytes()]


def _changed(a: bytes, b: bytes) -> float:
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 24) / max(1, len(a))


def test_the_picture_on_the_wall_follows_a_pan(client: tuple[Client, _App], lab: Lab,
                                               qtbot: QtBot) -> None:
    running, _app = client
    picture = bound_ptz_tile(running, lab, qtbot)
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: window.wall.tiles[0].overlay_text() == "LIVE", timeout=30_000)
    settled(lab, PTZ_INDEX, qtbot)
    qtbot.wait(1500)  # the stopped picture is on screen
    still_a = _centre_grab(picture)
    qtbot.wait(700)
    still_b = _centre_grab(picture)
    assert _changed(still_a, still_b) < 0.02, "a still camera's scene should not change"
    pad = window.ptz_pad
    before = lab.ptz_position(PTZ_INDEX)
    sign = -1 if before[0] > 0 else 1  # pan away from the nearer limit (earlier tests moved it)
    arrow = pad.arrows[(sign, 0)]
    qtbot.mousePress(arrow, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sign * (lab.ptz_position(PTZ_INDEX)[0] - before[0]) > 0.15,
                    timeout=10_000)
    qtbot.mouseRelease(arrow, Qt.MouseButton.LeftButton)
    settled(lab, PTZ_INDEX, qtbot)
    qtbot.wait(1500)  # the panned picture reached the screen
    moved = _centre_grab(picture)
    assert _changed(still_b, moved) > 0.10, "the picture did not follow the pan"
