"""PTZ as main.py wires it (``Client.open_main_window``) against the lab's ONVIF cameras and a real
backend: selecting a PTZ tile binds the PTZ dock's pad to that camera; a pad arrow held moves the
lab camera and its release stops it; arrow keys on the wall drive it too; the tile shows that we
hold PTZ; selecting a tile without PTZ disables the pad and unbinds on-tile input."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.credentials import TokenStore
from app.domain import Action, Camera
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import VideoService
from lab import Lab
from lab.testing import start_test_lab
from main import Client, parse_args

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
    running = Client(app, parse_args([]), settings, messages, ops, video,  # type: ignore[arg-type]
                     auth, server)
    running.open_main_window(auth.login(server, "ioc.operator", "demo", False))
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(window.wall_controller.camera_list()), timeout=20_000)
    try:
        yield running, app
    finally:
        if running.wall is not None:
            running.wall.clear_all()
        window.close()  # closes the PTZ sessions (Stop, release), then quits
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
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
