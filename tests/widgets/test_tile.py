"""VideoTile: title strip, native black surface, drops of cameras, double-click."""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.video.status import StreamState, TileStatus
from widgets.tile import CAMERA_MIME_TYPE, VideoTile


def _tile_in_window(qtbot: QtBot, index: int = 3) -> tuple[QWidget, VideoTile]:
    window = QWidget()
    qtbot.addWidget(window)
    tile = VideoTile(index, window)
    QVBoxLayout(window).addWidget(tile)
    window.setGeometry(0, 0, 480, 320)
    window.show()
    qtbot.waitExposed(window)
    return window, tile


def _mime(payload: bytes, mime_type: str = CAMERA_MIME_TYPE) -> QMimeData:
    mime = QMimeData()
    mime.setData(mime_type, QByteArray(payload))
    return mime


def _drop(tile: VideoTile, mime: QMimeData) -> tuple[bool, bool]:
    """Send a drag-enter then a drop; returns whether each was accepted."""
    pos = QPointF(tile.width() / 2, tile.height() / 2)
    enter = QDragEnterEvent(
        pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tile, enter)
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tile, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_surface_is_a_native_black_window_without_native_ancestors(qtbot: QtBot) -> None:
    window, tile = _tile_in_window(qtbot)
    window_id = tile.video_window_id()
    assert isinstance(window_id, int) and window_id != 0
    assert tile.surface().testAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    assert tile.internalWinId() == 0, "the tile itself must not become a native window"
    assert window_id != int(window.winId())
    qtbot.wait(100)
    surface = tile.surface()
    origin = surface.mapToGlobal(surface.rect().topLeft())
    image = QGuiApplication.primaryScreen().grabWindow(
        0, origin.x(), origin.y(), surface.width(), surface.height()
    ).toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    raw = bytes(image.constBits())
    assert max(raw[: image.bytesPerLine() * image.height()]) < 16, "the surface must be black"


def test_tile_module_does_not_need_vlc_or_av() -> None:
    import importlib
    import subprocess

    code = (
        "import sys, widgets.tile; "
        "sys.exit(1 if ('vlc' in sys.modules or 'av' in sys.modules) else 0)"
    )
    assert importlib.util.find_spec("widgets.tile") is not None
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_title_strip_shows_camera_and_state(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot)
    tile.set_camera(7, "CAM-07 Cầu Nhật Lệ")
    assert tile.camera_id == 7 and tile.camera_name() == "CAM-07 Cầu Nhật Lệ"
    assert "CAM-07 Cầu Nhật Lệ" in tile.findChild(QWidget, "tileCameraName").text()

    state_label = tile.findChild(QWidget, "tileState")
    tile.set_status(TileStatus(StreamState.LIVE, last_frame_age=0.04, fps=25.0))
    assert state_label.text() == "Live" and state_label.property("state") == "live"
    tile.set_status(TileStatus(StreamState.STALLED, last_frame_age=4.2))
    assert "4" in state_label.text()
    tile.set_status(TileStatus(StreamState.OFFLINE, reason="auth failed"))
    assert state_label.property("state") == "offline"
    assert "credentials" in state_label.text()
    tile.set_status(TileStatus(StreamState.OFFLINE, reason="something new"))
    assert "something new" in state_label.text()

    tile.clear()
    assert tile.camera_id is None and tile.camera_name() == ""
    assert state_label.text() == ""


def test_dropping_a_camera_emits_camera_dropped(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot, index=3)
    with qtbot.waitSignal(tile.camera_dropped, timeout=1000) as blocker:
        accepted = _drop(tile, _mime(b"42"))
    assert accepted == (True, True)
    assert blocker.args == [3, 42]


def test_other_drops_are_refused(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot)
    seen: list[tuple[int, int]] = []
    tile.camera_dropped.connect(lambda i, c: seen.append((i, c)))
    assert _drop(tile, _mime(b"42", "text/plain")) == (False, False)
    assert _drop(tile, _mime(b"not a number")) == (False, False)
    assert seen == []


def test_double_click_emits_activated_with_the_tile_index(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot, index=5)
    with qtbot.waitSignal(tile.activated, timeout=1000) as blocker:
        qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert blocker.args == [5]
    # a double-click on the video surface reaches the tile as well
    with qtbot.waitSignal(tile.activated, timeout=1000) as blocker:
        qtbot.mouseDClick(tile.surface(), Qt.MouseButton.LeftButton)
    assert blocker.args == [5]


def test_two_native_surfaces_swap_and_the_tile_stays_alien(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot)
    front, spare = tile.video_window_id(), tile.spare_window_id()
    assert front and spare and front != spare
    assert tile.internalWinId() == 0, "the tile itself must not become a native window"
    tile.show_surface(spare)
    assert tile.video_window_id() == spare and tile.spare_window_id() == front
    tile.show_surface(12345)  # unknown: ignored
    assert tile.video_window_id() == spare


def _seconds(tile: VideoTile, pattern: str) -> int:
    """The number of seconds the badge shows now (-1 when it shows none)."""
    found = re.search(pattern, tile.overlay_text())
    return int(found.group(1)) if found else -1


def test_overlay_follows_the_status_and_counts_by_itself(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot)
    tile.set_camera(7, "CAM-07")
    assert tile.overlay_text() == "Connecting…"
    tile.set_status(TileStatus(StreamState.LIVE, last_frame_age=0.04))
    assert tile.overlay_text() == "LIVE" and tile.overlay().kind == "live"
    tile.set_status(TileStatus(StreamState.STALLED, last_frame_age=3.2))
    assert tile.overlay().kind == "stalled" and "3 s" in tile.overlay_text()
    amber = tile.overlay().palette().window().color()  # an amber warning, not green or red
    assert (amber.red(), amber.green(), amber.blue()) == (0xff, 0xb0, 0x00)
    # one status only: the badge counts on by itself (a loaded machine may drop a tick, so the
    # count is asked to move the right way, not to land on one exact second)
    qtbot.waitUntil(lambda: _seconds(tile, r"(\d+) s") >= 4, timeout=5000)
    tile.set_status(TileStatus(StreamState.OFFLINE, reason="refused", retry_in=4.0))
    assert "connection refused" in tile.overlay_text() and "reconnecting in 4 s" in (
        tile.overlay_text()
    )
    qtbot.waitUntil(lambda: 0 <= _seconds(tile, r"reconnecting in (\d+) s") < 4, timeout=5000)
    # a long GOP: the wait says what it waits for, counting on by itself
    tile.set_status(TileStatus(StreamState.CONNECTING, reason="keyframe", waiting_s=6.2))
    assert "key frame" in tile.overlay_text() and "6 s" in tile.overlay_text()
    qtbot.waitUntil(lambda: _seconds(tile, r"(\d+) s") >= 7, timeout=5000)
    tile.set_status(TileStatus(StreamState.REPLAY, replay_offset=30.4))
    assert "REPLAY" in tile.overlay_text() and "30" in tile.overlay_text()
    tile.clear()
    assert tile.overlay_text() == ""


def test_no_permission_shows_a_badge_and_ignores_statuses(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot)
    tile.set_no_permission("CAM-09 Chợ Đồng Hới")
    assert tile.camera_id is None and tile.camera_name() == "CAM-09 Chợ Đồng Hới"
    assert "No permission" in tile.overlay_text()
    tile.set_status(TileStatus(StreamState.LIVE))
    assert "No permission" in tile.overlay_text()
    tile.set_camera(9, "CAM-09")
    assert tile.overlay_text() == "Connecting…"


def test_replay_button_and_key_r_request_a_replay(qtbot: QtBot) -> None:
    _, tile = _tile_in_window(qtbot, index=4)
    tile.set_camera(1, "CAM-01")
    button = tile.findChild(QWidget, "tileReplayButton")
    with qtbot.waitSignal(tile.replay_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [4]
    tile.setFocus()
    with qtbot.waitSignal(tile.replay_requested, timeout=1000) as blocker:
        qtbot.keyClick(tile, Qt.Key.Key_R)
    assert blocker.args == [4]
    tile.clear()  # an empty tile has nothing to replay
    seen: list[int] = []
    tile.replay_requested.connect(seen.append)
    qtbot.keyClick(tile, Qt.Key.Key_R)
    assert seen == []
