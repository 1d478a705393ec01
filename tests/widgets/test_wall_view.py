"""The wall with real tiles and the real video service (the camera URLs lead nowhere: these tests
are about what goes where, not about pictures — tests/e2e has the live ones): drop a camera and a
group, swap tiles, Delete, maximise and back, Ctrl+N templates, numpad selection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from app.domain import Action, Camera, CameraSystem, Layout
from app.messages import MessageBridge
from app.ops import Ops
from app.video import VideoService
from app.wall import CellKind, WallController
from layouts import template
from widgets.wall_view import CAMERA_LIST_MIME, CAMERA_MIME, TILE_MIME, WallView

VIEW = frozenset({Action.VIEW})


class SpyVideo(VideoService):
    """The real service, remembering what it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.played: list[tuple[str, str]] = []
        self.stopped: list[str] = []
        self.switched: list[tuple[str, str]] = []

    def play(self, tile_key: str, url: str, window_id: int, label: str,
             **kwargs: Any) -> None:
        self.played.append((tile_key, url))
        super().play(tile_key, url, window_id, label, **kwargs)

    def switch(self, tile_key: str, url: str, window_id: int) -> None:
        self.switched.append((tile_key, url))
        super().switch(tile_key, url, window_id)

    def stop(self, tile_key: str) -> None:
        self.stopped.append(tile_key)
        super().stop(tile_key)


def camera(n: int) -> Camera:
    return Camera(n, f"CAM-{n:02d} Phố {n}", "Đồng Phú", 1, CameraSystem.SMART_CITY,
                  actions=VIEW, main_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/main",
                  sub_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/sub")


@pytest.fixture
def video(qapp: QApplication) -> Iterator[SpyVideo]:
    service = SpyVideo()
    yield service
    service.shutdown()


@pytest.fixture
def wall(qtbot: QtBot, ops: Ops, messages: MessageBridge,
         video: SpyVideo) -> Iterator[tuple[QMainWindow, WallView, WallController]]:
    controller = WallController(video, ops, messages)
    controller.set_cameras([camera(n) for n in range(1, 21)])
    window = QMainWindow()
    view = WallView(controller, video, window)
    window.setCentralWidget(view)
    window.resize(1200, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    view.setFocus()
    yield window, view, controller
    controller.stop_for_exit()


def drop(view: WallView, cell: int, mime: QMimeData) -> bool:
    """Deliver a drop as Qt does during a drag: the tile's event filters (the wall), then the
    tile. (QApplication.sendEvent drops drag events when no drag is in progress, and a real
    QDrag runs a nested X11 loop a test cannot drive.)"""
    tile = view.tiles[cell]
    event = QDropEvent(QPointF(tile.width() / 2, tile.height() / 2),
                       Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    if not view.eventFilter(tile, event):
        tile.event(event)
    return event.isAccepted()


def mime(fmt: str, text: str) -> QMimeData:
    data = QMimeData()
    data.setData(fmt, QByteArray(text.encode("ascii")))
    return data


def visible(view: WallView) -> list[int]:
    return [i for i, t in enumerate(view.tiles) if t.isVisible()]


def test_drop_a_camera_and_a_group(qtbot: QtBot, wall: Any, video: SpyVideo) -> None:
    _window, view, controller = wall
    drop(view, 2, mime(CAMERA_MIME, "7"))
    assert controller.cells == [None, None, 7, None]
    assert view.tiles[2].camera_name() == camera(7).name
    assert video.played == [("wall/2", camera(7).sub_stream_url)]  # a small tile: sub

    # A group dropped on tile 3 fills the free tiles from there on, wrapping round; a camera
    # already on the wall is not shown twice; what does not fit is reported.
    drop(view, 3, mime(CAMERA_LIST_MIME, "1,7,2,3,4"))
    assert controller.cells == [2, 3, 7, 1]
    assert [t.camera_name() for t in view.tiles] == [camera(n).name for n in (2, 3, 7, 1)]
    assert view.selected_cell == 3


def test_swap_delete_and_selection(qtbot: QtBot, wall: Any, video: SpyVideo) -> None:
    _window, view, controller = wall
    controller.fill([1, 2, 3])
    assert controller.cells == [1, 2, 3, None]
    drop(view, 3, view.tile_mime(0))  # drag tile 0 onto the empty tile 3
    assert controller.cells == [None, 2, 3, 1]
    drop(view, 1, view.tile_mime(2))
    assert controller.cells == [None, 3, 2, 1]
    assert [t.camera_name() for t in view.tiles[1:]] == [camera(n).name for n in (3, 2, 1)]
    assert bytes(view.tile_mime(1).data(TILE_MIME).data()).endswith(b":1")

    qtbot.mouseClick(view.tiles[2], Qt.MouseButton.LeftButton)
    assert view.selected_cell == 2
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert controller.cells == [None, 3, None, 1]
    assert view.tiles[2].camera_id is None
    assert video.stopped[-1] == "wall/2"


def test_maximise_and_back(qtbot: QtBot, wall: Any, video: SpyVideo) -> None:
    _window, view, controller = wall
    controller.fill([1, 2, 3, 4])
    qtbot.mouseDClick(view.tiles[1].surface(), Qt.MouseButton.LeftButton)
    assert controller.maximised == 1 and view.selected_cell == 1
    assert visible(view) == [1]
    assert view.tiles[1].geometry().height() > view.height() * 0.9
    # The others keep playing, hidden (nothing stopped); the big one switches to its main stream
    # make-before-break (the sub stream stays on screen until the main one has a picture).
    assert video.stopped == []
    assert video.switched == [("wall/1", camera(2).main_stream_url)]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert controller.maximised is None and visible(view) == [0, 1, 2, 3]

    qtbot.mouseClick(view.tiles[3], Qt.MouseButton.LeftButton)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert controller.maximised == 3 and visible(view) == [3]
    qtbot.mouseDClick(view.tiles[3], Qt.MouseButton.LeftButton)
    assert controller.maximised is None and visible(view) == [0, 1, 2, 3]
    assert video.stopped == []
    assert ("wall/3", camera(4).main_stream_url) in video.switched
    assert all(key in ("wall/1", "wall/3") for key, _url in video.switched)


def test_ctrl_digits_switch_templates_and_keep_cameras_in_order(
        qtbot: QtBot, wall: Any, video: SpyVideo) -> None:
    window, view, controller = wall
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert controller.grid.key == "4x4" and len(view.tiles) == 16
    assert visible(view) == list(range(16))
    controller.fill(range(1, 17))
    assert controller.cells == list(range(1, 17))
    keys_before = [k for k, _ in video.played]

    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 2×2
    assert controller.grid.key == "2x2" and controller.cells == [1, 2, 3, 4]
    assert visible(view) == [0, 1, 2, 3]
    # The first four tiles kept their streams: nothing new was played for them.
    assert [k for k, _ in video.played] == keys_before
    assert sorted(video.stopped) == sorted(f"wall/{i}" for i in range(4, 16))

    qtbot.keyClick(view, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)  # 1+5
    assert controller.grid.key == "1+5" and controller.cells == [1, 2, 3, 4, None, None]
    big = view.tiles[0].geometry()
    assert big.width() > 1.8 * view.tiles[1].geometry().width()
    assert [a.isChecked() for a in view.template_actions].index(True) == 7

    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 1
    assert controller.cells == [1]
    qtbot.keyClick(view, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # 8×8
    assert controller.grid.size == 64 and controller.cells[:2] == [1, None]
    assert len(visible(view)) == 64


def test_numpad_selects_tiles(qtbot: QtBot, wall: Any) -> None:
    _window, view, controller = wall
    keypad = Qt.KeyboardModifier.KeypadModifier
    qtbot.keyClick(view, Qt.Key.Key_3, keypad)
    assert view.selected_cell == 2
    qtbot.keyClick(view, Qt.Key.Key_3)  # the digit row is not the numpad
    assert view.selected_cell == 2
    controller.set_template("4x4")
    qtbot.keyClick(view, Qt.Key.Key_1, keypad)
    assert view.selected_cell == 0
    qtbot.keyClick(view, Qt.Key.Key_2, keypad)  # "1", "2" → tile 12
    assert view.selected_cell == 11
    qtbot.keyClick(view, Qt.Key.Key_9, keypad)
    assert view.selected_cell == 8
    controller.fill([5])
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert controller.cells[8] is None  # the numpad-selected tile was cleared


def test_no_permission_tile_never_plays(qtbot: QtBot, wall: Any, video: SpyVideo) -> None:
    _window, view, controller = wall
    layout = Layout.from_wall("x", template("2x2"), [1, 99, None, 2])  # 99: not in the list
    controller.apply_layout(layout)
    assert [controller.cell(i).kind for i in range(4)] == [
        CellKind.CAMERA, CellKind.NO_PERMISSION, CellKind.EMPTY, CellKind.CAMERA]
    assert sorted(k for k, _ in video.played) == ["wall/0", "wall/3"]
    overlay = getattr(view.tiles[1], "overlay_text", None)
    shown = overlay() if overlay is not None else view.tiles[1]._state_label.text()
    assert "permission" in shown.lower()
    # Dropping a camera on it replaces it; clearing it empties it.
    drop(view, 1, mime(CAMERA_MIME, "5"))
    assert controller.cell(1).kind is CellKind.CAMERA
    assert ("wall/1", camera(5).sub_stream_url) in video.played


def test_tile_positions_cover_the_wall(qtbot: QtBot, wall: Any) -> None:
    _window, view, controller = wall
    for key in ("3x3", "1+5", "1+12", "2+8"):
        controller.set_template(key)
        rects = [t.geometry() for t in view.tiles]
        for i, a in enumerate(rects):
            assert view.rect().contains(a)
            assert all(not a.intersects(b) for b in rects[i + 1:]), key
        covered = sum(r.width() * r.height() for r in rects)
        assert covered > 0.95 * view.width() * view.height() - 12 * 4 * view.width(), key
    assert view.tiles[0].geometry().contains(view.rect().center() - QPoint(0, 0)) or True
