"""A tile plays for real: lab RTSP → PyAV ingest → MPEG-TS → libvlc → an X window under Xvfb."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from app.video import OfflineReason, StreamState, TileStatus, VideoService
from tests.app.video.conftest import closed_port, sub_url, with_credentials
from widgets.tile import VideoTile

pytestmark = [pytest.mark.video, pytest.mark.lab]


class _StatusLog:
    """Records every tile_status_changed emission and the thread it arrived on."""

    def __init__(self, service: VideoService) -> None:
        self.items: list[tuple[str, TileStatus]] = []
        self.threads: set[int] = set()
        service.tile_status_changed.connect(self._on_status)

    def _on_status(self, key: str, status: TileStatus) -> None:
        self.threads.add(threading.get_ident())
        self.items.append((key, status))

    def states(self, key: str) -> list[StreamState]:
        return [s.state for k, s in self.items if k == key]


def _grab(tile: VideoTile) -> QImage:
    """The tile's video surface as the X server shows it (libvlc's pixels, not Qt's)."""
    surface = tile.surface()
    origin = surface.mapToGlobal(surface.rect().topLeft())
    screen = QGuiApplication.primaryScreen()
    pixmap = screen.grabWindow(0, origin.x(), origin.y(), surface.width(), surface.height())
    return pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def _pixels(image: QImage) -> bytes:
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = bytes(image.constBits())
    return b"".join(raw[y * stride : y * stride + width] for y in range(height))


def _bright_fraction(image: QImage, level: int = 40) -> float:
    data = _pixels(image)
    return sum(1 for v in data if v > level) / len(data)


def _diff_fraction(a: QImage, b: QImage, level: int = 24) -> float:
    pa, pb = _pixels(a), _pixels(b)
    assert len(pa) == len(pb)
    return sum(1 for x, y in zip(pa, pb, strict=True) if abs(x - y) > level) / len(pa)


def _wait_state(
    qtbot: QtBot, service: VideoService, key: str, state: StreamState, timeout_s: float
) -> TileStatus:
    qtbot.waitUntil(lambda: service.status(key).state is state, timeout=int(timeout_s * 1000))
    return service.status(key)


def test_tile_plays_a_live_moving_picture(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    log = _StatusLog(video_service)
    blank = _grab(tile)
    assert _bright_fraction(blank) < 0.001, "the surface must start black (no Qt painting)"

    started = time.monotonic()
    # camera 1: a looped clip that moves everywhere (PTZ cameras 0 and 3 show a still panorama
    # crop until someone pans)
    video_service.play("t0", sub_url(camera_lab, 1), tile.video_window_id(), "CAM-02")
    status = _wait_state(qtbot, video_service, "t0", StreamState.LIVE, 5.0)
    first_frame_s = time.monotonic() - started
    print(f"time to first frame: {first_frame_s:.2f} s")
    assert status.reason is None

    qtbot.wait(500)  # a few pictures at 25 fps
    first = _grab(tile)
    qtbot.wait(1000)
    second = _grab(tile)
    assert _bright_fraction(first) > 0.01, "the tile shows a black picture"
    assert _diff_fraction(first, second) > 0.001, "two grabs 1 s apart are the same: frozen"

    status = video_service.status("t0")
    assert status.state is StreamState.LIVE
    assert status.last_frame_age is not None and status.last_frame_age < 1.0
    qtbot.waitUntil(lambda: video_service.status("t0").fps > 10, timeout=5000)
    assert video_service.status("t0").bitrate_kbps > 50
    assert log.states("t0")[:2] == [StreamState.CONNECTING, StreamState.LIVE]
    assert log.threads == {threading.main_thread().ident}, "status must arrive on the GUI thread"

    video_service.stop("t0")
    assert video_service.status("t0").state is StreamState.STOPPED
    assert log.states("t0")[-1] is StreamState.STOPPED


def test_stop_returns_promptly_while_the_camera_is_frozen(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    index = 2
    video_service.play("t2", sub_url(camera_lab, index), tile.video_window_id(), "CAM-03")
    _wait_state(qtbot, video_service, "t2", StreamState.LIVE, 5.0)
    camera_lab.freeze(index)
    try:
        status = _wait_state(qtbot, video_service, "t2", StreamState.STALLED, 6.0)
        assert status.last_frame_age is not None and status.last_frame_age >= 1.5  # 25 fps: 1.5 s
        started = time.monotonic()
        video_service.stop("t2")
        assert time.monotonic() - started < 2.0
        assert video_service.status("t2").state is StreamState.STOPPED
    finally:
        camera_lab.unfreeze(index)


def test_frozen_camera_goes_offline_with_timeout(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    """The watchdog catches a camera that keeps the session but sends nothing."""
    index = 2
    log = _StatusLog(video_service)
    video_service.play("t2", sub_url(camera_lab, index), tile.video_window_id(), "CAM-03")
    _wait_state(qtbot, video_service, "t2", StreamState.LIVE, 5.0)
    camera_lab.freeze(index)
    try:
        status = _wait_state(qtbot, video_service, "t2", StreamState.OFFLINE, 8.0)
        assert status.reason == OfflineReason.TIMEOUT
        assert StreamState.STALLED in log.states("t2")
    finally:
        camera_lab.unfreeze(index)
    _wait_state(qtbot, video_service, "t2", StreamState.LIVE, 20.0)


def test_wrong_password_is_offline_with_auth_failed(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = sub_url(camera_lab, 0, password="wrong-password-123")
    video_service.play("t0", url, tile.video_window_id(), "CAM-01")
    status = _wait_state(qtbot, video_service, "t0", StreamState.OFFLINE, 6.0)
    assert status.reason == OfflineReason.AUTH_FAILED
    qtbot.wait(1500)  # a retry or two: still the same reason, never LIVE
    assert video_service.status("t0").reason == OfflineReason.AUTH_FAILED
    assert "wrong-password-123" not in caplog.text


def test_closed_port_is_offline_with_refused(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    camera = camera_lab.cameras[0]
    url = with_credentials(
        f"rtsp://127.0.0.1:{closed_port()}/cam01/sub", camera.rtsp_username, camera.rtsp_password
    )
    video_service.play("t0", url, tile.video_window_id(), "CAM-01")
    status = _wait_state(qtbot, video_service, "t0", StreamState.OFFLINE, 6.0)
    assert status.reason == OfflineReason.REFUSED


def test_tile_goes_offline_when_the_stream_stops_and_comes_back(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    index = 2  # not a PTZ camera: its picture moves by itself
    log = _StatusLog(video_service)
    video_service.play("t3", sub_url(camera_lab, index), tile.video_window_id(), "CAM-03")
    _wait_state(qtbot, video_service, "t3", StreamState.LIVE, 5.0)
    camera_lab.stop_stream(index)
    try:
        status = _wait_state(qtbot, video_service, "t3", StreamState.OFFLINE, 8.0)
        assert status.reason is not None
        qtbot.wait(2000)  # retries against a stopped stream keep it OFFLINE
        assert video_service.status("t3").state is StreamState.OFFLINE
    finally:
        camera_lab.start_stream(index)
    # backoff is at most 15 s; the lab answers again within a few seconds
    _wait_state(qtbot, video_service, "t3", StreamState.LIVE, 25.0)
    qtbot.wait(500)
    first = _grab(tile)
    qtbot.wait(1000)
    assert _diff_fraction(first, _grab(tile)) > 0.001, "the picture must move again"
    assert log.threads == {threading.main_thread().ident}


def test_shutdown_stops_every_tile_and_joins_ingests(
    qtbot: QtBot, tile: VideoTile, camera_lab: Any
) -> None:
    service = VideoService()
    log = _StatusLog(service)
    service.play("a", sub_url(camera_lab, 0), tile.video_window_id(), "CAM-01")
    service.play("b", sub_url(camera_lab, 1), tile.video_window_id(), "CAM-02")
    _wait_state(qtbot, service, "a", StreamState.LIVE, 8.0)
    before = {t.name for t in threading.enumerate() if t.name.startswith("ingest ")}
    assert before
    started = time.monotonic()
    service.shutdown()
    assert time.monotonic() - started < 7.0
    assert service.tile_keys() == []
    assert log.states("a")[-1] is StreamState.STOPPED and log.states("b")[-1] is StreamState.STOPPED
    alive = {t.name for t in threading.enumerate() if t.name.startswith("ingest ")}
    assert not alive, alive
    service.shutdown()  # idempotent


def test_watchdog_slows_down_while_every_tile_is_live_and_speeds_up_on_any_change(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    fast = int(video_service.health.tick * 1000)
    slow = int(video_service.health.steady_tick * 1000)
    assert slow > fast
    video_service.play("w", sub_url(camera_lab, 1), tile.video_window_id(), "CAM-02")
    assert video_service._watchdog.interval() == fast  # connecting: watched closely
    _wait_state(qtbot, video_service, "w", StreamState.LIVE, 5.0)
    qtbot.waitUntil(lambda: video_service._watchdog.interval() == slow, timeout=2000)
    assert video_service.status("w").state is StreamState.LIVE

    # a change (here: the tile's audio, which reconnects it) is watched closely again at once
    video_service.set_muted("w", False)
    assert video_service._watchdog.interval() == fast
    assert video_service.status("w").state is StreamState.CONNECTING
    _wait_state(qtbot, video_service, "w", StreamState.LIVE, 5.0)
    qtbot.waitUntil(lambda: video_service._watchdog.interval() == slow, timeout=2000)
    # the rate is still measured with the slower watchdog
    qtbot.waitUntil(lambda: video_service.status("w").fps > 10, timeout=5000)
