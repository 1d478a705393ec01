"""End to end: the lab (16 cameras), the real backend, the main window with real tiles and libvlc.
A 4×4 wall fills and every tile goes LIVE; 2×2 keeps the first four (same streams, still live);
3×3 and 1+5 walls with live tiles are saved as screenshots (IOCWALL_SHOT_DIR or the test's tmp
dir); the wall saved as a layout comes back as the startup layout in a new window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import layout_library
from app.credentials import TokenStore
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import StreamState, VideoService
from app.wall import WallController
from lab import Lab
from lab.testing import start_test_lab
from server.testing import start_test_server, stop_test_server
from widgets.main_window import MainWindow

pytestmark = [pytest.mark.video, pytest.mark.lab]

LIVE_TIMEOUT_MS = 180_000  # 16 tiles on 2 shared cores: generous


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("lab16"), cameras=16) as running:
        yield running


@pytest.fixture(scope="module")
def server(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, process = start_test_server(tmp_path_factory.mktemp("server"), lab.manifest_path)
    try:
        yield url
    finally:
        stop_test_server(process)


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


def open_window(qtbot: QtBot, server: str, tmp_path: Path, ops: Ops, messages: MessageBridge,
                video: VideoService) -> tuple[MainWindow, WallController, AuthService]:
    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    session = auth.login(server, "ioc.operator", "demo", False)
    wall = WallController(video, ops, messages, audit=auth,
                          sessions=auth.client.stream_session_url)  # type: ignore[union-attr]
    window = MainWindow(session, auth, wall, video, ops, messages, settings,
                        layouts=layout_library(auth.client, session, ops, messages, settings))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, wall, auth


def all_live(video: VideoService, wall: WallController) -> bool:
    keys = [wall.tile_key(i) for i, c in enumerate(wall.cells) if c is not None]
    return bool(keys) and all(video.status(k).state is StreamState.LIVE for k in keys)


def shot(qtbot: QtBot, window: MainWindow, name: str, tmp_path: Path) -> Path:
    qtbot.wait(1500)  # a few frames everywhere
    directory = Path(os.environ.get("IOCWALL_SHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    assert window.screen().grabWindow(window.winId()).toImage().save(str(path))
    print(f"\nscreenshot: {path}")
    return path


def test_sixteen_live_then_two_by_two_keeps_the_first_four(
        qtbot: QtBot, server: str, tmp_path: Path, ops: Ops, messages: MessageBridge,
        video: VideoService) -> None:
    window, wall, auth = open_window(qtbot, server, tmp_path, ops, messages, video)
    assert window.isMaximized() or window.windowState() & window.windowState().WindowMaximized
    with qtbot.waitSignal(window.cameras_loaded, timeout=30000) as blocker:
        window.load_cameras()
    ids = [c.id for c in sorted(blocker.args[0], key=lambda c: c.id)]
    assert len(ids) == 16

    window.wall.template_actions[3].trigger()  # 4×4
    assert wall.grid.key == "4x4"
    wall.fill(ids)
    assert wall.cells == ids
    qtbot.waitUntil(lambda: all_live(video, wall), timeout=LIVE_TIMEOUT_MS)

    window.wall.template_actions[1].trigger()  # 2×2
    assert wall.cells == ids[:4]
    assert all(video.status(wall.tile_key(i)).state is StreamState.LIVE for i in range(4))
    assert all(video.status(wall.tile_key(i)).state is StreamState.STOPPED
               for i in range(4, 16))

    # 3×3 with live tiles, then 1+5; look at them.
    window.wall.template_actions[2].trigger()
    wall.fill(ids[4:9])
    assert wall.cells == ids[:9]
    qtbot.waitUntil(lambda: all_live(video, wall), timeout=LIVE_TIMEOUT_MS)
    shot(qtbot, window, "wall-3x3.png", tmp_path)

    window.wall.template_actions[7].trigger()  # 1+5: the first six carried over
    assert wall.grid.key == "1+5" and wall.cells == ids[:6]
    qtbot.waitUntil(lambda: all_live(video, wall), timeout=LIVE_TIMEOUT_MS)
    shot(qtbot, window, "wall-1+5.png", tmp_path)

    # Save it as the startup layout; a new window (a new start) shows it again.
    with qtbot.waitSignal(window.layouts.saved, timeout=15000):  # type: ignore[union-attr]
        window.save_layout_as("Ca ngày 1+5")
    with qtbot.waitSignal(window.layouts.saved, timeout=15000):  # type: ignore[union-attr]
        window.set_startup_layout(True)
    window.close()
    for camera in wall.stop_for_exit():
        auth.audit_event("view_stop", camera.id, "e2e end")

    again, wall2, _auth2 = open_window(qtbot, server, tmp_path, ops, messages, video)
    with qtbot.waitSignal(again.cameras_loaded, timeout=30000):
        again.load_cameras()
    qtbot.waitUntil(lambda: wall2.grid.key == "1+5" and wall2.cells == ids[:6], timeout=30000)
    assert again.layout_label.text().endswith("Ca ngày 1+5")
    qtbot.waitUntil(lambda: all_live(video, wall2), timeout=LIVE_TIMEOUT_MS)
    again.close()
    wall2.stop_for_exit()
