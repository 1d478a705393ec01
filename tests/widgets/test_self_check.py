"""``--self-check`` from source: a child process against the real lab (as the installer runs it),
and in-process with a stand-in video service for the ways a stream can fail to show."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.video.status import StreamState, TileStatus
from tests.app.helpers import free_port
from widgets.self_check import bright_share, run_self_check

ROOT = Path(__file__).resolve().parent.parent.parent



def run_child(stream_url: str | None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    for name in [k for k, v in env.items() if v == ""]:
        environment.pop(name)
    return subprocess.run([sys.executable, "main.py", "--self-check"],
                          input=(stream_url or "") + "\n", capture_output=True, text=True,
                          env=environment, cwd=ROOT, timeout=120, check=False)


def with_credentials(url: str, username: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{quote(username, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from lab.testing import start_test_lab

    with start_test_lab(tmp_path_factory.mktemp("self-check-lab"), cameras=1) as running:
        yield running


@pytest.mark.video
@pytest.mark.lab
def test_a_lab_camera_plays_and_every_check_passes(lab: Any) -> None:
    camera = lab.cameras[0]
    url = with_credentials(camera.sub_url, camera.rtsp_username, camera.rtsp_password)
    result = run_child(url)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("qt", "resources", "libvlc", "pyav", "onvif", "stream"):
        assert any(line.startswith(f"self-check: {check} ok (") for line in lines), lines
    stream = next(line for line in lines if line.startswith("self-check: stream ok"))
    assert "rtsp://***@127.0.0.1:" in stream and "live after" in stream
    assert lines[-1] == "self-check: ok"
    assert camera.rtsp_password not in result.stdout + result.stderr


@pytest.mark.video
def test_an_unplayable_url_fails_with_the_reason() -> None:
    port = free_port()
    result = run_child(f"rtsp://viewer:s3cret-pw@127.0.0.1:{port}/x")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        f"self-check: FAILED: stream — rtsp://***@127.0.0.1:{port}/x is offline (refused)")
    assert "s3cret-pw" not in result.stdout + result.stderr


def test_without_a_url_the_libraries_are_checked_and_the_stream_skipped() -> None:
    result = run_child(None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "self-check: stream skipped (no URL on standard input)", "self-check: ok"]


def test_no_display_is_a_clear_failure_not_a_qt_abort() -> None:
    result = run_child(None, DISPLAY="")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "self-check: FAILED: qt — DISPLAY is not set (run it in the desktop session or under Xvfb)"]


def test_an_x_server_that_does_not_answer_is_named() -> None:
    result = run_child(None, DISPLAY=":97")  # the suite's Xvfb picks a free number, never 97
    assert result.returncode == 1
    assert "FAILED: qt — cannot connect to the X display :97" in result.stdout


# -- in-process, with a stand-in for the video service -------------------------------------------

class _Check:
    def __init__(self, name: str, error: Exception | None = None) -> None:
        self.name = name
        self.error = error
        self.ran = False

    def run(self) -> str:
        self.ran = True
        if self.error is not None:
            raise self.error
        return "found"


class _StandInVideo(QObject):
    """Plays nothing: reports ``state`` shortly after play (nothing renders into the tile)."""

    tile_status_changed = Signal(str, object)

    def __init__(self, state: StreamState, reason: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.reason = reason
        self.stopped = False
        self.shut_down = False

    def play(self, tile_key: str, url: str, window_id: int, label: str) -> None:
        QTimer.singleShot(50, lambda: self.tile_status_changed.emit(tile_key,
                                                                    self.status(tile_key)))

    def stop(self, tile_key: str) -> None:
        self.stopped = True

    def status(self, tile_key: str) -> TileStatus:
        return TileStatus(self.state, reason=self.reason, last_frame_age=0.0)

    def shutdown(self) -> None:
        self.shut_down = True


def _run(video: _StandInVideo, checks: list[_Check] | None = None,
         timeout_s: float = 2.5) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_self_check("rtsp://u:p@127.0.0.1:9/x", checks or [], lambda: video,
                          timeout_s=timeout_s, out=out)
    return code, out.getvalue().splitlines()


def test_a_failing_library_stops_the_check_before_the_stream(qtbot: QtBot) -> None:
    video = _StandInVideo(StreamState.LIVE)
    first, broken, after = (_Check("libvlc"), _Check("pyav", OSError("libavcodec.so: gone")),
                            _Check("onvif"))
    code, lines = _run(video, [first, broken, after])
    assert code == 1
    assert lines[-1] == "self-check: FAILED: pyav — libavcodec.so: gone"
    assert first.ran and not after.ran
    assert "self-check: libvlc ok (found)" in lines


def test_a_stream_that_never_goes_live_times_out_with_progress(qtbot: QtBot) -> None:
    video = _StandInVideo(StreamState.CONNECTING)
    code, lines = _run(video, timeout_s=2.5)
    assert code == 1
    assert "self-check: stream: connecting (1 s)" in lines
    assert lines[-1] == ("self-check: FAILED: stream — rtsp://***@127.0.0.1:9/x: not live after"
                         " 2 s (state: connecting)")
    assert video.stopped and video.shut_down


def test_live_with_a_black_picture_is_not_ok(qtbot: QtBot) -> None:
    code, lines = _run(_StandInVideo(StreamState.LIVE), timeout_s=2.5)
    assert code == 1
    assert "self-check: stream: live, picture still black (1 s)" in lines
    assert lines[-1].startswith("self-check: FAILED: stream — rtsp://***@127.0.0.1:9/x: live "
                                "after 0.")
    assert lines[-1].endswith("but the tile's picture stayed black")


def test_offline_fails_at_once_with_the_reason(qtbot: QtBot) -> None:
    code, lines = _run(_StandInVideo(StreamState.OFFLINE, "auth failed"), timeout_s=30)
    assert code == 1
    assert lines[-1] == ("self-check: FAILED: stream — rtsp://***@127.0.0.1:9/x is offline "
                         "(auth failed)")


def test_bright_share_counts_lit_pixels() -> None:
    image = QImage(10, 10, QImage.Format.Format_Grayscale8)
    image.fill(QColor(0, 0, 0))
    assert bright_share(image) == 0.0
    for x in range(10):
        for y in range(5):
            image.setPixelColor(x, y, QColor(200, 200, 200))
    assert bright_share(image) == pytest.approx(0.5)
