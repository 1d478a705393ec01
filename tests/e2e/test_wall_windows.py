"""Multi-monitor wall windows, tours and clean tile margins with the real lab, libvlc and Xvfb.

Two screens: the suite's Xvfb (1920×1080) is split into two RandR monitors "L" and "R" with
``xrandr --setmonitor`` (Qt sees them as two QScreens; ``--delmonitor`` is a real screenRemoved).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from app.domain import Action, Camera, CameraSystem
from app.messages import MessageBridge
from app.ops import Ops
from app.screens import Rect, WallWindowState
from app.settings import SettingsStore
from app.video import StreamKind, StreamState, VideoService
from app.wall import WallController
from lab.testing import start_test_lab
from tests.app.video.conftest import with_credentials
from widgets.wall_view import WallView
from widgets.wall_window import WallWindows

pytestmark = [pytest.mark.video, pytest.mark.lab]

LIVE_MS = 60_000


class AuditLog:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def audit_event(self, event: str, camera_id: int | None = None,
                    detail: str | None = None) -> None:
        self.events.append((event, camera_id or 0))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with start_test_lab(tmp_path_factory.mktemp("lab-windows"), cameras=4) as running:
        yield running


@pytest.fixture(scope="module")
def cameras(lab: Any) -> list[Camera]:
    found = []
    for index, cam in enumerate(lab.cameras):
        found.append(Camera(
            index + 1, cam.name, "Đồng Phú", 1, CameraSystem.SMART_CITY,
            actions=frozenset({Action.VIEW}),
            main_stream_url=with_credentials(cam.main_url, cam.rtsp_username, cam.rtsp_password),
            sub_stream_url=with_credentials(cam.sub_url, cam.rtsp_username, cam.rtsp_password)))
    return found


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


def xrandr(*args: str) -> None:
    subprocess.run(["xrandr", *args], check=True, capture_output=True, timeout=10)


def screen_names() -> list[str]:
    return [s.name() for s in QGuiApplication.screens()]


@pytest.fixture
def two_screens(qtbot: QtBot) -> Iterator[None]:
    xrandr("--setmonitor", "L", "960/254x1080/286+0+0", "none")
    xrandr("--setmonitor", "R", "960/254x1080/286+960+0", "none")
    try:
        qtbot.waitUntil(lambda: {"L", "R"} <= set(screen_names()), timeout=10_000)
        yield
    finally:
        for name in ("L", "R"):
            if name in screen_names():
                subprocess.run(["xrandr", "--delmonitor", name], capture_output=True, timeout=10)
        qtbot.waitUntil(lambda: not {"L", "R"} & set(screen_names()), timeout=10_000)


def all_live(video: VideoService, controller: WallController) -> bool:
    keys = [controller.tile_key(i) for i, c in enumerate(controller.cells) if c is not None]
    return bool(keys) and all(video.status(k).state is StreamState.LIVE for k in keys)


def test_two_screens_restored_and_a_removed_screens_wall_moves_on_playing(
        qtbot: QtBot, two_screens: None, ops: Ops, messages: MessageBridge,
        video: VideoService, cameras: list[Camera], data_dir: Path) -> None:
    settings = SettingsStore(data_dir)
    saved = settings.load()
    saved.wall_windows = [
        WallWindowState("screen-1", "L", Rect(0, 0, 960, 1080), True, None, "", "1x1", (1,)),
        WallWindowState("screen-2", "R", Rect(1000, 100, 800, 600), False, None, "", "2x2",
                        (2, 3, None, 4)),
    ]
    settings.save(saved)
    audit = AuditLog()
    def new_wall(key: str) -> WallController:
        return WallController(video, ops, messages, audit=audit, key_prefix=key)  # type: ignore[arg-type]

    walls = WallWindows(video, messages, settings, new_wall)
    try:
        walls.restore()
        walls.set_cameras(cameras)
        left, right = walls.windows["screen-1"], walls.windows["screen-2"]
        qtbot.waitExposed(left)
        qtbot.waitExposed(right)
        assert (left.screen_name, left.geometry()) == ("L", QRect(0, 0, 960, 1080))
        assert (right.screen_name, right.geometry()) == ("R", QRect(1000, 100, 800, 600))
        assert right.windowHandle().screen().name() == "R"
        assert left.controller.cells == [1] and right.controller.cells == [2, 3, None, 4]
        qtbot.waitUntil(lambda: all_live(video, left.controller)
                        and all_live(video, right.controller), timeout=LIVE_MS)

        keys = [right.controller.tile_key(i) for i in (0, 1, 3)]
        surfaces = [right.wall.tiles[i].video_window_id() for i in (0, 1, 3)]
        seen: list[tuple[str, StreamState]] = []
        video.tile_status_changed.connect(
            lambda key, status: seen.append((key, status.state)) if key in keys else None)
        xrandr("--delmonitor", "R")
        qtbot.waitUntil(lambda: right.screen_name != "R", timeout=10_000)
        remaining = {s.name(): s.geometry() for s in QGuiApplication.screens()}
        assert "R" not in remaining and right.screen_name in remaining
        assert remaining[right.screen_name].contains(right.geometry())
        assert left.screen_name == "L"  # the other wall stays where it was
        # the tiles kept their streams: same native windows, still live, never stopped
        assert [right.wall.tiles[i].video_window_id() for i in (0, 1, 3)] == surfaces
        assert all(video.status(k).state is StreamState.LIVE for k in keys)
        assert all(state in (StreamState.LIVE,) for _key, state in seen), seen
        walls.save()
        states = {w.key: w for w in settings.load().wall_windows}
        assert states["screen-2"].screen == right.screen_name
        assert states["screen-2"].cells == (2, 3, None, 4)
    finally:
        shown = walls.stop_for_exit()
    assert sorted(c.id for c in shown) == [1, 2, 3, 4]
    assert len(settings.load().wall_windows) == 2  # kept for the next start


def test_a_tile_tour_with_a_one_second_dwell_changes_the_camera(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, video: VideoService,
        cameras: list[Camera]) -> None:
    controller = WallController(video, ops, messages, grid=None)
    controller.set_cameras(cameras)
    window = QMainWindow()
    view = WallView(controller, video, window, tour_dwell=1.0)
    window.setCentralWidget(view)
    window.setGeometry(0, 0, 1000, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        controller.assign(0, 1)
        qtbot.waitUntil(lambda: all_live(video, controller), timeout=LIVE_MS)
        assert view.start_tile_tour(0, [1, 2])
        assert view.tiles[0].tour_badge() == "Tour 1/2"
        key = controller.tile_key(0)
        with qtbot.waitSignal(video.stream_switched, timeout=LIVE_MS,
                              check_params_cb=lambda k, _w: k == key) as switched:
            pass
        assert controller.cells[0] == 2 and view.tiles[0].camera_id == 2
        assert view.tiles[0].tour_badge() == "Tour 2/2"
        assert view.tiles[0].video_window_id() == switched.args[1]
        qtbot.waitUntil(lambda: video.status(key).state is StreamState.LIVE, timeout=LIVE_MS)
        view.tours.stop(0)
        assert view.tiles[0].tour_badge() == ""
    finally:
        controller.stop_for_exit()


def margin_is_black(image: QImage) -> bool:
    """Every pixel dark (a stale one-pixel line or badge fails it)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    row_bytes = image.width() * 3
    return all(max(bytes(image.constScanLine(y))[:row_bytes]) < 40  # type: ignore[call-overload]
               for y in range(image.height()))


def test_tile_margins_are_black_after_a_template_switch(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, video: VideoService,
        cameras: list[Camera]) -> None:
    controller = WallController(video, ops, messages)
    controller.set_cameras(cameras)
    window = QMainWindow()
    view = WallView(controller, video, window)
    window.setCentralWidget(view)
    window.setGeometry(0, 0, 900, 1000)  # tall tiles: 16:9 pictures get black bars
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        controller.set_template("2x2")
        for cell, camera in enumerate(cameras[:4]):
            controller.assign(cell, camera.id)
        qtbot.waitUntil(lambda: all_live(video, controller), timeout=LIVE_MS)
        # maximise: tile 0 switches to main (a make-before-break raise: libvlc's window gets
        # background None), then back to the grid
        controller.maximise(0)
        qtbot.waitUntil(lambda: controller.stream_of(0) is StreamKind.MAIN
                        and video.status(controller.tile_key(0)).state is StreamState.LIVE,
                        timeout=LIVE_MS)
        controller.maximise(None)
        qtbot.waitUntil(lambda: video.status(controller.tile_key(0)).state is StreamState.LIVE,
                        timeout=LIVE_MS)
        controller.set_template("1+5")  # tile 0 grows where tiles 1 and 2 were
        surface = view.tiles[0].surface()
        top_left = surface.mapToGlobal(QPoint(0, 0))
        width, height = surface.width(), surface.height()
        margin = (height - width * 9 // 16) // 2
        assert margin > 60, (width, height)
        # both bars, all but the LIVE badge's corner (every pixel checked)
        bands = [QRect(top_left.x() + 4, top_left.y() + 30, width - 8, margin - 34),
                 QRect(top_left.x() + 4, top_left.y() + height - margin + 4, width - 8,
                       margin - 8)]
        # the two new tiles (4, 5: empty, where tile 3's picture and badges were) are all black
        for tile in view.tiles[4:]:
            corner = tile.surface().mapToGlobal(QPoint(0, 0))
            bands.append(QRect(corner, tile.surface().size()))
        screen = QGuiApplication.primaryScreen()

        def black() -> bool:
            return all(margin_is_black(screen.grabWindow(0, b.x(), b.y(), b.width(),
                                                         b.height()).toImage())
                       for b in bands)

        qtbot.waitUntil(lambda: all_live(video, controller), timeout=LIVE_MS)
        qtbot.waitUntil(black, timeout=10_000)
    finally:
        controller.stop_for_exit()
